"""The speed page, regenerated in full by one command:
``python -m bench.report [--quick] [--no-instructions] [--server]``.

Writes ``docs/speed.md`` (date, machine, Python, load average, every table)
and its charts, ``docs/speed-added.png`` (µs added per adapter and response
shape, beside the floor and each peer) and ``docs/speed-origins.png`` (cost
against the number of allowed origins, 1 to 10,000). Needs the ``bench``
extra (matplotlib, the peers); instruction counts need valgrind, the server
run needs wrk.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bench import charts, instruction_report, opcodes, origin_curve, realistic
from bench.instructions import added as instructions_added

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGE = DOCS / "speed.md"
ADDED_PNG = DOCS / "speed-added.png"
ORIGINS_PNG = DOCS / "speed-origins.png"
INSTRUCTIONS_PNG = DOCS / "speed-instructions.png"


# The rows furthest from their target: ASGI against Starlette's CORSMiddleware.
PROFILED = (("Starlette", "real headers", "allowed GET"), ("Starlette", "real headers", "refused GET"))
PROFILE_NOTE = (
    "Against Starlette's CORSMiddleware, corsguard.asgi adds fewer instructions on every allowed and "
    "no-Origin row but more than half of the peer's, and more than the peer on refused rows. The tables "
    "below (`python -m bench.opcodes ADAPTER SHAPE KIND`) show why, function by function. An ASGI "
    "middleware pays for its own coroutine, a wrapped `send` called once per message and a new "
    "`http.response.start` message (B5.6) before it does any CORS work: the hand-written floor, which "
    "does only that, already costs {floor_share} of the peer's instructions on these rows. "
    "What is left is reading four request headers out of the scope's list, the origin lookup, the "
    "decision and the merge. On a refused request corsguard also does work the peer does not: it "
    "records the refusal (B6: a rate-limited log line and the counters of the summary line), and tries "
    "the origin against the patterns when there are any (here one exact origin is listed, so a dict miss "
    "refuses it). No single function is a large share. The compiled fast path "
    "(`scripts/compiled.py`: the same source, its request path compiled by mypyc) removes the bytecodes "
    "but not the work: its rows are the instruction table's 'compiled' columns, and the second "
    "instruction target above."
)


def profile_note(counts: dict[str, dict[str, float]]) -> str:
    """PROFILE_NOTE with the floor's share of the peer's added instructions on the profiled rows."""
    shares = []
    for adapter, shape, kind in PROFILED:
        rows = counts.get(adapter, {})
        row = f"{shape}|{kind}"
        floor, peer = instructions_added(rows, "floor").get(row), instructions_added(rows, "peer").get(row)
        if floor is not None and peer:
            shares.append(floor / peer)
    share = f"{min(shares):.0%}-{max(shares):.0%}" if shares else "a large part"
    return PROFILE_NOTE.format(floor_share=share)


def machine() -> str:
    model = "unknown processor"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min)"


def chart_added(results: list[dict[str, Any]], path: Path) -> None:
    """One panel per adapter: allowed GET, µs added per shape, floor / corsguard / peer."""
    panels: list[charts.Panel] = []
    for adapter in dict.fromkeys(row["adapter"] for row in results):
        rows = [r for r in results if r["adapter"] == adapter and r["kind"] == "allowed GET"]
        series = {"floor": [r["floor_added_us"] for r in rows], "corsguard": [r["corsguard_added_us"] for r in rows]}
        if "compiled_added_us" in rows[0]:
            series["compiled"] = [r["compiled_added_us"] for r in rows]
        if rows[0]["peer"]:
            series[rows[0]["peer"]] = [r["peer_added_us"] for r in rows]
        title = f"{adapter}: allowed GET, µs added over the bare app"
        panels.append((title, [r["shape"] for r in rows], series))
    charts.bar_panels(panels, path)


def chart_origins(curve: dict[str, dict[int, float]], path: Path) -> None:
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    figure, axis = plt.subplots(figsize=(7, 3.5))
    for label, points in curve.items():
        counts = sorted(points)
        axis.plot(counts, [points[c] for c in counts], marker="o", label=label)
    axis.set_xscale("log")
    axis.set_xlabel("allowed origins (exact)")
    axis.set_ylabel("µs per allowed GET")
    axis.set_ylim(bottom=0)
    axis.set_title("Cost against the number of allowed origins (real headers response)", fontsize=10)
    axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)


def _versions() -> str:
    names = ("Django", "django-cors-headers", "Flask", "flask-cors", "starlette", "fastapi", "gunicorn", "uvicorn")
    return ", ".join(f"{name} {version(name)}" for name in names)


def write_page(sections: list[str], started: str, load_at_start: str) -> None:
    head = [
        "# Speed",
        "",
        "Generated by `python -m bench.report` — do not edit by hand; re-run it.",
        "",
        f"- Date: {started}",
        f"- Machine: {machine()}",
        f"- Python: {platform.python_implementation()} {platform.python_version()}",
        f"- Load average at the start: {load_at_start}; at the end: {load()}",
        f"- Frameworks and peers: {_versions()}",
        "",
        "This machine is shared: times are best-of-rounds in interleaved rounds; instruction counts are exact.",
        "",
        "One source, two builds: the pure-Python package (`pip install .`), the reference that every "
        "'corsguard' column measures; and the compiled fast path (`python scripts/compiled.py "
        "--wheel`: the request path compiled by mypyc, in a platform wheel), in the 'compiled' columns. "
        "The compiled build is timed in a run of its own (bare app, floor and peer again), so its figures "
        "are over its own run's bare app and against its own run's peer.",
        "",
        "![µs added per adapter and response shape](speed-added.png)",
        "",
        "![cost against the number of allowed origins](speed-origins.png)",
        "",
    ]
    if INSTRUCTIONS_PNG.exists():
        head += ["![instructions added per adapter and response shape](speed-instructions.png)", ""]
    PAGE.write_text("\n".join(head + sections) + "\n", encoding="utf-8")


def _counts(saved: str | None) -> dict[str, dict[str, float]]:
    """Counted now (every variant and shape), or read from a saved file."""
    if saved:
        data = json.loads(Path(saved).read_text(encoding="utf-8"))
        return data.get("counts", data)  # type: ignore[no-any-return]
    from bench import instructions  # noqa: PLC0415
    from bench.shapes import SHAPE_NAMES  # noqa: PLC0415

    adapters = [h.name for h in realistic.HARNESSES]
    return instructions.count_all(adapters, ["bare", "floor", "corsguard", "compiled", "peer"], list(SHAPE_NAMES))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-instructions", action="store_true")
    parser.add_argument("--server", action="store_true", help="also run bench.server_bench (minutes)")
    parser.add_argument("--instructions-from", help="counts saved by bench.instructions --json (or the baseline)")
    parser.add_argument(
        "--instructions-extra",
        action="append",
        default=[],
        metavar="PYTHON=FILE",
        help="counts made by another interpreter (python3.12 -m bench.instructions --json FILE)",
    )
    args = parser.parse_args()
    load_at_start = load()
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    results = realistic.collect(args.quick)
    realistic.merge_compiled(results, realistic.collect_compiled(args.quick))
    curve = origin_curve.collect(args.quick)
    chart_added(results, ADDED_PNG)
    chart_origins(curve, ORIGINS_PNG)
    targets = origin_curve.targets_markdown(curve, results)
    counted: list[str] = []
    counts: dict[str, dict[str, float]] = {}
    if not args.no_instructions:
        counts = _counts(args.instructions_from)
        targets += "\n" + instruction_report.target_line(counts, results)
        if any(instructions_added(rows, "compiled") for rows in counts.values()):
            targets += "\n" + instruction_report.target_line(counts, results, "compiled")
        instruction_report.chart(counts, INSTRUCTIONS_PNG)
        counted += ["## Instruction counts", "", instruction_report.table(counts).markdown(), ""]
        for extra in args.instructions_extra:
            python, saved = extra.split("=", 1)
            counted += [instruction_report.table(_counts(saved), f", Python {python}").markdown(), ""]
    sections = ["## Targets", "", targets, ""]
    sections += ["## Where the bytecodes go on the rows that miss", "", profile_note(counts), ""]
    sections += [opcodes.table(*row).markdown() + "\n" for row in PROFILED]
    sections += ["## Every adapter, shape and request", ""]
    sections += [table.markdown() + "\n" for table in realistic.tables(results)]
    sections += [origin_curve.table(curve).markdown() + "\n"]
    sections += counted
    if args.server:
        from bench import server_bench  # noqa: PLC0415

        rounds, duration = (1, 2) if args.quick else (5, 3)
        server = server_bench.run_all(rounds, duration)
        sections += ["## Through a real server", "", server_bench.markdown(server, rounds, duration), ""]
    sections += ["Regenerate: `python -m bench.report" + (" --server" if args.server else "") + "`."]
    write_page(sections, started, load_at_start)
    print(f"wrote {PAGE}, {ADDED_PNG.name}, {ORIGINS_PNG.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
