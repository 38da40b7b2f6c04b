"""Local Network Access: where a request goes, and whether Chromium asks the user first.

Since Chromium 142 a page served from a public address that calls a local
or loopback address gets no Private Network Access preflight any more: the
request waits for the user's permission, and a page that is not a secure
context cannot ask for it at all. The address spaces below are Chromium's
(the WICG Local Network Access draft): loopback, local, public; a page's
space is that of the address it was served from, a request's that of the
address it connects to. A local page calling loopback is not restricted.
"""

from __future__ import annotations

import concurrent.futures
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

LOOPBACK = "loopback"
LOCAL = "local"
PUBLIC = "public"
# A host name that does not resolve here; Chromium treats an unknown space as public.
UNKNOWN = "unknown"
SPACES = (LOOPBACK, LOCAL, PUBLIC)

# First match wins; everything else is public.
_NON_PUBLIC: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...] = tuple(
    (ipaddress.ip_network(network), space)
    for network, space in (
        ("::1/128", LOOPBACK),
        ("fc00::/7", LOCAL),  # unique local
        ("fe80::/10", LOCAL),  # link-local
        ("127.0.0.0/8", LOOPBACK),
        ("10.0.0.0/8", LOCAL),  # RFC 1918
        ("172.16.0.0/12", LOCAL),
        ("192.168.0.0/16", LOCAL),
        ("169.254.0.0/16", LOCAL),  # link-local
        ("0.0.0.0/32", LOOPBACK),
        ("0.0.0.0/8", LOCAL),
        ("::/128", LOOPBACK),
        ("100.64.0.0/10", LOCAL),  # carrier-grade NAT
        ("2001:db8::/32", LOCAL),  # documentation
        ("3fff::/20", LOCAL),
        ("fec0::/10", LOCAL),  # site-local
    )
)
_RESOLVE_TIMEOUT = 2.0


def address_space(address: str) -> str:
    """The space of an IP address (IPv4-mapped IPv6 as its IPv4 address)."""
    ip = ipaddress.ip_address(address.strip("[]").split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for network, space in _NON_PUBLIC:
        if ip.version == network.version and ip in network:
            return space
    return PUBLIC


@dataclass(frozen=True)
class Place:
    """Where a host is, as seen from this machine."""

    host: str
    space: str
    addresses: tuple[str, ...] = ()
    # Whether the space was found by asking DNS (a name, not an IP literal or localhost).
    resolved: bool = False


def locate(host: str) -> Place:
    """``localhost`` and ``*.localhost`` are loopback without asking DNS
    (browsers never ask it); IP literals are classified as written; other
    names are resolved here, which is where a browser on this machine
    would connect."""
    name = host.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return Place(host, LOOPBACK)
    try:
        return Place(host, address_space(name), (name.strip("[]"),))
    except ValueError:
        pass
    addresses = _resolve(name)
    if not addresses:
        return Place(host, LOCAL if name.endswith(".local") else UNKNOWN, resolved=True)
    return Place(host, address_space(addresses[0]), addresses, resolved=True)


def _resolve(name: str) -> tuple[str, ...]:
    """The host's addresses, in the resolver's order; () when it does not
    resolve in time (a stuck resolver must not hang the command)."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    future = pool.submit(socket.getaddrinfo, name, None, type=socket.SOCK_STREAM)
    try:
        found = future.result(timeout=_RESOLVE_TIMEOUT)
    except (OSError, UnicodeError, concurrent.futures.TimeoutError):
        return ()
    finally:
        pool.shutdown(wait=False)
    return tuple(dict.fromkeys(str(info[4][0]) for info in found))


def secure_context(origin: str) -> bool:
    """Whether a page at ``origin`` is a secure context: https, or http on a
    loopback host written as such (a "potentially trustworthy" origin)."""
    parts = urlsplit(origin)
    if parts.scheme in ("https", "wss"):
        return True
    host = (parts.hostname or "").lower()
    if parts.scheme != "http" or not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return address_space(host) == LOOPBACK
    except ValueError:
        return False


def restricted(page: str, target: str) -> bool:
    """Chromium 142+: only a public (or unknown) page calling a local or
    loopback address is a local network request; local and loopback count
    as one space."""
    return page in (PUBLIC, UNKNOWN) and target in (LOCAL, LOOPBACK)


def insecure_detail(target: str) -> str:
    """Chromium's console detail when the page is not a secure context."""
    return f"The request client is not a secure context and the resource is in more-private address space `{target}`."


def denied_detail(target: str) -> str:
    """Chromium's console detail when the user refused local network access."""
    return f"Permission was denied for this request to access the `{target}` address space."


@dataclass(frozen=True)
class LocalNetworkAccess:
    """What Local Network Access means for one fetch()."""

    page: Place
    target: Place
    # The page's space was given (--page-space), not found by DNS.
    page_given: bool
    secure: bool

    @property
    def applies(self) -> bool:
        return restricted(self.page.space, self.target.space)

    @property
    def certain(self) -> bool:
        """Whether the page is known to be public (not merely unresolvable here)."""
        return self.applies and self.page.space == PUBLIC

    @property
    def blocked_detail(self) -> str:
        """The console detail when Chromium refuses it: always for an
        insecure page, after a refused prompt for a secure one."""
        return denied_detail(self.target.space) if self.secure else insecure_detail(self.target.space)

    @property
    def why_resolved(self) -> str:
        """Why the page's host was looked up in DNS, or "" when it was not."""
        page = self.page
        if not page.resolved:
            return ""
        found = ", ".join(page.addresses) or "no answer here"
        return (
            f"DNS: looked up the Origin's host {page.host} ({found}) because Local Network Access depends on the "
            "address space the page is served from; --page-space public|local|loopback skips the lookup."
        )

    def as_json(self) -> dict[str, object]:
        return {
            "page_space": self.page.space,
            "page_addresses": list(self.page.addresses),
            "page_space_given": self.page_given,
            "page_resolved": self.page.resolved,
            "target_space": self.target.space,
            "target_addresses": list(self.target.addresses),
            "applies": self.applies,
            "secure_context": self.secure,
            "blocked_detail": self.blocked_detail if self.applies else "",
        }


def assess(origin: str, url: str, page_space: str | None = None) -> LocalNetworkAccess:
    """Local Network Access for a page at ``origin`` fetching ``url``."""
    page_host = urlsplit(origin).hostname or ""
    page = Place(page_host, page_space) if page_space else locate(page_host) if page_host else Place("", UNKNOWN)
    target = locate(urlsplit(url).hostname or "")
    return LocalNetworkAccess(page, target, page_space is not None, secure_context(origin))
