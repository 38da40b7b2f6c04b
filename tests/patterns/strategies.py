"""Generated regular expressions, including the classic super-linear shapes.

The grammar draws from a small alphabet so that generated inputs hit the
patterns often: literals, classes, ``.``, groups, alternation, every
quantifier (greedy and lazy, bounded and not), inline flags and anchors at
the ends, plus the nested and overlapping repeats that make backtracking
engines exponential (``(a+)+``, ``(a|aa)*``, ``(\\w+/?)+``).
"""

from __future__ import annotations

from hypothesis import strategies as st

ALPHABET = "ab-./:"

_atoms = st.sampled_from(
    ["a", "b", "-", r"\.", "/", ":", ".", "[ab]", "[^a]", "[a-]", r"\w", r"\d", r"\W", "[.:]", "A", "(?:)"]
)
_quantifiers = st.sampled_from(["", "*", "+", "?", "*?", "+?", "??", "{2}", "{1,3}", "{0,2}", "{2,}", "{1,3}?"])


def _extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, children).map("".join),
        st.tuples(children, children).map(lambda pair: f"(?:{pair[0]}|{pair[1]})"),
        st.tuples(children, _quantifiers).map(lambda pair: f"(?:{pair[0]}){pair[1]}"),
        st.tuples(children, _quantifiers).map(lambda pair: f"({pair[0]}){pair[1]}"),
    )


_bodies = st.recursive(st.tuples(_atoms, _quantifiers).map("".join), _extend, max_leaves=8)

# The shapes that pin backtracking engines, each around a generated part.
_CLASSIC = [
    "({0}+)+",
    "({0}|{0}{0})+",
    "({0}*)*",
    "(?:{0}?){{3}}{0}{{3}}",
    "({0}+/?)+b",
    "(?:{0}|{0}-)*:",
    ".*{0}.*{0}",
]

patterns = st.one_of(
    st.tuples(
        st.sampled_from(["", "(?i)", "(?s)", "(?a)"]), st.sampled_from(["", "^"]), _bodies, st.sampled_from(["", "$"])
    ).map("".join),
    st.tuples(st.sampled_from(_CLASSIC), _bodies).map(lambda pair: pair[0].format(f"(?:{pair[1]})")),
)

short_inputs = st.text(alphabet=ALPHABET + "A\n", max_size=10)
