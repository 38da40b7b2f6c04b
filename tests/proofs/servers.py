"""Real servers on loopback for the proofs: gunicorn (threaded) and nginx.

Each is started as a process of its own on 127.0.0.1 and a free port, waited
for with a deadline, and stopped by its own pid, whatever happens in
between. nginx is a system package: without it the proofs that need it skip
with one line, unless ``CORSGUARD_REQUIRE_NGINX=1`` (CI) makes that a failure.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
START_DEADLINE = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path, deadline: float = START_DEADLINE) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{_tail(log)}")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listened on {HOST}:{port} within {deadline:g} s:\n{_tail(log)}")


def stop(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """Stop a server by its pid: SIGTERM, then SIGKILL after ``grace``."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(grace)


def _tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@dataclass(frozen=True)
class Server:
    port: int
    pid: int
    log: Path

    @property
    def address(self) -> tuple[str, int]:
        return HOST, self.port


@contextmanager
def gunicorn(
    app: str, environ: Mapping[str, str] | None = None, *, workers: int = 2, threads: int = 8, tree: Path = ROOT
) -> Iterator[Server]:
    """``app`` ("module:callable") under gunicorn's gthread worker; ``tree``
    is the source tree it imports from (another checkout, for a "before")."""
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="corsguard-gunicorn-"))
    log = workdir / "gunicorn.log"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CORSGUARD_", "DJANGO_"))}
    env.update({"PYTHONPATH": f"{tree}{os.pathsep}{workdir}", **(environ or {})})
    command = [
        sys.executable, "-m", "gunicorn", app,
        "--bind", f"{HOST}:{port}", "--worker-class", "gthread",
        "--workers", str(workers), "--threads", str(threads),
        "--chdir", str(workdir), "--log-level", "warning", "--error-logfile", str(log),
        "--keep-alive", "30", "--graceful-timeout", "5",
    ]  # fmt: skip
    with log.open("ab") as output:
        process = subprocess.Popen(command, env=env, cwd=workdir, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, process, log)
        yield Server(port, process.pid, log)
    finally:
        stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((path for path in ("/usr/sbin/nginx",) if os.path.exists(path)), None)


def require_nginx() -> str:
    """The nginx binary, or skip (fail under ``CORSGUARD_REQUIRE_NGINX=1``)."""
    binary = nginx_binary()
    if binary is None:
        why = "nginx is not installed (apt-get install -y nginx; scripts/test does it when run as root)"
        if os.environ.get("CORSGUARD_REQUIRE_NGINX") == "1":
            pytest.fail(f"CORSGUARD_REQUIRE_NGINX=1 but {why}", pytrace=False)
        pytest.skip(why)
    return binary


_NGINX_CONF = """
{user}worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    proxy_cache_path {dir}/cache levels=1:2 keys_zone=proof:4m max_size=64m inactive=10m use_temp_path=off;
    upstream app {{ server {host}:{upstream}; keepalive 16; }}
    server {{
        listen {host}:{port};
        location / {{
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
{extra}
        }}
    }}
}}
"""

# A cache in front, as a CDN or an nginx cache would be set up: the key is
# the URL alone, so only Vary can keep one origin's answer from another.
CACHE = """            proxy_cache proof;
            proxy_cache_key $scheme$proxy_host$request_uri;
            proxy_cache_valid 200 10m;
            add_header X-Cache-Status $upstream_cache_status always;"""


@contextmanager
def nginx(upstream: int, extra: str) -> Iterator[Server]:
    """nginx on loopback in front of ``upstream``, with ``extra`` directives in its location."""
    binary = require_nginx()
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="corsguard-nginx-"))
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = workdir / "nginx.conf"
    conf.write_text(_NGINX_CONF.format(user=user, dir=workdir, host=HOST, upstream=upstream, port=port, extra=extra))
    log = workdir / "error.log"
    command = [binary, "-p", str(workdir), "-c", str(conf), "-g", "daemon off;"]
    with (workdir / "stdout.log").open("ab") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, process, log)
        yield Server(port, process.pid, log)
    finally:
        stop(process)
        shutil.rmtree(workdir, ignore_errors=True)
