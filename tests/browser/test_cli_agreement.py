"""``corsguard check`` agrees with Chromium on every case of the Chromium suite.

For each (backend, case) of tests/browser/test_chromium.py, Chromium runs
the fetch() from its page, then ``corsguard check`` is run (its command
line, with ``--json``) against the same server, for the same URL, origin,
method, headers and credentials. Its verdict, status and console line must
be Chromium's, word for word. Cases that log in first pass the cookie the
browser got with ``--cookie``, as a person copying it from the browser would.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import json
from typing import Any

import pytest

from corsguard.cli import check
from testprojects import serve
from tests.browser.backends import Backend
from tests.browser.conftest import Servers
from tests.browser.test_chromium import PAIRS, Case, _cors_lines, _fetch, _open

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
