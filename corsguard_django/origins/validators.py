"""An ``AllowedOrigin`` is one exact origin, checked by corsguard's own grammar.

Patterns, ``*`` and ``null`` are not rows: the resolver answers for exactly
the origin a browser sends (B1.2), and what a static list refuses stays
refused (B9.2). The message is corsguard's, with the value to write instead.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from corsguard._engine.entries import Entry, Fault, Form, parse_entry


def validate_origin(value: str) -> None:
    parsed = parse_entry(value)
    if isinstance(parsed, Fault):
        raise ValidationError(f"{value!r} {parsed.message} {sentence(parsed.hint)}", code="malformed-origin")
    if not isinstance(parsed, Entry) or parsed.form is not Form.EXACT:
        raise ValidationError(
            f"{value!r} is not one exact origin: a row allows exactly what a browser sends, e.g. "
            "'https://customer.example.com'. Patterns, '*' and 'null' belong in CORSGUARD['ALLOWED_ORIGINS'].",
            code="not-exact",
        )


def validate_under_settings(value: str) -> None:
    """A row the current settings could never allow is refused with start-up's
    own reason: ``http://`` with credentials, for one (B9.2, B2.2)."""
    from corsguard import Policy, PolicyError  # noqa: PLC0415
    from corsguard._engine.allowlist import INSECURE_SWITCH  # noqa: PLC0415
    from corsguard_django.conf import settings_mapping  # noqa: PLC0415

    mapping = settings_mapping()
    credentials = mapping.get("ALLOW_CREDENTIALS") is True
    insecure = mapping.get(INSECURE_SWITCH) is True
    try:
        Policy(
            allowed_origins=[value],
            allow_credentials=credentials,
            dangerously_allow_insecure_origins_with_credentials=insecure,
        )
    except PolicyError as error:
        problem = error.problems[0]
        raise ValidationError(
            f"{value!r} can never be allowed under the current CORSGUARD settings "
            f"(ALLOW_CREDENTIALS={credentials}): it {problem.message} {sentence(problem.hint)}",
            code="never-allowed",
        ) from None


def sentence(hint: str) -> str:
    """The core's hints are written to follow a colon ("write 'x'."); in the
    admin they follow a full stop, so they start with a capital."""
    return hint[:1].upper() + hint[1:]
