"""Timing helpers shared by every benchmark section.

Each figure is the median, over ``repeat`` rounds, of the mean time per call
within a round; rounds are sized by ``timeit.Timer.autorange``, so a figure
is never a single noisy sample. On a shared machine quote medians and
ratios, not single numbers.
"""

from __future__ import annotations

import statistics
import timeit
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


def per_call_us(fn: Callable[[], Any], *, repeat: int = 5, min_time: float = 0.2) -> float:
    """Median microseconds per call of ``fn``."""
    timer = timeit.Timer(fn)
    number, elapsed = timer.autorange()
    # autorange stops at >= 0.2 s; scale to roughly min_time per round.
    if elapsed < min_time:
        number = max(1, int(number * min_time / max(elapsed, 1e-9)))
    rounds = timer.repeat(repeat=repeat, number=number)
    return statistics.median(rounds) / number * 1e6


def added_us(with_cors: Callable[[], Any], bare: Callable[[], Any], *, repeat: int = 5) -> tuple[float, float]:
    """(added µs, bare µs): the cost a CORS layer adds over the same request
    without it. Bare and wrapped are measured in alternating rounds so a
    burst of load on a shared machine hits both alike."""
    bare_rounds: list[float] = []
    cors_rounds: list[float] = []
    for _ in range(repeat):
        bare_rounds.append(per_call_us(bare, repeat=1))
        cors_rounds.append(per_call_us(with_cors, repeat=1))
    bare_us = statistics.median(bare_rounds)
    return statistics.median(cors_rounds) - bare_us, bare_us


@dataclass
class Table:
    title: str
    columns: Sequence[str]
    rows: list[tuple[str, Sequence[str]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, label: str, *cells: str) -> None:
        self.rows.append((label, cells))

    def markdown(self) -> str:
        lines = [f"### {self.title}", "", "| case | " + " | ".join(self.columns) + " |"]
        lines.append("|---|" + "---:|" * len(self.columns))
        lines.extend(f"| {label} | " + " | ".join(cells) + " |" for label, cells in self.rows)
        lines.extend(["", *self.notes] if self.notes else [])
        return "\n".join(lines)


def us(value: float) -> str:
    """A figure for the table: µs below 1 ms, ms above."""
    if abs(value) >= 1000:
        return f"{value / 1000:.2f} ms"
    return f"{value:.2f} µs" if abs(value) < 10 else f"{value:.1f} µs"


def wsgi_environ(method: str = "GET", path: str = "/api/items", **headers: str) -> dict[str, Any]:
    """A complete WSGI environ; headers given as HTTP_ORIGIN="..." etc."""
    import io  # noqa: PLC0415

    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    environ.update(headers)
    return environ


REFUSED_ORIGIN = "https://evil.example.net"
PREFLIGHT_HEADERS = "authorization,content-type"
CASE_NAMES = ("allowed GET", "preflight", "refused origin", "no Origin")


def standard_requests(allowed: str, path: str = "/api/items") -> list[dict[str, Any]]:
    """The four requests every section measures, in CASE_NAMES order."""
    return [
        wsgi_environ(path=path, HTTP_ORIGIN=allowed),
        wsgi_environ(
            "OPTIONS",
            path,
            HTTP_ORIGIN=allowed,
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="PUT",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS=PREFLIGHT_HEADERS,
        ),
        wsgi_environ(path=path, HTTP_ORIGIN=REFUSED_ORIGIN),
        wsgi_environ(path=path),
    ]


def call_wsgi(app: Callable[..., Any], environ: dict[str, Any]) -> None:
    """One request through a WSGI app, body consumed and closed."""

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        return None

    body = app(dict(environ), start_response)
    try:
        for _ in body:
            pass
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()


def origins(count: int) -> list[str]:
    """``count`` distinct exact origins; the allowed one in benchmarks is the last."""
    return [f"https://app{i}.example.com" for i in range(count)]
