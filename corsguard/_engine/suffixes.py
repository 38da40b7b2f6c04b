"""The Public Suffix List: which domains anyone can register names under.

A subdomain pattern on a public suffix (``https://*.co.uk``,
``https://*.github.io``, ``https://*.vercel.app``) lets every site under it
in; with credentials that is refused at start-up (B2.3). The list comes from
the ``publicsuffixlist`` package (a required dependency: its data ships
offline, private section included). Shipped data ages, so the
``PUBLIC_SUFFIX_LIST`` setting (``CORSGUARD_PUBLIC_SUFFIX_LIST``) can name a
newer copy of https://publicsuffix.org/list/public_suffix_list.dat.

Each list is parsed once per process. When no list can be loaded, nothing
is assumed: callers get ``SuffixListError`` and refuse what they cannot
check (B3.6).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Protocol

# Where a newer list comes from, for hints and the docs.
LIST_URL = "https://publicsuffix.org/list/public_suffix_list.dat"


class SuffixListError(Exception):
    """No public-suffix data could be loaded; the message says how to fix it."""


class _SuffixList(Protocol):
    def is_public(self, domain: str, *, accept_unknown: bool | None = None) -> bool: ...

    def privatesuffix(self, domain: str) -> str | None: ...


@lru_cache(maxsize=4)
def load(path: str | None = None) -> _SuffixList:
    """The list shipped with ``publicsuffixlist``, or the one in ``path``."""
    try:
        from publicsuffixlist import PublicSuffixList  # type: ignore[import-not-found,unused-ignore]  # noqa: PLC0415
    except ImportError as exc:  # a broken install; the package is a dependency
        raise SuffixListError(
            f"the publicsuffixlist package cannot be imported ({exc}); reinstall corsguard with its dependencies"
        ) from None
    if path is None:
        suffix_list: _SuffixList = PublicSuffixList()
    else:
        try:
            with open(path, "rb") as source:
                suffix_list = PublicSuffixList(source)
        except OSError as exc:
            raise SuffixListError(f"cannot read {path!r}: {exc.strerror or exc}") from None
    # A file that parsed but holds no rules would make every domain private.
    if not suffix_list.is_public("com", accept_unknown=False):
        raise SuffixListError(f"{path!r} holds no public-suffix rules (is it the list from {LIST_URL}?)")
    return suffix_list


def is_public_suffix(domain: str, path: str | None = None) -> bool:
    """True when anyone can register a name directly under ``domain``.

    ``localhost`` is not one: it is the developer's own machine. Raises
    ``SuffixListError`` when the list cannot be loaded.
    """
    domain = domain.rstrip(".")
    if domain == "localhost" or domain.endswith(".localhost"):
        return False
    return bool(load(path).is_public(domain))


def registrable_domain(host: str, path: str | None = None) -> str:
    """The site of ``host`` as browsers see it for cookies: its registrable
    domain (``api.example.co.uk`` -> ``example.co.uk``); the host itself for
    IP addresses, ``localhost`` and names on a public suffix."""
    host = host.lower().rstrip(".")
    if host.startswith("[") or host.replace(".", "").isdigit() or "." not in host:
        return host
    return str(load(path).privatesuffix(host) or host)


@lru_cache(maxsize=256)
def suffixes_under(domain: str, path: str | None = None) -> tuple[str, ...]:
    """The public suffixes strictly below ``domain`` (``s3.amazonaws.com``
    under ``amazonaws.com``), fewest labels and shortest first. A wildcard rule
    ``*.x.domain`` counts as ``x.domain``: every name under it is open.

    ``publicsuffixlist`` has no public call for this, so its rule set is
    read directly; if that ever moves, ``SuffixListError`` makes callers
    refuse rather than assume nothing lies below (B3.6).
    """
    rules = getattr(load(path), "_publicsuffix", None)
    if not isinstance(rules, frozenset):
        raise SuffixListError("this publicsuffixlist version does not expose its rules; pin publicsuffixlist<2")
    tail = "." + domain.rstrip(".").lower()
    found = {rule.removeprefix("*.") for rule in rules if rule.endswith(tail) and not rule.startswith("!")}
    found.discard(domain)
    return tuple(sorted(found, key=lambda rule: (rule.count("."), len(rule), rule)))
