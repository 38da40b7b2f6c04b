"""``corsguard check`` against real servers on loopback: misbehaving ones
(CORS at two layers, redirected or non-2xx preflights, '*' with credentials,
redirects) and corsguard itself, whose answers it must recognise so the fix
names the setting. Chromium's own verdicts are checked in
tests/browser/test_cli_agreement.py; these are the cases the suite's
servers never produce.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import ipaddress
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corsguard._engine import browser, messages
from corsguard.cli import network, wire
from corsguard.cli.check import command as check
from testprojects import serve, wsgi_app

PAGE = "http://localhost:3000"
OTHER = "https://other.example"

Headers = list[tuple[str, str]]
# What a misbehaving server answers: (status, headers) from (origin, port).
Answer = Callable[[str, int], tuple[int, Headers]]


def _cors(origin: str, *extra: tuple[str, str]) -> Headers:
    return [("Access-Control-Allow-Origin", origin), *extra]


# path -> method ("*" for any other) -> answer
BEHAVIOUR: dict[str, dict[str, Answer]] = {
    "/two-lines": {"*": lambda o, p: (200, [*_cors(o), *_cors(o)])},
    "/comma-joined": {"*": lambda o, p: (200, _cors(f"{o}, {OTHER}"))},
    "/redirected-preflight": {
        "OPTIONS": lambda o, p: (301, [("Location", "/redirected-preflight/")]),
        "*": lambda o, p: (200, _cors(o)),
    },
    "/preflight-404": {"OPTIONS": lambda o, p: (404, _cors(o)), "*": lambda o, p: (200, _cors(o))},
    "/star": {"*": lambda o, p: (200, _cors("*"))},
    "/no-acac": {"*": lambda o, p: (200, _cors(o))},
    "/mismatch": {"*": lambda o, p: (200, _cors(OTHER))},
    "/redirect-then-plain": {"*": lambda o, p: (302, [*_cors(o), ("Location", "/plain")])},
    "/plain": {"*": lambda o, p: (200, [])},
    "/cross-origin-redirect": {"*": lambda o, p: (302, [*_cors(o), ("Location", f"http://127.0.0.1:{p}/star")])},
    "/redirect-with-password": {
        "*": lambda o, p: (302, [*_cors(o), ("Location", f"http://user:secret@127.0.0.1:{p}/star")])
    },
    "/max-age-huge": {
        "OPTIONS": lambda o, p: (
            204,
            _cors(o, ("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Max-Age", "90000")),
        ),
        "*": lambda o, p: (200, _cors(o)),
    },
    "/allow-all": {
        "OPTIONS": lambda o, p: (
            204,
            _cors(
                o,
                ("Access-Control-Allow-Credentials", "true"),
                ("Access-Control-Allow-Methods", "PUT"),
                ("Access-Control-Allow-Headers", "authorization, x-a, x-b"),
            ),
        ),
        "*": lambda o, p: (200, _cors(o, ("Access-Control-Allow-Credentials", "true"))),
    },
    "/max-age-none": {
        "OPTIONS": lambda o, p: (204, _cors(o, ("Access-Control-Allow-Methods", "PUT"))),
        "*": lambda o, p: (200, _cors(o)),
    },
}


class Misbehaving:
    """A server that answers by BEHAVIOUR and remembers every request's headers."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, dict[str, str]]] = []
        self.port = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        method, path = environ["REQUEST_METHOD"], environ["PATH_INFO"]
        headers = {
            key[5:].replace("_", "-").lower(): value for key, value in environ.items() if key.startswith("HTTP_")
        }
        self.seen.append((method, path, headers))
        answers = BEHAVIOUR.get(path.rstrip("/") or path, {"*": lambda o, p: (404, [])})
        answer = answers.get(method, answers["*"])
        status, lines = answer(headers.get("origin", ""), self.port)
        start_response(f"{status} X", [*lines, ("Content-Length", "0")])
        return [b""]


@pytest.fixture(scope="module")
def misbehaving() -> Iterator[tuple[str, Misbehaving]]:
    app = Misbehaving()
    running = serve.serve_wsgi("misbehaving", app)  # type: ignore[arg-type]
    app.port = running.port
    yield running.url("localhost"), app
    running.stop()


@pytest.fixture(scope="module")
def corsguard_api() -> Iterator[str]:
    config = {
        "ALLOWED_ORIGINS": [PAGE],
        "ALLOW_CREDENTIALS": True,
        "EXPOSE_HEADERS": ["x-total-count"],
        "MAX_AGE": 600,
        "PATHS": [
            (r"/public/.*", {"ALLOWED_ORIGINS": ["*"], "ALLOW_CREDENTIALS": False}),
            (r"/api/v1/users/.*", None),
            (r".*", {}),
        ],
    }
    running = serve.serve_wsgi("corsguard", wsgi_app.create_app(config))
    yield running.url("localhost")
    running.stop()


def run_check(*argv: str) -> tuple[int, dict[str, Any]]:
    parser = argparse.ArgumentParser(prog="corsguard")
    check.add_parser(parser.add_subparsers(dest="command"))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = check.run(parser.parse_args(["check", *argv, "--json"]))
    return code, json.loads(out.getvalue())


@dataclass(frozen=True)
class Case:
    path: str
    options: tuple[str, ...] = ()
    ok: bool = False
    detail: str = ""
    # Words the fix must contain.
    fix: str = ""
    corsguard: bool = False
    redirected: bool = False
    cache: dict[str, int] | None = field(default=None)


MISBEHAVING = [
    Case("/two-lines", detail=messages.acao_multiple(f"{PAGE}, {PAGE}"), fix="2 Access-Control-Allow-Origin lines"),
    Case("/comma-joined", detail=messages.acao_multiple(f"{PAGE}, {OTHER}"), fix="one line with several values"),
    Case(
        "/redirected-preflight",
        ("--method", "PUT"),
        detail=messages.REDIRECTED_PREFLIGHT,
        fix="/redirected-preflight/ directly",
    ),
    Case("/preflight-404", ("--method", "PUT"), detail=messages.NOT_OK_STATUS, fix="answered 404"),
    Case(
        "/star", ("--credentials",), detail=messages.WILDCARD_WITH_CREDENTIALS, fix="Access-Control-Allow-Credentials"
    ),
    Case("/star", ok=True),
    Case(
        "/no-acac", ("--credentials",), detail=messages.acac_missing(""), fix="Access-Control-Allow-Credentials: true"
    ),
    Case("/mismatch", detail=messages.acao_mismatch(OTHER), fix="Vary: Origin"),
    Case("/redirect-then-plain", detail=messages.NO_ACAO, fix="Access-Control-Allow-Origin", redirected=True),
    Case("/cross-origin-redirect", ok=True),
    Case("/redirect-with-password", detail="contains a username and password", redirected=False),
    Case("/max-age-huge", ("--method", "PUT"), ok=True, cache={"Chromium": 7200, "Firefox": 86400, "Safari": 600}),
    Case("/max-age-none", ("--method", "PUT"), ok=True, cache={"Chromium": 5, "Firefox": 5, "Safari": 5}),
]


@pytest.mark.parametrize("case", MISBEHAVING, ids=lambda case: f"{case.path}{''.join(case.options)}")
def test_misbehaving_servers(case: Case, misbehaving: tuple[str, Misbehaving]) -> None:
    base, _ = misbehaving
    code, document = run_check(f"{base}{case.path}", "--origin", PAGE, *case.options)
    verdict = document["verdict"]
    assert verdict["ok"] is case.ok, verdict
    assert code == (0 if case.ok else 1)
    assert document["server"]["corsguard"] is case.corsguard
    if case.ok:
        assert document["fixes"] == []
        assert document["preflight_cache"] == case.cache
        return
    assert case.detail in verdict["detail"]
    assert verdict["console"].endswith(f"has been blocked by CORS policy: {verdict['detail']}")
    assert ("(redirected from " in verdict["console"]) is case.redirected
    assert case.fix in " ".join(fix["change"] + fix["problem"] for fix in document["fixes"])
    # A server not recognised is never told to change corsguard's settings.
    assert all(fix["setting"] == "" for fix in document["fixes"])


def test_preflight_is_sent_as_chromium_sends_it(misbehaving: tuple[str, Misbehaving]) -> None:
    base, app = misbehaving
    app.seen.clear()
    code, _ = run_check(
        f"{base}/allow-all",
        "--origin",
        PAGE,
        "--method",
        "put",
        "--header",
        "X-B:1",
        "--header",
        "Authorization:Bearer t",
        "--header",
        "x-a:2",
        "--header",
        "Accept:text/plain",
        "--credentials",
        "--cookie",
        "session=abc",
    )
    assert code == 0
    (_, _, preflight), (method, _, actual) = app.seen
    # Normalized method; ACRH lower-case, sorted, unique, no spaces; Accept is safelisted.
    assert preflight["access-control-request-method"] == "PUT" and method == "PUT"
    assert preflight["access-control-request-headers"] == "authorization,x-a,x-b"
    assert "cookie" not in preflight and "authorization" not in preflight and "x-b" not in preflight
    assert preflight["origin"] == PAGE and preflight["sec-fetch-mode"] == "cors"
    assert actual["cookie"] == "session=abc" and actual["authorization"] == "Bearer t" and actual["origin"] == PAGE


def test_cookie_only_with_credentials(misbehaving: tuple[str, Misbehaving]) -> None:
    base, app = misbehaving
    app.seen.clear()
    run_check(f"{base}/star", "--origin", PAGE, "--cookie", "session=abc")
    assert "cookie" not in app.seen[-1][2]


def test_cross_origin_redirect_taints_the_origin(misbehaving: tuple[str, Misbehaving]) -> None:
    base, app = misbehaving
    app.seen.clear()
    code, document = run_check(f"{base}/cross-origin-redirect", "--origin", PAGE)
    assert code == 0
    assert [(method, path, headers["origin"]) for method, path, headers in app.seen] == [
        ("GET", "/cross-origin-redirect", PAGE),
        ("GET", "/star", "null"),
    ]
    assert [exchange["role"] for exchange in document["exchanges"]] == ["actual", "actual"]


CORSGUARD = [
    Case("/api/items", ok=True),
    Case("/api/items", ("--origin", "http://127.0.0.1:3000"), detail=messages.NO_ACAO, fix="ALLOWED_ORIGINS"),
    Case(
        "/api/items",
        ("--origin", "http://127.0.0.1:3000", "--method", "PUT"),
        detail=messages.PREFLIGHT_PREFIX + messages.NO_ACAO,
        fix="ALLOWED_ORIGINS",
    ),
    Case("/api/items", ("--header", "X-Custom:1"), detail=messages.header_not_allowed("x-custom"), fix="ALLOW_HEADERS"),
    Case("/api/items", ("--method", "PROPFIND"), detail=messages.method_not_allowed("PROPFIND"), fix="ALLOW_METHODS"),
    Case(
        "/api/items",
        ("--method", "patch"),
        detail=messages.method_not_allowed("patch"),
        fix="send 'PATCH' from the page",
    ),
    Case("/public/x", ("--credentials",), detail=messages.WILDCARD_WITH_CREDENTIALS, fix="ALLOW_CREDENTIALS = True"),
    Case("/public/x", ok=True),
]


@pytest.mark.parametrize("case", CORSGUARD, ids=lambda case: f"{case.path}{''.join(case.options)}")
def test_corsguard_is_recognised_and_fixed_in_its_settings(case: Case, corsguard_api: str) -> None:
    options = case.options if "--origin" in case.options else ("--origin", PAGE, *case.options)
    code, document = run_check(f"{corsguard_api}{case.path}", *options)
    verdict = document["verdict"]
    assert verdict["ok"] is case.ok, verdict
    if case.ok:
        assert code == 0 and document["fixes"] == []
        return
    assert code == 1 and verdict["detail"] == case.detail
    assert document["server"]["corsguard"] is True, document["server"]
    assert case.fix in " ".join(fix["change"] for fix in document["fixes"])


def test_cors_off_path_is_explained_in_general_terms(corsguard_api: str) -> None:
    """A path rule mapped to None: corsguard does not answer, so it cannot be recognised."""
    code, document = run_check(f"{corsguard_api}/api/v1/users/7", "--origin", PAGE)
    assert code == 1 and document["server"]["corsguard"] is False
    assert document["fixes"][0]["setting"] == ""
    assert "send Access-Control-Allow-Origin" in document["fixes"][0]["change"]


def test_text_output_shows_exchanges_verdict_cache_and_fix(corsguard_api: str) -> None:
    parser = argparse.ArgumentParser(prog="corsguard")
    check.add_parser(parser.add_subparsers(dest="command"))
    out = io.StringIO()
    argv = ["check", f"{corsguard_api}/api/items", "--origin", PAGE, "--header", "X-Custom:1"]
    with contextlib.redirect_stdout(out):
        assert check.run(parser.parse_args(argv)) == 1
    text = out.getvalue()
    assert "preflight> OPTIONS" in text and "Access-Control-Request-Headers: x-custom" in text
    assert "Verdict: blocked. Chromium's console says:" in text
    assert messages.header_not_allowed("x-custom") in text
    assert "Preflight cache: nothing is cached, the preflight failed." in text
    assert "Server: corsguard (" in text and "Fix: add 'x-custom' to ALLOW_HEADERS." in text


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--origin", "https://app.example.com/"], "did you mean 'https://app.example.com'"),
        (["--origin", "app.example.com"], "is not an origin a browser sends"),
        (["--origin", PAGE, "--header", "Cookie:a=b"], "use --credentials and --cookie"),
        (["--origin", PAGE, "--header", "Bad Name:1"], "is not a header name"),
        (["--origin", PAGE, "--method", "TRACE"], "fetch() cannot send it"),
    ],
)
def test_usage_errors_exit_2(argv: list[str], words: str, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="corsguard")
    check.add_parser(parser.add_subparsers(dest="command"))
    assert check.run(parser.parse_args(["check", "http://localhost:1/x", *argv])) == 2
    assert words in capsys.readouterr().err


def test_network_error_exits_2() -> None:
    running = serve.serve_wsgi("gone", lambda environ, start_response: [])
    url = f"{running.url('localhost')}/x"
    running.stop()
    code, document = run_check(url, "--origin", PAGE)
    assert code == 2 and document["verdict"]["stage"] == "network" and document["verdict"]["error"]


def test_same_origin_sends_nothing() -> None:
    code, document = run_check("http://localhost:3000/api", "--origin", PAGE)
    assert code == 0 and document["exchanges"] == [] and document["verdict"]["stage"] == "same-origin"


# -- Local Network Access ------------------------------------------------------

ADDRESSES = [
    ("127.0.0.1", network.LOOPBACK),
    ("127.255.0.9", network.LOOPBACK),
    ("::1", network.LOOPBACK),
    ("0.0.0.0", network.LOOPBACK),
    ("::ffff:127.0.0.1", network.LOOPBACK),
    ("10.1.2.3", network.LOCAL),
    ("172.16.0.1", network.LOCAL),
    ("172.31.255.255", network.LOCAL),
    ("192.168.1.1", network.LOCAL),
    ("169.254.169.254", network.LOCAL),
    ("100.64.0.1", network.LOCAL),
    ("fd00::1", network.LOCAL),
    ("fe80::1", network.LOCAL),
    ("::ffff:192.168.0.1", network.LOCAL),
    ("172.32.0.1", network.PUBLIC),
    ("8.8.8.8", network.PUBLIC),
    ("2606:4700::1111", network.PUBLIC),
]


@pytest.mark.parametrize(("address", "space"), ADDRESSES)
def test_address_spaces_are_chromiums(address: str, space: str) -> None:
    assert network.address_space(address) == space


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_ipv4_mapped_addresses_classify_as_their_ipv4(value: int) -> None:
    v4 = ipaddress.IPv4Address(value)
    assert network.address_space(f"::ffff:{v4}") == network.address_space(str(v4))


@pytest.mark.parametrize(
    ("origin", "secure"),
    [
        ("https://app.example.com", True),
        ("http://localhost:3000", True),
        ("http://a.localhost", True),
        ("http://127.0.0.1:8080", True),
        ("http://[::1]:8080", True),
        ("http://app.example.com", False),
        ("http://192.168.1.5", False),
        ("null", False),
    ],
)
def test_secure_contexts(origin: str, secure: bool) -> None:
    assert network.secure_context(origin) is secure


@pytest.mark.parametrize(
    ("origin", "space", "ok", "detail"),
    [
        # Chromium 142+ refuses an insecure public page without asking.
        ("http://app.example.com", "public", False, network.insecure_detail(network.LOOPBACK)),
        # A secure public page is asked about; the CORS verdict stands if the user allows it.
        ("https://app.example.com", "public", False, messages.NO_ACAO),
        # A local page calling loopback is not restricted.
        ("http://app.example.com", "local", False, messages.NO_ACAO),
    ],
)
def test_local_network_access(origin: str, space: str, ok: bool, detail: str, corsguard_api: str) -> None:
    code, document = run_check(f"{corsguard_api}/api/items", "--origin", origin, "--page-space", space)
    assert code == 1
    access = document["local_network_access"]
    assert access["target_space"] == network.LOOPBACK and access["page_space"] == space
    assert access["applies"] is (space == "public")
    assert document["verdict"]["detail"] == detail and document["verdict"]["ok"] is ok
    if access["applies"]:
        secure = origin.startswith("https")
        expected = network.denied_detail("loopback") if secure else network.insecure_detail("loopback")
        assert access["blocked_detail"] == expected
        # What to do about it comes first, before the CORS fix.
        lna, cors = document["fixes"]
        assert ("asks the user" if secure else "not a secure context") in lna["problem"]
        assert cors["setting"] == "ALLOWED_ORIGINS"
    else:
        assert [fix["setting"] for fix in document["fixes"]] == ["ALLOWED_ORIGINS"]


def test_local_network_access_text_says_what_allow_private_network_does(corsguard_api: str) -> None:
    diagnosis = check.diagnose(
        browser.Request(f"{corsguard_api}/api/items", "https://app.example.com"), page_space="public"
    )
    from corsguard.cli.check import verdict  # noqa: PLC0415

    text = verdict.as_text(diagnosis)
    assert "Local Network Access (Chromium 142+)" in text
    assert "Permission was denied for this request to access the `loopback` address space." in text
    assert "ALLOW_PRIVATE_NETWORK changes nothing" in text


def test_an_allowed_verdict_explains_local_network_access_without_a_fix(corsguard_api: str) -> None:
    """A secure public page is asked about, not refused: the verdict is
    allowed, so no "Why/Fix" block (issue: a newcomer's first hour, 6)."""
    diagnosis = check.diagnose(
        browser.Request(f"{corsguard_api}/public/items", "https://app.example.com"), page_space="public"
    )
    from corsguard.cli.check import verdict  # noqa: PLC0415

    text = verdict.as_text(diagnosis)
    assert diagnosis.ok and "Local Network Access (Chromium 142+)" in text
    assert "Why:" not in text and "Fix:" not in text


# -- Options as fetch() sees them ---------------------------------------------------

_TOKEN = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12).map(lambda s: "x-" + s)
_VALUE = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=20).map(str.strip)


@given(st.lists(st.tuples(_TOKEN, _VALUE), max_size=6))
def test_header_options_combine_like_fetch(pairs: list[tuple[str, str]]) -> None:
    parsed = check.parse_headers([f"{name}:{value}" for name, value in pairs])
    expected: dict[str, list[str]] = {}
    for name, value in pairs:
        expected.setdefault(name, []).append(value)
    assert parsed == {name: ", ".join(values) for name, values in expected.items()}


@given(st.text(max_size=30))
def test_header_options_never_crash(raw: str) -> None:
    try:
        parsed = check.parse_headers([raw])
    except wire.UsageError:
        return
    assert len(parsed) == 1


# -- Per-browser preflight cache (B8) -------------------------------------------------

MAX_AGES = [
    (None, {"Chromium": 5, "Firefox": 5, "Safari": 5}),
    ("600", {"Chromium": 600, "Firefox": 600, "Safari": 600}),
    ("7200", {"Chromium": 7200, "Firefox": 7200, "Safari": 600}),
    ("90000", {"Chromium": 7200, "Firefox": 86400, "Safari": 600}),
    ("0", {"Chromium": 0, "Firefox": 0, "Safari": 0}),
    ("-1", {"Chromium": 0, "Firefox": 0, "Safari": 0}),
    ("abc", {"Chromium": 5, "Firefox": 0, "Safari": 5}),
    ("600, 600", {"Chromium": 5, "Firefox": 0, "Safari": 5}),
    ("99999999999999999999999", {"Chromium": 5, "Firefox": 86400, "Safari": 5}),
]


@pytest.mark.parametrize(("raw", "expected"), MAX_AGES)
def test_preflight_cache_per_browser(raw: str | None, expected: dict[str, int]) -> None:
    headers = [] if raw is None else [("Access-Control-Max-Age", raw)]
    assert browser.preflight_cache_by_browser(browser.Response(204, headers)) == expected


@pytest.mark.parametrize(
    ("lines", "values"),
    [
        ([PAGE], [PAGE]),
        ([PAGE, PAGE], [PAGE, PAGE]),
        ([f"{PAGE}, {OTHER}"], [PAGE, OTHER]),
        ([], []),
    ],
)
def test_acao_values(lines: list[str], values: list[str]) -> None:
    response = browser.Response(200, [("access-control-allow-origin", line) for line in lines])
    assert browser.acao_values(response) == values
