"""``python -m testprojects.demo``: the Django API, the Flask API and the
dashboard, all on loopback, in one process.

The APIs allow the dashboard's origin (``http://localhost:<port>``) with
credentials; the refused-origin card calls from ``http://127.0.0.1:<port>``,
which they do not allow.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shlex
import sys
import tempfile
import time

from corsguard.cli.check import command as check
from testprojects import serve
from testprojects.demo import dashboard


def _django_app(frontend: str) -> serve.WSGIApplicationType:
    os.environ["DJANGO_SETTINGS_MODULE"] = "testprojects.django_project.settings"
    os.environ["FRONTEND_ORIGINS"] = frontend
    os.environ.setdefault("DJANGO_PROJECT_DB", os.path.join(tempfile.mkdtemp(prefix="corsguard-demo-"), "db.sqlite3"))
    import django  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415

    django.setup()
    call_command("migrate", verbosity=0)  # sessions are signed cookies; the demo user lives in memory
    from django.core.handlers.wsgi import WSGIHandler  # noqa: PLC0415

    return WSGIHandler()


def _flask_app(frontend: str) -> serve.WSGIApplicationType:
    from testprojects.flask_project.app import create_app  # noqa: PLC0415

    return create_app(
        {
            "CORSGUARD_ALLOWED_ORIGINS": [frontend],
            "CORSGUARD_ALLOW_CREDENTIALS": True,
            "CORSGUARD_EXPOSE_HEADERS": ["x-total-count"],
        },
        env={},
    )


def start(port: int, django_port: int, flask_port: int) -> tuple[str, list[serve.Running]]:
    """Start everything; returns the dashboard's URL and the servers."""
    # The dashboard's port must be known before the APIs are configured.
    placeholder = serve.serve_wsgi("dashboard", lambda environ, start_response: [])
    frontend_port = port or placeholder.port
    placeholder.stop()
    frontend = f"http://localhost:{frontend_port}"

    django_api = serve.serve_wsgi("django", dashboard.attributing(_django_app(frontend), "django"), django_port)
    flask_api = serve.serve_wsgi("flask", dashboard.attributing(_flask_app(frontend), "flask"), flask_port)
    # After django.setup(): its LOGGING dictConfig reconfigures "corsguard".
    logs = dashboard.LogTail()
    cors_logger = logging.getLogger("corsguard")
    cors_logger.addHandler(logs)
    cors_logger.setLevel(logging.DEBUG)
    apis = {"django": django_api.url("localhost"), "flask": flask_api.url("localhost")}
    recorders = {"django": django_api.recorder, "flask": flask_api.recorder}
    origins = (frontend, f"http://127.0.0.1:{frontend_port}")
    page = serve.serve_wsgi("dashboard", dashboard.make_app(apis, recorders, origins, logs), frontend_port)
    return f"{frontend}/", [django_api, flask_api, page]


def refused_calls(url: str, api: serve.Running) -> list[list[str]]:
    """`corsguard check` arguments for the dashboard's two refused calls."""
    frontend = url.rstrip("/")
    base = api.url("localhost")
    refused_origin = frontend.replace("//localhost:", "//127.0.0.1:", 1)
    return [
        [f"{base}/api/items?demo=refused-header", "--origin", frontend, "--header", "X-Custom:1"],
        [f"{base}/api/items?demo=refused-origin", "--origin", refused_origin],
    ]


def diagnose(url: str, api: serve.Running) -> int:
    """What `corsguard check` says about the calls the dashboard shows refused."""
    parser = argparse.ArgumentParser(prog="corsguard")
    check.add_parser(parser.add_subparsers(dest="command"))
    worst = 0
    for argv in refused_calls(url, api):
        print(f"$ corsguard check {shlex.join(argv)}", flush=True)
        code = check.run(parser.parse_args(["check", *argv]))
        print(f"$ echo $?\n{code}\n", flush=True)
        worst = max(worst, code)
    # Both calls are refused on purpose: exit 0 when check said so (1 each).
    return 0 if worst == 1 else 1


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m testprojects.demo", description=__doc__)
    parser.add_argument("--port", type=int, default=8080, help="the dashboard (0: any free port)")
    parser.add_argument("--django-port", type=int, default=8000)
    parser.add_argument("--flask-port", type=int, default=8001)
    parser.add_argument("--json", action="store_true", help="print the URL as JSON (for scripts and tests)")
    parser.add_argument(
        "--diagnose",
        action="store_true",
        help="start, run `corsguard check` on the dashboard's refused calls, print what it says, stop",
    )
    args = parser.parse_args()
    url, running = start(args.port, args.django_port, args.flask_port)
    if args.diagnose:
        code = diagnose(url, running[0])
        for server in running:
            server.stop()
        return code
    if args.json:
        print(json.dumps({"url": url}), flush=True)
    else:
        print(f"corsguard demo: open {url}", flush=True)
        for server in running[:2]:
            print(f"  {server.name} API on {server.url('localhost')}", flush=True)
        first = refused_calls(url, running[0])[0]
        print(f"Diagnose a refused call from a terminal: corsguard check {shlex.join(first)}", flush=True)
        print("Ctrl-C stops it.", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        for server in running:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
