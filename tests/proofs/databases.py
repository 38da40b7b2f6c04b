"""A real PostgreSQL on loopback for the fleet proofs, from Debian's package.

A cluster of its own in a temporary directory, started as the ``postgres``
user when run as root (PostgreSQL refuses root), on a port of issue 16's
range, and stopped by its own pid. Without the package the proofs skip
with one line, unless ``CORSGUARD_REQUIRE_POSTGRES=1`` (CI) makes that a
failure.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.proofs.servers import HOST, stop, wait_for_port

INSTALL = "apt-get install -y postgresql (scripts/test does it when run as root)"


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    return Path(found[-1]).parent if found else None


def require_postgres() -> Path:
    """PostgreSQL's bin directory, or skip (fail under ``CORSGUARD_REQUIRE_POSTGRES=1``)."""
    found = postgres_bin()
    if found is None:
        why = f"PostgreSQL is not installed ({INSTALL})"
        if os.environ.get("CORSGUARD_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"CORSGUARD_REQUIRE_POSTGRES=1 but {why}", pytrace=False)
        pytest.skip(why)
    try:
        import psycopg  # noqa: F401, PLC0415
    except ImportError:
        pytest.fail("psycopg is missing from the test extra: pip install -e '.[test]'", pytrace=False)
    return found


@dataclass
class Postgres:
    bin: Path
    data: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def dsn(self) -> str:
        return f"host={HOST} port={self.port} dbname=postgres user=postgres"

    def start(self) -> None:
        log = self.data.parent / "postgres.log"
        command = [str(self.bin / "postgres"), "-D", str(self.data), "-p", str(self.port), "-h", HOST]
        command += ["-k", str(self.data.parent), "-c", "fsync=off", "-c", "max_connections=200"]
        with log.open("ab") as output:
            self.process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, user=_user())
        wait_for_port(self.port, self.process, log)
        self._accepting()

    def _accepting(self, deadline: float = 30.0) -> None:
        """The port opens before recovery ends: wait until a connection works."""
        import psycopg  # noqa: PLC0415

        end = time.monotonic() + deadline
        while True:
            try:
                psycopg.connect(self.dsn, connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > end:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None


def _user() -> str | None:
    return "postgres" if os.geteuid() == 0 else None


@contextmanager
def postgres(port: int) -> Iterator[Postgres]:
    """A fresh cluster on ``port``, trusting loopback, stopped by its pid."""
    bin_dir = require_postgres()
    workdir = Path(tempfile.mkdtemp(prefix="corsguard-postgres-"))
    data = workdir / "data"
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(workdir, entry.pw_uid, entry.pw_gid)
    subprocess.run(
        [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
        user=_user(),
        cwd=workdir,
    )
    server = Postgres(bin_dir, data, port)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def require_redis() -> str:
    """redis-server, or skip (fail under ``CORSGUARD_REQUIRE_REDIS=1``)."""
    found = shutil.which("redis-server")
    if found is None:
        why = "redis-server is not installed (apt-get install -y redis-server; scripts/test does it when run as root)"
        if os.environ.get("CORSGUARD_REQUIRE_REDIS") == "1":
            pytest.fail(f"CORSGUARD_REQUIRE_REDIS=1 but {why}", pytrace=False)
        pytest.skip(why)
    return found


@dataclass
class Redis:
    binary: str
    workdir: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = self.workdir / "redis.log"
        command = [self.binary, "--port", str(self.port), "--bind", HOST, "--save", "", "--appendonly", "yes"]
        command += ["--dir", str(self.workdir)]
        with log.open("ab") as output:
            self.process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        wait_for_port(self.port, self.process, log)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None


@contextmanager
def redis(port: int) -> Iterator[Redis]:
    """A redis-server of its own on ``port`` (an append-only file, so a restart keeps the set), stopped by its pid."""
    server = Redis(require_redis(), Path(tempfile.mkdtemp(prefix="corsguard-redis-")), port)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.workdir, ignore_errors=True)
