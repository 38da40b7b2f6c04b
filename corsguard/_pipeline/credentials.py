"""The credentialed front-ends, and the API hosts they are cross-site to.

The framework-free half of the credentials-trap checks (Django's W002/W003
in ``corsguard_django.checks``, Flask's in ``corsguard_flask.cookies``):
which origins send cookies, and whether a browser treats them as another
site than the API, so that it keeps ``SameSite=Lax`` cookies back. Each
framework says where its API is served (Django's ``ALLOWED_HOSTS``,
Flask's ``SERVER_NAME``) and words the warning in its own settings.

Origins are written two ways: entries (``https://app.example.com``,
``https://*.example.com``) and ``ORIGIN_REGEXES``. A regex accepted with
credentials has a literal scheme and literal host tails (B12.3, proved by
``corsguard._engine.patterns.proofs``), so its hosts are known as well as an
entry's: ``https://[a-z]+\\.example\\.com`` stands for ``https://*.example.com``.
"Site" is the registrable domain, as browsers use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from corsguard._engine import suffixes
from corsguard._engine.entries import Entry, parse_entry
from corsguard._engine.grammar import is_ip_host, is_loopback_host
from corsguard._engine.patterns import SafePattern, compile_pattern
from corsguard._engine.patterns.proofs import domain_of, shape
from corsguard._engine.policy import Policy

NO_SAME_SITE = "no SameSite attribute, which browsers treat as Lax"


@dataclass(frozen=True)
class Front:
    """A credentialed front-end as the user wrote it, and the entry that
    stands for its hosts (the entry itself, or a regex's literal tail)."""

    written: str
    entry: Entry
    regex: bool = False

    @property
    def shown(self) -> str:
        if not self.regex:
            return repr(self.written)
        # As the user wrote it in Python: a raw string, backslashes single.
        written = f"r'{self.written}'" if "'" not in self.written else repr(self.written)
        return f"ORIGIN_REGEXES {written} (hosts {self.entry.text!r})"


def credentialed_fronts(policies: Iterable[Policy]) -> list[Front]:
    """Configured origins, patterns and regexes of every policy with credentials."""
    found: dict[tuple[str, str], Front] = {}
    for policy in policies:
        for front in _fronts(policy):
            found.setdefault((front.written, front.entry.text), front)
    return list(found.values())


def _fronts(policy: Policy) -> Iterator[Front]:
    if not policy.settings.allow_credentials:
        return
    for origin in policy.settings.allowed_origins:
        entry = parse_entry(origin)
        if isinstance(entry, Entry) and entry.scheme:
            yield Front(origin, entry)
    for source in policy.settings.origin_regexes:
        compiled = compile_pattern(source)
        if isinstance(compiled, SafePattern):
            for entry in regex_entries(compiled):
                yield Front(compiled.pattern, entry, regex=True)


def regex_entries(pattern: SafePattern) -> list[Entry]:
    """The entries a regex's matches fall under: a whole literal host as
    itself, an open one as ``scheme://*.domain``; none when the scheme or a
    tail is not literal (credentials refuse such a regex at start-up)."""
    found = shape(pattern)
    if found.scheme is None:
        return []
    entries: dict[str, Entry] = {}
    for tail in found.tails:
        domain = tail.text if tail.whole else domain_of(tail)
        if not domain:
            continue
        text = f"{found.scheme}://{domain}" if tail.whole else f"{found.scheme}://*.{domain}"
        entry = parse_entry(text)
        if isinstance(entry, Entry):
            entries.setdefault(text, entry)
    return list(entries.values())


def cross_site_hosts(entry: Entry, hosts: list[str]) -> list[str]:
    """The API hosts ``entry``'s pages are cross-site to.

    A front-end on a public name is judged against the public names (a page
    on ``app.example.com`` does not call the API on ``localhost`` or a
    health-check address), or against every host when the API has no
    public name (it is reached by address). A loopback front-end is judged
    against the loopback names, and is same-site when one of them is.
    """
    own = site(entry.host)
    if entry.is_loopback:
        local = [host for host in hosts if is_loopback_host(host)]
        return [] if any(site(host) == own for host in local) else local
    public = [host for host in hosts if "." in host and not is_ip_host(host) and not is_loopback_host(host)]
    return [host for host in public or hosts if site(host) != own]


def site(host: str) -> str:
    """The registrable domain of ``host``, from the core's one copy of the
    Public Suffix List; the host itself if the list cannot be loaded."""
    try:
        return suffixes.registrable_domain(host)
    except suffixes.SuffixListError:
        return host.lower().rstrip(".")


def same_site_described(value: object) -> str:
    """A SameSite setting's value as the warnings show it."""
    return repr(value) if value else f"{value!r} ({NO_SAME_SITE})"


def listed(values: list[str]) -> str:
    """Up to three already-quoted values, then how many more."""
    shown = ", ".join(values[:3])
    return shown + (f" and {len(values) - 3} more" if len(values) > 3 else "")
