"""``corsguard lint``: a configuration checked without starting a server.

Prints every problem that would stop the server (``PolicyError``), every
lint finding (``corsguard._engine.lint``) of every policy in force (the settings,
each ``PATHS`` rule, each view with its own policy), the framework's own
checks, and for ``--origin``, whether each policy allows it, by which
entry, or why not. Exit 1 on any problem (and with ``--fail-on warning``
on any finding, or when an ``--origin`` is allowed nowhere), so CI can gate
a deploy on it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from corsguard._engine import lint as core_lint
from corsguard._engine import origin_store
from corsguard._engine.policy import Policy
from corsguard.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, plugins
from corsguard.cli.lint import loaders, matching
from corsguard.cli.plugins import Loaded, SourceError


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "lint",
        help="check a CORS configuration without starting a server",
        description="Load a configuration as the server would, print every problem and finding, and say whether "
        "--origin is allowed and by which entry. Exit 0 fine, 1 problems (or findings with --fail-on warning, or an "
        "--origin allowed nowhere), 2 usage error.",
    )
    add_arguments(parser, framework=False)


def add_arguments(parser: argparse.ArgumentParser, *, framework: bool) -> None:
    """The options; ``framework`` for ``manage.py corsguard lint`` and
    ``flask corsguard lint``, where the project itself is the default source."""
    sources = parser.add_argument_group("where the configuration comes from" + (" (default: this project)" * framework))
    sources.add_argument("--env", action="store_true", help="CORSGUARD_* environment variables (over --file if given)")
    sources.add_argument("--file", metavar="PATH", help="a .toml ([corsguard] table or top level) or .json file")
    plugins.add_options(sources)
    parser.add_argument(
        "--origin", action="append", default=[], help="is this origin allowed, and by what? (repeatable)"
    )
    parser.add_argument("--path", help="only the policy that governs this path (PATHS rules)")
    parser.add_argument(
        "--offline",
        action="store_true",
        help="never ask ORIGIN_RESOLVER (it may read your database or Redis): its origins are reported as not asked",
    )
    stage = parser.add_mutually_exclusive_group()
    stage.add_argument("--production", dest="production", action="store_true", default=None, help="production checks")
    stage.add_argument("--development", dest="production", action="store_false", help="skip production-only checks")
    parser.add_argument("--fail-on", choices=("error", "warning"), default="error", help="exit 1 from this level up")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")


def load(args: argparse.Namespace) -> Loaded:
    """The configuration the options name; ``SourceError`` when there is none."""
    registry = plugins.registry()
    given = registry.given(args)
    if len(given) + bool(args.file) > 1:
        raise SourceError(f"give one of --file, {', '.join(registry.flags())}")
    if given:
        return given[0].load(args)
    if args.file:
        return loaders.from_file(args.file, os.environ if args.env else None)
    if args.env:
        return loaders.from_env(os.environ)
    flags = ", ".join(["--env", "--file", *registry.flags()])
    unavailable = "".join(f" ({name} not available: {why})" for name, why in registry.broken)
    raise SourceError(f"say where the configuration is: {flags}{unavailable}")


def policies(loaded: Loaded, path: str | None = None) -> list[tuple[str, Policy | None]]:
    """Every policy in force, labelled as the user wrote it (None: CORS off)."""
    rules = loaded.rules
    if rules is None:
        return []
    if path is not None:
        return [(f"the policy for {path!r}", rules.policy_for(path))]
    if rules.uniform is not None:
        labelled: list[tuple[str, Policy | None]] = [("the settings", rules.uniform)]
    else:
        labelled = [(f"PATHS[{pattern!r}]", policy) for pattern, policy in rules.rules]
    return [*labelled, *loaded.views]


@dataclass
class Report:
    loaded: Loaded
    production: bool
    findings: list[tuple[core_lint.Finding, list[str]]] = field(default_factory=list)
    origins: list[dict[str, Any]] = field(default_factory=list)


def build_report(loaded: Loaded, origins: Sequence[str], path: str | None, production: bool | None) -> Report:
    report = Report(loaded, loaded.production if production is None else production)
    in_force = policies(loaded, path)
    report.findings = [(finding, [loaded.source]) for finding in loaded.findings]
    seen: dict[str, int] = {}
    for label, policy in in_force:
        for finding in core_lint.findings(policy, production=report.production) if policy is not None else []:
            key = str(finding)
            if key in seen:
                report.findings[seen[key]][1].append(label)
            else:
                seen[key] = len(report.findings)
                report.findings.append((finding, [label]))
    report.origins = [_origin_report(origin, in_force) for origin in origins]
    return report


def _origin_report(origin: str, in_force: list[tuple[str, Policy | None]]) -> dict[str, Any]:
    verdicts = []
    for label, policy in in_force:
        if policy is None:
            verdicts.append({"policy": label, "allowed": False, "why_not": "CORS is off here"})
            continue
        allowance = matching.allowing_entry(policy.settings, origin)
        if allowance is not None:
            verdicts.append({"policy": label, "allowed": True, "by": vars(allowance)})
        elif policy.settings.origin_resolver is not None and origin_store.offline():
            why = "not asked: ORIGIN_RESOLVER decides at run time, and --offline keeps lint from reading its store"
            verdicts.append({"policy": label, "allowed": False, "why_not": why})
        elif policy.settings.origin_resolver is not None and policy.allows_origin(origin):
            verdicts.append({"policy": label, "allowed": True, "by": {"setting": "ORIGIN_RESOLVER", "how": "run time"}})
        else:
            near = matching.near_misses(policy.settings, origin)
            verdicts.append({"policy": label, "allowed": False, "why_not": policy.explain_origin(origin), "near": near})
    return {"origin": origin, "allowed_anywhere": any(v["allowed"] for v in verdicts), "policies": verdicts}


def exit_code(report: Report, fail_on: str) -> int:
    errors = len(report.loaded.problems) + sum(note.level == "error" for note in report.loaded.notes)
    warnings = len(report.findings) + sum(note.level == "warning" for note in report.loaded.notes)
    refused = any(not entry["allowed_anywhere"] for entry in report.origins)
    if errors or refused or (fail_on == "warning" and warnings):
        return EXIT_FINDINGS
    return EXIT_OK


def as_text(report: Report) -> str:
    loaded = report.loaded
    stage = "production" if report.production else "development"
    lines = [f"corsguard lint: {loaded.source} ({stage} checks)"]
    if loaded.problems:
        lines.append(f"Problems: {len(loaded.problems)} (the server would refuse to start)")
        lines += [f"  - {problem}" for problem in loaded.problems]
    else:
        labels = [label for label, _ in policies(loaded)]
        lines.append(f"Problems: none. Policies in force: {'; '.join(labels) or 'none'}.")
    lines.append(f"Findings: {len(report.findings)}" if report.findings else "Findings: none.")
    lines += [f"  - {finding} (in {', '.join(where)})" for finding, where in report.findings]
    if loaded.notes:
        # The framework's own checks, under their own heading and count.
        lines.append(f"Framework checks: {len(loaded.notes)}")
    for note in loaded.notes:
        lines.append(f"  - {note.id} ({note.level}): {note.message}" + (f" Hint: {note.hint}" if note.hint else ""))
    resolving = any(policy is not None and policy.settings.origin_resolver for _, policy in policies(loaded))
    if report.origins and resolving:
        lines.append(
            "ORIGIN_RESOLVER: not asked (--offline)."
            if origin_store.offline()
            else "ORIGIN_RESOLVER: asked for each --origin, which reads your database or store (--offline to skip)."
        )
    for entry in report.origins:
        lines += _origin_lines(entry)
    return "\n".join(lines)


def _origin_lines(entry: dict[str, Any]) -> list[str]:
    verdicts = entry["policies"]
    allowed = sum(verdict["allowed"] for verdict in verdicts)
    summary = f"allowed by {allowed} of {len(verdicts)} policies" if allowed else "refused everywhere"
    lines = [f"Origin {entry['origin']!r}: {summary}"]
    for verdict in verdicts:
        if verdict["allowed"]:
            by = verdict["by"]
            shown = f" '{by['entry']}' ({by['how']})" if "entry" in by else f" ({by['how']})"
            lines.append(f"  {verdict['policy']}: allowed by {by['setting']}{shown}")
        else:
            lines.append(f"  {verdict['policy']}: refused: {verdict['why_not']}")
            lines += [f"    near miss: {near}" for near in verdict.get("near", [])]
    return lines


def as_json(report: Report) -> str:
    loaded = report.loaded
    document = {
        "source": loaded.source,
        "production": report.production,
        "policies": [label for label, _ in policies(loaded)],
        "problems": [vars(problem) | {"value": repr(problem.value)} for problem in loaded.problems],
        "findings": [vars(finding) | {"value": repr(finding.value), "in": where} for finding, where in report.findings],
        "framework_checks": [vars(note) for note in loaded.notes],
        "origins": report.origins,
    }
    return json.dumps(document, indent=2)


def run(args: argparse.Namespace) -> int:
    with origin_store.no_reads() if getattr(args, "offline", False) else contextlib.nullcontext():
        try:
            loaded = load(args)
        except SourceError as error:
            print(f"corsguard lint: {error}", file=sys.stderr)
            return EXIT_USAGE
        return run_loaded(loaded, args)


def run_loaded(loaded: Loaded, args: argparse.Namespace) -> int:
    """Report on an already loaded configuration (the framework commands)."""
    if getattr(args, "offline", False) and not origin_store.offline():
        with origin_store.no_reads():
            return run_loaded(loaded, args)
    report = build_report(loaded, args.origin, args.path, args.production)
    print(as_json(report) if args.json else as_text(report))
    return exit_code(report, args.fail_on)
