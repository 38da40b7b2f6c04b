"""corsguard scan, CORScanner and Corsy over the labelled corpus, side by side.

    .venv/bin/python -m bench.scan_peers [--corsy DIR] [--scratch DIR]

Starts every corpus entry (tests/cli/corpus) on loopback, runs the three
scanners, prints the README's table and, per scanner, the entries it missed
and its false alarms. CORScanner is pip-installed from PyPI into the scratch
folder; Corsy runs from DIR, a checkout of its repository (not on a package
registry; left out, with a line saying so, when no DIR is given).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from tests.cli.corpus import fleet, peers, proxy
from tests.cli.corpus.entries import by_name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corsy", type=Path, help="a checkout of Corsy's repository")
    parser.add_argument("--scratch", type=Path, help="where CORScanner is installed (default: a temporary folder)")
    args = parser.parse_args()
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="corsguard-peers-"))
    scratch.mkdir(parents=True, exist_ok=True)
    entries = by_name()
    with fleet.running() as ports, proxy.running(ports) as proxy_url:
        tallies = [peers.run_corsguard(entries, ports), peers.run_corscanner(entries, proxy_url, scratch)]
        if args.corsy is not None:
            tallies.append(peers.run_corsy(entries, proxy_url, args.corsy, scratch))
        else:
            print("Corsy: not run (pass --corsy DIR, a checkout of its repository)")
    print(peers.table(tallies, entries))
    for tally in tallies:
        _, _, _, missed, alarms = tally.score(entries)
        print(f"\n{tally.scanner}: missed {', '.join(missed) or 'none'}; false alarms {', '.join(alarms) or 'none'}")
        for name in alarms:
            print(f"  {name}: {', '.join(sorted(tally.reported[name]))}")


if __name__ == "__main__":
    main()
