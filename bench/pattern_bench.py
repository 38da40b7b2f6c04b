"""User patterns (B12): what the linear-time engine costs, and what it saves.

Two tables. The first times one ``fullmatch`` of an origin regex: a pattern
``re`` runs in linear time (corsguard hands it to ``re`` itself), and one
that ``re`` backtracks on (corsguard runs it on its lazily built DFA), on a
hit, a miss and a hostile miss. The second sends the review's hostile
request through each peer configured with the same pattern, each in a child
process killed after ``TIME_BOX_S``, and through corsguard.
"""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import time

from bench.common import Table, per_call_us, us
from corsguard._engine.patterns import SafePattern, compile_pattern

SAFE = r"https://[a-z0-9-]+\.example\.com"
NESTED = r"https://(a+)+\.example\.com"
TIME_BOX_S = 10.0
HOSTILE_LENGTHS = (22, 26, 60)


def _hostile(length: int) -> str:
    return "https://" + "a" * length + "b.example.com"


def _compiled(source: str) -> SafePattern:
    compiled = compile_pattern(source)
    assert isinstance(compiled, SafePattern), compiled
    return compiled


def match_table(repeat: int) -> Table:
    table = Table("User patterns (B12): one fullmatch of an origin (median)", ["corsguard", "re", "engine"])
    safe, nested = _compiled(SAFE), _compiled(NESTED)
    safe_re, nested_re = re.compile(SAFE), re.compile(NESTED)
    cases = [
        (f"`{SAFE}`, hit", safe, safe_re, "https://app.example.com"),
        (f"`{SAFE}`, miss", safe, safe_re, "https://app.example.net"),
        (f"`{NESTED}`, hit", nested, nested_re, "https://aaaa.example.com"),
        (f"`{NESTED}`, miss", nested, nested_re, "https://aaaa.example.net"),
    ]
    for label, ours, theirs, origin in cases:
        ours_us = per_call_us(lambda ours=ours, origin=origin: ours.fullmatch(origin), repeat=repeat)
        re_us = per_call_us(lambda theirs=theirs, origin=origin: theirs.fullmatch(origin), repeat=repeat)
        table.add(label, us(ours_us), us(re_us), ours.engine)
    for length in HOSTILE_LENGTHS:
        origin = _hostile(length)
        ours_us = per_call_us(lambda origin=origin: nested.fullmatch(origin), repeat=repeat)
        table.add(f"`{NESTED}`, hostile miss ({length} a's)", us(ours_us), _peer_cell("re", length), nested.engine)
    table.notes.append(
        f"Hostile cells for `re` are one call in a child process, killed after {TIME_BOX_S:.0f} s. "
        "Patterns re runs in linear time stay on re, so their cost is re's plus one attribute load."
    )
    return table


# Each peer as a child process's source: setup, then one request (``{origin}``).
_PEERS = {
    "re": ("import re", "re.fullmatch({pattern!r}, {origin!r})"),
    "django-cors-headers 4.9": (
        "import django; from django.conf import settings; "
        "settings.configure(CORS_ALLOWED_ORIGIN_REGEXES=[{pattern!r}], ROOT_URLCONF=[], ALLOWED_HOSTS=['*']); "
        "django.setup(); from django.test import RequestFactory; from django.http import HttpResponse; "
        "from corsheaders.middleware import CorsMiddleware; app = CorsMiddleware(lambda r: HttpResponse('ok'))",
        "app(RequestFactory().get('/', HTTP_ORIGIN={origin!r}))",
    ),
    "flask-cors 6.0": (
        "import re; from flask import Flask; from flask_cors import CORS; flask_app = Flask('b'); "
        "CORS(flask_app, origins=[re.compile({pattern!r})]); flask_app.add_url_rule('/', 'i', lambda: 'ok'); "
        "client = flask_app.test_client()",
        "client.get('/', headers={{'Origin': {origin!r}}})",
    ),
    "Starlette 1.10 CORSMiddleware": (
        "from starlette.applications import Starlette; from starlette.middleware.cors import CORSMiddleware; "
        "from starlette.responses import PlainTextResponse; from starlette.routing import Route; "
        "from starlette.testclient import TestClient; "
        "star = Starlette(routes=[Route('/', lambda r: PlainTextResponse('ok'))]); "
        "star.add_middleware(CORSMiddleware, allow_origin_regex={pattern!r}); client = TestClient(star)",
        "client.get('/', headers={{'Origin': {origin!r}}})",
    ),
}


def _peer_seconds(peer: str, length: int) -> float | None:
    """Seconds for one hostile request through ``peer`` (set up and warmed
    by an innocent request first), or None when killed."""
    setup, request = _PEERS[peer]
    innocent = request.format(pattern=NESTED, origin="https://a.example.com")
    hostile = request.format(pattern=NESTED, origin=_hostile(length))
    script = (
        f"import time\n{setup.format(pattern=NESTED)}\n{innocent}\nstarted = time.perf_counter()\n{hostile}\n"
        "print(time.perf_counter() - started)"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=TIME_BOX_S, check=True
        )
    except subprocess.TimeoutExpired:
        return None
    return float(done.stdout.strip().splitlines()[-1])


def _peer_cell(peer: str, length: int) -> str:
    seconds = _peer_seconds(peer, length)
    return f"> {TIME_BOX_S:.0f} s (killed)" if seconds is None else us(seconds * 1e6)


def peers_table() -> Table:
    from bench.common import wsgi_environ  # noqa: PLC0415
    from corsguard import Policy  # noqa: PLC0415
    from corsguard._adapters.wsgi import CorsMiddleware  # noqa: PLC0415

    table = Table(f"One hostile request, `{NESTED}` as the origin regex", [f"{n} a's" for n in HOSTILE_LENGTHS])
    for peer in ("django-cors-headers 4.9", "flask-cors 6.0", "Starlette 1.10 CORSMiddleware"):
        table.add(peer, *(_peer_cell(peer, length) for length in HOSTILE_LENGTHS))
    logging.getLogger("corsguard").setLevel(logging.ERROR)  # the refusals are expected here
    middleware = CorsMiddleware(lambda environ, start: [b"ok"], Policy(origin_regexes=[NESTED]))
    cells = []
    for length in HOSTILE_LENGTHS:
        environ = wsgi_environ(HTTP_ORIGIN=_hostile(length))
        started = time.perf_counter()
        middleware(environ, lambda *args: None)
        cells.append(us((time.perf_counter() - started) * 1e6))
    table.add("corsguard WSGI middleware", *cells)
    return table


def run(quick: bool = False) -> list[Table]:
    return [match_table(3 if quick else 7), peers_table()]


if __name__ == "__main__":
    for result in run(quick="--quick" in sys.argv):
        print(result.markdown(), end="\n\n")
