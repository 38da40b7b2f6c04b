"""One rule for putting a decision onto a response (B5.4, B5.5, B5.6).

Each row is the application's own header lines and what corsguard sets on
them. ``corsguard._engine.response`` is mutated against these rows
(docs/mutation.md).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from corsguard._engine import response
from corsguard._engine.decision import ACTUAL, Decision
from corsguard._engine.response import apply, edits, merged_vary, unmerged
from tests.matrix.runner import captured_logs

ACAO = ("Access-Control-Allow-Origin", "https://a.example")
ALLOWED = Decision(ACTUAL, True, [ACAO], ("Origin",))
REFUSED = Decision(ACTUAL, False, (), ("Origin",))
NO_VARY = Decision(ACTUAL, True, [ACAO], ())


@pytest.fixture(autouse=True)
def no_remembered_merges() -> Iterator[None]:
    """Each row works its merge out: no answer kept from an earlier test (or
    from the process a mutation run forks from) may stand in for it."""
    response._MERGED.clear()
    yield
    response._MERGED.clear()


VARY_ROWS = [
    # (the application's Vary values, the decision's names, the merged value)
    ([], ("Origin",), "Origin"),
    (
        [],
        ("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"),
        "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
    ),
    ([], ("Origin", "X-Other"), "Origin, X-Other"),
    ([], (), None),
    (["Accept"], (), None),
    (["Accept-Encoding"], ("Origin",), "Accept-Encoding, Origin"),
    (["Accept-Encoding, Cookie"], ("Origin",), "Accept-Encoding, Cookie, Origin"),
    (["Accept", "Cookie"], ("Origin",), "Accept, Cookie, Origin"),
    (["origin"], ("Origin",), None),
    (["Accept, ORIGIN"], ("Origin",), None),
    (["Accept,Origin"], ("Origin",), None),
    ([" Origin "], ("Origin",), None),
    (["*"], ("Origin",), None),
    (["Accept, *"], ("Origin",), None),
    ([" * "], ("Origin", "X-Other"), None),
    (["Origin"], ("Origin", "X-Other"), "Origin, X-Other"),
    (["", "Accept"], ("Origin",), "Accept, Origin"),
    ([" Accept "], ("Origin",), "Accept, Origin"),
]


@pytest.mark.parametrize(("values", "names", "expected"), VARY_ROWS)
def test_b5_4_vary_is_merged_each_name_once_and_star_left_alone(
    values: list[str], names: tuple[str, ...], expected: str | None
) -> None:
    """B5.4: the decision's Vary names are appended to the application's,
    compared case-insensitively, each name once, in one line; ``Vary: *``
    already varies on everything and is left alone."""
    assert merged_vary(values, names) == expected


APPLY_ROWS = [
    # (the application's lines, decision, the response's lines)
    ([("Content-Type", "text/plain")], ALLOWED, [("Content-Type", "text/plain"), ACAO, ("Vary", "Origin")]),
    ([("Vary", "Accept")], ALLOWED, [("Vary", "Accept, Origin"), ACAO]),
    (
        [("vary", "Accept"), ("X", "1"), ("VARY", "Cookie")],
        ALLOWED,
        [("X", "1"), ACAO, ("Vary", "Accept, Cookie, Origin")],
    ),
    ([("Vary", "*")], ALLOWED, [("Vary", "*"), ACAO]),
    ([("Vary", "Origin")], ALLOWED, [("Vary", "Origin"), ACAO]),
    ([("Vary", "*")], REFUSED, [("Vary", "*")]),
    ([("Via", "proxy")], REFUSED, [("Via", "proxy"), ("Vary", "Origin")]),
    ([("X", "1")], NO_VARY, [("X", "1"), ACAO]),
    ([("Age", "1")], ALLOWED, [("Age", "1"), ACAO, ("Vary", "Origin")]),
    ([("Access-Control-Allow-Origin", "*")], ALLOWED, [("Access-Control-Allow-Origin", "*"), ("Vary", "Origin")]),
    (
        [("access-control-allow-origin", "*"), ("Vary", "*")],
        ALLOWED,
        [("access-control-allow-origin", "*"), ("Vary", "*")],
    ),
    ([("Access-Control-Max-Age", "5")], REFUSED, [("Access-Control-Max-Age", "5"), ("Vary", "Origin")]),
    (
        [("X", "1"), ("Vary", "Accept"), ("Content-Type", "text/plain"), ("Y", "2")],
        ALLOWED,
        [("X", "1"), ("Vary", "Accept, Origin"), ("Content-Type", "text/plain"), ("Y", "2"), ACAO],
    ),
]


@pytest.mark.parametrize(("own", "decision", "expected"), APPLY_ROWS)
def test_b5_5_own_cors_headers_are_kept_and_vary_merged(
    own: list[tuple[str, str]], decision: Decision, expected: list[tuple[str, str]]
) -> None:
    """B5.4, B5.5: the decision's CORS lines are added unless the
    application set CORS headers of its own (two ACAO lines always fail);
    the application's Vary lines become one merged line, in the place of
    its one Vary line, else last; ``Vary: *`` stays."""
    with captured_logs():
        assert apply(list(own), decision, "/p") == expected


EDIT_ROWS = [
    ([("Content-Type", "text/plain")], ALLOWED, [ACAO, ("Vary", "Origin")]),
    ([("Vary", "Accept"), ("vary", "Cookie")], ALLOWED, [ACAO, ("Vary", "Accept, Cookie, Origin")]),
    ([("Vary", "*")], ALLOWED, [ACAO]),
    ([("Vary", "Origin")], REFUSED, []),
    ([("Access-Control-Allow-Origin", "*")], ALLOWED, [("Vary", "Origin")]),
    ([("Accept-Ranges", "bytes")], ALLOWED, [ACAO, ("Vary", "Origin")]),
    ([("Via", "x")], NO_VARY, [ACAO]),
]


@pytest.mark.parametrize(("own", "decision", "expected"), EDIT_ROWS)
def test_b5_4_edits_replace_whole_lines(
    own: list[tuple[str, str]], decision: Decision, expected: list[tuple[str, str]]
) -> None:
    """B5.4, B5.5: for one-value-per-name responses (Django) the lines to
    set, each replacing any line of that name."""
    with captured_logs():
        assert edits(own, decision, "/p") == expected


@pytest.mark.parametrize(
    ("decision", "expected"),
    [
        (ALLOWED, [ACAO, ("Vary", "Origin")]),
        (REFUSED, [("Vary", "Origin")]),
        (NO_VARY, [ACAO]),
    ],
)
def test_b5_6_a_response_without_own_headers_gets_the_decision(
    decision: Decision, expected: list[tuple[str, str]]
) -> None:
    """B5.4, B5.6: a fresh list with the decision's lines and its Vary."""
    lines = unmerged(decision)
    assert lines == expected
    assert lines is not decision.headers


def test_b5_6_apply_never_edits_the_application_list() -> None:
    """B5.6: the application's list is read, never changed."""
    own = [("Vary", "Accept")]
    apply(own, ALLOWED, "/p")
    assert own == [("Vary", "Accept")]
    untouched = [("X", "1")]
    assert apply(untouched, REFUSED._replace(vary=()), "/p") is untouched


def test_b5_5_a_conflict_is_reported_once_per_path() -> None:
    """B5.5: the application's own CORS header is left alone and named in
    one warning per path, never for a refused request."""
    own = [("Access-Control-Allow-Credentials", "true")]
    with captured_logs() as logs:
        apply(own, ALLOWED, "/once-a")
        apply(own, ALLOWED, "/once-a")
        apply(own, REFUSED, "/once-b")
        edits(own, ALLOWED, "/once-c")
    text = "\n".join(logs)
    assert text.count("The application already set Access-Control-Allow-Credentials on '/once-a'") == 1
    assert "'/once-b'" not in text
    assert text.count("'/once-c'") == 1
    assert (
        "corsguard left the response's CORS headers as they were. Let corsguard set them, or exempt this path or view."
        in text
    )


def test_b6_2_conflict_warnings_are_keyed_on_a_bounded_path() -> None:
    """B6.2: the once-per-path key reads at most 200 characters of the path,
    so endless long paths sharing a prefix cannot make endless warnings."""
    own = [("Access-Control-Allow-Origin", "*")]
    prefix = "/" + "p" * 199
    with captured_logs() as logs:
        apply(own, ALLOWED, prefix + "a")
        apply(own, ALLOWED, prefix + "b")
    assert len([line for line in logs if "already set Access-Control-Allow-Origin" in line]) == 1


def test_b5_4_a_remembered_merge_is_the_merge_worked_out() -> None:
    """B5.4: an application's Vary value merged once is answered the same
    every later time, for a value that needs the names and for one that
    already holds them."""
    for _ in range(3):
        assert merged_vary(["Accept"], ("Origin",)) == "Accept, Origin"
        assert merged_vary(["Origin, Cookie"], ("Origin",)) is None
        assert merged_vary(["Cookie"], ("Origin", "X-Other")) == "Cookie, Origin, X-Other"


def test_b5_4_the_table_of_merges_is_bounded() -> None:
    """B5.4, B6.2: the table of remembered merges holds at most 1024
    answers, each for a value of at most 512 characters; past either bound
    the merge is worked out each time, with the same answer."""
    for n in range(1100):
        assert merged_vary([f"X-{n}"], ("Origin",)) == f"X-{n}, Origin"
        assert len(response._MERGED) <= 1024
    response._MERGED.clear()
    kept, long = "a" * 512, "a" * 513
    assert merged_vary([kept], ("Origin",)) == kept + ", Origin"
    assert merged_vary([long], ("Origin",)) == long + ", Origin"
    assert list(response._MERGED) == [(kept, ("Origin",))]


@pytest.mark.parametrize(
    "own",
    [
        [ACAO],
        [("access-control-allow-origin", "https://a.example")],
        [("ACCESS-CONTROL-ALLOW-ORIGIN", "https://a.example")],
    ],
)
def test_b5_5_the_decision_coming_back_from_a_cache_is_no_conflict(own: list[tuple[str, str]]) -> None:
    """B5.5: CORS lines that are exactly the decision's (names in any case)
    are corsguard's own answer stored by a cache below it: nothing is added
    and nothing is reported. One line more or different is the
    application's own, and is reported."""
    with captured_logs() as logs:
        assert apply(list(own), ALLOWED, "/cached") == [*own, ("Vary", "Origin")]
        assert edits(own, ALLOWED, "/cached") == [("Vary", "Origin")]
    assert logs == []
    with captured_logs() as logs:
        assert apply([*own, ("Access-Control-Max-Age", "5")], ALLOWED, "/more") == [
            *own,
            ("Access-Control-Max-Age", "5"),
            ("Vary", "Origin"),
        ]
        apply([("Access-Control-Allow-Origin", "https://b.example")], ALLOWED, "/other")
    assert len([line for line in logs if "already set" in line]) == 2
