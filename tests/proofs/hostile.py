"""Seeded hostile requests, and the policies they are sent to.

Everything comes from one ``random.Random(seed)``, so a failure is replayed
by its seed. Requests are mostly attacks (look-alike origins, control bytes,
CR/LF, NUL, non-ASCII, 1 MiB values, duplicated headers, encoded paths) with
plenty of legitimate ones mixed in, because a proof that only sends attacks
cannot notice a guard that refuses everything. Origins are built from the
policy's own entries, so look-alikes are look-alikes of what is allowed.

Values are text as a server hands them over: each character is one byte
(latin-1), so ``"\\xc3\\xa4"`` is the UTF-8 encoding of "ä" on the wire.
"""

from __future__ import annotations

import io
import random
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_to_bytes

MIB = 1 << 20
# 1 MiB values, and 60 kB ones: under the 64 KiB request line of http.server (runserver, Werkzeug's).
HUGE = ("a" * MIB, "," * MIB, "\r\n" * (MIB // 2), "a" * 60_000, "/" * 60_000)

EXACT: tuple[str, ...] = (
    "https://app.example.com",
    "http://localhost:3000",
    "https://xn--bcher-kva.example",
    "http://[::1]:8000",
)
EXACT += ("https://app.example.com:8443", "http://127.0.0.1:5173", "https://a_b.example.com")
PATTERNS: tuple[str, ...] = (
    "https://*.example.org",
    "https://*.example.org:8443",
    "https://*.example.org:*",
    "http://localhost:*",
)
PATTERNS += ("https://*.app.example.com",)
INSECURE = ("http://insecure.example.com", "ws://socket.example.net")  # refused with credentials
REGEXES = {
    r"https://[a-z0-9-]+\.preview\.example\.com": (
        "https://pr-12.preview.example.com",
        "https://x.preview.example.com",
    ),
    r"https://(?:alpha|beta)\.example\.net": ("https://alpha.example.net", "https://beta.example.net"),
    r"http://localhost:[0-9]+": ("http://localhost:8080", "http://localhost:0"),
    r"https://pr-[0-9]+\.example\.io(?::[0-9]+)?": ("https://pr-7.example.io", "https://pr-1.example.io:9000"),
}
RULES: tuple[tuple[str, dict[str, object] | None], ...] = (
    (r"/api/public/.*", {"ALLOWED_ORIGINS": ["*"], "ALLOW_CREDENTIALS": False}),
    (r"/admin/.*", None),
    (r"/api/.*", {}),
    (r"/partner/.*", {"ALLOWED_ORIGINS": ["https://partner.example", "null"], "ALLOW_CREDENTIALS": False}),
    (r"/API/.*", None),
    (r"/", {"ALLOW_PRIVATE_NETWORK": True}),
)
PATHS = ("/api/items", "/api/public/feed", "/admin/users", "/API/items", "/partner/feed", "/other", "/", "/admin")

# Look-alikes of an allowed origin: appended to it, put in place of its
# "://", or put in front of it. Each is an attack or a parsing mistake some
# CORS library has made (suffix and prefix confusion, default ports, user
# information, a second Origin line joined by the server ...).
SUFFIXES = [".evil.com", ":443", ":80", ":65536", ":00", ":", ".", "/", "./", "/x?y#z", "?", "#", "\\@evil.com"]
SUFFIXES += [", https://evil.com", ",https://evil.com"]
CONTROL = ("\t", "\r\nSet-Cookie: a=b", "\n", "\r", "\x00", "\x7f", "\xff", "\xc3\xa4", " ")
AFTER_SCHEME = ("://evil", "://evil.", "://u@", "://u:p@", ":///", ":/", "://xn--", "://%61")
PREFIXES = ("https://evil.com, ", "\r", " ", "\x00", "null, ")
TWISTS: tuple[Callable[[str], str], ...] = (
    str.upper,
    str.capitalize,
    lambda o: o.partition("://")[0] + "://" + o.partition("://")[2].upper(),
    lambda o: "http" + o[5:] if o.startswith("https:") else "https" + o[4:],
    lambda o: o.replace(".", "-", 1),
    lambda o: o.replace(".", "..", 1),
    lambda o: o.replace(".", "%2e", 1),
    lambda o: o.replace("a", "\xe0", 1),
    lambda o: o[:-1],
    lambda o: o + ", " + o,
    lambda o: o + "," + o,
    lambda o: o.replace("://", "://" + "a" * max(1, 300 - len(o)) + ".", 1),  # 301 characters
    lambda o: o.replace("://", "://" + "a" * max(1, 299 - len(o)) + ".", 1),  # 300: the longest allowed
)
ODD_ORIGINS = ["null", "NULL", "Null", "null ", "null, null", "", " ", "*", ",", "https://", "https://:443"]
ODD_ORIGINS += ["http://[::1]", "http://[]", "http://[::1", "http://[::G]", "http://[::1]:80", "http://[::1]:8000"]
ODD_ORIGINS += ["file://", "about:blank", "javascript://x", "https://app.example.com.evil.com"]
ODD_ORIGINS += ["https://APP.example.com", "https://evilapp.example.com", "https://app-example.com"]
ODD_ORIGINS += ["https://example.org", "https://evilexample.org", "https://example.org.evil.net"]
ODD_ORIGINS += ["https://b\xfccher.example", "https://b\xc3\xbccher.example"]
# Origins assembled from parts: the grammar's edges, for "*" and regexes.
SCHEMES = ("https", "http", "ws", "wss", "ftp", "foo+bar.baz-1", "Https", "h\xe9", "1http")
HOSTS = ("a", "a.b", "x_y.example.org", "app.example.com", "-", "a..b", ".a", "a.", "[::1]", "[::FFFF]", "localhost")
PORTS = ("", ":0", ":1", ":80", ":443", ":21", ":8000", ":65535", ":65536", ":099", ":99999", ":+1", ": 1")

# Paths as sent on the wire (the server decodes %-escapes once): a routed
# path with something put in front, its first "/" or "a" replaced, or a tail.
PATH_PREFIXES = ["/", "//", "///", "/api/..", "/./", "/api/%2e%2e", "\\", "", "%2f"]
PATH_REPLACEMENTS = [("/", "//"), ("/", "/./"), ("/", "%2f"), ("/", "%2F"), ("a", "%61"), ("a", "%2561"), ("a", "A")]
PATH_SUFFIXES = ["/", "//", "+x", "%20", "%0d%0aSet-Cookie:%20a=b", "%00", "/%c3%a9", "%ff", ";x=1", "/%2e%2e/admin"]
PATH_SUFFIXES += ["\r\n", "\x00", "/\xc3\xa9", "\xe9", " ", "/" + "a" * 300, "/.", "/.."]

METHODS = ("GET", "GET", "POST", "OPTIONS", "OPTIONS", "OPTIONS", "PUT", "DELETE", "PATCH", "HEAD")
ODD_METHODS = ("options", "Options", "OPTIONS ", " OPTIONS", "OPTIONS\x00", "OPT\r\nIONS", "GET\xff", "", "TRACE")
ACRMS = ("PUT", "GET", "POST", "PATCH", "patch", "DELETE", "", "PUT\r\nX-Injected: 1", "\x00", "PUT, PUT", "P\xdcT")
ACRHS = ["content-type", "authorization,x-requested-with", "Content-Type, X-Custom", " , ,,", "x-a\r\nset-cookie: a"]
ACRHS += ["\x00", "\xe9", "content-type, content-type", "x-" + "a" * 5000]
ACRPNS = ("true", "true", "TRUE", "true ", "false", "", "true\r\n", "true, true")
ORIGIN, ACRM = "origin", "access-control-request-method"
ACRH, ACRPN = "access-control-request-headers", "access-control-request-private-network"


def policy(rng: random.Random) -> dict[str, object]:
    """One valid configuration in corsguard's settings vocabulary."""
    credentials = rng.random() < 0.4
    origins = rng.sample(EXACT, rng.randint(0, 3)) + rng.sample(PATTERNS, rng.randint(0, 2))
    if not credentials:
        origins += [entry for entry in ("*", "null", *INSECURE) if rng.random() < 0.25]
    config: dict[str, object] = {
        "ALLOWED_ORIGINS": origins,
        "ORIGIN_REGEXES": rng.sample(sorted(REGEXES), rng.randint(0, 2)),
        "ALLOW_CREDENTIALS": credentials,
        "ALLOW_PRIVATE_NETWORK": rng.random() < 0.5,
        "PREFLIGHT_STATUS": rng.choice((204, 200)),
    }
    if rng.random() < 0.6:
        rules = rng.sample(RULES, rng.randint(1, len(RULES)))
        if rng.random() < 0.5:
            rules.append((r".*", {}))
        config["PATHS"] = rules
    return config


def legitimate_origins(config: dict[str, Any]) -> list[str]:
    """Origins some part of ``config`` is meant to allow: instances of its entries."""
    entries = list(config["ALLOWED_ORIGINS"])
    for _, overrides in config.get("PATHS") or ():
        entries += (overrides or {}).get("ALLOWED_ORIGINS", [])
    found = [origin for regex in config["ORIGIN_REGEXES"] for origin in REGEXES[regex]]
    for label, port in (("a", ""), ("a.b", ":3000"), ("x-1", ":65535"), ("_dmarc.0", ":1")):
        found += [(entry[:-2] + port if entry.endswith(":*") else entry).replace("*", label, 1) for entry in entries]
    return list(dict.fromkeys(found)) or ["https://app.example.com"]


def origin(rng: random.Random, legitimate: list[str]) -> str | None:
    """An Origin value: none, legitimate, a look-alike, an oddity, the grammar's edges, or noise."""
    roll, allowed = rng.random(), rng.choice(legitimate)
    if roll < 0.1:
        return None
    if roll < 0.35:
        return allowed
    if roll < 0.45:
        return allowed + rng.choice(SUFFIXES)
    if roll < 0.5:
        return allowed.replace("://", rng.choice(AFTER_SCHEME), 1)
    if roll < 0.6:
        return rng.choice(PREFIXES) + allowed if rng.random() < 0.3 else allowed + rng.choice(CONTROL)
    if roll < 0.7:
        return rng.choice(TWISTS)(allowed)
    if roll < 0.82:
        return rng.choice(ODD_ORIGINS)
    if roll < 0.95:
        return f"{rng.choice(SCHEMES)}://{rng.choice(HOSTS)}{rng.choice(PORTS)}"
    return bytes(rng.randrange(256) for _ in range(rng.randrange(40))).decode("latin-1")


def path(rng: random.Random) -> str:
    """A wire path: a routed one as it is, or twisted at its start, in its middle or at its end."""
    chosen, roll = rng.choice(PATHS), rng.random()
    if roll < 0.4:
        return chosen
    if roll < 0.6:
        return rng.choice(PATH_PREFIXES) + chosen.lstrip("/")
    if roll < 0.8:
        old, new = rng.choice(PATH_REPLACEMENTS)
        return chosen.replace(old, new, rng.choice((1, 2, -1)))
    return chosen + rng.choice(PATH_SUFFIXES)


def request(rng: random.Random, legitimate: list[str], huge: float = 0.002) -> Hostile:
    """One request: legitimate, hostile, or (with probability ``huge``) carrying a 1 MiB value."""
    method = rng.choice(METHODS) if rng.random() < 0.95 else rng.choice(ODD_METHODS)
    headers: list[tuple[str, str]] = []
    value = origin(rng, legitimate)
    if value is not None:
        headers.append((ORIGIN, value))
        if rng.random() < 0.05:  # the header sent twice
            headers.append((ORIGIN, rng.choice(legitimate)))
    if rng.random() < (0.85 if method.strip().upper() == "OPTIONS" else 0.1):
        headers += [(ACRM, rng.choice(ACRMS)) for _ in range(2 if rng.random() < 0.03 else 1)]
    if rng.random() < 0.4:
        headers.append((ACRH, rng.choice(ACRHS)))
    if rng.random() < (0.6 if method == "OPTIONS" else 0.2):
        headers.append((ACRPN, "true" if rng.random() < 0.5 else rng.choice(ACRPNS)))
    if rng.random() < 0.03:
        headers.append(("x-origin", rng.choice(legitimate)))
    made = Hostile(method, path(rng), "vary" if rng.random() < 0.2 else "", tuple(headers))
    return _huge(rng, made, rng.choice(legitimate)) if rng.random() < huge else made


def _huge(rng: random.Random, request: Hostile, allowed: str) -> Hostile:
    """``request`` with one value made huge (``HUGE``)."""
    filler = rng.choice(HUGE)
    field = rng.choice((ORIGIN, ORIGIN, ACRM, ACRH, ACRPN, "method", "path"))
    if field == "method":
        return Hostile(filler, request.path, request.query, request.headers)
    if field == "path":
        return Hostile(request.method, request.path + "/" + filler, request.query, request.headers)
    value = allowed + filler if field == ORIGIN and rng.random() < 0.5 else filler
    headers = (*[item for item in request.headers if item[0] != field], (field, value))
    return Hostile(request.method, request.path, request.query, headers)


@dataclass(frozen=True)
class Hostile:
    """One request as sent: method, wire path, query, header lines (repeats allowed)."""

    method: str
    path: str
    query: str
    headers: tuple[tuple[str, str], ...]

    def header(self, name: str) -> str | None:
        """The value a WSGI server hands over: repeated lines joined by ", "."""
        values = [value for key, value in self.headers if key == name]
        return ", ".join(values) if values else None

    def environ(self) -> dict[str, Any]:
        """A PEP 3333 environ: PATH_INFO decoded once, as latin-1 text of the bytes. Each value is a new
        string, as a server decodes it per request (a reused one keeps its hash: hashing 1 MiB is not free)."""
        environ: dict[str, Any] = {
            "REQUEST_METHOD": self.method.encode("latin-1").decode("latin-1"),
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote_to_bytes(self.path.encode("latin-1")).decode("latin-1"),
            "QUERY_STRING": self.query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for name in {name for name, _ in self.headers}:
            environ["HTTP_" + name.upper().replace("-", "_")] = (
                str(self.header(name)).encode("latin-1").decode("latin-1")
            )
        return environ

    def scope(self) -> dict[str, Any]:
        """An ASGI HTTP scope: ``path`` decoded once as UTF-8, header lines as sent."""
        raw = self.path.encode("latin-1")
        return {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": self.method,
            "scheme": "http",
            "path": unquote_to_bytes(raw).decode("utf-8", "replace"),
            "raw_path": raw,
            "query_string": self.query.encode("latin-1"),
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1")] + [(n.encode(), v.encode("latin-1")) for n, v in self.headers],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 80),
        }

    def __str__(self) -> str:
        return shorten(repr(self))


Sent = tuple[int, int | None, list[tuple[str, str]]]  # nanoseconds, status, headers
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def serve(app: WSGIApp, environ: dict[str, Any]) -> Sent:
    """Call ``app`` as a server does (start_response, the body to its end, close), timed."""
    started: list[Any] = []
    start = time.perf_counter_ns()
    body = app(environ, lambda status, headers, exc_info=None: started.extend((status, headers)))
    try:
        for _ in body:
            pass
    finally:
        getattr(body, "close", lambda: None)()
    elapsed = time.perf_counter_ns() - start
    code = started[0][:3]
    return elapsed, int(code) if code.isdigit() else None, list(started[1])


def shorten(text: str, limit: int = 400) -> str:
    """``text`` cut in the middle, so a 1 MiB value prints as a line."""
    return text if len(text) <= limit else f"{text[: limit // 2]}...<{len(text)} chars>...{text[-limit // 4 :]}"
