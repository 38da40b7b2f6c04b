"""The pattern engine, against ``re`` and against the clock (B12.2)."""

from __future__ import annotations

import re
import signal
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corsguard._engine.patterns import PatternFault, compile_pattern
from corsguard._engine.patterns.automaton import build
from corsguard._engine.patterns.linear import LinearMatcher
from corsguard._engine.patterns.syntax import parse
from tests.patterns.strategies import ALPHABET, patterns, short_inputs

# B12.2's budget: the work per input character is bounded by the size of
# the automaton, whatever the input. The figure is generous for a loaded
# two-core machine; the exponential shapes below miss it by orders of
# magnitude under re (seconds at 30 characters).
BUDGET_PER_CHARACTER_S = 50e-6
FIXED_OVERHEAD_S = 0.02
_RE_ORACLE_BUDGET_S = 0.05


class _OutOfTime(Exception):
    pass


def _interrupt(_signal: int, _frame: object) -> None:
    raise _OutOfTime


def _re_in_time(source: str, text: str) -> bool | None:
    """re's answer, or None when its backtracking has not ended within the
    budget (the very behaviour the linear engine exists to avoid)."""
    previous = signal.signal(signal.SIGALRM, _interrupt)
    signal.setitimer(signal.ITIMER_REAL, _RE_ORACLE_BUDGET_S)
    try:
        return re.fullmatch(source, text) is not None
    except _OutOfTime:
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patterns, st.lists(short_inputs, min_size=1, max_size=8))
def test_the_answer_is_the_answer_re_gives(source: str, inputs: list[str]) -> None:
    """Short inputs keep even exponential patterns quick under re, so both
    engines can be compared on every generated pattern."""
    compiled = compile_pattern(source)
    if isinstance(compiled, PatternFault):
        return
    linear = LinearMatcher(build(parse(source)))
    for text in inputs:
        # re is the oracle only where it is itself safe: on the patterns it
        # runs in linear time, and otherwise when it answers in time.
        expected = re.fullmatch(source, text) is not None if compiled.engine == "re" else _re_in_time(source, text)
        if expected is None:
            continue
        assert (compiled.fullmatch(text) is not None) == expected, (source, text, compiled.engine)
        assert (linear.fullmatch(text) is not None) == expected, (source, text)


_RUNS = st.tuples(st.sampled_from(ALPHABET), st.sampled_from(["", *ALPHABET]), st.sampled_from(["!", "\n", ""]))


def _hostile_input(run: tuple[str, str, str], length: int) -> str:
    """A pumped input: a run of one character or of a pair, then a
    character that breaks the match, the shape that makes a backtracking
    engine retry every split."""
    one, two, breaker = run
    body = (one + two) * (length // len(one + two))
    return body[:length] + breaker


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patterns, st.sampled_from([60, 600, 8000]), _RUNS)
def test_every_accepted_pattern_runs_in_linear_time(source: str, length: int, run: tuple[str, str, str]) -> None:
    compiled = compile_pattern(source)
    if isinstance(compiled, PatternFault):
        return
    text = _hostile_input(run, length)
    compiled.fullmatch(text[:10])  # the lazy automaton's first states, built once as in a worker
    started = time.perf_counter()
    compiled.fullmatch(text)
    spent = time.perf_counter() - started
    assert spent <= FIXED_OVERHEAD_S + BUDGET_PER_CHARACTER_S * len(text), (source, len(text), spent)
