"""``Advice``: one start-up warning about a Flask app, as data.

Its own module so that every check (``corsguard_flask.advice``,
``corsguard_flask.cookies``) can build one without importing the others.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Advice:
    """One warning, with the id ``flask corsguard lint`` shows it under."""

    id: str
    message: str
    hint: str

    def __str__(self) -> str:
        return f"{self.message} Hint: {self.hint}"
