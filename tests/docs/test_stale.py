"""Statements in the docs that code can contradict, checked against the code
(issue 20: the system-checks table lacked E006; the migrate table said a
Max-Age of 0 is omitted)."""

from __future__ import annotations

import re

from corsguard import Kind, Policy, RequestFacts
from tests.docs.blocks import ROOT

DJANGO_PAGE = ROOT / "docs" / "getting-started" / "django.md"


def registered_check_ids() -> set[str]:
    """Every check id the Django app's checks can emit, read from their source."""
    found: set[str] = set()
    for source in (ROOT / "corsguard_django" / "checks").glob("*.py"):
        found |= set(re.findall(r'"([EWI]\d{3})"', source.read_text(encoding="utf-8")))
    return {f"corsguard_django.{number}" for number in found}


def test_the_system_checks_table_lists_every_check_id() -> None:
    ids = registered_check_ids()
    assert len(ids) > 20, ids  # the reading of the source still finds them
    table = DJANGO_PAGE.read_text(encoding="utf-8")
    missing = sorted(number for number in ids if f"| `{number}` |" not in table)
    assert not missing, f"add these to the system checks table of {DJANGO_PAGE.name}: {missing}"


def test_the_migrate_table_says_what_max_age_zero_sends() -> None:
    preflight = RequestFacts("OPTIONS", "https://app.example.com", "GET", None, None, "/")
    decision = Policy(allowed_origins=["https://app.example.com"], max_age=0).evaluate(preflight)
    assert decision.kind is Kind.PREFLIGHT and ("Access-Control-Max-Age", "0") in decision.headers
    row = next(
        line for line in (ROOT / "docs" / "migrating.md").read_text().splitlines() if line.startswith("| `max-age`")
    )
    assert "Access-Control-Max-Age: 0" in row and "omits it when it is 0" not in row
