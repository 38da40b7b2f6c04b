"""``corsguard check`` agrees with Chromium on every case of the Chromium suite.

For each (backend, case) of tests/browser/test_chromium.py, Chromium runs
the fetch() from its page, then ``corsguard check`` is run (its command
line, with ``--json``) against the same server, for the same URL, origin,
method, headers and credentials. Its verdict, status and console line must
be Chromium's, word for word. Cases that log in first pass the cookie the
browser got with ``--cookie``, as a person copying it from the browser would.

The same holds for the misbehaving servers of tests/cli/test_check.py (CORS
at two layers, redirected and non-2xx preflights, redirects): Chromium
judges each, and check must say the same words.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import json
from typing import Any

import pytest

from corsguard.cli.check import command as check
from testprojects import serve
from tests.browser.backends import Backend
from tests.browser.conftest import Servers
from tests.browser.test_chromium import PAIRS, Case, _cors_lines, _fetch, _open
from tests.cli import test_check

_unique = itertools.count()


def run_check(argv: list[str]) -> tuple[int, dict[str, Any]]:
    """``corsguard check ... --json`` in-process: exit code and document."""
    parser = argparse.ArgumentParser(prog="corsguard")
    check.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["check", *argv, "--json"])
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = check.run(args)
    return code, json.loads(out.getvalue())


def check_argv(url: str, origin: str, case: Case, cookie: str) -> list[str]:
    argv = [url, "--origin", origin, "--method", case.method]
    for name, value in case.headers.items():
        argv += ["--header", f"{name}:{value}"]
    if case.credentials:
        argv.append("--credentials")
    if cookie:
        argv += ["--cookie", cookie]
    return argv


def _cookie_header(context: Any, url: str) -> str:
    return "; ".join(f"{cookie['name']}={cookie['value']}" for cookie in context.cookies(url))


@pytest.mark.parametrize(("spec", "case"), PAIRS)
def test_check_agrees_with_chromium(
    spec: Backend, case: Case, servers: Servers, frontend: serve.Running, context: Any
) -> None:
    running = servers(spec)
    page, messages = _open(context, case.page_host, frontend)
    api = running.url("localhost")
    if case.login:
        assert page.evaluate(spec.login_js, api) == 200, "login failed"
    url = f"{api}{case.path}?agreement={case.name}&n={next(_unique)}"
    result = _fetch(page, url, case)
    lines = _cors_lines(messages) if not result["ok"] else []
    origin = frontend.url(case.page_host)

    code, document = run_check(check_argv(url, origin, case, _cookie_header(context, url)))

    verdict = document["verdict"]
    assert verdict["ok"] == result["ok"], (result, verdict)
    assert code == (0 if result["ok"] else 1)
    if result["ok"]:
        assert verdict["status"] == result["status"], (result, verdict)
        assert verdict["console"] == ""
    else:
        assert lines, f"Chromium printed no CORS message: {messages}"
        assert verdict["console"] == lines[0]
    sent = [exchange["role"] for exchange in document["exchanges"] if exchange["role"] != "identify"]
    assert ("preflight" in sent) == document["preflight_needed"]


@pytest.fixture(scope="module")
def misbehaving() -> Any:
    app = test_check.Misbehaving()
    running = serve.serve_wsgi("misbehaving", app)  # type: ignore[arg-type]
    app.port = running.port
    yield running.url("localhost")
    running.stop()


@pytest.mark.parametrize("case", test_check.MISBEHAVING, ids=lambda case: f"{case.path}{''.join(case.options)}")
def test_check_agrees_with_chromium_on_misbehaving_servers(
    case: test_check.Case, misbehaving: str, frontend: serve.Running, context: Any
) -> None:
    page, messages = _open(context, "localhost", frontend)
    method = case.options[case.options.index("--method") + 1] if "--method" in case.options else "GET"
    credentials = "--credentials" in case.options
    url = f"{misbehaving}{case.path}?n={next(_unique)}"
    result = _fetch(page, url, Case(case.path, case.path, method, credentials=credentials))
    lines = _cors_lines(messages) if not result["ok"] else []

    code, document = run_check([url, "--origin", frontend.url("localhost"), *case.options])

    assert code == (0 if result["ok"] else 1)
    assert document["verdict"]["ok"] == result["ok"] == case.ok, (result, document["verdict"])
    if not result["ok"]:
        assert lines, f"Chromium printed no CORS message: {messages}"
        assert document["verdict"]["console"] == lines[0]


def _max_age_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """Allows PUT from anyone; the preflight's Access-Control-Max-Age is the path's last segment."""
    origin = environ.get("HTTP_ORIGIN", "")
    headers = [("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Methods", "PUT")]
    if environ["REQUEST_METHOD"] == "OPTIONS":
        headers.append(("Access-Control-Max-Age", environ["PATH_INFO"].rsplit("/", 1)[1]))
    start_response("200 OK", headers)
    return [b""]


@pytest.fixture(scope="module")
def max_age_server() -> Any:
    running = serve.serve_wsgi("max-age", _max_age_app)  # type: ignore[arg-type]
    yield running
    running.stop()


@pytest.mark.parametrize("max_age", ["600", "0", "-5", "abc", "+30"])
def test_preflight_cache_agrees_with_chromium(
    max_age: str, max_age_server: serve.Running, frontend: serve.Running, context: Any
) -> None:
    """Whether check says Chromium caches the preflight is whether Chromium
    sends a second one for the same call made twice at once."""
    page, _ = _open(context, "localhost", frontend)
    path = f"/cache/{next(_unique)}/{max_age}"
    url = f"{max_age_server.url('localhost')}{path}"
    for _ in range(2):
        assert _fetch(page, url, Case("cache", path, "PUT"))["ok"]
    chromium_cached = len(max_age_server.recorder.matching("OPTIONS", path)) == 1

    _, document = run_check([url, "--origin", frontend.url("localhost"), "--method", "PUT"])

    assert (document["preflight_cache"]["Chromium"] > 0) is chromium_cached, document["preflight_cache"]
