"""Many URLs at once, as a security team scans an API: the total request
count stated (and a --yes above --max-requests) before anything is sent,
a bounded pool of workers, a per-host rate limit, a progress bar only on a
terminal, one error per endpoint that fails while the rest go on."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TextIO
from urllib.parse import urlsplit

from corsguard.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, wire
from corsguard.cli.scan import sarif, summary
from corsguard.cli.scan.findings import rank
from corsguard.cli.scan.probes import Trusted, plan
from corsguard.cli.scan.results import Outcome, Scan


class Pace:
    """At most ``rate`` requests per second to each host (host:port), across workers."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self.next: dict[str, float] = {}
        self.lock = threading.Lock()

    def __call__(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        with self.lock:
            now = time.monotonic()
            start = max(now, self.next.get(host, now))
            self.next[host] = start + self.interval
        if start > now:
            time.sleep(start - now)


class Progress:
    """``scanned 3/10`` redrawn in place on a terminal; nothing when piped."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.done, self.stream = total, 0, stream
        self.shown = stream.isatty()
        self.lock = threading.Lock()

    def step(self) -> None:
        with self.lock:
            self.done += 1
            if self.shown:
                filled = int(30 * self.done / max(self.total, 1))
                bar = "#" * filled + "." * (30 - filled)
                self.stream.write(f"\r  [{bar}] {self.done}/{self.total} endpoints")
                if self.done == self.total:
                    self.stream.write("\n")
                self.stream.flush()


def planned_requests(urls: list[str], origin: str | None, sets: tuple[str, ...]) -> int:
    """What the scan will send at most (fewer when a server does not answer)."""
    total = 0
    for url in urls:
        try:
            trusted = (
                Trusted.parse(origin) if origin else Trusted.parse(f"{urlsplit(url).scheme}://{urlsplit(url).netloc}")
            )
        except ValueError:
            continue
        total += len(plan(trusted, sets))
    return total


def scan_all(
    args: argparse.Namespace, sets: tuple[str, ...], urls: list[str], scan: Callable[..., Scan]
) -> list[Outcome]:
    pace = Pace(args.rate)
    progress = Progress(len(urls), sys.stderr)

    def one(url: str) -> Outcome:
        try:
            result = scan(url, args.origin, credentials=args.credentials, timeout=args.timeout, sets=sets, pace=pace)
        except wire.UsageError as error:
            return Outcome(url, None, str(error))
        except Exception as error:
            return Outcome(url, None, f"{type(error).__name__}: {error}")
        finally:
            progress.step()
        why = result.unreachable
        return Outcome(url, result, None if why is None else _network(result, why))

    with ThreadPoolExecutor(max_workers=min(args.concurrency, max(len(urls), 1))) as pool:
        return list(pool.map(one, urls))


def _network(result: Scan, why: str) -> str:
    answered = result.probed[0].received is not None
    return why if answered else f"no answer: {why}"


def exit_code(outcomes: list[Outcome], errors: int, fail_on: str) -> int:
    scanned = [item.scan for item in outcomes if item.scan is not None and item.error is None]
    if not scanned:
        return EXIT_USAGE
    worst = max((rank(found.severity) for result in scanned for found in result.findings), default=-1)
    return EXIT_FINDINGS if worst >= rank(fail_on) or errors else EXIT_OK


def run(args: argparse.Namespace, sets: tuple[str, ...], targets: Any, scan: Callable[..., Scan]) -> int:
    total = planned_requests(targets.urls, args.origin, sets)
    announce = f"Planned: at most {total} requests to {len(targets.urls)} endpoints"
    announce += f" ({args.concurrency} at once, at most {args.rate:g} per second per host)."
    print(announce, file=sys.stderr if args.json else sys.stdout, flush=True)
    if total > args.max_requests and not args.yes:
        print(f"corsguard scan: {total} requests is above --max-requests {args.max_requests}: pass --yes to send "
              "them, or scan fewer URLs", file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    outcomes = scan_all(args, sets, targets.urls, scan)
    errors = [(url, error) for url, error in targets.errors] + [
        (item.url, item.error) for item in outcomes if item.error is not None
    ]
    code = exit_code(outcomes, len(errors), args.fail_on)
    if args.json:
        print(summary.as_json(outcomes, targets.errors, args.fail_on, code))
    else:
        print(summary.as_text(outcomes, errors, code))
    if args.sarif and not sarif.write(args.sarif, outcomes, targets.errors):
        return EXIT_USAGE
    return code
