"""The dashboard's own server: the page, the frame that calls from a refused
origin, what the APIs saw (exchanges and corsguard's log lines), and
``corsguard check`` run on a call the browser refused.

Each log line is filed under the exchange during which it was written: the
APIs run behind ``attributing``, which notes on the serving thread which
request is under way, so a refusal is shown on the card whose request
caused it and on no other (matching by time once put one call's refusal on
the next card).
"""

from __future__ import annotations

import json
import logging
import shlex
import threading
from collections import deque
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from corsguard._engine import browser
from corsguard.cli import wire
from corsguard.cli.check import command as check
from testprojects.serve import Recorder

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

PAGE = (Path(__file__).parent / "dashboard.html").read_text(encoding="utf-8")

# Runs a fetch() described in the URL fragment and posts the outcome back to
# the dashboard that framed it.
PROBE = b"""<!doctype html><meta charset="utf-8"><script>
(async () => {
  const task = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  let result;
  try {
    const response = await fetch(task.url, task.init);
    const headers = {};
    for (const name of task.read) headers[name] = response.headers.get(name);
    result = {ok: true, status: response.status, headers};
  } catch (error) {
    result = {ok: false, error: String(error)};
  }
  parent.postMessage({id: task.id, result}, "*");
})();
</script>"""

# The request each API thread is serving: (api, method, path, query).
_serving = threading.local()


def attributing(app: WSGIApplication, api: str) -> WSGIApplication:
    """``app`` noting, while it handles a request, which request that is."""

    def wrapped(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        _serving.exchange = (
            api,
            environ.get("REQUEST_METHOD", ""),
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
        )
        try:
            return app(environ, start_response)
        finally:
            _serving.exchange = None

    return wrapped


class LogTail(logging.Handler):
    """The last corsguard log records, each with the request it was written for."""

    def __init__(self, size: int = 200) -> None:
        super().__init__(logging.DEBUG)
        self._records: deque[dict[str, Any]] = deque(maxlen=size)
        self._lock_tail = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        exchange = getattr(_serving, "exchange", None)
        if exchange is None:
            return  # written outside any API request: belongs to no card
        api, method, path, query = exchange
        entry = {
            "api": api,
            "method": method,
            "path": path,
            "query": query,
            "message": record.getMessage(),
            "reason": getattr(record, "cors_reason", ""),
            "detail": getattr(record, "cors_detail", ""),
        }
        with self._lock_tail:
            self._records.append(entry)

    def refusals(self, api: str, query: str) -> list[dict[str, Any]]:
        """The refusals written while serving requests of ``api`` with this query."""
        with self._lock_tail:
            return [e for e in self._records if e["api"] == api and e["query"] == query and e["detail"]]


def _send(start_response: StartResponse, body: bytes, content_type: str, status: str = "200 OK") -> list[bytes]:
    start_response(
        status, [("Content-Type", content_type), ("Content-Length", str(len(body))), ("Cache-Control", "no-store")]
    )
    return [body]


def diagnosis(query: Mapping[str, list[str]], apis: Mapping[str, str], origins: tuple[str, ...]) -> dict[str, Any]:
    """``corsguard check`` for one call the page made; only to the demo's
    own APIs, from the demo's own origins."""
    url, origin = query.get("url", [""])[0], query.get("origin", [""])[0]
    if not any(url.startswith(base + "/") for base in apis.values()) or origin not in origins:
        raise wire.UsageError("only the demo's own calls can be diagnosed here")
    method = query.get("method", ["GET"])[0]
    headers = json.loads(query.get("headers", ["{}"])[0])
    credentials = query.get("credentials", ["0"])[0] == "1"
    result = check.diagnose(browser.Request(url, origin, method, headers, credentials=credentials), timeout=5)
    command = ["corsguard", "check", url, "--origin", origin]
    if method != "GET":
        command += ["--method", method]
    for name, value in headers.items():
        command += ["--header", f"{name}:{value}"]
    if credentials:
        command.append("--credentials")
    return {
        "command": shlex.join(command),
        "ok": result.ok,
        "detail": result.detail,
        "console": result.console(),
        "server": "corsguard" if result.recognition.corsguard else "not recognised",
        "fixes": [fix.change for fix in result.fixes],
    }


def make_app(
    apis: Mapping[str, str], recorders: Mapping[str, Recorder], origins: tuple[str, str], logs: LogTail
) -> WSGIApplication:
    """``origins``: the dashboard's own origin and the refused one its frame uses."""
    config = json.dumps({"apis": dict(apis), "refusedOrigin": origins[1]})
    page = PAGE.replace("__CONFIG__", config).encode("utf-8")

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        query = parse_qs(environ.get("QUERY_STRING", ""))
        if path == "/probe":
            return _send(start_response, PROBE, "text/html; charset=utf-8")
        if path == "/exchanges":
            api, wanted = query.get("api", [""])[0], query.get("query", [""])[0]
            recorder = recorders.get(api)
            exchanges = [e.to_json() for e in recorder.all() if e.query == wanted] if recorder else []
            body = json.dumps({"exchanges": exchanges, "logs": logs.refusals(api, wanted)})
            return _send(start_response, body.encode(), "application/json")
        if path == "/diagnose":
            try:
                body = json.dumps(diagnosis(query, apis, origins))
            except (wire.UsageError, ValueError) as error:
                return _send(start_response, str(error).encode(), "text/plain", "400 Bad Request")
            return _send(start_response, body.encode(), "application/json")
        return _send(start_response, page, "text/html; charset=utf-8")

    return app
