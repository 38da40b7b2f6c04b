"""Raw-byte requests for the proofs: header values as bytes off the wire
(invalid UTF-8 included), repeated ``Origin`` lines, header names in odd case,
and the judgement every adapter is held to.

A request is made as the bytes a client sends; each adapter is then given
what its server would hand over: an ASGI server the lines as they are (names
in whatever case, repeats repeated), a WSGI server (and Django, Flask) one
``HTTP_*`` value per name, repeats joined, bytes as latin-1 text.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from hypothesis import strategies as st

from tests.proofs import oracle
from tests.proofs.hostile import Hostile, Sent

ALLOWED = "https://app.example.com"
CONFIGS: list[dict[str, object]] = [
    {
        "ALLOWED_ORIGINS": [ALLOWED, "https://*.example.org"],
        "ALLOW_CREDENTIALS": True,
        "ALLOW_PRIVATE_NETWORK": True,
        "ALLOW_METHODS": ["GET", "PUT"],
        "ALLOW_HEADERS": ["content-type", "x-custom"],
    },
    {"ALLOWED_ORIGINS": ["*"], "ALLOW_HEADERS": ["*"], "ALLOW_METHODS": ["*"]},
    {"ALLOWED_ORIGINS": [ALLOWED, "null"], "PATHS": [(r"/api/.*", {}), (r"/admin/.*", None)]},
]
# Not UTF-8: a lone continuation byte, truncated sequences, an encoded
# surrogate, an overlong "/", a five-byte form, and latin-1 "é".
INVALID_UTF8: tuple[bytes, ...] = (
    b"\x80",
    b"\xff",
    b"\xc3",
    b"\xc3\x28",
    b"\xe2\x82",
    b"\xed\xa0\x80",
    b"\xc0\xaf",
    b"\xf8\x88\x80\x80\x80",
)
INVALID_UTF8 += (b"\xe9",)
ORIGINS = (
    ALLOWED.encode(),
    b"https://a.example.org",
    b"null",
    b"https://evil.example",
    b"https://b\xc3\xbccher.example",
)
METHODS = (b"PUT", b"GET", b"DELETE", b"patch")
HEADER_LISTS = (b"content-type", b"x-custom, content-type", b"authorization", b"x-custom,\xe9")
FLAGS = (b"true", b"false")
NAMES = {
    "origin": ("origin", "Origin", "ORIGIN", "oRiGiN"),
    "access-control-request-method": ("access-control-request-method", "Access-Control-Request-Method"),
    "access-control-request-headers": ("access-control-request-headers", "ACCESS-CONTROL-REQUEST-HEADERS"),
    "access-control-request-private-network": (
        "access-control-request-private-network",
        "aCCESS-cONTROL-rEQUEST-pRIVATE-nETWORK",
    ),
}


def _spoiled(base: bytes, bad: bytes, at: int) -> bytes:
    """``bad`` put into ``base`` at ``at`` (clamped)."""
    at = min(at, len(base))
    return base[:at] + bad + base[at:]


def raw_values(bases: tuple[bytes, ...]) -> st.SearchStrategy[bytes]:
    """A value as sent: a plausible one, one with invalid UTF-8 put in, or any bytes."""
    return st.one_of(
        st.sampled_from(bases),
        st.builds(_spoiled, st.sampled_from(bases), st.sampled_from(INVALID_UTF8), st.integers(0, 40)),
        st.binary(max_size=48),
    )


def _lines(name: str, values: st.SearchStrategy[bytes], most: int) -> st.SearchStrategy[list[tuple[str, bytes]]]:
    return st.lists(st.tuples(st.sampled_from(NAMES[name]), values), max_size=most)


@st.composite
def requests(draw: st.DrawFn) -> Hostile:
    """A request as sent: method, path, and raw header lines (names in any case; values as latin-1 text)."""
    lines = draw(_lines("origin", raw_values(ORIGINS), 3))
    if draw(st.booleans()):
        lines += draw(_lines("access-control-request-method", raw_values(METHODS), 2))
    lines += draw(_lines("access-control-request-headers", raw_values(HEADER_LISTS), 2))
    lines += draw(_lines("access-control-request-private-network", raw_values(FLAGS), 1))
    lines = draw(st.permutations(lines))
    method = draw(st.sampled_from(("OPTIONS", "OPTIONS", "GET", "PUT", "POST")))
    path = draw(st.sampled_from(("/api/items", "/admin/users", "/", "/other")))
    return Hostile(method, path, "", tuple((name, value.decode("latin-1")) for name, value in lines))


def as_wsgi(request: Hostile) -> Hostile:
    """What a WSGI server reads: names without their case (``Hostile.environ`` joins repeats)."""
    return Hostile(request.method, request.path, request.query, tuple((n.lower(), v) for n, v in request.headers))


@dataclass
class Records(logging.Handler):
    """Every ``corsguard`` record while installed (the logger at DEBUG, alone)."""

    records: list[logging.LogRecord] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(logging.DEBUG)

    def __hash__(self) -> int:
        return id(self)

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def captured() -> Iterator[Records]:
    logger = logging.getLogger("corsguard")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    handler = Records()
    logger.handlers, logger.propagate = [handler], False
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.handlers, logger.propagate = saved[0], saved[2]
        logger.setLevel(saved[1])


def judge(
    config: dict[str, object], request: Hostile, facts: oracle.Facts, sent: Sent, records: list[logging.LogRecord]
) -> None:
    """Everything one answer must be; raises ``AssertionError`` saying what is wrong."""
    _, status, headers = sent
    answer = oracle.expect(config, *facts)
    wrong = oracle.differences(answer, status, headers)
    assert not wrong, f"{wrong}\n  request: {request}"
    assert status is not None and status < 500, f"status {status}"
    for name, value in headers:
        # B4.3: a method or header list no browser sends is refused by leaving it out, never reflected.
        printable = all(" " <= c <= "~" for c in value)
        assert printable or not name.lower().startswith("access-control-"), f"{name}: {value!r} sent back"
    origins = [value for name, value in request.headers if name.lower() == "origin"]
    if len(origins) > 1 or any(not value.isascii() for value in origins):
        # B1.1: two Origin lines, or one not ASCII (invalid UTF-8 included), is no origin a browser sends.
        cors = [name for name, _ in headers if name.lower().startswith("access-control-")]
        assert not cors, f"{cors} sent for Origin lines {origins!r}"
        assert not answer.preflight or status == 403, f"a refused preflight answered {status}"
    judge_log(records)


def judge_log(records: list[logging.LogRecord]) -> None:
    """B6.1, B6.2: one request writes at most one refusal line (and at most one summary of the
    interval before), never a traceback, never CR, LF or NUL."""
    refusals = [record for record in records if hasattr(record, "cors_kind")]
    summaries = [record for record in records if hasattr(record, "cors_held")]
    assert len(refusals) <= 1 and len(summaries) <= 1, [record.getMessage() for record in records]
    assert len(records) == len(refusals) + len(summaries), [record.getMessage() for record in records]
    for record in records:
        assert not record.exc_info, record.getMessage()
        assert not any(c in record.getMessage() for c in "\r\n\x00"), repr(record.getMessage())
