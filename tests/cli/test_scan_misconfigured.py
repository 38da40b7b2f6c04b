"""``corsguard scan`` against deliberately misconfigured servers on loopback:
each must be reported with the right code and severity, and a correctly
configured corsguard app, behind the same checks, with none."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from corsguard.cli import scan
from testprojects import serve, wsgi_app
from testprojects.flask_project.app import create_app as create_flask_app
from tests.cli import misconfigured
from tests.cli.misconfigured import TRUSTED
from tests.proofs import servers

ROOT = Path(__file__).resolve().parents[2]

# path -> the findings it must produce, as (code, severity).
EXPECTED: dict[str, set[tuple[str, str]]] = {
    "/reflect-no-vary": {("origin-reflected", "high"), ("vary-origin-missing", "medium")},
    "/vary-when-allowed": {("vary-origin-missing-on-refusal", "low")},
    "/unescaped-dot": {("unescaped-dot-bypass", "high")},
    "/null": {("null-trusted", "high")},
    # endswith() also lets in every subdomain and the http: twin: three findings, all true.
    "/ends-with": {
        ("pre-domain-bypass", "high"),
        ("any-subdomain-trusted", "low"),
        ("insecure-origin-trusted", "medium"),
    },
    "/starts-with": {("post-domain-bypass", "high"), ("special-character-bypass", "high")},
    "/subdomains": {("any-subdomain-trusted", "low")},
    "/host-in": {("substring-bypass", "high")},
    "/http-twin": {("insecure-origin-trusted", "medium")},
    "/github-pages": {("third-party-origin-trusted", "high")},
    "/decoded": {("crlf-injection", "medium"), ("origin-reflected", "high")},
    "/star-credentials": {("wildcard-with-credentials", "low")},
    "/two-layers": {("duplicate-acao", "low"), ("wildcard-origin", "info")},
    "/preflight-redirect": {("preflight-redirect", "low")},
    "/preflight-405": {("preflight-not-ok", "low")},
    "/preflight-401": {("preflight-not-ok", "low")},
    "/star-headers": {("allow-headers-star-authorization", "low")},
    "/max-age": {("max-age-above-caps", "info")},
    "/preflight-any-origin": {("preflight-approves-crafted-origin", "medium")},
    "/localhost-allowed": {("local-origin-trusted", "high")},
    "/reflect-without-credentials": {("origin-reflected", "info"), ("null-trusted", "info")},
}

CLEAN_SETTINGS = {"ALLOWED_ORIGINS": [TRUSTED], "ALLOW_CREDENTIALS": True, "MAX_AGE": 600}


def codes(result: scan.Scan) -> set[tuple[str, str]]:
    return {(found.code, found.severity) for found in result.findings}


def assert_clean(result: scan.Scan, trusted: str) -> None:
    """No finding, and not for want of an answer: the trusted origin was allowed, with credentials."""
    assert result.findings == [], scan.as_text(result)
    first = result.probed[0].received
    preflight = next(item.received for item in result.probed if item.planned.probe == "preflight")
    assert first is not None and preflight is not None
    assert first.get("Access-Control-Allow-Origin") == trusted
    assert first.get("Access-Control-Allow-Credentials") == "true"
    assert preflight.get("Access-Control-Allow-Origin") == trusted and 200 <= preflight.status < 300


@pytest.fixture(scope="module")
def hand_written() -> Iterator[str]:
    running = serve.serve_wsgi("misconfigured", misconfigured.hand_written)
    yield running.url("127.0.0.1")
    running.stop()


@pytest.fixture(scope="module")
def clean() -> Iterator[int]:
    running = serve.serve_wsgi("clean", wsgi_app.create_app(CLEAN_SETTINGS))
    yield running.port
    running.stop()


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_hand_written_mistakes_are_reported(path: str, hand_written: str) -> None:
    result = scan.scan(hand_written + path, TRUSTED)
    assert result.unreachable is None
    assert EXPECTED[path] <= codes(result), scan.as_text(result)
    # The narrower bypasses are implied by a reflection, never reported again.
    if ("origin-reflected", "high") in codes(result):
        assert not {"pre-domain-bypass", "post-domain-bypass"} & {code for code, _ in codes(result)}


def test_only_the_mistake_is_reported(hand_written: str) -> None:
    """Servers right in everything else carry exactly their own finding."""
    for path in (
        "/vary-when-allowed",
        "/unescaped-dot",
        "/null",
        "/ends-with",
        "/http-twin",
        "/preflight-405",
        "/max-age",
        "/preflight-any-origin",
        "/localhost-allowed",
        "/reflect-without-credentials",
    ):
        assert codes(scan.scan(hand_written + path, TRUSTED)) == EXPECTED[path], path


@pytest.mark.parametrize("path", ["/fixed-acao", "/vary-when-allowed-uncached"])
def test_correct_hand_written_servers_scan_clean(path: str, hand_written: str) -> None:
    """B15: no Vary finding where the scan saw no dependence on Origin, or no cache that could store it."""
    result = scan.scan(hand_written + path, TRUSTED, credentials=True)
    assert result.findings == [], scan.as_text(result)
    assert result.exit_code("low") == 0


def test_every_finding_quotes_the_requests_that_prove_it(hand_written: str) -> None:
    """Vary: the answer that lacks it and one that differs; a crafted preflight: the OPTIONS itself."""
    found = {f.code: f for f in scan.scan(hand_written + "/reflect-no-vary", TRUSTED).findings}
    pieces = found["vary-origin-missing"].evidence
    assert len(pieces) == 2
    assert pieces[0]["response"]["headers"] != pieces[1]["response"]["headers"]
    preflight = scan.scan(hand_written + "/preflight-any-origin", TRUSTED).findings[0]
    request = preflight.evidence[0]["request"]
    assert request["method"] == "OPTIONS"
    assert ["Access-Control-Request-Headers", "authorization,content-type"] in request["headers"]
    assert ["Access-Control-Allow-Credentials", "true"] in preflight.evidence[0]["response"]["headers"]
    for path in EXPECTED:
        for item in scan.scan(hand_written + path, TRUSTED).findings:
            assert item.evidence and all("request" in piece for piece in item.evidence), (path, item.code)


def test_clean_corsguard_app_has_no_finding(clean: int) -> None:
    for host in ("127.0.0.1", "localhost"):
        result = scan.scan(f"http://{host}:{clean}/api/items", TRUSTED, credentials=True)
        assert_clean(result, TRUSTED)
        assert result.exit_code("low") == 0


def test_clean_corsguard_flask_project_has_no_finding() -> None:
    """The Flask test project with its development settings (credentials on), private route included."""
    app = create_flask_app(env={})
    running = serve.serve_wsgi("clean-flask", app)
    try:
        for path in ("/api/items", "/api/private"):
            result = scan.scan(running.url("127.0.0.1") + path, "http://localhost:3000", credentials=True)
            assert_clean(result, "http://localhost:3000")
    finally:
        running.stop()


def test_clean_corsguard_django_project_has_no_finding(tmp_path: Path) -> None:
    """The Django test project (corsguard_django, credentials on) under gunicorn, DEBUG off."""
    environ = {
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "testprojects.django_project.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_PROJECT_DB": str(tmp_path / "project.sqlite3"),
        "FRONTEND_ORIGINS": TRUSTED,
    }
    with servers.gunicorn("testprojects.django_project.wsgi:application", environ, workers=1, threads=4) as server:
        for path in ("/api/items", "/api/private"):
            result = scan.scan(f"http://127.0.0.1:{server.port}{path}", TRUSTED, credentials=True)
            assert_clean(result, TRUSTED)


def test_flask_cors_with_credentials_reflects_every_origin() -> None:
    running = serve.serve_wsgi("flask-cors", misconfigured.flask_cors_app())
    try:
        result = scan.scan(running.url("127.0.0.1") + "/api/items", TRUSTED)
    finally:
        running.stop()
    assert ("origin-reflected", "high") in codes(result), scan.as_text(result)
    assert ("null-trusted", "high") in codes(result)
    assert result.exit_code("high") == 1


def test_django_cors_headers_allow_all_with_credentials() -> None:
    app = "tests.cli.misconfigured:django_cors_headers_app()"
    environ = {"PYTHONPATH": str(ROOT)}
    with servers.gunicorn(app, environ, workers=1, threads=4) as server:
        result = scan.scan(f"http://127.0.0.1:{server.port}/api/items", TRUSTED)
    assert ("origin-reflected", "high") in codes(result), scan.as_text(result)
    assert result.exit_code("high") == 1


def test_nginx_adding_its_own_acao_over_corsguard(clean: int) -> None:
    """The two-layer mistake: nginx's add_header on top of the app's CORS."""
    extra = '            add_header Access-Control-Allow-Origin "*" always;'
    with servers.nginx(clean, extra) as proxy:
        result = scan.scan(f"http://127.0.0.1:{proxy.port}/api/items", TRUSTED)
    assert ("duplicate-acao", "low") in codes(result), scan.as_text(result)
    trusted = result.probed[0].received
    assert trusted is not None
    assert len(trusted.lines("Access-Control-Allow-Origin")) == 2
