"""The ready-made resolvers: ``ORIGIN_RESOLVER = "corsguard_django.origins.resolver.allowed"``.

corsguard calls them only for well-formed origins its static list does not
allow, caches the answers, bounds the calls and refuses on any error (B9),
so one indexed lookup is all they do.
"""

from __future__ import annotations

from corsguard_django.origins.models import AllowedOrigin


def allowed(origin: str) -> bool:
    return bool(AllowedOrigin.objects.filter(origin=origin, is_active=True).exists())


async def allowed_async(origin: str) -> bool:
    """The same for ASGI stacks that prefer the async ORM."""
    return bool(await AllowedOrigin.objects.filter(origin=origin, is_active=True).aexists())
