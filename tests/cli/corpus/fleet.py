"""Starts every corpus entry as its own process on loopback and stops each
by its pid. Node's expressjs/cors is installed with npm into a scratch
folder (never into the repo); nginx is Debian's binary with a config per
entry. Without Node or nginx the entries that need them are reported as
missing, and ``CORSGUARD_REQUIRE_NODE=1`` / ``CORSGUARD_REQUIRE_NGINX=1``
(CI) make that a failure."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from tests.cli.corpus.entries import Entry, by_name, port
from tests.proofs import servers

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
NPM_DEADLINE = 300

_NGINX = """worker_processes 1;
{user}pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy; fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
    {http}
    server {{
        listen 127.0.0.1:{port};
        location /api/items {{
{location}
        }}
    }}
}}
"""
# nginx's documented way: a map from Origin to the value to send, '' (no header) by default.
_MAP = 'map $http_origin $cors_origin {{ default ""; "{trusted}" $http_origin; }}'
_MAP_LOCATION = """            add_header Vary Origin always;
            add_header Access-Control-Allow-Origin $cors_origin always;
            add_header Access-Control-Allow-Credentials true always;
            if ($request_method = OPTIONS) {
                add_header Vary Origin always;
                add_header Access-Control-Allow-Origin $cors_origin always;
                add_header Access-Control-Allow-Credentials true always;
                add_header Access-Control-Allow-Methods "GET, PUT, DELETE" always;
                add_header Access-Control-Allow-Headers "authorization, content-type" always;
                add_header Access-Control-Max-Age 600 always;
                return 204;
            }
            return 200 '{"items": [1, 2, 3]}';"""
_ECHO_LOCATION = """            add_header Access-Control-Allow-Origin $http_origin always;
            add_header Access-Control-Allow-Credentials true always;
            return 200 '{"items": [1, 2, 3]}';"""


def node_modules(scratch: Path) -> Path:
    """expressjs/cors installed from npm into ``scratch``."""
    shutil.copy(HERE / "package.json", scratch / "package.json")
    command = ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"]
    subprocess.run(command, cwd=scratch, check=True, timeout=NPM_DEADLINE, capture_output=True)
    return scratch / "node_modules"


def _command(name: str, entry: Entry, workdir: Path, modules: Path | None) -> list[str]:
    listen = str(port(name))
    if entry.stack == "express-cors":
        assert modules is not None
        return ["node", str(HERE / "express_server.js"), entry.variant, listen, entry.trusted]
    if entry.stack == "nginx":
        http = _MAP.format(trusted=entry.trusted) if entry.variant == "map-allowlist" else ""
        location = _MAP_LOCATION if entry.variant == "map-allowlist" else _ECHO_LOCATION
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf = workdir / f"{name}.conf"
        (workdir / name).mkdir()
        conf.write_text(_NGINX.format(user=user, dir=workdir / name, http=http, port=listen, location=location))
        return [servers.require_nginx(), "-p", str(workdir / name), "-c", str(conf), "-g", "daemon off;"]
    return [sys.executable, "-m", "tests.cli.corpus.serve", name, listen]


def missing_tools() -> list[str]:
    return [tool for tool in ("node", "npm") if shutil.which(tool) is None] + (
        ["nginx"] if servers.nginx_binary() is None else []
    )


@contextmanager
def running(names: list[str] | None = None) -> Iterator[dict[str, int]]:
    """{entry name: port} for every entry (or ``names``), all listening; all stopped after."""
    chosen = {name: entry for name, entry in by_name().items() if names is None or name in names}
    workdir = Path(tempfile.mkdtemp(prefix="corsguard-corpus-"))
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CORSGUARD_", "DJANGO_"))}
    env["PYTHONPATH"] = str(ROOT)
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, workdir, True)
        modules = node_modules(workdir) if any(e.stack == "express-cors" for e in chosen.values()) else None
        if modules is not None:
            env["NODE_PATH"] = str(modules)
        started: list[tuple[str, subprocess.Popen[bytes], Path]] = []
        for name, entry in chosen.items():
            log = workdir / f"{name}.log"
            with log.open("ab") as output:
                command = _command(name, entry, workdir, modules)
                process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
            stack.callback(servers.stop, process)
            started.append((name, process, log))
        for name, process, log in started:
            servers.wait_for_port(port(name), process, log, deadline=60)
        yield {name: port(name) for name in chosen}
