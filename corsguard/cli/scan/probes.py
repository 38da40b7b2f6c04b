"""The requests ``corsguard scan`` sends, as data: one row per probe.

Each crafted origin is built from the trusted origin's scheme, host and
port, the way CORS scanners build theirs (pre- and post-domain, unescaped
dot, special characters, third-party hosts ...), plus loopback and
private-network origins and the crafted origins again as preflights (B15).
The scan sends exactly these, in this order, one request each, and nothing
else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from corsguard._engine import suffixes
from corsguard._engine.names import NULL

# The attacker's own domain: .example is reserved (RFC 2606), nobody owns it.
EVIL = "evil.example"

# CORScanner's special characters (Corsy tries "_" and "%60"): each appended
# to the trusted host before ".evil.example". Browsers send some of them
# (Safari lets "_" and "`" through in a host); a server that checks with
# startswith() or an unanchored regex accepts all of them.
SPECIAL_CHARACTERS = (
    "_", "-", '"', "{", "}", "+", "^", "%60", "!", "~", "`", ";", "|", "&", "'", "(", ")", "*", ",", "$", "=", "%0b",
)  # fmt: skip

# Hosts anyone can publish a page on: trusting one trusts every stranger
# there (CORScanner's origins.json, plus the hosting services of today).
THIRD_PARTY_ORIGINS = (
    "https://corsguard-probe.github.io",
    "https://github.com",
    "https://gitlab.com",
    "https://pastebin.com",
    "http://jsbin.com",
    "https://codepen.io",
    "https://jsfiddle.net",
    "http://corsguard-probe.s3.amazonaws.com",
    "https://corsguard-probe.vercel.app",
    "https://corsguard-probe.netlify.app",
    "https://corsguard-probe.pages.dev",
    "https://corsguard-probe.herokuapp.com",
)

# A CR LF pair as a server that percent-decodes Origin would inject it.
INJECTED_HEADER = "X-Corsguard-Injected"
CRLF_ORIGIN = f"https://{EVIL}%0d%0a{INJECTED_HEADER}:%20crlf"

# The preflight a page sends for fetch(url, {method: "PUT", headers: {Authorization}}).
PREFLIGHT_METHOD = "PUT"
PREFLIGHT_HEADERS = "authorization"
# The crafted preflights also ask for Content-Type: a JSON body is what makes a
# cross-site PUT/DELETE useful to an attacker (and what a JSON API's CSRF
# defence counts on being preflighted).
CRAFTED_PREFLIGHT_HEADERS = "authorization,content-type"

# Pages served from a developer's machine or a private network: trusting one
# in production lets any tool or page running there read the user's data.
LOCAL_ORIGINS = (
    "http://localhost:3000",
    "http://127.0.0.1:8080",
    "http://192.168.1.10",
    "http://10.0.0.8:8000",
)

# The probe sets --probes chooses from; the trusted GET and preflight (the
# baseline every judgement compares with) are always sent.
BASELINE = "baseline"
REFLECTION = "reflection"
PREFLIGHTS = "preflights"
LOCAL = "local"
PROBE_SETS = (REFLECTION, PREFLIGHTS, LOCAL)
# What one URL can cost at most, whatever the trusted origin (tests hold it).
MAX_REQUESTS_PER_URL = 64


@dataclass(frozen=True)
class Trusted:
    """The origin the endpoint is meant to trust, split for crafting."""

    origin: str
    scheme: str
    host: str
    port: str  # ":8443" or ""

    @classmethod
    def parse(cls, origin: str) -> Trusted:
        parts = urlsplit(origin)
        port = f":{parts.port}" if parts.port is not None else ""
        return cls(origin, parts.scheme, (parts.hostname or "").lower(), port)

    def at(self, host: str, scheme: str | None = None) -> str:
        return f"{scheme or self.scheme}://{host}{self.port}"


@dataclass(frozen=True)
class Probe:
    # Stable name, shown with each request and in the README's table.
    name: str
    # "origin": a GET carrying the crafted Origin; "preflight": an OPTIONS.
    kind: str
    # The Origin values, from the trusted origin; several for a family.
    origins: Callable[[Trusted], tuple[str, ...]]
    # Which --probes set sends it.
    group: str = REFLECTION


def _dots_to_x(trusted: Trusted) -> tuple[str, ...]:
    """Corsy replaces the first dot, CORScanner the last: both, when they differ."""
    host = trusted.host
    if "." not in host:
        return ()
    first = host.replace(".", "x", 1)
    cut = host.rfind(".")
    last = host[:cut] + "x" + host[cut + 1 :]
    return tuple(dict.fromkeys(trusted.at(candidate) for candidate in (first, last)))


def _substring(trusted: Trusted) -> tuple[str, ...]:
    """CORScanner's include_match: the registrable domain minus its first letter."""
    domain = suffixes.registrable_domain(trusted.host) if "." in trusted.host else trusted.host
    return (trusted.at(domain[1:]),) if len(domain) > 1 else ()


def _http_twin(trusted: Trusted) -> tuple[str, ...]:
    return (trusted.at(trusted.host, "http"),) if trusted.scheme == "https" else ()


PROBES: tuple[Probe, ...] = (
    Probe("trusted", "origin", lambda t: (t.origin,), BASELINE),
    Probe("arbitrary", "origin", lambda t: (t.at(EVIL),)),
    Probe("null", "origin", lambda t: (NULL,)),
    Probe("pre-domain", "origin", lambda t: (t.at("evil" + t.host),)),
    Probe("post-domain", "origin", lambda t: (t.at(f"{t.host}.{EVIL}"),)),
    Probe("subdomain", "origin", lambda t: (t.at("evil." + t.host),)),
    Probe("unescaped-dot", "origin", _dots_to_x),
    Probe("substring", "origin", _substring),
    Probe("special-characters", "origin", lambda t: tuple(t.at(f"{t.host}{c}.{EVIL}") for c in SPECIAL_CHARACTERS)),
    Probe("http-twin", "origin", _http_twin),
    Probe("third-party", "origin", lambda t: THIRD_PARTY_ORIGINS),
    Probe("crlf", "origin", lambda t: (CRLF_ORIGIN,)),
    Probe("local-network", "origin", lambda t: LOCAL_ORIGINS, LOCAL),
    Probe("preflight", "preflight", lambda t: (t.origin,), BASELINE),
    # B15: the crafted origins again, as the preflight of a credentialed PUT.
    Probe("preflight-arbitrary", "preflight", lambda t: (t.at(EVIL),), PREFLIGHTS),
    Probe("preflight-null", "preflight", lambda t: (NULL,), PREFLIGHTS),
    Probe("preflight-pre-domain", "preflight", lambda t: (t.at("evil" + t.host),), PREFLIGHTS),
    Probe("preflight-post-domain", "preflight", lambda t: (t.at(f"{t.host}.{EVIL}"),), PREFLIGHTS),
    Probe("preflight-http-twin", "preflight", _http_twin, PREFLIGHTS),
    Probe("preflight-third-party", "preflight", lambda t: THIRD_PARTY_ORIGINS[:1], PREFLIGHTS),
    Probe("preflight-local", "preflight", lambda t: LOCAL_ORIGINS[:1], PREFLIGHTS),
)


@dataclass(frozen=True)
class Planned:
    probe: str
    method: str
    origin: str
    headers: tuple[tuple[str, str], ...]


def plan(trusted: Trusted, sets: tuple[str, ...] = PROBE_SETS) -> list[Planned]:
    """Every request the scan sends, in order; an origin sent twice the same way is sent once."""
    planned: list[Planned] = []
    seen: set[tuple[str, str]] = set()
    for probe in PROBES:
        if probe.group != BASELINE and probe.group not in sets:
            continue
        method = "OPTIONS" if probe.kind == "preflight" else "GET"
        for origin in probe.origins(trusted):
            if (method, origin) in seen:
                continue
            seen.add((method, origin))
            planned.append(Planned(probe.name, method, origin, _lines(probe, origin)))
    return planned


def _lines(probe: Probe, origin: str) -> tuple[tuple[str, str], ...]:
    lines: tuple[tuple[str, str], ...] = (("Origin", origin),)
    if probe.kind != "preflight":
        return lines
    asked = PREFLIGHT_HEADERS if probe.group == BASELINE else CRAFTED_PREFLIGHT_HEADERS
    return (*lines, ("Access-Control-Request-Method", PREFLIGHT_METHOD), ("Access-Control-Request-Headers", asked))
