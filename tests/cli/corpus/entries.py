"""The label: every corpus entry, how it runs, and the finding codes it must
produce (none for a correct configuration)."""

from __future__ import annotations

from dataclasses import dataclass

# The front-end every entry trusts. http:, so that the peers, which build
# their origins from the URL they are given, start from the same origin.
TRUSTED = "http://app.example.com"
HTTPS_TRUSTED = "https://app.example.com"
FIRST_PORT = 18700
# The stacks the issue names, each with a correct entry that must scan clean.
STACKS_REQUIRED = frozenset({"django-cors-headers", "flask-cors", "starlette", "corsguard", "nginx", "express-cors"})


@dataclass(frozen=True)
class Entry:
    name: str
    # "handmade", "django-cors-headers", "flask-cors", "starlette", "corsguard", "corsguard-flask",
    # "express-cors", "nginx"
    stack: str
    variant: str
    holes: frozenset[str]
    trusted: str = TRUSTED
    path: str = "/api/items"

    @property
    def correct(self) -> bool:
        return not self.holes


def _h(name: str, *holes: str, trusted: str = TRUSTED) -> Entry:
    return Entry(f"handmade-{name}", "handmade", name, frozenset(holes), trusted)


def _s(stack: str, variant: str, *holes: str, trusted: str = TRUSTED) -> Entry:
    return Entry(f"{stack}-{variant}", stack, variant, frozenset(holes), trusted)


ENTRIES: tuple[Entry, ...] = (
    # Hand-made holes.
    _h("reflect-any", "origin-reflected", "null-trusted", "vary-origin-missing"),
    _h("null-allowed", "null-trusted"),
    _h("ends-with", "pre-domain-bypass", "any-subdomain-trusted"),
    _h("starts-with", "post-domain-bypass", "special-character-bypass"),
    _h("unescaped-dot", "unescaped-dot-bypass"),
    _h("host-in", "substring-bypass"),
    _h("denylist-dot", "special-character-bypass"),
    _h("subdomains", "any-subdomain-trusted"),
    _h("github-pages", "third-party-origin-trusted"),
    _h("localhost-allowed", "local-origin-trusted"),
    _h("private-network-allowed", "local-origin-trusted"),
    _h("decoded-origin", "crlf-injection", "origin-reflected"),
    _h("star-credentials", "wildcard-with-credentials", "credentials-refused"),
    _h("two-layers", "duplicate-acao", "wildcard-origin", "credentials-refused"),
    _h("no-vary-cached", "vary-origin-missing-on-refusal"),
    _h("vary-only-when-allowed-cached", "vary-origin-missing-on-refusal"),
    _h("preflight-echoes-anyone", "preflight-approves-crafted-origin"),
    _h("preflight-redirect", "preflight-redirect"),
    _h("preflight-405", "preflight-not-ok"),
    _h("preflight-401", "preflight-not-ok"),
    _h("star-headers", "allow-headers-star-authorization"),
    _h("max-age-year", "max-age-above-caps"),
    _h("no-credentials-header", "credentials-refused"),
    _h("any-scheme", "insecure-origin-trusted", trusted=HTTPS_TRUSTED),
    # Hand-made and correct.
    _h("exact-allowlist"),
    _h("fixed-acao"),
    _h("vary-only-when-allowed-uncached"),
    _h("two-front-ends"),
    _h("no-vary-uncached"),
    _h("exact-allowlist", trusted=HTTPS_TRUSTED),
    # The real middlewares.
    _s("django-cors-headers", "correct"),
    _s("django-cors-headers", "allow-all", "origin-reflected", "null-trusted"),
    _s("django-cors-headers", "regex-unanchored", "pre-domain-bypass", "any-subdomain-trusted"),
    _s("flask-cors", "correct"),
    _s("flask-cors", "default-credentials", "origin-reflected", "null-trusted"),
    _s("flask-cors", "regex-prefix", "post-domain-bypass", "special-character-bypass"),
    _s("starlette", "correct"),
    # Starlette 1.x answers allow_origins=['*'] with credentials by echoing the Origin.
    _s("starlette", "star-credentials", "origin-reflected", "null-trusted"),
    _s("starlette", "regex-unescaped", "unescaped-dot-bypass"),
    _s("express-cors", "correct"),
    _s("express-cors", "origin-true", "origin-reflected", "null-trusted"),
    _s("express-cors", "regex-unanchored", "pre-domain-bypass", "any-subdomain-trusted"),
    _s("nginx", "map-allowlist"),
    _s("nginx", "echo-origin", "origin-reflected", "null-trusted", "vary-origin-missing"),
    # corsguard refuses an http: origin with credentials at start-up: its front-end is https:.
    _s("corsguard", "correct", trusted=HTTPS_TRUSTED),
    _s("corsguard-flask", "correct", trusted=HTTPS_TRUSTED),
)  # fmt: skip


def by_name() -> dict[str, Entry]:
    names = [entry.name + ("-https" if entry.trusted == HTTPS_TRUSTED else "") for entry in ENTRIES]
    assert len(set(names)) == len(names), "entry names are unique"
    return dict(zip(names, ENTRIES, strict=True))


def port(name: str) -> int:
    return FIRST_PORT + list(by_name()).index(name)
