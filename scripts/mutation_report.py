"""The mutation table of the engine, from mutmut's stored results.

Usage: python scripts/mutation_report.py [--strict] [module ...]
       python scripts/mutation_report.py --strict --only MUTANT ...
       python scripts/mutation_report.py --sample N   (N mutant names, seeded)

Reads ``mutmut results --all true`` (run from the repository root after
``scripts/mutation``), subtracts the mutants argued equivalent in
``mutation/equivalent.toml``, and prints killed/tried/equivalent per module.
Exits 1 when a module keeps fewer than 95% of its non-equivalent mutants
killed, or when a sampled non-equivalent mutant survived (``--strict``), so a
survivor cannot go unnoticed.
"""

from __future__ import annotations

import random
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import tomllib

TARGET = 0.95
ROOT = Path(__file__).resolve().parent.parent
PREFIX = "corsguard._engine."
# The modules CI samples: those whose full run meets the target
# (docs/mutation.md). A module joins once its rule tests bring it there.
SAMPLED = (
    "grammar",
    "matcher",
    "allowlist",
    "preflight",
    "response",
    "entries",
    "headers",
    "plan",
    "validation",
    "policy",
    "evaluation",
    "decision",
    "facts",
    "regexes",
    "regex_rules",
)


def equivalents() -> dict[str, str]:
    """Mutant name -> why it is equivalent, from mutation/equivalent.toml."""
    data = tomllib.loads((ROOT / "mutation" / "equivalent.toml").read_text())
    return {row["mutant"]: row["reason"] for row in data.get("equivalent", [])}


def statuses(python: str) -> dict[str, str]:
    """Every mutant mutmut has a result for, with its status."""
    out = subprocess.run(
        [python, "-m", "mutmut", "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    found: dict[str, str] = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and name.startswith(PREFIX):
            found[name] = status
    return found


def module_of(name: str) -> str:
    return name[len(PREFIX) :].split(".", 1)[0]


def sample(count: int, seed: int = 23) -> list[str]:
    """A fixed sample across the SAMPLED modules, the same on every machine
    for the same code: non-equivalent mutants, sorted, then drawn with a
    fixed seed, so CI's verdict does not change from run to run."""
    known = equivalents()
    names = sorted(name for name in statuses(sys.executable) if name not in known and module_of(name) in SAMPLED)
    return sorted(random.Random(seed).sample(names, min(count, len(names))))


def main(argv: list[str]) -> int:
    if argv[:1] == ["--sample"]:
        print("\n".join(sample(int(argv[1]))))
        return 0
    strict = "--strict" in argv
    only = set(argv[argv.index("--only") + 1 :]) if "--only" in argv else None
    wanted = [] if only is not None else [arg for arg in argv if not arg.startswith("--")]
    known = equivalents()
    rows: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    survivors: list[str] = []
    for name, status in statuses(sys.executable).items():
        module = module_of(name)
        skipped = (wanted and module not in wanted) or (only is not None and name not in only)
        if skipped or status == "not checked":
            continue
        row = rows[module]
        row["tried"] += 1
        # A mutant that makes the tests hang is caught too: the run fails.
        if status in ("killed", "timeout"):
            row["killed"] += 1
        elif name in known:
            row["equivalent"] += 1
        else:
            row["survived"] += 1
            survivors.append(f"{name}: {status}")
    failed = False
    print("| module | killed | tried | equivalent | killed of non-equivalent |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for module in sorted(rows, key=lambda m: (wanted.index(m) if m in wanted else 99, m)):
        row = rows[module]
        real = row["tried"] - row["equivalent"]
        share = row["killed"] / real if real else 1.0
        mark = "" if share >= TARGET else " (missed)"
        failed = failed or share < TARGET
        print(f"| {module} | {row['killed']} | {row['tried']} | {row['equivalent']} | {share:.1%}{mark} |")
    for line in survivors:
        print("survived:", line)
    return 1 if failed or (strict and survivors) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
