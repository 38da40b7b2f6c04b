"""Where CORS applies, and with which policy: path rules (B3.4).

Rules are regular expressions matched with ``fullmatch`` against the path the
framework routes on, case-sensitively, in declaration order; the first match
wins. Each of those choices closes a flask-cors advisory: rules sorted by
length (CVE-2024-6839), matched case-insensitively (CVE-2024-6866), or
matched on a differently decoded path (CVE-2024-6844, CVE-2020-25032).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeGuard, Union

from corsguard._engine.decision import OFF, Decision
from corsguard._engine.errors import PolicyError, Problem
from corsguard._engine.facts import RequestFacts
from corsguard._engine.patterns import PatternFault, SafePattern, compile_pattern
from corsguard._engine.policy import Policy
from corsguard._engine.settings import ADAPTER_KEYS
from corsguard._engine.sources import PREFIX, arguments_from_mapping, with_environment

# What a rule maps to: overrides of the base settings (upper-case names), a
# ready Policy, or None to switch CORS off for the matching paths.
RuleTarget = Union[Mapping[str, object], Policy, None]
RuleSpec = Union[Mapping[str, RuleTarget], Iterable[tuple[str, RuleTarget]]]
Rule = tuple[SafePattern, Union[Policy, None]]


class PathRules:
    """A base policy plus ordered path rules, compiled once.

    ``rules=None`` applies ``policy`` everywhere. With rules, a path that no
    rule matches gets no CORS at all; end the list with ``(".*", {})`` to
    fall back to the base policy.
    """

    __slots__ = ("_policy", "_rules")

    def __init__(self, policy: Policy, rules: RuleSpec | None = None) -> None:
        problems: list[Problem] = []
        compiled: list[Rule] = []
        if rules is not None:
            items = list(rules.items()) if isinstance(rules, Mapping) else list(rules)
            for index, item in enumerate(items):
                entry = _compile_rule(index, item, policy, problems)
                if entry is not None:
                    compiled.append(entry)
        if problems:
            raise PolicyError(problems)
        self._policy = policy
        self._rules: tuple[Rule, ...] | None = None if rules is None else tuple(compiled)

    @classmethod
    def from_mapping(
        cls, mapping: Mapping[str, object], *, env: Mapping[str, str] | None = None, env_prefix: str = PREFIX
    ) -> PathRules:
        """Settings plus an optional ``PATHS`` entry, every problem reported at once."""
        problems: list[Problem] = []
        merged = with_environment(mapping, env, problems, env_prefix)
        paths = merged.get("PATHS")
        arguments = arguments_from_mapping(merged, problems, allow=ADAPTER_KEYS)
        if paths is not None and not isinstance(paths, (Mapping, list, tuple)):
            problems.append(
                Problem(
                    "PATHS", paths, "must be a dict or a list of (pattern, settings) pairs.", "write {r'/api/.*': {}}."
                )
            )
            paths = None
        try:
            policy = Policy._build(arguments, [])
        except PolicyError as error:
            # B2.1: the rules' own patterns are still checked, so every
            # problem is listed at once.
            raise PolicyError([*problems, *error.problems, *_pattern_problems(paths)]) from None
        try:
            rules = cls(policy, paths)
        except PolicyError as error:
            raise PolicyError([*problems, *error.problems]) from None
        if problems:
            raise PolicyError(problems)
        return rules

    @classmethod
    def from_env(cls, prefix: str = PREFIX, environ: Mapping[str, str] | None = None) -> PathRules:
        return cls.from_mapping({}, env=os.environ if environ is None else environ, env_prefix=prefix)

    @property
    def policy(self) -> Policy:
        return self._policy

    @property
    def rules(self) -> tuple[tuple[str, Policy | None], ...]:
        """The compiled rules as (pattern, policy or None), in order."""
        return tuple((pattern.pattern, policy) for pattern, policy in self._rules or ())

    @property
    def uniform(self) -> Policy | None:
        """The policy of every path when there are no path rules, else None."""
        return self._policy if self._rules is None else None

    def policies(self) -> list[Policy]:
        """Every distinct policy the rules can apply, the base first."""
        found = [self._policy]
        for _, policy in self._rules or ():
            if policy is not None and all(policy is not seen for seen in found):
                found.append(policy)
        return found

    def policy_for(self, path: str) -> Policy | None:
        """The policy governing ``path``, or None where CORS is off."""
        if self._rules is None:
            return self._policy
        for pattern, policy in self._rules:
            if pattern.fullmatch(path) is not None:
                return policy
        return None

    def evaluate(self, facts: RequestFacts) -> Decision:
        """``Policy.evaluate`` with the policy chosen by ``facts.path``."""
        policy = self.policy_for(facts.path)
        return OFF if policy is None else policy.evaluate(facts)


def _pattern_problems(rules: RuleSpec | None) -> list[Problem]:
    """The problems of the rules' patterns alone, for when no base policy could be built."""
    problems: list[Problem] = []
    if rules is None:
        return problems
    for index, item in enumerate(rules.items() if isinstance(rules, Mapping) else rules):
        if _is_pair(item):
            _compile_pattern(f"PATHS[{item[0]!r}]", str(item[0]), problems)
        else:
            problems.append(
                Problem(f"PATHS[{index}]", item, "must be a (pattern, settings) pair.", "write (r'/api/.*', {}).")
            )
    return problems


def _is_pair(item: object) -> TypeGuard[Sequence[object]]:
    """A (pattern, target) pair; a two-item list too, as JSON and TOML write it."""
    return isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[0], str)


def _compile_rule(index: int, item: object, base: Policy, problems: list[Problem]) -> Rule | None:
    if not _is_pair(item):
        problems.append(
            Problem(f"PATHS[{index}]", item, "must be a (pattern, settings) pair.", "write (r'/api/.*', {}).")
        )
        return None
    source, target = str(item[0]), item[1]
    setting = f"PATHS[{source!r}]"
    pattern = _compile_pattern(setting, source, problems)
    policy: Policy | None = None
    if isinstance(target, Policy):
        policy = target
    elif isinstance(target, Mapping):
        try:
            policy = base.with_mapping(target)
        except PolicyError as error:
            problems.extend(problem.within(setting) for problem in error.problems)
            return None
    elif target is not None and target is not False:
        problems.append(
            Problem(
                setting,
                target,
                "must be a dict of settings, a Policy, or None to switch CORS off.",
                "write {} to use the base settings.",
            )
        )
        return None
    return None if pattern is None else (pattern, policy)


def _compile_pattern(setting: str, source: str, problems: list[Problem]) -> SafePattern | None:
    if source.endswith("/*") and not source.endswith(".*") and not source.endswith("\\*"):
        # A glob written as a regex: '/api/*' only matches '/api' and '/api//'.
        problems.append(
            Problem(
                setting,
                source,
                "looks like a glob, but path rules are regular expressions matched against the whole path.",
                f"write {source[:-1] + '.*'!r}.",
            )
        )
        return None
    compiled = compile_pattern(source)
    if isinstance(compiled, PatternFault):
        # B12.4: refused at start-up, with the construct and the rewrite.
        hint = compiled.hint if "compile" not in compiled.message else "write a regular expression, e.g. r'/api/.*'."
        problems.append(Problem(setting, source, compiled.message, hint))
        return None
    return compiled
