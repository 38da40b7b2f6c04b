"""The servers a documented transcript talks to (``<!-- server: NAME -->``).

The docs show the ports a reader gets (the demo's 8000, 8001 and 8080, a
proxy on 8081, the scan examples' 8000 to 8002); the suite starts the same
servers on free loopback ports, runs each ``$`` line with the documented port
replaced by the real one, and puts the documented port back into what the
command printed before comparing. Every server is stopped by its own handle
when the page is done, whatever happened.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from testprojects import serve, wsgi_app
from tests.cli import misconfigured
from tests.docs.blocks import ROOT
from tests.proofs import servers

# The demo's documented ports: its dashboard (the page's origin), the Django
# API and the Flask API.
DASHBOARD, DJANGO, FLASK = 8080, 8000, 8001
# nginx's own CORS header over the Flask API: the two-layer mistake.
# What ``python -m testprojects.wsgi_app`` serves (its main()).
WSGI_EXAMPLE = {
    "ALLOWED_ORIGINS": ["http://localhost:3000", "http://127.0.0.1:3000"],
    "EXPOSE_HEADERS": ["x-total-count"],
}
TWO_LAYERS = "            add_header Access-Control-Allow-Origin $http_origin always;"


def demo(stack: ExitStack) -> dict[int, int]:
    """``python -m testprojects.demo`` (what ``bash scripts/demo`` starts) on free ports."""
    ports = {DASHBOARD: servers.free_port(), DJANGO: servers.free_port(), FLASK: servers.free_port()}
    workdir = Path(tempfile.mkdtemp(prefix="corsguard-docs-demo-"))
    log = workdir / "demo.log"
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("CORSGUARD_", "DJANGO_"))}
    environment["PYTHONPATH"] = str(ROOT)
    environment["DJANGO_PROJECT_DB"] = str(workdir / "db.sqlite3")
    command = [sys.executable, "-m", "testprojects.demo", "--json"]
    command += ["--port", str(ports[DASHBOARD]), "--django-port", str(ports[DJANGO])]
    command += ["--flask-port", str(ports[FLASK])]
    with log.open("ab") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)
    stack.callback(servers.stop, process)  # type: ignore[arg-type]
    for port in ports.values():
        servers.wait_for_port(port, process, log)  # type: ignore[arg-type]
    return ports


def two_layers(stack: ExitStack) -> dict[int, int]:
    """The demo, and nginx on 8081 in front of its Flask API adding its own ACAO."""
    ports = demo(stack)
    proxy = stack.enter_context(servers.nginx(ports[FLASK], TWO_LAYERS))
    return {**ports, 8081: proxy.port}


def scan_targets(stack: ExitStack) -> dict[int, int]:
    """The scan examples: a clean corsguard app (8000), django-cors-headers
    reflecting every origin under gunicorn (8001), hand-written mistakes (8002)."""
    clean = serve.serve_wsgi("clean", wsgi_app.create_app(WSGI_EXAMPLE))
    stack.callback(clean.stop)
    mistakes = serve.serve_wsgi("misconfigured", misconfigured.hand_written)
    stack.callback(mistakes.stop)
    reflecting = stack.enter_context(
        servers.gunicorn("tests.cli.misconfigured:django_cors_headers_app()", workers=1, threads=4)
    )
    return {8000: clean.port, 8001: reflecting.port, 8002: mistakes.port}


SERVERS: dict[str, Callable[[ExitStack], dict[int, int]]] = {
    "demo": demo,
    "two-layers": two_layers,
    "scan-targets": scan_targets,
}


def to_real(command: str, ports: dict[int, int]) -> str:
    """The command with each documented port replaced by the real one."""
    for documented, real in ports.items():
        command = command.replace(f":{documented}", f":{real}")
    return command


def to_documented(said: str, ports: dict[int, int]) -> str:
    """What a command printed, with each real port replaced by the documented one."""
    for documented, real in ports.items():
        said = said.replace(f":{real}", f":{documented}")
    return said
