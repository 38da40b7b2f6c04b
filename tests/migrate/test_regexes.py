"""The translation of the peers' origin regexes never widens: whatever
corsguard accepts after ``migrate``, the peer accepted (``re.match`` for
django-cors-headers and flask-cors, ``fullmatch`` for Starlette)."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from corsguard.cli.migrate.regexes import matches_everything, origin_regexes
from corsguard.cli.migrate.report import Migration

# Origin regexes from the corpus and the shapes issue 21 lists.
PATTERNS = [
    r"^https://\w+\.example\.com$",
    r"^https://\w+\.example\.com",
    r"https://\w+.blob.core.windows.net$",
    r"^http://127\.0\.0\.1(:\d+)?$",
    r"http://localhost:\d+",
    r"^https://.*\.vercel\.app$|^http://localhost:3000$",
    r"http://localhost:8000",
    r"https://nerava-.*\.vercel\.app|https://.*\.nerava\.network",
    r"/*",
    r"^.*$",
    r".*",
]
HOSTS = ["a.example.com", "x.blob.core.windows.net", "127.0.0.1", "localhost", "app.vercel.app", "b.nerava.network"]


@st.composite
def origins(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https"]))
    host = draw(st.sampled_from(HOSTS))
    suffix = draw(st.sampled_from(["", ".evil.example", "x"]))
    port = draw(st.sampled_from(["", ":3000", ":8000", ":80x"]))
    return f"{scheme}://{host}{suffix}{port}"


def accepted(pattern: str, origin: str, *, prefix_matched: bool) -> bool:
    compiled = re.compile(pattern)
    return bool(compiled.match(origin) if prefix_matched else compiled.fullmatch(origin))


@example(r"^https://\w+\.example\.com", "https://a.example.com.evil.example", True)
@given(st.sampled_from(PATTERNS), origins(), st.booleans())
def test_never_wider_than_the_peer(pattern: str, origin: str, prefix_matched: bool) -> None:
    migration = Migration("test", {})
    exact, kept, everything = origin_regexes(
        [pattern], migration, prefix_matched=prefix_matched, credentials=False, where="test"
    )
    if everything:
        assert matches_everything(pattern, prefix_matched=prefix_matched)
        assert accepted(pattern, origin, prefix_matched=prefix_matched)
        return
    ours = origin in exact or any(re.fullmatch(item, origin) for item in kept)
    if ours:
        assert accepted(pattern, origin, prefix_matched=prefix_matched), (pattern, exact, kept)
