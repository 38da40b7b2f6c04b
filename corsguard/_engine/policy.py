"""The policy engine: a configuration compiled once, consulted per request.

``Policy(...)`` validates its settings (``corsguard._engine.validation``), compiles
them (``corsguard._engine.plan``) and then only answers ``evaluate(facts)``.
Section numbers (B4.2 ...) refer to docs/behaviour.md; Fetch steps to the
WHATWG Fetch standard.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from corsguard._engine import headers as fields
from corsguard._engine import log, preflight
from corsguard._engine.decision import ACTUAL, NOT_CORS, PREFLIGHT, Decision, classify
from corsguard._engine.errors import PolicyError, Problem
from corsguard._engine.facts import RequestFacts
from corsguard._engine.grammar import malformation
from corsguard._engine.messages import NO_ACAO
from corsguard._engine.names import ACAO, DEFAULT_HEADERS, DEFAULT_METHODS, NULL, VARY_ACTUAL
from corsguard._engine.plan import MAX_REMEMBERED, AnswerKey, Plan, compile_plan
from corsguard._engine.settings import DEFAULTS, Settings
from corsguard._engine.sources import PREFIX, arguments_from_mapping, with_environment
from corsguard._engine.validation import validate


class Policy:
    """An immutable CORS policy; build once at start-up, share freely.

    Raises ``PolicyError`` listing every problem when the configuration is
    unsafe or malformed (B2). ``copy`` and ``deepcopy`` return the policy
    itself; ``pickle`` rebuilds it from its settings.
    """

    __slots__ = ("_origins_named", "_plan", "settings")
    settings: Settings
    _plan: Plan
    _origins_named: str

    def __new__(cls, *args: Any, **arguments: Any) -> Policy:
        """A misspelt argument gets a "did you mean", not Python's bare
        ``TypeError`` (the names are the settings' own, B2.4)."""
        unknown = sorted(arguments.keys() - DEFAULTS.keys())
        if unknown:
            raise TypeError(f"Policy() got an unexpected keyword argument {unknown[0]!r}; {suggest(unknown[0])}")
        return super().__new__(cls)

    def __init__(
        self,
        *,
        allowed_origins: Iterable[str | re.Pattern[str]] = (),
        origin_regexes: Iterable[str | re.Pattern[str]] = (),
        allow_credentials: bool = False,
        allow_methods: Iterable[str] = DEFAULT_METHODS,
        allow_headers: Iterable[str] = DEFAULT_HEADERS,
        expose_headers: Iterable[str] = (),
        max_age: int | Any | None = 86400,
        allow_private_network: bool = False,
        preflight_status: int = 204,
        dangerously_allow_insecure_origins_with_credentials: bool = False,
        public_suffix_list: str | None = None,
        origin_resolver: Callable[[str], Any] | str | None = None,
        resolver_ttl: float = 300.0,
        resolver_negative_ttl: float = 30.0,
        resolver_cache_size: int = 4096,
        resolver_calls: int = 100,
        resolver_call_interval: float = 10.0,
        resolver_timeout: float = 2.0,
        public_resource: bool = False,
    ) -> None:
        arguments = dict(locals())
        del arguments["self"]
        validated = validate(arguments)
        object.__setattr__(self, "settings", validated.settings)
        object.__setattr__(self, "_plan", compile_plan(validated))
        object.__setattr__(self, "_origins_named", "ALLOWED_ORIGINS")

    # -- construction from the shared vocabulary ---------------------------

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        return cls(**settings.arguments())

    @classmethod
    def from_mapping(
        cls, mapping: Mapping[str, object], *, env: Mapping[str, str] | None = None, env_prefix: str = PREFIX
    ) -> Policy:
        """A policy from upper-case settings (``{"ALLOWED_ORIGINS": [...]}``).

        With ``env``, ``<env_prefix><SETTING>`` variables override the
        mapping (B2.4), so a deployment can change origins without a code change.
        """
        problems: list[Problem] = []
        merged = with_environment(mapping, env, problems, env_prefix)
        merged.pop("USE_ENVIRONMENT", None)
        return cls._build(arguments_from_mapping(merged, problems), problems)

    @classmethod
    def from_env(cls, prefix: str = PREFIX, environ: Mapping[str, str] | None = None) -> Policy:
        """A policy from environment variables (``CORSGUARD_ALLOWED_ORIGINS=a,b``)."""
        return cls.from_mapping({}, env=os.environ if environ is None else environ, env_prefix=prefix)

    @classmethod
    def _build(cls, arguments: Mapping[str, Any], problems: list[Problem]) -> Policy:
        """A policy from keyword arguments, adding ``problems`` found before."""
        try:
            policy = cls(**{**DEFAULTS, **arguments})
        except PolicyError as error:
            raise PolicyError([*problems, *error.problems]) from None
        if problems:
            raise PolicyError(problems)
        return policy

    def replace(self, **overrides: Any) -> Policy:
        """A new policy: this one's settings with some keyword arguments changed."""
        arguments = self.settings.arguments()
        problems = [
            Problem(name, value, "is not a Policy argument.", suggest(name))
            for name, value in overrides.items()
            if name not in arguments
        ]
        arguments.update((name, value) for name, value in overrides.items() if name in arguments)
        return self._build(arguments, problems)

    def with_mapping(self, overrides: Mapping[str, object]) -> Policy:
        """A new policy: this one's settings with upper-case overrides applied."""
        problems: list[Problem] = []
        return self._build({**self.settings.arguments(), **arguments_from_mapping(overrides, problems)}, problems)

    def naming_origins(self, name: str) -> Policy:
        """This policy, whose refusals call its allowed origins ``name``: a
        framework's per-group policy ("blueprint 'api''s ALLOWED_ORIGINS")
        sends the reader to the list that refused, not to the app's."""
        named: Policy = object.__new__(type(self))
        object.__setattr__(named, "settings", self.settings)
        object.__setattr__(named, "_plan", self._plan)
        object.__setattr__(named, "_origins_named", name)
        return named

    # -- introspection ------------------------------------------------------

    def allows_origin(self, origin: str) -> bool:
        return self._plan.origins.match(origin) is not None

    async def resolve(self, facts: RequestFacts) -> None:
        """For async adapters: ask the origin resolver now, without blocking
        the event loop, so that ``evaluate`` finds its answer cached (B9)."""
        origins = self._plan.origins
        origin = facts.origin
        if origins.resolver is not None and isinstance(origin, str) and origins.pending(origin):
            await origins.resolver.resolve_async(origin)

    def explain_origin(self, origin: str) -> str:
        """Why ``origin`` is refused, for logs and diagnostics ("" if allowed)."""
        origins = self._plan.origins
        if origins.match(origin) is not None:
            return ""
        said = "" if origins.resolver is None else origins.resolver.explain(origin)
        if said:
            return f"the ORIGIN_RESOLVER answered for it: {said}"
        if origin == NULL:
            return (
                "the Origin is 'null' (sandboxed iframe, file: or data: page, or a cross-origin redirect) "
                "and 'null' is not listed"
            )
        why = malformation(origin)
        if why:
            return f"the Origin {why}, so it is never allowed"
        named = self._origins_named
        return (
            f"the Origin is not in {named} and matches no pattern or ORIGIN_REGEXES entry; "
            f"add it to {named} if it is one of your front-ends"
        )

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Policy is immutable; use replace() or with_mapping() to derive a new one")

    def __copy__(self) -> Policy:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Policy:
        return self

    def __reduce__(self) -> tuple[Any, tuple[Settings]]:
        return (Policy.from_settings, (self.settings,))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Policy) and other.settings == self.settings

    def __hash__(self) -> int:
        return hash(self.settings)

    def __repr__(self) -> str:
        return f"Policy({', '.join(f'{name}={value!r}' for name, value in self.settings.changed().items())})"

    # -- the hot path -----------------------------------------------------------

    def evaluate(self, facts: RequestFacts) -> Decision:
        """Classify a request (B3) and decide its CORS headers (B4, B5)."""
        method, origin, acrm, acrh, acrpn, _ = facts
        kind = classify(method, origin, acrm)
        plan = self._plan
        if plan.public is not None and kind is not PREFLIGHT:
            # B11.1: the same answer whatever the Origin, a new list each time.
            return _new(Decision, (kind, True, list(plan.public), (), 0, b"", "", ""))
        if kind is NOT_CORS:
            # B3.1: no Origin, not CORS; Vary still, for caches (B5.4).
            return _NOT_CORS
        assert origin is not None
        acao = plan.origins.match(origin)
        if kind is PREFLIGHT:
            acrm = acrm or ""
            # B1.5: the length comes first; hashing a megabyte costs hundreds
            # of µs, so only short requests are looked up or remembered.
            short = len(acrm) + len(acrh or "") + len(acrpn or "") <= MAX_REMEMBERED
            key = (acrm, acrh, acrpn) if short else None
            if acao is not None and key is not None:
                known = plan.answers.get(key)
                if known is not None:
                    # Allowed before with these very values (see ``Plan.answers``).
                    lines = [(ACAO, acao), *known]
                    status = plan.preflight_status
                    return _new(Decision, (PREFLIGHT, True, lines, plan.vary_preflight, status, b"", "", ""))
            return self._preflight(facts, acao, key)
        if acao is None:
            # B5.2: refused origins get no CORS headers at all.
            log.refusal(facts, log.ORIGIN, NO_ACAO, lambda: self.explain_origin(origin))
            return plan.refused_actual
        return _new(Decision, (ACTUAL, True, [(ACAO, acao), *plan.actual_extra], VARY_ACTUAL, 0, b"", "", ""))

    def _preflight(self, facts: RequestFacts, acao: str | None, key: AnswerKey | None) -> Decision:
        """``key`` is (ACRM, ACRH, ACRPN) when short enough to remember, else None."""
        plan = self._plan
        _, _, acrm, acrh, acrpn, _ = facts
        acrm = acrm or ""
        if acao is None:
            # B4.1: 403, no CORS headers, nothing about the configuration.
            origin = facts.origin or ""
            log.refusal(facts, log.ORIGIN, plan.refused_preflight.reason, lambda: self.explain_origin(origin))
            return plan.refused_preflight
        headers = [(ACAO, acao), *plan.preflight_extra]
        # Each check may add to the answer, so each runs when its input is
        # there; the first refusal, in Fetch's order, is the one reported.
        refusal = None
        if plan.any_method or len(acrm) > fields.MAX_METHOD_LENGTH or acrm not in plan.methods_ok:
            refusal = preflight.method_refusal(plan, acrm, headers)
        if acrh is not None:
            found = preflight.headers_refusal(plan, acrh, headers)
            refusal = refusal or found
        if acrpn is not None:
            found = preflight.private_network_refusal(plan, acrpn, headers)
            refusal = refusal or found
        if refusal is not None:
            category, reason, detail = refusal
            log.refusal(facts, category, reason, detail)
            # B4.3: still answered 2xx with the full lists, so the browser
            # prints the precise method or header message.
            return Decision(
                PREFLIGHT, False, headers, plan.vary_preflight, plan.preflight_status, reason=reason, detail=detail
            )
        if key is not None:
            plan.remember(key, tuple(headers[1:]))
        return _new(Decision, (PREFLIGHT, True, headers, plan.vary_preflight, plan.preflight_status, b"", "", ""))


# NamedTuple's generated __new__ fills defaults in Python; the two allowed
# answers, the hot path, build the tuple directly with every field.
_new = tuple.__new__
_NOT_CORS = Decision(NOT_CORS, True, (), VARY_ACTUAL)


def suggest(name: str) -> str:
    """The closest ``Policy`` argument to ``name``, or the list of them."""
    close = difflib.get_close_matches(name.lower(), sorted(DEFAULTS), n=1, cutoff=0.75)
    return f"did you mean {close[0]!r}?" if close else f"known arguments: {', '.join(sorted(DEFAULTS))}."
