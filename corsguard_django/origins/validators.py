"""An ``AllowedOrigin`` is one exact origin, checked by corsguard's own grammar.

Patterns, ``*`` and ``null`` are not rows: the resolver answers for exactly
the origin a browser sends (B1.2), and what a static list refuses stays
refused (B9.2). The message is corsguard's, with the value to write instead.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from corsguard.entries import Entry, Fault, Form, parse_entry


def validate_origin(value: str) -> None:
    parsed = parse_entry(value)
    if isinstance(parsed, Fault):
        raise ValidationError(f"{value!r} {parsed.message} {parsed.hint}", code="malformed-origin")
    if not isinstance(parsed, Entry) or parsed.form is not Form.EXACT:
        raise ValidationError(
            f"{value!r} is not one exact origin: a row allows exactly what a browser sends, e.g. "
            "'https://customer.example.com'. Patterns, '*' and 'null' belong in CORSGUARD['ALLOWED_ORIGINS'].",
            code="not-exact",
        )
