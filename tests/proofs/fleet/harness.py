"""The fleet: one real PostgreSQL, two gunicorn masters ("hosts") of two
workers each, and an editor process, all on issue 16's ports (18600-18699),
each stopped by its own pid (tests/proofs/test_fleet.py)."""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.proofs.databases import Postgres, postgres
from tests.proofs.servers import HOST, ROOT, stop, wait_for_port

PG_PORT = 18650
HOST_PORTS = (18610, 18611)
SETTINGS = "tests.proofs.fleet.settings"


def environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CORSGUARD_", "DJANGO_"))}
    env.update({"PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": SETTINGS, "FLEET_PG_PORT": str(PG_PORT)})
    return env


def manage(*arguments: str, extra: dict[str, str] | None = None) -> str:
    command = [sys.executable, "-m", "django", *arguments]
    env = {**environment(), **(extra or {})}
    done = subprocess.run(command, check=False, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(arguments)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@contextmanager
def gunicorn_host(
    port: int,
    workdir: Path,
    workers: int = 2,
    app: str = "django.core.wsgi:get_wsgi_application()",
    extra: dict[str, str] | None = None,
    preload: bool = False,
) -> Iterator[subprocess.Popen[bytes]]:
    log = workdir / f"gunicorn-{port}.log"
    command = [
        sys.executable, "-m", "gunicorn", app,
        "--bind", f"{HOST}:{port}", "--worker-class", "gthread", "--workers", str(workers), "--threads", "4",
        "--chdir", str(ROOT), "--log-level", "warning", "--error-logfile", str(log),
        "--keep-alive", "30", "--graceful-timeout", "3", "--backlog", "512",
    ]  # fmt: skip
    # --preload: the app (and its store's poller) is built in the master, and
    # each forked worker must start a poller of its own.
    command += ["--preload"] if preload else []
    with _started(command, port, log, extra) as process:
        yield process


@contextmanager
def uvicorn_host(port: int, workdir: Path, app: str, extra: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """A plain ASGI app factory under uvicorn's own multi-process supervisor."""
    log = workdir / f"uvicorn-{port}.log"
    command = [sys.executable, "-m", "uvicorn", app, "--factory", "--host", HOST, "--port", str(port)]
    command += ["--workers", "2", "--log-level", "warning", "--no-access-log"]
    with _started(command, port, log, extra) as process:
        yield process


@contextmanager
def _started(
    command: list[str], port: int, log: Path, extra: dict[str, str] | None
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("ab") as output:
        env = {**environment(), **(extra or {})}
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, process, log)
        yield process
    finally:
        stop(process)


class Editor:
    """The editor process: each change returns the wall-clock time of its commit."""

    def __init__(self) -> None:
        command = [sys.executable, "-m", "tests.proofs.fleet.edit"]
        self.process = subprocess.Popen(
            command, env=environment(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )
        self.lock = threading.Lock()

    def change(self, path: str, origin: str) -> float:
        assert self.process.stdin is not None and self.process.stdout is not None
        with self.lock:
            self.process.stdin.write(f"{path} {origin}\n")
            line = self.process.stdout.readline()
        if not line.startswith("committed "):
            raise RuntimeError(f"the editor failed on {path} {origin}: {line!r}")
        return float(line.split()[1])

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            stop(self.process)


@dataclass
class Fleet:
    database: Postgres
    workdir: Path
    hosts: list[subprocess.Popen[bytes]] = field(default_factory=list)
    editor: Editor | None = None

    def logs(self) -> str:
        return read_logs(self.workdir)

    def queries(self) -> int:
        """Transactions the database has committed and rolled back (each poll is one)."""
        import psycopg  # noqa: PLC0415

        with psycopg.connect(self.database.dsn, autocommit=True) as connection:
            connection.execute("SELECT pg_stat_clear_snapshot()")
            row = connection.execute(
                "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'postgres'"
            ).fetchone()
        assert row is not None
        return int(row[0])


@contextmanager
def fleet() -> Iterator[Fleet]:
    workdir = Path(tempfile.mkdtemp(prefix="corsguard-fleet-"))
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, workdir, True)
        database = stack.enter_context(postgres(PG_PORT))
        manage("migrate", "corsguard_origins", "--noinput")
        running = Fleet(database, workdir)
        for index, port in enumerate(HOST_PORTS):  # the second host preloads its app
            running.hosts.append(stack.enter_context(gunicorn_host(port, workdir, preload=index == 1)))
        running.editor = Editor()
        stack.callback(running.editor.close)
        yield running


def read_logs(workdir: Path) -> str:
    return "".join(path.read_text(errors="replace") for path in sorted(workdir.glob("*corn-*.log")))


@dataclass(frozen=True)
class Answer:
    sent: float
    at: float
    pid: int
    status: int
    allowed: bool


def ask(port: int, origin: str, timeout: float = 5.0) -> Answer:
    """One GET on a new connection (so the requests spread over the workers)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    sent = time.time()
    try:
        connection.request("GET", "/", headers={"Origin": origin, "Connection": "close"})
        response = connection.getresponse()
        body = response.read()
        allowed = response.getheader("Access-Control-Allow-Origin") == origin
        pid = int(body) if response.status == 200 and body.isdigit() else 0
        return Answer(sent, time.time(), pid, response.status, allowed)
    finally:
        connection.close()
