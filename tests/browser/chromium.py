"""Driving Debian's Chromium with Playwright, and the page it runs.

Never ``playwright install``: the browser is the system package, launched
with the flags this sandbox needs. ``*.test`` names are mapped to loopback
so look-alike origins can be served for real; everything stays on 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

CHROMIUM = os.environ.get("CORSGUARD_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP *.test 127.0.0.1",
]
INSTALL_HINT = (
    "the Chromium suite needs Debian's chromium and Playwright for Python: "
    "apt-get install -y chromium && pip install -e '.[browser]' (never 'playwright install')"
)


def missing() -> str | None:
    """Why the browser suite cannot run here, or None when it can."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"{CHROMIUM} not found; {INSTALL_HINT}"
    try:
        import playwright.sync_api  # noqa: F401, PLC0415
    except ImportError:
        return f"playwright is not installed; {INSTALL_HINT}"
    return None


# The page every case runs in. ``cg(url, init)`` is fetch() reporting what
# a page can see: the status and readable headers, or the error.
PAGE = b"""<!doctype html>
<html><head><meta charset="utf-8"><title>corsguard e2e</title></head>
<body><p>corsguard end-to-end page</p>
<script>
window.cg = async (url, init) => {
  try {
    const response = await fetch(url, init || {});
    const headers = {};
    for (const name of ["x-total-count", "vary", "content-type", "x-custom"]) {
      headers[name] = response.headers.get(name);
    }
    return {ok: true, status: response.status, headers, body: await response.text()};
  } catch (error) {
    return {ok: false, error: String(error)};
  }
};
</script></body></html>
"""


def page_app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """Serves the page on any host name and path (the page's origin is the
    host the browser asked for)."""
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(PAGE)))])
    return [PAGE]


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
