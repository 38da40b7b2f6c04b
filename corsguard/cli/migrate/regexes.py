"""The peers' regexes as corsguard patterns, with the peers' match semantics.

django-cors-headers (``CORS_ALLOWED_ORIGIN_REGEXES``, ``CORS_URLS_REGEX``)
and flask-cors (regex origins and resources) apply ``re.match``: a prefix
match, so a pattern that can match the empty string (``/*``, ``.*``, ``''``)
accepts everything. Starlette's ``allow_origin_regex`` is full-matched.
corsguard full-matches every pattern (B1.4, B3.4), so each regex is classified
first: any origin, one exact origin, or a pattern; and a pattern is tried on
corsguard's own loader, so one it refuses at start-up becomes a TODO naming
the reason, never a configuration that fails on the first deploy.
"""

from __future__ import annotations

import re
from typing import Literal

from corsguard._engine.errors import PolicyError
from corsguard._engine.grammar import is_serialized_origin
from corsguard._engine.patterns import PatternFault, compile_pattern
from corsguard._pipeline import config
from corsguard.cli.migrate import values
from corsguard.cli.migrate.report import Migration

ANY: Literal["any"] = "any"
# Unrelated origins: a full-matched pattern accepting all of them means any origin.
_PROBES = ("https://a.example", "http://b.test:8080", "https://x.y.z.example", "http://127.0.0.1:1")
_META = frozenset("^$*+?{}[]()|\\.")


def matches_everything(pattern: str, *, prefix_matched: bool) -> bool:
    """Whether the peer's matching of ``pattern`` accepts every value: under
    ``re.match`` an empty match at the start is enough."""
    compiled = compile_pattern(pattern)  # B12: a user's regex never runs on backtracking re here
    if isinstance(compiled, PatternFault):
        return False
    if prefix_matched:
        return compiled.regex.match("") is not None  # the empty input: nothing to backtrack over
    return all(compiled.fullmatch(probe) for probe in _PROBES)


def literal(pattern: str) -> str | None:
    """The one string a pattern stands for, if it is a literal once its
    anchors are taken off and its dots read as dots (``http://localhost:8000``)."""
    core = pattern.removeprefix("^").removesuffix("$")
    plain = core.replace("\\.", ".")
    if _META.intersection(plain.replace(".", "")):
        return None
    return plain


def refused(settings: dict[str, object]) -> list[str]:
    """What corsguard's loader says about ``settings``: [] when they load."""
    try:
        config.load(settings, environ=None)
    except PolicyError as error:
        return [str(problem) for problem in error.problems]
    return []


def origin_pattern(pattern: str, migration: Migration, *, credentials: bool, where: str) -> str | None:
    """``pattern`` if corsguard's loader accepts it as an origin pattern;
    otherwise a ``regex-refused`` TODO naming the loader's reason, and None."""
    problems = refused({"ALLOWED_ORIGINS": [], "ORIGIN_REGEXES": [pattern], "ALLOW_CREDENTIALS": credentials})
    if not problems:
        return pattern
    migration.todo(
        "regex-refused",
        f"{where} {pattern!r} would stop corsguard at start-up: {' '.join(problems)} Decide which origins it "
        "was meant for and list them in ALLOWED_ORIGINS (or write a pattern corsguard accepts).",
    )
    return None


def path_pattern(pattern: str, migration: Migration, *, where: str) -> str | None:
    """``pattern`` if corsguard's loader accepts it as a PATHS pattern; else a TODO."""
    problems = refused({"ALLOWED_ORIGINS": [], "PATHS": [(pattern, {}), (".*", None)]})
    if not problems:
        return pattern
    migration.todo(
        "regex-refused",
        f"{where} {pattern!r} becomes a PATHS pattern corsguard refuses: {' '.join(problems)} Write the paths "
        "CORS applies to as a pattern corsguard accepts.",
    )
    return None


def origin_regexes(
    patterns: list[str | re.Pattern[str]], migration: Migration, *, prefix_matched: bool, credentials: bool, where: str
) -> tuple[list[str], list[str], bool]:
    """(exact origins, ORIGIN_REGEXES, matched every origin) for a peer's origin regexes."""
    exact: list[str] = []
    kept: list[str] = []
    everything = False
    for pattern in patterns:
        text = pattern.pattern if isinstance(pattern, re.Pattern) else str(pattern)
        if matches_everything(text, prefix_matched=prefix_matched):
            everything = True
            migration.note(
                "any-origin-regex",
                f"{where} {text!r} matched every origin ({_why_everything(prefix_matched)}): it is carried over "
                "as any origin, not as a pattern.",
            )
            continue
        origin = literal(text)
        if origin is not None and is_serialized_origin(origin):
            exact.append(origin)
            migration.note(
                "fullmatch-regex",
                f"{where} {text!r} is one origin written as a regex: it becomes the exact origin {origin!r} "
                "(the regex also let through look-alikes: a longer host or port, any character for a dot).",
            )
            continue
        # The rewrite's notes only matter if corsguard accepts the result.
        scratch = Migration(migration.source, {})
        core = values.origin_regex(pattern, scratch, prefix_matched=prefix_matched)
        accepted = origin_pattern(core, migration, credentials=credentials, where=where)
        if accepted is not None:
            kept.append(accepted)
            for item in scratch.differences:
                migration.note(item.code, item.message)
    return exact, kept, everything


def _why_everything(prefix_matched: bool) -> str:
    return "re.match accepts its empty match" if prefix_matched else "it full-matches anything"
