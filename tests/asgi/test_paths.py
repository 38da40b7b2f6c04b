"""Path rules on the path the app routes on (B3.4): below ``root_path``,
slashes merged, for a middleware around a whole app and around a mounted
sub-application."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from hypothesis import given
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.routing import Mount, get_route_path

from corsguard import PathRules, Policy
from corsguard._adapters.asgi import CorsMiddleware, routed_path
from corsguard._engine.facts import merged_slashes
from tests.asgi.support import ACAO, TRUSTED, UNTRUSTED, get, preflight

POLICY = Policy(allowed_origins=[TRUSTED])
# Open below /public, strict elsewhere, off on /internal.
RULES = PathRules(POLICY, [(r"/public/.*", {"ALLOWED_ORIGINS": ["*"]}), (r"/internal/.*", None), (r".*", {})])


def sub_app() -> FastAPI:
    app = FastAPI()

    @app.get("/public/page")
    def public() -> str:
        return "public"

    @app.get("/internal/page")
    def internal() -> str:
        return "internal"

    @app.get("/items")
    def items() -> str:
        return "items"

    return app


@pytest.mark.parametrize(
    ("path", "root_path", "routed"),
    [
        ("/v2/items", "/v2", "/items"),  # servers that put root_path in path (uvicorn, Starlette mounts)
        ("/items", "/v2", "/items"),  # servers that do not
        ("/v2", "/v2", "/"),
        ("/v2x/items", "/v2", "/v2x/items"),  # a prefix of a segment is not below root_path
        ("/v2//items", "/v2", "/items"),
        ("//items", "", "/items"),
        ("items", "", "/items"),
        ("/a//b///c", "", "/a/b/c"),
    ],
)
def test_routed_path(path: str, root_path: str, routed: str) -> None:
    assert routed_path({"path": path, "root_path": root_path}) == routed


segment = st.text(alphabet=st.sampled_from("ab/%.:"), max_size=8)


@given(root=st.sampled_from(["", "/v2", "/api/v1"]), rest=segment, prefixed=st.booleans())
def test_routed_path_is_what_starlette_routes_on_with_slashes_merged(root: str, rest: str, prefixed: bool) -> None:
    path = (root if prefixed else "") + "/" + rest
    scope = {"type": "http", "path": path, "root_path": root}
    routed = routed_path(scope)
    assert routed == merged_slashes(get_route_path(scope))
    assert routed.startswith("/") and "//" not in routed


@given(st.one_of(st.none(), st.integers(), st.binary(max_size=8)))
def test_a_path_of_another_type_never_raises(path: Any) -> None:
    assert isinstance(routed_path({"path": path, "root_path": ""}), str)


def test_rules_see_the_sub_application_path_when_it_is_wrapped_inside_a_mount() -> None:
    parent = Starlette(routes=[Mount("/v2", app=CorsMiddleware(sub_app(), RULES))])
    assert get(parent, "/v2/public/page", UNTRUSTED).headers[ACAO] == "*"
    assert ACAO not in get(parent, "/v2/items", UNTRUSTED).headers
    assert get(parent, "/v2/items").headers[ACAO] == TRUSTED
    assert "vary" not in get(parent, "/v2/internal/page").headers
    assert preflight(parent, "/v2/public/page", UNTRUSTED).status_code == 204


def test_rules_see_the_whole_path_when_the_parent_is_wrapped() -> None:
    rules = PathRules(POLICY, [(r"/v2/public/.*", {"ALLOWED_ORIGINS": ["*"]}), (r".*", {})])
    app = CorsMiddleware(Starlette(routes=[Mount("/v2", app=sub_app())]), rules)
    assert get(app, "/v2/public/page", UNTRUSTED).headers[ACAO] == "*"
    assert ACAO not in get(app, "/v2/items", UNTRUSTED).headers


def test_a_server_root_path_is_below_the_rules() -> None:
    """uvicorn --root-path /api: the scope's path starts with it, the app routes below it."""
    app = CorsMiddleware(sub_app(), RULES)
    answer = get(app, "/api/public/page", UNTRUSTED, root_path="/api")
    assert answer.status_code == 200 and answer.headers[ACAO] == "*"
    assert "vary" not in get(app, "/api/internal/page", root_path="/api").headers
