"""The fuzzing proof's tally: five counts, the slowest request, and the offending
examples, kept as a run goes (memory stays flat), judged by the oracle."""

from __future__ import annotations

import logging

from tests.proofs import oracle
from tests.proofs.hostile import Hostile, shorten

SLOW_NS = 1_000_000  # the bound on one request's time through an adapter (Flask's own time taken out)
RETIME_NS = 400_000  # slower than this: run 4 more times, keep the fastest (scheduler and GC noise)
# Longer request lines (method, path, query) are timed apart, unbounded: no common server passes them
# (http.server, under runserver and Werkzeug's dev server: 64 KiB; gunicorn 8190 bytes; uvicorn 16 KiB).
LONG_LINE = 65_536
COUNTS = {
    "exceptions": "exceptions (raised, 5xx, or caught and logged with a traceback)",
    "wrong_allows": "wrong allows (ACAO/ACAC/ACAPN not owed, wrong ACAO, refused preflight not 403)",
    "wrong_refusals": "wrong refusals (owed ACAO/ACAC/ACAPN missing, allowed preflight not 2xx)",
    "crlf": "CR/LF/NUL in a header or a corsguard log line",
    "vary": "wrong Vary (Origin missing on a CORS path, or added on a CORS-off path)",
}


class Tally(logging.Handler):
    """Counts as the run goes, so memory stays flat; the shortest offending request of each
    count is kept. It also takes every ``corsguard`` log record, charged to the request under way."""

    def __init__(self, adapter: str) -> None:
        super().__init__(logging.DEBUG)
        self.adapter, self.requests, self.retimed, self.seconds, self.cut_short = adapter, 0, 0, 0.0, False
        self.counts, self.examples = dict.fromkeys(COUNTS, 0), dict[str, str]()
        self.slowest_ns, self.slowest, self.long_line_ns = 0, "", 0  # long: a request line over LONG_LINE
        self.current = Hostile("", "", "", ())  # records written outside a request are charged to this

    def __enter__(self) -> Tally:
        """Take the ``corsguard`` logger at DEBUG, alone, until ``__exit__`` puts it back."""
        logger = logging.getLogger("corsguard")
        self.saved = (logger.handlers[:], logger.level, logger.propagate)
        logger.handlers, logger.propagate = [self], False
        logger.setLevel(logging.DEBUG)
        return self

    def __exit__(self, *exc_info: object) -> None:
        logger = logging.getLogger("corsguard")
        logger.handlers, logger.propagate = self.saved[0], self.saved[2]
        logger.setLevel(self.saved[1])

    def emit(self, record: logging.LogRecord) -> None:
        for count, why in oracle.log_differences(record):
            self.fault(count, self.current, why)

    def fault(self, count: str, request: Hostile, why: str) -> None:
        self.counts[count] += 1
        example = f"{shorten(why, 300)}\n      request: {request}"
        if count not in self.examples or len(example) < len(self.examples[count]):
            self.examples[count] = example

    def timed(self, nanoseconds: int, request: Hostile) -> None:
        self.requests += 1
        if len(request.method) + len(request.path) + len(request.query) > LONG_LINE:
            self.long_line_ns = max(self.long_line_ns, nanoseconds)
        elif nanoseconds > self.slowest_ns:
            self.slowest_ns, self.slowest = nanoseconds, str(request)

    @property
    def ok(self) -> bool:
        return not any(self.counts.values()) and self.slowest_ns < SLOW_NS and not self.cut_short

    def report(self) -> str:
        lines = [f"{self.adapter}: {self.requests:,} requests in {self.seconds:.1f} s"]
        lines += [f"  {self.counts[key]:>9,}  {label}" for key, label in COUNTS.items()]
        lines.append(f"  slowest request: {self.slowest_ns / 1000:.0f} µs (must be under {SLOW_NS // 1000} µs; ")
        lines[-1] += f"{self.retimed} requests over {RETIME_NS // 1000} µs were re-run, the fastest of 5 kept)"
        lines.append(f"  slowest: {self.slowest}")
        lines.append(f"  slowest with a request line over {LONG_LINE:,} bytes: {self.long_line_ns / 1000:.0f} µs")
        lines += [f"  {key}, e.g.: {example}" for key, example in self.examples.items()]
        return "\n".join(lines + (["  CUT SHORT by the time limit"] if self.cut_short else []))
