"""Validated settings compiled into what ``Policy.evaluate`` reads.

Every header value corsguard will ever send is worked out here, once, so
the hot path does hash lookups, a bounded scan of each new
Access-Control-Request-Headers value and one small list per response.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from corsguard._engine import headers as fields
from corsguard._engine.decision import Decision, Kind
from corsguard._engine.matcher import OriginSet, build
from corsguard._engine.messages import NO_ACAO, PREFLIGHT_PREFIX, REFUSED_BODY
from corsguard._engine.names import (
    ACAC,
    ACAH,
    ACAM,
    ACAO,
    ACEH,
    ACMA,
    ANY,
    VARY_ACTUAL,
    VARY_PREFLIGHT,
    VARY_PREFLIGHT_PNA,
)
from corsguard._engine.validation import Validated

# (ACRM, ACRH, ACRPN): all an allowed preflight's answer depends on besides ACAO.
AnswerKey = tuple[str, str | None, str | None]


@dataclass(frozen=True, slots=True)
class Plan:
    origins: OriginSet
    credentials: bool
    # B5.1: what an allowed actual response gets besides ACAO.
    actual_extra: tuple[tuple[str, str], ...]
    # B4.2: what an allowed preflight answer gets besides ACAO.
    preflight_extra: tuple[tuple[str, str], ...]
    methods_ok: frozenset[str]
    any_method: bool
    headers_ok: frozenset[str]
    any_header: bool
    acrh_bound: int
    private_network: bool
    preflight_status: int
    vary_preflight: tuple[str, ...]
    refused_actual: Decision
    refused_preflight: Decision
    # B11: the one answer every non-preflight response gets, or None.
    public: tuple[tuple[str, str], ...] | None = None
    # Allowed preflight answers already worked out, by (ACRM, ACRH, ACRPN):
    # the lines after ACAO. An answer depends on nothing else, and browsers
    # repeat the same few requests, so the ACRH is parsed once per value,
    # not once per preflight. Bounded (see ``remember``); refusals are never
    # kept, so each is still checked and logged.
    answers: dict[AnswerKey, tuple[tuple[str, str], ...]] = field(default_factory=dict, compare=False, repr=False)

    def remember(self, key: AnswerKey, extra: tuple[tuple[str, str], ...]) -> None:
        """Keep an allowed answer. Keys are at most MAX_REMEMBERED characters
        (``Policy.evaluate`` checks the length before it hashes a key, B1.5),
        and the table is emptied when full: a client sending endless distinct
        lists costs what it would cost without the table, and memory stays
        bounded (at most MAX_ANSWERS such entries)."""
        answers = self.answers
        if len(answers) >= MAX_ANSWERS:
            answers.clear()
        answers[key] = extra


MAX_ANSWERS = 1024
MAX_REMEMBERED = 512


def compile_plan(validated: Validated) -> Plan:
    settings = validated.settings
    credentials = settings.allow_credentials
    any_method = ANY in settings.allow_methods
    any_header = ANY in settings.allow_headers
    vary_preflight = VARY_PREFLIGHT_PNA if settings.allow_private_network else VARY_PREFLIGHT
    return Plan(
        origins=build(
            validated.entries,
            validated.regexes,
            validated.resolver,
            (credentials, settings.dangerously_allow_insecure_origins_with_credentials),
        ),
        credentials=credentials,
        actual_extra=_actual_extra(credentials, settings.expose_headers),
        preflight_extra=_preflight_extra(credentials, settings.allow_methods, settings.allow_headers, settings.max_age),
        methods_ok=frozenset(settings.allow_methods) | fields.SAFELISTED_METHODS,
        any_method=any_method,
        headers_ok=frozenset(settings.allow_headers),
        any_header=any_header,
        acrh_bound=fields.MAX_ANY_ACRH_LENGTH if any_header else fields.acrh_bound(settings.allow_headers),
        private_network=settings.allow_private_network,
        preflight_status=settings.preflight_status,
        vary_preflight=vary_preflight,
        refused_actual=Decision(Kind.ACTUAL, False, (), VARY_ACTUAL, reason=NO_ACAO, detail="origin not allowed"),
        refused_preflight=Decision(
            Kind.PREFLIGHT,
            False,
            (),
            vary_preflight,
            status=403,
            body=REFUSED_BODY,
            reason=PREFLIGHT_PREFIX + NO_ACAO,
            detail="origin not allowed",
        ),
        public=((ACAO, ANY), *_actual_extra(credentials, settings.expose_headers))
        if settings.public_resource
        else None,
    )


def _actual_extra(credentials: bool, exposed: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    extra = []
    if credentials:
        extra.append((ACAC, "true"))
    if exposed:
        extra.append((ACEH, ", ".join(exposed)))
    return tuple(extra)


def _preflight_extra(
    credentials: bool, methods: tuple[str, ...], request_headers: tuple[str, ...], max_age: int | None
) -> tuple[tuple[str, str], ...]:
    """B4.2: everything allowed is listed, so one preflight caches it all.
    With credentials Fetch reads '*' literally, so wildcards are answered by
    reflecting the (validated) request instead, per request."""
    extra = []
    if credentials:
        extra.append((ACAC, "true"))
    if ANY not in methods:
        extra.append((ACAM, ", ".join(methods)))
    elif not credentials:
        extra.append((ACAM, ANY))
    if ANY not in request_headers:
        if request_headers:
            extra.append((ACAH, ", ".join(request_headers)))
    elif not credentials:
        # Fetch: '*' never covers Authorization, so it is named as well (B8).
        extra.append((ACAH, "*, authorization"))
    if max_age is not None:
        extra.append((ACMA, str(max_age)))
    return tuple(extra)
