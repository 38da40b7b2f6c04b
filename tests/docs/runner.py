"""Runs one page's blocks in order (see blocks.py for the markers): Python in
namespaces of its own, apps called with a test client, Django settings in a
fresh ``startproject``, shell transcripts replayed with the installed CLI."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import os
import re
import shlex
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import tomllib
import yaml

from tests.docs import django_blocks, servers
from tests.docs.blocks import ROOT, Block
from tests.docs.usage import usage
from tests.matrix.runner import Collector

BIN = Path(sys.executable).parent
# "GET /path from ORIGIN", answered with that ORIGIN, or "... gets VALUE" for another ACAO (*).
REQUEST = re.compile(r"^(?P<method>[A-Z]+) (?P<path>\S+) from (?P<origin>\S+)(?: gets (?P<acao>\S+))?$")


class Page:
    """The state one page's blocks share: a scratch folder, the namespace of
    the last Python block, and the Django project made for it, if any."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.namespace: dict[str, Any] = {}
        self.project: Path | None = None
        self.count = 0
        self.pending: Block | None = None  # a Django block whose requests wait for the URLconf
        self.said = ""  # what the last Python block printed and logged on "corsguard"
        self.servers = contextlib.ExitStack()
        self.started: dict[str, dict[int, int]] = {}
        self.ports: dict[int, int] = {}

    def close(self) -> None:
        """Stops every server this page started."""
        self.servers.close()

    def run(self, block: Block) -> None:
        """Runs one block; an AssertionError names the block."""
        if block.lang in DIAGRAMS or block.marker == "diagram":
            return
        handler = HANDLERS.get(block.marker) or LANGUAGES.get(block.lang)
        assert handler is not None, f"{block.id}: a {block.lang or 'bare'} block that nothing runs: mark it"
        handler(self, block)

    def python(self, block: Block) -> None:
        if block.marker != "continue":
            self.count += 1
            module = types.ModuleType(f"docs_block_{self.count}")
            sys.modules[module.__name__] = module
            self.namespace = module.__dict__
        previous = Path.cwd()
        os.chdir(self.scratch)
        printed = io.StringIO()
        logged = Collector()
        logger = logging.getLogger("corsguard")
        logger.addHandler(logged)
        try:
            with contextlib.redirect_stdout(printed):
                exec(compile(block.text, block.id, "exec"), self.namespace)
        finally:
            os.chdir(previous)
            logger.removeHandler(logged)
        self.said = printed.getvalue() + "".join(f"{line}\n" for line in logged.messages)

    def request(self, block: Block) -> None:
        self.python(block)
        asked = REQUEST.match(block.argument)
        assert asked, f"{block.id}: write the marker as 'request: GET /path from https://origin'"
        headers = call(app_of(self.namespace, block), asked["method"], asked["path"], asked["origin"])
        assert headers.get("access-control-allow-origin") == (asked["acao"] or asked["origin"]), (block.id, headers)

    def finish(self) -> None:
        """The requests a Django block asked for, once its URLconf is written."""
        if self.pending is not None and self.project is not None:
            block, self.pending = self.pending, None
            django_blocks.probe(self, block)

    def file(self, block: Block) -> None:
        target = self.scratch / block.argument
        target.write_text(block.text, encoding="utf-8")
        LANGUAGES.get(block.lang, lambda page, block: None)(self, Block(**{**block.__dict__, "marker": "parsed"}))

    def transcript(self, block: Block) -> None:
        """Replays each ``$`` line and compares what it printed (paths of the
        scratch folder normalised away), ``echo $?`` included."""
        where = self.project or self.scratch
        code = 0
        for command, expected in commands(block.text):
            if command == "echo $?":
                said = f"{code}\n"
            elif command.startswith("cd "):
                # A directory of this repository (the test projects), as a reader of a checkout has it.
                where, said = ROOT / command[3:], ""
            elif command.startswith("cat ") and not (where / command[4:]).exists():
                # The transcript shows the file it goes on to use: written here as shown.
                (where / command[4:]).write_text(expected, encoding="utf-8")
                said = expected
            else:
                code, said = shell(servers.to_real(command, self.ports), where)
            said = servers.to_documented(said.replace(f"{where}/", "").replace(str(where), "."), self.ports)
            assert same(said, expected), f"{block.id}: $ {command}\n--- got\n{said}--- documented\n{expected}"

    def server(self, block: Block) -> None:
        """Starts the named servers (once per page), then replays the transcript against them."""
        name = block.argument
        assert name in servers.SERVERS, f"{block.id}: no server named {name!r}: {sorted(servers.SERVERS)}"
        if name not in self.started:
            self.started[name] = servers.SERVERS[name](self.servers)
        self.ports = self.started[name]
        try:
            self.transcript(block)
        finally:
            self.ports = {}

    def output(self, block: Block) -> None:
        """Each line of the block is among what the previous Python block printed or logged, in order."""
        said = iter(self.said.splitlines())
        for line in block.text.splitlines():
            assert any(line.rstrip() == got.rstrip() for got in said), (
                f"{block.id}: not printed or logged by the block above: {line}\n--- it said\n{self.said}"
            )

    def shell_lines(self, block: Block) -> None:
        """``pip install`` lines must name this project and its extras; other
        lines are ``NAME=value`` settings corsguard must accept."""
        extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
        environment: dict[str, str] = {}
        downloaded: dict[str, str] = {}
        for written in block.text.splitlines():
            line = written.split(" #")[0].strip()
            if line.startswith("#"):
                environment = {}  # a comment starts another environment (development, production ...)
            if not line or line.startswith("#"):
                continue
            line = line.removeprefix("export ")
            if line.startswith("curl "):
                downloaded.update(_download(line, self.scratch))
                continue
            if line.startswith("pip install "):
                named = re.findall(r"\[([a-z,]+)\]", line)
                assert all(extra in extras for group in named for extra in group.split(",")), (block.id, line)
                continue
            name, _, value = line.partition("=")
            assert re.fullmatch(r"CORSGUARD_[A-Z_]+", name), f"{block.id}: not a setting or pip install: {line}"
            value = shlex.split(value)[0] if value else ""
            environment[name] = downloaded.get(value, value)
            _load_environment(environment, block)

    def text(self, block: Block) -> None:
        assert "\n$ " in "\n" + block.text, f"{block.id}: a text block that is not a transcript: mark it not-run"
        self.transcript(block)

    def parse(self, block: Block) -> None:
        {"toml": tomllib.loads, "json": json.loads, "yaml": yaml.safe_load}[block.lang](block.text)


def _download(line: str, scratch: Path) -> dict[str, str]:
    """``curl -o FILE URL`` of the Public Suffix List: the suite does not go
    online, so FILE is the copy the ``publicsuffixlist`` package ships."""
    import publicsuffixlist  # noqa: PLC0415

    words = shlex.split(line)
    target = words[words.index("-o") + 1]
    assert words[-1] == "https://publicsuffix.org/list/public_suffix_list.dat", line
    shipped = Path(publicsuffixlist.__file__).with_name("public_suffix_list.dat")
    copy = scratch / Path(target).name
    copy.write_bytes(shipped.read_bytes())
    return {target: str(copy)}


def _load_environment(environment: dict[str, str], block: Block) -> None:
    from corsguard import Policy  # noqa: PLC0415

    Policy.from_mapping({}, env=environment)


def same(said: str, documented: str) -> bool:
    """Equal, where a documented line ``[... what was left out ...]`` stands for any lines."""
    parts = [re.escape(part) for part in re.split(r"(?m)^\[\.\.\. [^\n]* \.\.\.\]\n", documented.rstrip() + "\n")]
    return re.fullmatch("(?:.*\n)*?".join(parts), said.rstrip() + "\n") is not None


def commands(text: str) -> list[tuple[str, str]]:
    """``$ command`` lines, each with the output printed under it."""
    found: list[tuple[str, str]] = []
    for line in text.splitlines(keepends=True):
        if line.startswith("$ "):
            found.append((line[2:].strip(), ""))
        elif found:
            found[-1] = (found[-1][0], found[-1][1] + line)
    return found


def shell(command: str, where: Path) -> tuple[int, str]:
    """Runs a documented command as a user would, with this checkout's corsguard."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("CORSGUARD_")}
    environment["PATH"] = f"{BIN}{os.pathsep}{environment.get('PATH', '')}"
    environment["PYTHONPATH"] = f"{ROOT}{os.pathsep}{where}"
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        ["bash", "-c", command], cwd=where, env=environment, capture_output=True, text=True, timeout=120, check=False
    )
    return done.returncode, done.stdout + done.stderr


def app_of(namespace: dict[str, Any], block: Block) -> Any:
    if "create_app" in namespace:
        return namespace["create_app"]()
    for name in ("application", "app"):
        if name in namespace:
            return namespace[name]
    raise AssertionError(f"{block.id}: the block defines no create_app, application or app")


def call(app: Any, method: str, path: str, origin: str) -> dict[str, str]:
    """The response headers, lower-cased, of one request with an Origin."""
    if asyncio.iscoroutinefunction(type(app).__call__) or asyncio.iscoroutinefunction(app):
        from starlette.testclient import TestClient  # noqa: PLC0415

        with TestClient(app) as client:
            response = client.request(method, path, headers={"Origin": origin})
            return {key.lower(): value for key, value in response.headers.items()}
    from werkzeug.test import Client  # noqa: PLC0415

    answer = Client(app).open(path, method=method, headers={"Origin": origin})
    return {key.lower(): value for key, value in answer.headers.items()}


HANDLERS = {
    "continue": Page.python,
    "request": Page.request,
    "django-settings": django_blocks.settings,
    "django-more": django_blocks.more,
    "django-urls": django_blocks.urls,
    "file": Page.file,
    "not-run": lambda page, block: None,
    "server": Page.server,
    "output": Page.output,
    "usage": usage,
}
# A diagram is drawn, not run; it counts as not run (test_few_blocks_are_left_unrun).
DIAGRAMS = {"mermaid"}
LANGUAGES = {
    "python": Page.python,
    "console": Page.transcript,
    "text": Page.text,
    "sh": Page.shell_lines,
    "bash": Page.shell_lines,
    "toml": Page.parse,
    "json": Page.parse,
    "yaml": Page.parse,
}
