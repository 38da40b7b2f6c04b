"""The README's figure for ``corsguard migrate``: ``python -m tests.migrate.figure``.

Every corpus entry is migrated; each that exits 0 is replayed through the
peer and corsguard (``tests.migrate.contract``). Printed: how many exit 0,
how many need a decision (exit 1, each TODO coded), how many headers a
browser sees differently, how many of those a report line explains, and how
many entries break the contract (the target is 0).
"""

from __future__ import annotations

import os
import sys
from collections import Counter

from corsguard.cli.migrate.report import CODES
from tests.migrate import contract
from tests.migrate.outcomes import Outcome, every


def broken(outcome: Outcome) -> list[str]:
    """Why an entry breaks the contract ([] when it holds)."""
    migration, reasons = outcome.migration, []
    if outcome.exit_code != (0 if outcome.entry.expect == "same" else 1):
        reasons.append(f"exit {outcome.exit_code}, the corpus expects {outcome.entry.expect!r}")
    if migration.problems:
        reasons.append(f"refused without a TODO: {migration.problems}")
    if outcome.exit_code == 1 and not all(item.code in CODES for item in migration.todos):
        reasons.append("a TODO without a code")
    if outcome.replayed is not None:
        reasons += contract.unexplained(outcome.replayed, migration.codes())
    return reasons


def _reason(replayed: contract.Replayed, outcome: Outcome) -> str:
    """The report code that explains why a browser's verdict changed."""
    origin = next((item for item in replayed.differences if item.header == "access-control-allow-origin"), None)
    verdicts = (contract.passes(replayed.peer, replayed.request), contract.passes(replayed.ours, replayed.request))
    for item in replayed.differences:
        codes = (
            contract.explanations(item, origin, verdicts, (replayed.peer, replayed.ours)) & outcome.migration.codes()
        )
        if codes:
            return sorted(codes)[0]
    return "unexplained"


def main() -> int:
    # The Django side runs in the test project, as under pytest.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "testprojects.django_project.settings")
    import django  # noqa: PLC0415

    django.setup()
    outcomes = list(every())
    sources = Counter(source for source, _ in outcomes)
    ready = [outcome for _, outcome in outcomes if outcome.exit_code == 0]
    decide = [outcome for _, outcome in outcomes if outcome.exit_code == 1]
    headers = sum(len(replayed.differences) for outcome in ready for replayed in outcome.replayed or [])
    unexplained = sum(len(contract.unexplained(outcome.replayed or [], outcome.migration.codes())) for outcome in ready)
    failing = {outcome.entry.name: broken(outcome) for _, outcome in outcomes if broken(outcome)}
    todo_codes = Counter(item.code for outcome in decide for item in outcome.migration.todos)
    print(f"corpus: {len(outcomes)} real configurations ({', '.join(f'{n} {s}' for s, n in sources.items())})")
    print(f"exit 0, replayed and equivalent or explained: {len(ready)}")
    print(f"exit 1, a decision needed (TODO): {len(decide)}  [{', '.join(f'{c} {n}' for c, n in todo_codes.items())}]")
    print(f"headers a browser sees differently (exit 0 entries): {headers}; explained by a coded line: "
          f"{headers - unexplained}; unexplained: {unexplained}")  # fmt: skip
    changed = Counter(
        _reason(replayed, outcome)
        for outcome in ready
        for replayed in outcome.replayed or []
        if contract.passes(replayed.peer, replayed.request) != contract.passes(replayed.ours, replayed.request)
    )
    why = ", ".join(f"{code} {count}" for code, count in changed.most_common())
    print(f"requests whose browser outcome changed: {sum(changed.values())}  [{why}]")
    print(f"entries breaking the contract: {len(failing)}")
    for name, reasons in failing.items():
        print(f"  {name}: {reasons[0]}")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
