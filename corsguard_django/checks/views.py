"""E007: a per-view declaration no URL reaches (B13.2).

A ``@cors_policy`` or ``@cors_exempt`` the middleware cannot find for any
route is a restriction silently dropped: the settings' policy answers
instead. Declared functions and classes defined in the modules the URLconf
routes to, that no route reaches, are errors naming the function and the
forms that work.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.checks import CheckMessage

from corsguard._pipeline.reach import unreached, where
from corsguard_django import conf
from corsguard_django.checks.common import error

HINT = (
    "Route it in the URLconf, or declare it where corsguard finds it: outermost on the view function "
    "(above @api_view and other decorators), on the class-based view, APIView or ViewSet class, on a handler "
    "method (get, put, a ViewSet action), or on a Django Ninja operation function."
)


def check_reach(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        views = conf.load_views(conf.load_configuration().pipeline)
    except conf.ConfigurationError:
        return []  # E001-E003 say why
    return [
        error(
            "E007",
            f"{target_kind(target)} {where(target)} is declared with @cors_policy/@cors_exempt, but no URL "
            "reaches that declaration: its requests get the CORSGUARD settings' policy instead.",
            HINT,
        )
        for target in unreached(views.reached, views.modules)
    ]


def target_kind(target: object) -> str:
    return "The class" if isinstance(target, type) else "The view"
