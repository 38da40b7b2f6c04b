"""``corsguard scan URL``: probe an endpoint with crafted origins and report its CORS holes."""

from __future__ import annotations

import argparse
import sys

from corsguard.cli import EXIT_USAGE


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("scan", help="probe URL with crafted origins and report misconfigurations")
    parser.add_argument("url")


def run(args: argparse.Namespace) -> int:
    print("corsguard scan: not available yet", file=sys.stderr)
    return EXIT_USAGE
