"""Which kind a request is, and how a preflight answer is written (B3.1-B3.3,
B3.4, B3.6, B4.1). ``corsguard._engine.decision`` is mutated against these
rows (docs/mutation.md).
"""

from __future__ import annotations

import pytest

from corsguard._engine.decision import (
    ACTUAL,
    FAILED_ACTUAL,
    FAILED_PREFLIGHT,
    NOT_CORS,
    OFF,
    PREFLIGHT,
    Decision,
    Kind,
    classify,
)


@pytest.mark.parametrize(
    ("method", "origin", "acrm", "kind"),
    [
        ("GET", None, None, Kind.NOT_CORS),
        ("OPTIONS", None, "PUT", Kind.NOT_CORS),
        ("OPTIONS", "https://a.example", "PUT", Kind.PREFLIGHT),
        ("OPTIONS", "https://a.example", "", Kind.PREFLIGHT),
        ("OPTIONS", "https://a.example", None, Kind.ACTUAL),
        ("options", "https://a.example", "PUT", Kind.ACTUAL),
        ("POST", "https://a.example", "PUT", Kind.ACTUAL),
        ("GET", "", None, Kind.ACTUAL),
    ],
)
def test_b3_every_request_is_exactly_one_kind(method: str, origin: str | None, acrm: str | None, kind: Kind) -> None:
    """B3.1: no Origin, not CORS; B3.2: OPTIONS with an Origin and an
    Access-Control-Request-Method is a preflight (the method compared as
    sent); B3.3: anything else with an Origin is an actual request."""
    assert classify(method, origin, acrm) is kind
    assert (NOT_CORS, PREFLIGHT, ACTUAL) == (Kind.NOT_CORS, Kind.PREFLIGHT, Kind.ACTUAL)


ACAO = ("Access-Control-Allow-Origin", "https://a.example")


@pytest.mark.parametrize(
    ("decision", "status_line", "lines"),
    [
        (
            Decision(PREFLIGHT, True, [ACAO], ("Origin", "X"), status=204),
            "204 No Content",
            [ACAO, ("Vary", "Origin, X")],
        ),
        (
            Decision(PREFLIGHT, True, [ACAO], ("Origin",), status=200),
            "200 OK",
            [ACAO, ("Vary", "Origin"), ("Content-Length", "0")],
        ),
        (
            Decision(PREFLIGHT, False, (), ("Origin",), status=403, body=b"no\n"),
            "403 Forbidden",
            [("Vary", "Origin"), ("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "3")],
        ),
        (Decision(PREFLIGHT, False, (), (), status=418), "418 Unknown", [("Vary", ""), ("Content-Length", "0")]),
    ],
)
def test_b4_a_preflight_answer_carries_vary_and_an_honest_length(
    decision: Decision, status_line: str, lines: list[tuple[str, str]]
) -> None:
    """B4.1, B4.2, B4.7: the answer's CORS lines, its Vary, and (RFC 9110
    15.3.5) no Content-Length on a 204, a length on anything else."""
    assert decision.status_line == status_line
    assert decision.response_headers() == lines
    assert decision.response_headers() is not decision.response_headers()


def test_b3_6_a_failed_decision_allows_nothing_and_still_varies() -> None:
    """B3.6: when deciding failed, nothing is allowed, a preflight is
    refused with 403 and its body, and both vary for caches; B3.4: an
    exempt path gets nothing at all."""
    assert Decision(ACTUAL, False, (), ("Origin",), detail="corsguard could not decide; refused") == FAILED_ACTUAL
    assert FAILED_PREFLIGHT.kind is PREFLIGHT and not FAILED_PREFLIGHT.allowed
    assert FAILED_PREFLIGHT.status == 403 and FAILED_PREFLIGHT.headers == ()
    assert FAILED_PREFLIGHT.body == b"CORS preflight refused: this origin is not allowed.\n"
    assert FAILED_PREFLIGHT.vary == ("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers")
    assert FAILED_PREFLIGHT.detail == "corsguard could not decide; refused"
    assert Decision(NOT_CORS, True, (), ()) == OFF
