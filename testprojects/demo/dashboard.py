"""The dashboard's own server: the page, the frame that calls from a refused
origin, and what the APIs saw (exchanges and corsguard's log lines)."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

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


class LogTail(logging.Handler):
    """The last corsguard log records, for the dashboard to show."""

    def __init__(self, size: int = 200) -> None:
        super().__init__(logging.DEBUG)
        self._records: deque[dict[str, Any]] = deque(maxlen=size)
        self._lock_tail = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        entry = {
            "at": record.created,
            "message": record.getMessage(),
            "reason": getattr(record, "cors_reason", ""),
            "detail": getattr(record, "cors_detail", ""),
        }
        with self._lock_tail:
            self._records.append(entry)

    def between(self, start: float, end: float) -> list[dict[str, Any]]:
        """Refusals logged while one fetch() was under way."""
        with self._lock_tail:
            return [entry for entry in self._records if start <= entry["at"] <= end and entry["detail"]]


def _send(start_response: StartResponse, body: bytes, content_type: str) -> list[bytes]:
    start_response(
        "200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body))), ("Cache-Control", "no-store")]
    )
    return [body]


def make_app(
    apis: Mapping[str, str], recorders: Mapping[str, Recorder], refused_origin: str, logs: LogTail
) -> WSGIApplication:
    config = json.dumps({"apis": dict(apis), "refusedOrigin": refused_origin})
    page = PAGE.replace("__CONFIG__", config).encode("utf-8")

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        if path == "/probe":
            return _send(start_response, PROBE, "text/html; charset=utf-8")
        if path == "/exchanges":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            # Browser and servers share this machine's clock; a few ms of slack
            # covers the browser's millisecond rounding.
            since = float(query.get("since", ["0"])[0]) - 0.01
            until = float(query.get("until", [str(time.time())])[0]) + 0.01
            recorder = recorders.get(query.get("api", [""])[0])
            exchanges = [e.to_json() for e in recorder.all() if e.at >= since] if recorder else []
            body = json.dumps({"exchanges": exchanges, "logs": logs.between(since, until)})
            return _send(start_response, body.encode(), "application/json")
        return _send(start_response, page, "text/html; charset=utf-8")

    return app
