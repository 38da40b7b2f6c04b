"""The refusal log under a flood: how many WARNING lines and bytes, at what cost.

The Flask test app runs under gunicorn (gthread, 2 workers x 8 threads) with
the ``corsguard`` logger writing to a file at WARNING, as a production
server logs. A client sends N requests, a share of them from a random,
refused Origin each (an attacker's script), the rest from the allowed
front-end. ``--tree`` measures another checkout (the "before"), e.g. one made
with ``git worktree add /tmp/corsguard-before 276ce0d``.

    python -m bench.refusal_flood [--requests 60000] [--refused-share 0.4] [--runs 3] [--tree PATH]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import random
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tests.proofs.servers import ROOT, Server, gunicorn

ALLOWED = "https://app.example.com"
ENTRY = """
import logging
from testprojects.flask_project.app import create_app

handler = logging.FileHandler({log!r})
handler.setLevel(logging.WARNING)
logger = logging.getLogger("corsguard")
logger.addHandler(handler)
logger.setLevel(logging.WARNING)
app = create_app({{"CORSGUARD_ALLOWED_ORIGINS": [{allowed!r}]}}, env={{}})
"""


@dataclass(frozen=True)
class Flood:
    requests: int
    seconds: float
    warning_lines: int
    log_bytes: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def _send_all(server: Server, origins: list[str], threads: int) -> float:
    counter = itertools.count()
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection(*server.address, timeout=10)
        try:
            while True:
                with lock:
                    index = next(counter)
                if index >= len(origins):
                    return
                connection.request("GET", "/api/items", headers={"Origin": origins[index]})
                connection.getresponse().read()
        finally:
            connection.close()

    started = time.perf_counter()
    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(600)
    return time.perf_counter() - started


def flood(tree: Path, requests: int, refused_share: float, seed: int, threads: int = 16) -> Flood:
    rng = random.Random(seed)
    origins = [
        f"https://{rng.getrandbits(64):016x}.attacker.example" if rng.random() < refused_share else ALLOWED
        for _ in range(requests)
    ]
    workdir = Path(tempfile.mkdtemp(prefix="corsguard-flood-"))
    log = workdir / "corsguard._engine.log"
    (workdir / "flood_entry.py").write_text(ENTRY.format(log=str(log), allowed=ALLOWED))
    environ = {"PYTHONPATH": f"{tree}:{workdir}"}
    with gunicorn("flood_entry:app", environ, tree=tree) as server:
        seconds = _send_all(server, origins, threads)
    text = log.read_text(errors="replace") if log.exists() else ""
    # The handler is at WARNING and nothing here logs a traceback: one record, one line.
    return Flood(requests, seconds, len(text.splitlines()), len(text.encode()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.refusal_flood", description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=60_000)
    parser.add_argument("--refused-share", type=float, default=0.4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--tree", type=Path, action="append", help="a checkout to measure (repeatable; default: this one)"
    )
    args = parser.parse_args(argv)
    trees: list[Path] = args.tree or [ROOT]
    # Trees alternate run by run, so a burst of load on a shared machine hits each alike.
    runs: dict[Path, list[Flood]] = {tree: [] for tree in trees}
    for seed in range(args.runs):
        for tree in trees:
            runs[tree].append(flood(tree, args.requests, args.refused_share, seed))
    print(f"{args.requests:,} requests per run, {args.refused_share:.0%} from random refused origins")
    for tree, measured in runs.items():
        print(f"tree {tree}:")
        print(f"  requests/s (median of {args.runs}): {statistics.median(run.rate for run in measured):,.0f}")
        print(f"  WARNING lines: {statistics.median(run.warning_lines for run in measured):,.0f}")
        print(f"  log bytes: {statistics.median(run.log_bytes for run in measured):,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
