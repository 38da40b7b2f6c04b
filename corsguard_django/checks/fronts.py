"""The credentialed front-ends, and the API hosts they are cross-site to.

The cookie and CSRF checks (W002, W003) reason about the origins that send
cookies. Those are written two ways: entries (``https://app.example.com``,
``https://*.example.com``) and ``ORIGIN_REGEXES``. A regex accepted with
credentials has a literal scheme and literal host tails (B12.3, proved by
``corsguard._engine.patterns.proofs``), so its hosts are known as well as an
entry's: ``https://[a-z]+\\.example\\.com`` stands for ``https://*.example.com``.

"Site" is the registrable domain, as browsers use it. The API can be served
on several ``ALLOWED_HOSTS``; a front-end is cross-site to every one of them
on another site, and its credentialed requests to those hosts go without
``SameSite=Lax`` cookies, whatever other host happens to share its site.

The rules themselves are framework-free and shared with Flask
(``corsguard._pipeline.credentials``); this module adds what only Django
knows: its configuration's policies and ``ALLOWED_HOSTS``.
"""

from __future__ import annotations

from django.conf import settings

from corsguard._pipeline import credentials
from corsguard._pipeline.credentials import Front, cross_site_hosts
from corsguard_django.checks.common import Configuration

__all__ = ["Front", "api_hosts", "credentialed_fronts", "cross_site_hosts"]

# Django validates against these when DEBUG is on and ALLOWED_HOSTS is empty.
DEBUG_HOSTS = ("localhost", "127.0.0.1", "[::1]")
# The test client's host: no browser ever sends it.
TEST_CLIENT_HOST = "testserver"


def credentialed_fronts(configuration: Configuration) -> list[Front]:
    """Configured origins, patterns and regexes of every policy with credentials."""
    return credentials.credentialed_fronts(policy for _, policy in configuration.policies())


def api_hosts() -> list[str] | None:
    """The hosts the API answers on, from ALLOWED_HOSTS; None if unknowable ('*')."""
    hosts = [host.lstrip(".") for host in settings.ALLOWED_HOSTS if host not in ("*", TEST_CLIENT_HOST)]
    if "*" in settings.ALLOWED_HOSTS:
        return None
    if not hosts and not settings.ALLOWED_HOSTS and settings.DEBUG:
        return list(DEBUG_HOSTS)
    return hosts
