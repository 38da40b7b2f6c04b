"""Property tests: hostile header values and paths never make the extension
raise or emit CR/LF in a header, and the adapter's one classification rule
agrees with the core's."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testprojects.flask_project.app import create_app
from tests.flask.support import TRUSTED, guard, new_app
from tests.matrix import wsgi_adapter
from tests.matrix.model import Request

# WSGI hands headers and PATH_INFO over as latin-1 text: any code point below 256.
LATIN1 = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=255), max_size=80)
HEADER = st.one_of(st.none(), LATIN1, st.sampled_from([TRUSTED, "null", "*", "true", "GET", "PUT", "content-type"]))
METHOD = st.one_of(st.sampled_from(["GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH", "patch"]), LATIN1)
PATH = st.one_of(
    st.sampled_from(["/api/items", "/api/custom", "/api/exempt", "/api/slash", "/partners/report", "/public/x"]),
    LATIN1.map(lambda text: "/" + text),
)
CONFIGS = [
    {"CORSGUARD_ALLOWED_ORIGINS": [TRUSTED, "null"], "CORSGUARD_ALLOW_HEADERS": ["*"]},
    {"CORSGUARD_ALLOWED_ORIGINS": ["*"], "CORSGUARD_ALLOW_METHODS": ["*"], "CORSGUARD_ALLOW_PRIVATE_NETWORK": True},
    {"CORSGUARD_ALLOWED_ORIGINS": [TRUSTED], "CORSGUARD_ALLOW_CREDENTIALS": True, "CORSGUARD_ALLOW_HEADERS": ["*"]},
]


@pytest.fixture(autouse=True)
def quiet_logs() -> Iterator[None]:
    """Thousands of refusals and 500s are expected here; keep them out of the output."""
    loggers = [logging.getLogger("corsguard"), logging.getLogger("testprojects.flask_project.app")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def apps() -> list[Flask]:
    project = [create_app({**config, "PROPAGATE_EXCEPTIONS": False}, env={}) for config in CONFIGS]
    plain = []
    for config in CONFIGS:
        app = new_app(config)

        @app.route("/api/items", methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"])
        def items() -> str:
            return "items"

        plain.append(guard(app))
    return project + plain


APPS = apps()


def environ(method: str, path: str, headers: dict[str, str | None]) -> dict[str, Any]:
    built = wsgi_adapter.environ_for(Request(method="GET", path="/"))
    built["REQUEST_METHOD"] = method
    built["PATH_INFO"] = path
    for name, value in headers.items():
        if value is not None:
            built[name] = value
    return built


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    app_index=st.integers(min_value=0, max_value=len(APPS) - 1),
    method=METHOD,
    path=PATH,
    origin=HEADER,
    acrm=HEADER,
    acrh=HEADER,
    acrpn=HEADER,
)
def test_hostile_requests_never_raise_nor_emit_cr_lf(
    app_index: int,
    method: str,
    path: str,
    origin: str | None,
    acrm: str | None,
    acrh: str | None,
    acrpn: str | None,
) -> None:
    request = environ(
        method,
        path,
        {
            "HTTP_ORIGIN": origin,
            "HTTP_ACCESS_CONTROL_REQUEST_METHOD": acrm,
            "HTTP_ACCESS_CONTROL_REQUEST_HEADERS": acrh,
            "HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK": acrpn,
        },
    )
    result = wsgi_adapter.call(APPS[app_index], request)
    assert result.status is not None
    assert len(result.values("Access-Control-Allow-Origin")) <= 1
    for name, value in result.headers:
        assert "\r" not in value and "\n" not in value, (name, value)
        assert "\r" not in name and "\n" not in name, name
