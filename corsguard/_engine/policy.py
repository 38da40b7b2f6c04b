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

from corsguard._engine.decision import Decision
from corsguard._engine.errors import PolicyError, Problem
from corsguard._engine.evaluation import evaluate
from corsguard._engine.facts import RequestFacts
from corsguard._engine.grammar import malformation
from corsguard._engine.names import DEFAULT_HEADERS, DEFAULT_METHODS, NULL
from corsguard._engine.plan import Plan, compile_plan
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
        """Classify a request (B3) and decide its CORS headers (B4, B5):
        ``corsguard._engine.evaluation``, on this policy's compiled plan."""
        return evaluate(self._plan, facts, self)


def suggest(name: str) -> str:
    """The closest ``Policy`` argument to ``name``, or the list of them."""
    close = difflib.get_close_matches(name.lower(), sorted(DEFAULTS), n=1, cutoff=0.75)
    return f"did you mean {close[0]!r}?" if close else f"known arguments: {', '.join(sorted(DEFAULTS))}."
