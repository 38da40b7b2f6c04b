"""The demo user, kept in memory: alice / wonderland.

The project needs no database: a browser suite can serve it from inside a
test process (where pytest-django forbids database access) and log in with
Django's real session machinery (``login()``, ``logout()``, signed-cookie
sessions, ``AuthenticationMiddleware``). Only the user store is a stand-in.
"""

from __future__ import annotations

import hmac
from typing import Any

from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.models import User
from django.http import HttpRequest

DEMO_USERNAME = "alice"
DEMO_PASSWORD = "wonderland"
_DEMO_ID = 1


def demo_user() -> User:
    """A fresh, unsaved User. Its password field is a constant unusable value,
    so the session's auth hash stays valid from one request to the next."""
    user = User(id=_DEMO_ID, username=DEMO_USERNAME, password="!corsguard-demo-user", is_active=True)
    # There is no row to save: login() records last_login through save().
    user.save = _no_row  # type: ignore[method-assign]
    return user


def _no_row(*args: Any, **kwargs: Any) -> None:
    """Saving the demo user is a no-op; it has no database row."""


class DemoUserBackend(BaseBackend):  # type: ignore[misc]
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if username == DEMO_USERNAME and hmac.compare_digest(str(password or ""), DEMO_PASSWORD):
            return demo_user()
        return None

    def get_user(self, user_id: Any) -> User | None:
        return demo_user() if str(user_id) == str(_DEMO_ID) else None
