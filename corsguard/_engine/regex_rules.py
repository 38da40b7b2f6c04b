"""Which origin regexes are safe to trust, proved for every origin (B12.3).

With credentials on, a regex is accepted only when every origin it can
match is one the entry rules (B2.2, B2.3) would accept written out: a
literal ``https://`` (``http://`` only for literal loopback hosts, or with
the insecure switch), and hosts that end in a literal tail whose domain is
not a public suffix, with no public suffix below it that the regex can
reach with a name of the attacker's choosing. The facts come from
``corsguard._engine.patterns.proofs``; each refusal names an origin the regex
would have let in, and the rewrite.
"""

from __future__ import annotations

from corsguard._engine import suffixes
from corsguard._engine.grammar import canonical_form, malformation
from corsguard._engine.patterns import SafePattern
from corsguard._engine.patterns.proofs import (
    Shape,
    Tail,
    can_be_origin,
    domain_of,
    is_loopback_only,
    reaches_under,
    shape,
    shortest_match,
)

Why = tuple[str, str]  # the message, the fix

_ANCHOR_HINT = (
    r"start it with a literal scheme and end it with your own domain, e.g. r'https://[a-z0-9-]+\.example\.com', "
    "or use a wildcard entry 'https://*.example.com'."
)


def never_an_origin(pattern: SafePattern) -> Why | None:
    """B12.3: a regex no serialized origin can match is never applied
    (regexes only see well-formed origins), so it is refused as a mistake."""
    if can_be_origin(pattern):
        return None
    example = shortest_match(pattern)
    if example is not None and "://" in example:
        # No origin matches, so malformation() names what is wrong with it.
        suggestion = canonical_form(example)
        return (
            f"can never match: browsers send only well-formed origins ('scheme://host[:port]', lower case, no "
            f"path), and what it accepts is not one: {example!r} {malformation(example)}.",
            f"make it accept the form browsers send, e.g. {suggestion!r}."
            if suggestion
            else r"make it accept the form browsers send, e.g. r'https://app\.example\.com'.",
        )
    return (
        "can never match: regexes are only applied to well-formed origins ('scheme://host[:port]').",
        "to allow the 'null' origin list 'null' in ALLOWED_ORIGINS; otherwise write the origin's full form.",
    )


def unsafe_with_credentials(pattern: SafePattern, insecure: bool, suffix_list: str | None) -> Why | None:
    """Why ``pattern`` cannot be trusted with credentials, if it cannot."""
    found = shape(pattern)
    walker = found.walker
    if found.scheme is None:
        example = walker.example("http://", "") or walker.example("", "")
        return (f"does not fix the scheme: it also accepts {example!r}.", _ANCHOR_HINT)
    if found.scheme == "http" and not insecure and not is_loopback_only(found):
        example = walker.example("http://", "")
        return (
            f"accepts plain http:// origins such as {example!r} with ALLOW_CREDENTIALS on (B2.2).",
            "use https://, or set DANGEROUSLY_ALLOW_INSECURE_ORIGINS_WITH_CREDENTIALS = True for a trusted network.",
        )
    for tail in found.tails:
        why = _tail_unsafe(found, tail, suffix_list)
        if why is not None:
            return why
    return None


def _tail_unsafe(found: Shape, tail: Tail, suffix_list: str | None) -> Why | None:
    if tail.whole:
        return None
    prefix = f"{found.scheme}://"
    domain = domain_of(tail)
    if not domain:
        example = found.walker.example(prefix, "")
        pinned = f"any host ending in {tail.text!r}" if tail.text else "hosts on any domain"
        return (f"accepts {pinned}, such as {example!r}.", _ANCHOR_HINT)
    try:
        public = suffixes.is_public_suffix(domain, suffix_list)
        below = () if public else suffixes.suffixes_under(domain, suffix_list)
    except suffixes.SuffixListError as exc:
        return (f"cannot be checked against the Public Suffix List: {exc}.", "fix PUBLIC_SUFFIX_LIST.")
    if public and reaches_under(found, tail, domain):
        example = found.walker.example(prefix, "." + domain)
        return (
            f"accepts names anyone can register under the public suffix {domain!r}, such as {example!r}.",
            f"list the exact origins you deploy under {domain!r} (e.g. 'https://myproject.{domain}'): any open "
            "name there can be registered by someone else.",
        )
    for suffix in below:
        if reaches_under(found, tail, suffix):
            example = found.walker.example(prefix, "." + suffix)
            return (
                f"reaches names under {suffix!r}, a public suffix inside {domain!r} where anyone can host a "
                f"page, such as {example!r}.",
                f"list your own hosts under {domain!r} exactly, or anchor the regex on a name you own.",
            )
    return None
