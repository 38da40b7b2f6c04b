"""What ``corsguard migrate`` reports: the translated settings, the edits, and
every place corsguard will behave differently, each line with a stable code.

The codes are data so that the replay tests can map every header difference
they observe between the old library and corsguard to the line explaining it.
"""

from __future__ import annotations

import json
import pprint
import re
from dataclasses import dataclass, field
from typing import Any

from corsguard._engine.errors import PolicyError
from corsguard._pipeline import config
from corsguard.cli.migrate.checks import CHECKS

# The loader's switch for plain-http origins with credentials (B1).
INSECURE_FLAG = "DANGEROUSLY_ALLOW_INSECURE_ORIGINS_WITH_CREDENTIALS"
# What the user must replace: a valid origin, so the printed settings build.
PLACEHOLDER = "https://todo-your-front-end.example"
# code -> what it is about; the README's table is generated from the same words.
CODES: dict[str, str] = {
    "default-allows-all": "the old library allowed every origin by default; corsguard allows none",
    "credentials-any-origin": "any origin with credentials is refused: list the front-ends",
    "wildcard-reflected": "'*' was answered by reflecting the request's Origin; corsguard sends '*'",
    "fullmatch-regex": "origin regexes were prefix-matched (re.match); corsguard full-matches them",
    "regex-flags": "a compiled regex's flags are carried over as inline flags ((?i) ...)",
    "case-insensitive-origins": "origins were compared ignoring case; corsguard compares them exactly",
    "origin-rewritten": "an allowed origin is rewritten to the serialized origin browsers send",
    "file-scheme": "file:// origins are refused; pages opened from files send Origin: null",
    "null-origin": "'null' is shared by every sandboxed page and file; refused with credentials",
    "urls-regex-to-paths": "the CORS paths become PATHS rules, full-matched, first match wins",
    "per-route-options": "per-route options become PATHS rules or @cors_policy",
    "untranslatable": "an option corsguard has no equivalent for",
    "regex-header": "a header name written as a regex is not a pattern in corsguard",
    "methods-case": "methods are case-sensitive in Fetch; written in upper case",
    "preflight-status": "an allowed preflight is answered 204 (PREFLIGHT_STATUS) instead of 200",
    "refused-preflight": "a preflight from a refused origin is answered 403 without CORS headers",
    "preflight-lists": "a preflight's answer lists every allowed method and header",
    "preflight-vary": "a preflight's Vary also names Access-Control-Request-Method and -Headers",
    "refused-no-headers": "a refused origin gets no CORS headers at all",
    "no-origin-no-headers": "a request without Origin gets no CORS headers (only Vary: Origin)",
    "vary-origin": "Vary: Origin on every response of a path where CORS applies",
    "private-network": "Private Network Access preflights are answered only for allowed origins",
    "check-request-enabled": "the check_request_enabled signal has no equivalent: use ORIGIN_RESOLVER",
    "unknown-setting": "a setting the old library ignored silently (a typo?)",
    "max-age": "Access-Control-Max-Age is carried over; corsguard omits it when it is 0 or None",
    **CHECKS,
}


@dataclass(frozen=True)
class Difference:
    code: str
    message: str

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown difference code {self.code!r}")


@dataclass
class Migration:
    """One migration: ``settings`` in corsguard's upper-case vocabulary."""

    source: str
    settings: dict[str, Any]
    edits: list[str] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    # Set when the user must fill something in (a placeholder origin).
    must_edit: bool = False
    problems: list[str] = field(default_factory=list)
    # How the settings are written: "CORSGUARD = {...}" (Django), or a call
    # with lower-case keyword arguments, "CorsGuard(app, ...)" / "Policy(...)".
    written_as: str = "CORSGUARD"
    # Decisions the user must make (exit 1), each with its code.
    todos: list[Difference] = field(default_factory=list)
    # flask-cors @cross_origin views: endpoint -> the @cors_policy overrides.
    views: dict[str, dict[str, Any]] = field(default_factory=dict)

    def todo(self, code: str, message: str) -> None:
        """A decision corsguard cannot make for the user: exit 1, never a guess."""
        self.must_edit = True
        if all(item.message != message for item in self.todos):
            self.todos.append(Difference(code, message))

    def note(self, code: str, message: str) -> None:
        if all(item.message != message for item in self.differences):
            self.differences.append(Difference(code, message))

    def codes(self) -> set[str]:
        return {item.code for item in [*self.differences, *self.todos]}

    def validate(self) -> None:
        """Build the configuration as corsguard would at start-up; each thing it
        refuses becomes a TODO naming the loader's reason, so no migration is
        refused silently later."""
        try:
            config.load(self.settings, environ=None)
        except PolicyError as error:
            for problem in error.problems:
                text = str(problem)
                insecure = INSECURE_FLAG in text
                self.todo("insecure-origin-credentials" if insecure else "refused-setting", text)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.must_edit


def any_origin(migration: Migration, *, credentials: bool, what: str) -> list[str]:
    """ALLOWED_ORIGINS for every origin: '*' without credentials; with them, a TODO (B1.4)."""
    if credentials:
        migration.todo(
            "credentials-any-origin",
            f"{what} with credentials reflected every origin: any site could read your users' responses. "
            "corsguard refuses it: replace the TODO entry with your front-ends' origins.",
        )
        return [PLACEHOLDER]
    migration.note(
        "null-origin",
        "'*' no longer answers Origin 'null' (sandboxed iframes, file pages) or malformed origins such as "
        "'file://': list 'null' explicitly if a page of yours really is one.",
    )
    return ["*"]


def render_text(migration: Migration) -> str:
    lines = [f"corsguard migrate --from {migration.source}", ""]
    first = [item for item in migration.differences if item.code == "default-allows-all"]
    lines += [f"READ FIRST: {item.message}" for item in first] + [""] * bool(first)
    lines.append(python_code(migration))
    if migration.edits:
        lines += ["", "Then:"]
        lines += [f"  - {edit}" for edit in migration.edits]
    if migration.problems:
        lines += ["", "corsguard refuses this configuration as it stands; change it before you deploy:"]
        lines += [f"  - {problem}" for problem in migration.problems]
    if migration.todos:
        lines += ["", f"Decide before you deploy ({len(migration.todos)} TODO):"]
        lines += [f"  TODO [{item.code}] {item.message}" for item in migration.todos]
    lines += ["", f"Where corsguard behaves differently ({len(migration.differences)}):"]
    lines += [f"  [{item.code}] {item.message}" for item in migration.differences]
    if migration.must_edit:
        lines += ["", "Fill in the values marked TODO, then run `corsguard lint` on the result."]
    return "\n".join(lines) + "\n"


def render_json(migration: Migration) -> str:
    return json.dumps(
        {
            "from": migration.source,
            "settings": _jsonable(migration.settings),
            "edits": migration.edits,
            "problems": migration.problems,
            "must_edit": migration.must_edit,
            "todos": [{"code": item.code, "message": item.message} for item in migration.todos],
            "differences": [{"code": item.code, "message": item.message} for item in migration.differences],
        },
        indent=2,
    )


def python_code(migration: Migration) -> str:
    """The settings as Python to paste: a dict for Django, a call otherwise."""
    if migration.written_as == "CORSGUARD":
        body = [f"    {key!r}: {_value(value)}," for key, value in migration.settings.items()]
        return "\n".join(["CORSGUARD = {", *body, "}"])
    call, _, positional = migration.written_as.partition("(")
    body = [f"    {argument.strip()}," for argument in positional.split(",") if argument.strip()]
    body += [f"    {key.lower()}={_value(value)}," for key, value in migration.settings.items()]
    return "\n".join([f"{call}(", *body, ")"])


def _value(value: Any) -> str:
    return pprint.pformat(value, width=1000, sort_dicts=False)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, re.Pattern):
        return value.pattern
    return value
