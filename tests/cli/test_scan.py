"""``corsguard scan`` as a command: the requests it plans and sends (only
those, only to the URL, counted), the trusted origin guessed or given, the
JSON document, exit codes for --fail-on, usage and network errors."""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corsguard.cli import main, scan, wire
from corsguard.cli.scan import probes
from corsguard.cli.scan.findings import CODES, SEVERITIES, rank
from corsguard.cli.scan.rules import ACCEPTANCE_CODES, Probed, judge
from testprojects import serve
from tests.cli import misconfigured
from tests.cli.misconfigured import TRUSTED
from tests.proofs.servers import free_port

KEBAB = re.compile(r"[a-z]+(?:-[a-z]+)*")


@pytest.fixture(scope="module")
def running() -> Iterator[serve.Running]:
    server = serve.serve_wsgi("scan-cli", misconfigured.hand_written)
    yield server
    server.stop()


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["scan", *argv])
    return code, out.getvalue(), err.getvalue()


def run_json(*argv: str) -> tuple[int, dict[str, Any]]:
    code, out, _ = run(*argv, "--json")
    return code, json.loads(out)


def test_codes_are_kebab_case_with_a_severity_and_a_fix() -> None:
    for code, entry in CODES.items():
        assert KEBAB.fullmatch(code) and entry.code == code
        assert {entry.with_credentials, entry.without_credentials} <= set(SEVERITIES)
        assert entry.fix and entry.problem
    assert set(ACCEPTANCE_CODES.values()) <= set(CODES)


def test_it_sends_only_the_listed_requests_to_the_url(running: serve.Running) -> None:
    running.recorder.clear()
    code, document = run_json(running.url("127.0.0.1") + "/null?page=2", "--origin", TRUSTED)
    planned = probes.plan(probes.Trusted.parse(TRUSTED))
    received = running.recorder.all()
    assert document["requests_sent"] == len(planned) == len(received) == len(document["requests"])
    assert [(r["method"], r["origin"]) for r in document["requests"]] == [(p.method, p.origin) for p in planned]
    assert {(e.path, e.query) for e in received} == {("/null", "page=2")}
    assert [e.request_headers.get("origin") for e in received] == [p.origin for p in planned]
    preflight = next(e for e in received if e.method == "OPTIONS")
    assert preflight.request_headers["origin"] == TRUSTED
    assert preflight.request_headers["access-control-request-method"] == probes.PREFLIGHT_METHOD
    crafted = [e for e in received if e.method == "OPTIONS"][1:]
    assert "https://evil.example" in [e.request_headers["origin"] for e in crafted]
    assert {e.request_headers["access-control-request-headers"] for e in crafted} == {"authorization,content-type"}
    assert code == 1  # null-trusted with credentials is high


def test_text_says_how_many_it_sent_and_shows_evidence(running: serve.Running) -> None:
    code, out, _ = run(running.url("127.0.0.1") + "/reflect-no-vary", "--origin", TRUSTED)
    count = len(probes.plan(probes.Trusted.parse(TRUSTED)))
    assert f"Sent {count} requests, all to " in out
    assert "[high] origin-reflected:" in out
    assert "      Origin: https://evil.example" in out
    assert "      Access-Control-Allow-Origin: https://evil.example" in out
    assert "fix: " in out and code == 1


def test_json_document(running: serve.Running) -> None:
    code, document = run_json(running.url("127.0.0.1") + "/reflect-no-vary", "--origin", TRUSTED)
    assert document["trusted_origin"] == TRUSTED and document["origin_guessed"] is False
    assert document["error"] is None and document["exit_code"] == code == 1
    found = {finding["code"]: finding for finding in document["findings"]}
    assert set(found) == {"origin-reflected", "null-trusted", "vary-origin-missing"}
    for finding in document["findings"]:
        assert finding["severity"] in SEVERITIES and finding["fix"] == CODES[finding["code"]].fix
        for piece in finding["evidence"]:
            assert {"probe", "request", "response"} <= set(piece)
            assert piece["request"]["method"] in ("GET", "OPTIONS")
    reflected = found["origin-reflected"]
    assert ["Origin", "https://evil.example"] in reflected["evidence"][0]["request"]["headers"]
    assert ["Access-Control-Allow-Credentials", "true"] in reflected["evidence"][0]["response"]["headers"]
    # Every narrower bypass the reflection implies, named once.
    assert "https://evilapp.example.com" in reflected["also"]


@pytest.mark.parametrize(
    ("fail_on", "expected"), [("high", 0), ("medium", 1), ("low", 1)]
)  # /http-twin: one medium finding
def test_fail_on(fail_on: str, expected: int, running: serve.Running) -> None:
    url = running.url("127.0.0.1") + "/http-twin"
    assert run(url, "--origin", TRUSTED, "--fail-on", fail_on)[0] == expected


def test_info_findings_never_fail(running: serve.Running) -> None:
    assert run(running.url("127.0.0.1") + "/max-age", "--origin", TRUSTED, "--fail-on", "low")[0] == 0


def test_origin_guessed_from_the_url(running: serve.Running) -> None:
    code, out, _ = run(running.url("127.0.0.1") + "/null")
    assert f"Trusted origin: http://127.0.0.1:{running.port} (guessed from the URL" in out
    _, document = run_json(running.url("localhost") + "/null")
    assert document["origin_guessed"] is True
    assert document["trusted_origin"] == f"http://localhost:{running.port}"
    assert code == 1


def test_credentials_reports_a_refused_trusted_origin(running: serve.Running) -> None:
    url = running.url("127.0.0.1") + "/star-credentials"
    _, without = run_json(url, "--origin", TRUSTED)
    _, with_ = run_json(url, "--origin", TRUSTED, "--credentials")
    assert "credentials-refused" not in {f["code"] for f in without["findings"]}
    assert "credentials-refused" in {f["code"] for f in with_["findings"]}


@pytest.mark.parametrize(
    "argv",
    [
        ["ftp://example.com/"],
        ["http:///nohost"],
        ["http://127.0.0.1:99999/"],
        ["http://[::1/"],
        ["http://127.0.0.1:9/", "--origin", "app.example.com"],
        ["http://127.0.0.1:9/", "--origin", "https://app.example.com/"],
        ["http://127.0.0.1:9/", "--fail-on", "info"],
        ["http://127.0.0.1:9/", "--origin", "null"],
        ["http://[::1]:9/x"],
        ["http://127.0.0.1:9/\u00e9", "--timeout", "1"],
    ],
)
def test_usage_errors_exit_2(argv: list[str]) -> None:
    code, out, err = run(*argv)
    assert code == 2 and "Traceback" not in out + err


def test_nothing_listening_exits_2_after_one_request() -> None:
    code, document = run_json(f"http://127.0.0.1:{free_port()}/", "--origin", TRUSTED, "--timeout", "2")
    assert code == 2 and document["requests_sent"] == 1
    assert document["error"] == "connection refused" and document["findings"] == []


_LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)


@given(
    st.sampled_from(["http", "https"]),
    st.lists(_LABEL, min_size=1, max_size=4),
    st.one_of(st.none(), st.integers(1, 65535)),
)
def test_plan_from_any_origin(scheme: str, labels: list[str], port: int | None) -> None:
    """Trusted first, its preflight the first OPTIONS, no request twice, every value sendable, bounded."""
    origin = f"{scheme}://{'.'.join(labels)}" + (f":{port}" if port is not None else "")
    planned = probes.plan(probes.Trusted.parse(origin))
    assert planned[0].origin == origin and planned[0].probe == "trusted"
    preflights = [p for p in planned if p.method == "OPTIONS"]
    assert preflights[0].origin == origin and preflights[0].probe == "preflight"
    assert all(p.probe.startswith("preflight-") for p in preflights[1:])
    assert len({(p.method, p.origin) for p in planned}) == len(planned)
    gets = [p for p in planned if p.method == "GET"]
    assert origin not in [p.origin for p in gets[1:]]
    for item in planned:
        for _, value in item.headers:
            assert "\r" not in value and "\n" not in value and value.isascii()
    assert len(planned) <= probes.MAX_REQUESTS_PER_URL


def test_wire_errors_are_usage_errors() -> None:
    with pytest.raises(wire.UsageError):
        scan.trusted_origin("mailto:someone@example.com", None)


_NAMES = st.sampled_from(
    ["Access-Control-Allow-Origin", "access-control-allow-credentials", "Vary", "Access-Control-Allow-Headers",
     "Access-Control-Max-Age", "Location", "X-Corsguard-Injected", "Content-Type"]
)  # fmt: skip
_VALUES = st.one_of(
    st.sampled_from(["*", "true", "Origin", "null", "https://evil.example", TRUSTED, "90000", "a, b"]),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=30),
)


@given(
    st.lists(st.tuples(st.sampled_from([200, 204, 301, 403, 405]), st.lists(st.tuples(_NAMES, _VALUES), max_size=6)))
)
def test_judge_any_answers(answers: list[tuple[int, list[tuple[str, str]]]]) -> None:
    """Whatever comes back: known codes only, and no CORS header means no CORS finding."""
    planned = probes.plan(probes.Trusted.parse(TRUSTED))
    probed = [
        Probed(
            item,
            wire.Exchange(wire.Sent(item.method, "http://127.0.0.1/", item.headers), wire.Received(s, "", tuple(h))),
        )
        for item, (s, h) in zip(planned, answers, strict=False)
    ]
    found = judge(probed, probes.Trusted.parse(TRUSTED), credentials=True)
    assert {item.code for item in found} <= set(CODES)
    assert [rank(item.severity) for item in found] == sorted((rank(item.severity) for item in found), reverse=True)
    if not any(name.lower() == "access-control-allow-origin" for _, lines in answers for name, _ in lines):
        assert {item.code for item in found} <= {"credentials-refused", "crlf-injection"}


def test_the_readme_lists_every_code_with_its_severity() -> None:
    from pathlib import Path  # noqa: PLC0415

    readme = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    for code, entry in CODES.items():
        severity = (
            entry.with_credentials
            if entry.with_credentials == entry.without_credentials
            else f"{entry.with_credentials} with ACAC `true`, else {entry.without_credentials}"
        )
        assert f"| `{code}` | {severity} | {entry.problem} |" in readme, code
