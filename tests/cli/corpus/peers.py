"""The corpus through corsguard scan, CORScanner and Corsy, side by side.

CORScanner is installed from PyPI (package ``cors``) into a scratch virtual
environment and run from there; Corsy is not on a registry, so it is run
from a checkout given by path, never vendored. Each is given the URL form it
expects: corsguard the entry's loopback URL and its front-end (--origin);
the peers ``http://app.example.com/<entry>/api/items`` through the corpus
proxy, since they build their origins from the URL's host.

An entry with holes counts as found by a scanner when it reports one of the
entry's labelled codes (each peer's own names mapped to corsguard's codes);
a correct entry counts as a false alarm when a scanner reports anything
(corsguard: anything at low or above; its info findings never fail a run).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from dataclasses import dataclass, field
from pathlib import Path

from corsguard.cli import scan
from corsguard.cli.scan.findings import rank
from tests.cli.corpus import proxy
from tests.cli.corpus.entries import Entry

CORSCANNER = "cors==1.0.1"
PEER_DEADLINE = 600
CORSCANNER_TYPES = {
    "reflect_origin": "origin-reflected", "prefix_match": "post-domain-bypass", "suffix_match": "pre-domain-bypass",
    "trust_null": "null-trusted", "include_match": "substring-bypass", "not_escape_dot": "unescaped-dot-bypass",
    "custom_third_parties": "third-party-origin-trusted", "special_characters_bypass": "special-character-bypass",
    "trust_any_subdomain": "any-subdomain-trusted", "https_trust_http": "insecure-origin-trusted",
}  # fmt: skip
CORSY_CLASSES = {
    "origin reflected": {"origin-reflected"}, "post-domain wildcard": {"post-domain-bypass"},
    "pre-domain wildcard": {"pre-domain-bypass"}, "null origin allowed": {"null-trusted"},
    "unrecognized underscore": {"special-character-bypass"}, "broken parser": {"special-character-bypass"},
    "unescaped regex": {"unescaped-dot-bypass"}, "http origin allowed": {"insecure-origin-trusted"},
    "wildcard value": {"wildcard-origin", "wildcard-with-credentials"},
    "third party allowed": {"third-party-origin-trusted"}, "invalid value": {"duplicate-acao"},
}  # fmt: skip


@dataclass
class Tally:
    scanner: str
    # entry name -> the codes (corsguard's names) the scanner reported there
    reported: dict[str, set[str]] = field(default_factory=dict)
    note: str = ""

    def score(self, entries: dict[str, Entry]) -> tuple[int, int, int, list[str], list[str]]:
        """(holes found, holes missed, false alarms, missed names, false-alarm names)."""
        holes = {name: e for name, e in entries.items() if not e.correct}
        found = [name for name, e in holes.items() if self.reported.get(name, set()) & e.holes]
        missed = sorted(set(holes) - set(found))
        alarms = sorted(name for name, e in entries.items() if e.correct and self.reported.get(name))
        return len(found), len(missed), len(alarms), missed, alarms


def peer_url(name: str, entry: Entry) -> str:
    return f"http://{proxy.HOST}/{name}{entry.path}"


def run_corsguard(entries: dict[str, Entry], ports: dict[str, int]) -> Tally:
    tally = Tally("corsguard scan")
    for name, entry in entries.items():
        result = scan.scan(f"http://127.0.0.1:{ports[name]}{entry.path}", entry.trusted, credentials=True)
        floor = rank("low") if entry.correct else 0
        tally.reported[name] = {item.code for item in result.findings if rank(item.severity) >= floor}
    return tally


def install_corscanner(scratch: Path) -> tuple[Path, Path]:
    """(python, CORScanner's folder): pip install from PyPI into scratch/corscanner."""
    home = scratch / "corscanner"
    if not (home / "bin" / "python").exists():
        venv.create(home, with_pip=True)
        pip = [str(home / "bin" / "python"), "-m", "pip", "install", "--quiet", CORSCANNER]
        subprocess.run(pip, check=True, timeout=PEER_DEADLINE, capture_output=True)
    python = home / "bin" / "python"
    where = subprocess.run(
        [str(python), "-c", "import CORScanner, os; print(os.path.dirname(CORScanner.__file__))"],
        check=True, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    return python, Path(where.stdout.strip())


def _peer_env(proxy_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if "proxy" not in key.lower()}
    return {**env, "HTTP_PROXY": proxy_url, "http_proxy": proxy_url, "PYTHONWARNINGS": "ignore"}


def run_corscanner(entries: dict[str, Entry], proxy_url: str, scratch: Path) -> Tally:
    python, folder = install_corscanner(scratch)
    urls = {peer_url(name, entry): name for name, entry in entries.items()}
    listing, output = scratch / "corscanner-urls.txt", scratch / "corscanner.json"
    listing.write_text("\n".join(urls) + "\n")
    command = [str(python), "cors_scan.py", "-i", str(listing), "-o", str(output), "-t", "8", "-T", "5"]
    subprocess.run(
        command, check=True, cwd=folder, env=_peer_env(proxy_url), timeout=PEER_DEADLINE, capture_output=True
    )
    tally = Tally("CORScanner 1.0.1", {name: set() for name in entries})
    for item in json.loads(output.read_text()) if output.exists() else []:
        name = urls.get(item.get("url", ""))
        if name is not None:
            tally.reported[name].add(CORSCANNER_TYPES.get(item.get("type", ""), item.get("type", "")))
    return tally


def run_corsy(entries: dict[str, Entry], proxy_url: str, checkout: Path, scratch: Path) -> Tally:
    urls = {peer_url(name, entry): name for name, entry in entries.items()}
    output = scratch / "corsy.json"
    # One thread: Corsy shares one headers dict between its threads, so two threads race on Origin.
    command = [sys.executable, "corsy.py", "-o", str(output), "-q", "-t", "1"]
    subprocess.run(
        command, check=True, cwd=checkout, env=_peer_env(proxy_url), input="\n".join(urls) + "\n", text=True,
        timeout=PEER_DEADLINE, capture_output=True,
    )  # fmt: skip
    tally = Tally("Corsy 1.0-beta", {name: set() for name in entries})
    found = json.loads(output.read_text()) if output.exists() else {}
    for url, info in found.items():
        name = urls.get(url)
        if name is not None:
            tally.reported[name] |= CORSY_CLASSES.get(str(info.get("class", "")), {str(info.get("class", ""))})
    return tally


def table(tallies: list[Tally], entries: dict[str, Entry]) -> str:
    holes = sum(not e.correct for e in entries.values())
    correct = len(entries) - holes
    lines = [
        f"| Scanner | Holes found (of {holes}) | Holes missed | False alarms (of {correct} correct) |",
        "|---|---|---|---|",
    ]
    for tally in tallies:
        found, missed, alarms, _, _ = tally.score(entries)
        lines.append(f"| {tally.scanner} | {found} | {missed} | {alarms} |")
    return "\n".join(lines)
