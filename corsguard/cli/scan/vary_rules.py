"""``Vary: Origin``, reported only where the scan saw it matter (B15).

A response needs ``Vary: Origin`` when its CORS headers depend on Origin
(Fetch, "CORS protocol and HTTP caches"). The scan does not guess that
dependence from one answer: it compares the answers to its GET probes, and
only when two of them carry different CORS headers is the URL
origin-dependent. An endpoint that sends one fixed ACAO to every caller
reflects nothing, and no cache can hand one origin's answer to another.

- ``vary-origin-missing`` (medium, cache poisoning): the answers name
  different origins in ACAO (a reflection, or several allowed origins) and
  one of them lacks Vary: an attacker's request fills a cache with an answer
  tailored to the attacker's origin, handed to everyone after. The evidence
  is that answer and one that differs from it.
- ``vary-origin-missing-on-refusal`` (low, the front-end's requests fail):
  only one origin is ever named (an allowed front-end, refusals for the
  rest), an answer lacks Vary, and that answer is one a shared cache stores
  (caching headers on it): a cached refusal is handed to the front-end.
  Without caching headers no shared cache keeps it, so nothing breaks;
  flask-cors with one origin, as its documentation sets it, is such a case.
"""

from __future__ import annotations

from collections.abc import Sequence

from corsguard._engine import headers
from corsguard._engine.names import ACAO, CORS_PREFIX, VARY, VARY_ACTUAL
from corsguard.cli.scan.findings import Finding, finding
from corsguard.cli.scan.probed import Probed, first


def cors_view(item: Probed) -> tuple[tuple[str, str], ...]:
    """The CORS header lines of an answer, names lower-cased, in order."""
    received = item.received
    if received is None:
        return ()
    return tuple((name.lower(), value) for name, value in received.headers if name.lower().startswith(CORS_PREFIX))


def unvaried(item: Probed) -> bool:
    lines = item.received.lines(VARY) if item.received else []
    return bool(headers.missing_vary(lines, VARY_ACTUAL))


def cacheable(item: Probed) -> bool:
    """Whether a shared cache may store this answer: explicit freshness
    (public, max-age, s-maxage, Expires), an Age (a cache already holds it),
    or a Last-Modified (heuristic freshness, RFC 9111 4.2.2); never with
    no-store or private."""
    directives = {
        part.strip().split("=", 1)[0].lower(): part.strip().partition("=")[2].strip('"')
        for part in (item.header("Cache-Control") or "").split(",")
        if part.strip()
    }
    if "no-store" in directives or "private" in directives:
        return False
    for name in ("max-age", "s-maxage"):
        value = directives.get(name, "")
        if value.isascii() and value.isdigit() and int(value[:12]) > 0:
            return True
    if "public" in directives and "no-cache" not in directives:
        return True
    return any(item.header(name) is not None for name in ("Expires", "Age", "Last-Modified"))


def vary(answered: Sequence[Probed]) -> list[Finding]:
    gets = [item for item in answered if item.planned.method == "GET"]
    views = {cors_view(item) for item in gets}
    if len(views) < 2:
        return []  # every caller got the same CORS headers: nothing depends on Origin
    named = [item for item in gets if item.header(ACAO) not in (None, "*")]
    if not named:
        return []
    hit = first(named, unvaried)
    if hit is not None and len({item.header(ACAO) for item in named}) > 1:
        other = first(named, lambda item: item.header(ACAO) != hit.header(ACAO))
        proof = [hit.evidence()] + ([other.evidence()] if other else [])
        return [finding("vary-origin-missing", proof, hit.credentialed)]
    stored = first(gets, lambda item: unvaried(item) and cacheable(item))
    if stored is None:
        return []
    other = first(gets, lambda item: cors_view(item) != cors_view(stored))
    proof = [stored.evidence()] + ([other.evidence()] if other else [])
    return [finding("vary-origin-missing-on-refusal", proof, False)]
