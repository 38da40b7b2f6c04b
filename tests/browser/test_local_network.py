"""Local Network Access: a public page calling a loopback corsguard server,
judged by Chromium, and ``corsguard check --page-space public`` in its words.

Chromium's ``--ip-address-space-overrides=127.0.0.1:PORT=public`` makes the
page's server (on loopback) count as public, so the page's fetch() to another
loopback port is a local network request. What Chromium 142+ does with it,
recorded here against the installed Chromium (156 when this was written):

* no Private Network Access preflight is ever sent: no request carries
  ``Access-Control-Request-Private-Network``, so B4.6 (``ALLOW_PRIVATE_NETWORK``)
  changes nothing; with and without it the outcome is the same;
* a page that is not a secure context (``http://page.test``) is refused at
  once, nothing reaches the server: "The request client is not a secure
  context and the resource is in more-private address space `loopback`.";
* a secure page (``http://localhost``, potentially trustworthy) needs the
  ``local-network-access`` permission. Headless Chromium cannot show the
  prompt: without the permission nothing reaches the server and the fetch
  fails with "Permission was denied for this request to access the
  `loopback` address space."; with it (Playwright's ``grant_permissions``)
  the request goes out as any CORS request, and CORS alone decides.

``check`` cannot know what a user will answer. Its verdict is the granted
outcome (the request reaches the server, CORS decides), and for the refused
prompt it names Chromium's console detail (``blocked_detail``). Both are held
to Chromium's words below.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from corsguard import PathRules
from corsguard._adapters.wsgi import CorsMiddleware
from corsguard._engine import browser as model
from testprojects import serve
from tests.browser import chromium
from tests.browser.test_chromium import Case, _cors_lines, _fetch, _open
from tests.browser.test_cli_agreement import run_check

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

ACRPN = "access-control-request-private-network"
_unique = itertools.count()


def _api(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("X-Custom", "1")])
    return [b"ok"]


@dataclass(frozen=True)
class Lna:
    """One local network request: the page's host, whether the permission is
    granted, whether the policy allows private network access, the method,
    and whether the policy lists the page's origin at all."""

    host: str
    granted: bool
    private_network: bool
    method: str = "GET"
    listed: bool = True

    @property
    def name(self) -> str:
        grant = "granted" if self.granted else "not-granted"
        pna = "pna-on" if self.private_network else "pna-off"
        return f"{self.host}-{grant}-{pna}-{self.method}{'' if self.listed else '-unlisted'}"


CASES = [
    Lna(host, granted, pna, method)
    for host, granted in (("localhost", True), ("localhost", False), ("page.test", False))
    for pna in (True, False)
    for method in ("GET", "PUT")
]
CASES += [Lna("localhost", True, True, "GET", listed=False), Lna("localhost", True, True, "PUT", listed=False)]


@pytest.fixture(scope="module")
def public_browser(browser: Any, frontend: serve.Running) -> Iterator[Any]:
    """A second Chromium in which the page's server counts as public."""
    override = f"--ip-address-space-overrides=127.0.0.1:{frontend.port}=public"
    launched = browser.browser_type.launch(executable_path=chromium.CHROMIUM, args=[*chromium.FLAGS, override])
    yield launched
    launched.close()


@pytest.fixture(scope="module")
def apis(frontend: serve.Running) -> Iterator[dict[tuple[bool, bool], serve.Running]]:
    """One corsguard server per (private network allowed, page listed)."""
    started: dict[tuple[bool, bool], serve.Running] = {}
    try:
        for pna, listed in ((True, True), (False, True), (True, False)):
            pages = [frontend.url("localhost"), frontend.url("page.test")] if listed else ["https://elsewhere.example"]
            config = {"ALLOWED_ORIGINS": pages, "ALLOW_PRIVATE_NETWORK": pna, "ALLOW_METHODS": ["GET", "PUT"]}
            app = CorsMiddleware(_api, PathRules.from_mapping(config))
            started[pna, listed] = serve.serve_wsgi(f"lna-{pna}-{listed}", app)
        yield started
    finally:
        for running in started.values():
            running.stop()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_check_agrees_with_chromium_on_local_network_access(
    case: Lna, public_browser: Any, apis: dict[tuple[bool, bool], serve.Running], frontend: serve.Running
) -> None:
    api = apis[case.private_network, case.listed]
    origin = frontend.url(case.host)
    context = public_browser.new_context()
    try:
        if case.granted:
            context.grant_permissions(["local-network-access"], origin=origin)
        page, messages = _open(context, case.host, frontend)
        path = f"/lna/{case.name}/{next(_unique)}"
        url = f"{api.url('localhost')}{path}"
        result = _fetch(page, url, Case(case.name, path, case.method))
        lines = _cors_lines(messages) if not result["ok"] else []
    finally:
        context.close()
    reached = [exchange for exchange in api.recorder.all() if exchange.path == path]

    # What Chromium did: no PNA preflight, ever; nothing sent without the permission.
    assert not any(ACRPN in {name.lower() for name in e.request_headers} for e in reached), reached
    if not case.granted:
        assert reached == [], [(e.method, e.path) for e in reached]
        assert not result["ok"] and lines, (result, messages)

    code, document = run_check([url, "--origin", origin, "--method", case.method, "--page-space", "public"])
    verdict, access = document["verdict"], document["local_network_access"]
    assert access["applies"] and access["page_space"] == "public" and access["target_space"] == "loopback"
    assert access["secure_context"] is (case.host == "localhost")
    if case.granted or case.host == "page.test":
        # check's verdict is what Chromium did, word for word.
        assert verdict["ok"] == result["ok"], (result, verdict)
        assert code == (0 if result["ok"] else 1)
        if result["ok"]:
            assert verdict["status"] == result["status"] == 200
            assert verdict["console"] == ""
        else:
            assert verdict["console"] == lines[0], (verdict, lines)
    else:
        # The prompt refused: check names the line Chromium prints for it.
        request = model.Request(url, origin, case.method, {})
        assert model.console_message(request, access["blocked_detail"]) == lines[0], (access, lines)
    assert result["ok"] is (case.granted and case.listed)


def test_without_the_override_the_page_is_loopback_and_nothing_is_asked(
    context: Any, apis: dict[tuple[bool, bool], serve.Running], frontend: serve.Running
) -> None:
    """The control: the same fetch() from the same page in the suite's Chromium
    (no override) is no local network request, and check told the page is on
    loopback says so. (Left to find it, check cannot: ``page.test`` is mapped
    to loopback inside Chromium only, so here its space is unknown, which
    Chromium would treat as public.)"""
    origin = frontend.url("page.test")
    page, _ = _open(context, "page.test", frontend)
    url = f"{apis[False, True].url('localhost')}/lna/control/{next(_unique)}"
    assert _fetch(page, url, Case("control", "/lna/control", "PUT"))["ok"]

    code, document = run_check([url, "--origin", origin, "--method", "PUT", "--page-space", "loopback"])

    assert code == 0 and document["verdict"]["ok"]
    assert not document["local_network_access"]["applies"]
