"""The speed page's instruction-count parts: the table, the chart, and the
"≤ 0.5x the peer" target judged on counts as well as on times, for the
pure-Python reference and, when counted, the compiled fast path
(``scripts/compiled.py``; the ``compiled`` variant of ``bench.instructions``).

Counts are exact (callgrind), so on a shared, loaded machine they give the
verdict times cannot: a row's ratio is corsguard's added instructions over
the peer's, on the rows where the peer does the same work (the timed run
decides which rows those are, from the responses both sent).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench import charts
from bench.common import Table
from bench.instructions import added

Counts = dict[str, dict[str, float]]


def table(counts: Counts, python: str = "") -> Table:
    """Every row: instructions the floor, corsguard (and its compiled build) and the peer add over the bare app."""
    compiled = any(added(rows, "compiled") for rows in counts.values())
    builds = ["corsguard", "compiled"] if compiled else ["corsguard"]
    columns = ["floor", *builds, "peer", *(f"{build} / peer" for build in builds)]
    result = Table(
        f"Instructions added per request over the bare app{python} (callgrind; the same on every run)", columns
    )
    for adapter, rows in counts.items():
        floor, peer = added(rows, "floor"), added(rows, "peer")
        ours = {build: added(rows, build) for build in builds}
        for row in ours["corsguard"]:
            cells = [f"{floor[row]:+,.0f}" if row in floor else "—"]
            cells += [f"{ours[build][row]:+,.0f}" if row in ours[build] else "—" for build in builds]
            cells.append(f"{peer[row]:+,.0f}" if row in peer else "—")
            for build in builds:
                value = ours[build].get(row, 0.0)
                cells.append(f"{value / peer[row]:.2f}x" if peer.get(row, 0) > 0 and value > 0 else "—")
            result.add(f"{adapter}: {row.replace('|', ', ')}", *cells)
    result.notes.append(
        "For a preflight corsguard and the peers answer without calling the app, so 'added' is often negative."
    )
    if compiled:
        result.notes.append(
            "compiled: the same source with its request path compiled by mypyc (scripts/compiled.py), counted in "
            "processes of its own against their own bare rows."
        )
    return result


def ratios(counts: Counts, results: list[dict[str, Any]], build: str = "corsguard") -> list[tuple[str, float]]:
    """(row, ``build``'s added / the peer's added) where the peer does the same work."""
    same = {(r["adapter"], r["shape"], r["kind"]) for r in results if r["peer"] and r["peer_same_work"]}
    found = []
    for adapter, rows in counts.items():
        ours, peer = added(rows, build), added(rows, "peer")
        for row, value in ours.items():
            shape, kind = row.split("|", 1)
            if (adapter, shape, kind) in same and peer.get(row, 0) > 0:
                found.append((f"{adapter}: {shape}, {kind}", value / peer[row]))
    return found


def target_line(counts: Counts, results: list[dict[str, Any]], build: str = "corsguard") -> str:
    """The targets table's row for the 0.5x target judged on instruction counts."""
    found = ratios(counts, results, build)
    half = [row for row, ratio in found if ratio <= 0.5]
    worst = max(found, key=lambda item: item[1]) if found else ("—", 0.0)
    measured = f"{len(half)} of {len(found)} rows; worst {worst[1]:.2f}x ({worst[0]})"
    met = "yes" if found and len(half) == len(found) else "**no**"
    which = ", compiled fast path" if build == "compiled" else ""
    return f"| added ≤ 0.5x the peer's, in instructions{which} (same rows) | {measured} | {met} |"


def chart(counts: Counts, path: Path) -> None:
    """One panel per adapter: allowed GET, instructions added per shape, floor / corsguard / peer."""
    from bench.realistic import HARNESSES  # noqa: PLC0415

    peers = {harness.name: harness.peer for harness in HARNESSES}
    panels: list[charts.Panel] = []
    for adapter, rows in counts.items():
        variants = {variant: added(rows, variant) for variant in ("floor", "corsguard", "compiled", "peer")}
        variants[peers.get(adapter) or "peer"] = variants.pop("peer")
        shapes = [row.split("|", 1)[0] for row in variants["corsguard"] if row.endswith("|allowed GET")]
        series = {
            variant: [values.get(f"{shape}|allowed GET", 0.0) / 1000 for shape in shapes]
            for variant, values in variants.items()
            if values
        }
        title = f"{adapter}: allowed GET, thousands of instructions added over the bare app"
        panels.append((title, shapes, series))
    charts.bar_panels(panels, path)
