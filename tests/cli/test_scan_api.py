"""``corsguard scan`` over whole APIs: --input, --openapi, the request count
stated and guarded, bounded concurrency and rate, the summary grouped by
finding then endpoint, per-endpoint errors that never stop the run (or
print a traceback), exit 2 only when nothing could be scanned."""

from __future__ import annotations

import contextlib
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corsguard.cli import main
from corsguard.cli.scan import sweep, targets
from testprojects import serve
from tests.cli import hostile
from tests.cli.misconfigured import TRUSTED
from tests.proofs.servers import free_port


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    running = serve.serve_wsgi("scan-api", hostile.awkward, port=free_port())
    yield running.url("127.0.0.1")
    running.stop()


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["scan", *argv])
    return code, out.getvalue(), err.getvalue()


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_input_file_grouped_by_finding_then_endpoint(base: str, tmp_path: Path) -> None:
    listing = f"# the API\n{base}/null\n\n{base}/reflect-no-vary\n{base}/fixed-acao\nnot a url\n"
    code, out, err = run("--input", write(tmp_path, "urls.txt", listing), "--origin", TRUSTED, "--rate", "100")
    assert code == 1 and "Traceback" not in out + err
    assert out.startswith("Planned: at most ")
    assert "null-trusted: " in out and f"  [high] {base}/null" in out
    assert f"  {base}/fixed-acao: clean" in out
    assert "urls.txt:6: error: 'not a url' is not an http:// or https:// URL" in out
    assert out.index("null-trusted:") < out.index("By endpoint:")
    assert "      Origin: null" in out  # the request that proves it


def test_json_lists_every_endpoint_and_the_summary(base: str, tmp_path: Path) -> None:
    listing = f"{base}/null\n{base}/http-twin\n"
    code, out, _ = run(
        "--input", write(tmp_path, "u.txt", listing), "--origin", TRUSTED, "--json", "--fail-on", "low", "--rate", "100"
    )
    document = json.loads(out)
    assert code == document["exit_code"] == 1
    assert document["summary"] == {"null-trusted": [f"{base}/null"], "insecure-origin-trusted": [f"{base}/http-twin"]}
    assert [e["url"] for e in document["endpoints"]] == [f"{base}/null", f"{base}/http-twin"]
    assert document["requests_sent"] == sum(e["requests_sent"] for e in document["endpoints"])


def test_bad_endpoints_are_errors_and_the_rest_goes_on(base: str, tmp_path: Path) -> None:
    silent = hostile.Silent()
    try:
        listing = "\n".join(
            [
                f"http://127.0.0.1:{free_port()}/gone",
                f"http://127.0.0.1:{silent.port}/never",
                f"https://127.0.0.1:{base.rsplit(':', 1)[1]}/null",  # TLS to a plain HTTP server
                f"{base}/loop",
                f"{base}/big",
                f"{base}/fixed-acao",
            ]
        )
        started = time.monotonic()
        code, out, err = run(
            "--input", write(tmp_path, "bad.txt", listing), "--origin", TRUSTED, "--timeout", "1", "--rate", "100"
        )
    finally:
        silent.stop()
    assert time.monotonic() - started < 30
    assert "Traceback" not in out + err
    assert ": error: no answer: connection refused" in out
    assert "/never: error: no answer: timed out" in out
    assert "/null: error: no answer: SSLError" in out
    assert "/loop: error: redirected (301 to /loop): scan the URL it points to" in out
    assert f"{base}/big: clean" in out and f"{base}/fixed-acao: clean" in out
    assert code == 1  # some endpoints failed


def test_nothing_scannable_exits_2(tmp_path: Path) -> None:
    listing = f"http://127.0.0.1:{free_port()}/\nftp://example.com/\n"
    code, out, err = run("--input", write(tmp_path, "none.txt", listing), "--timeout", "2")
    assert code == 2 and "Traceback" not in out + err


OPENAPI: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/null": {"get": {}},
        "/{kind}": {"parameters": [{"name": "kind", "in": "path", "schema": {"example": "http-twin"}}], "put": {}},
        "/items/{id}": {"get": {"parameters": [{"name": "id", "in": "path", "schema": {"type": "integer"}}]}},
        "/orders/{order}": {"delete": {}},
    },
}


def test_openapi_paths_with_parameters(base: str, tmp_path: Path) -> None:
    spec = write(tmp_path, "api.json", json.dumps({**OPENAPI, "servers": [{"url": base}]}))
    found = targets.Targets()
    targets._from_openapi(spec, None, {}, found)
    assert found.urls == [f"{base}/null", f"{base}/http-twin", f"{base}/items/1"]
    assert found.errors == [
        (f"{spec} /orders/{{order}}", "no value for the path parameter {order}: pass --param order=VALUE")
    ]
    code, out, _ = run("--openapi", spec, "--param", "order=7", "--origin", TRUSTED, "--json", "--rate", "100")
    document = json.loads(out)
    assert [e["url"] for e in document["endpoints"]][-1] == f"{base}/orders/7"
    assert "null-trusted" in document["summary"] and code == 1


@pytest.mark.parametrize(
    ("text", "why"),
    [("{not json", "not JSON"), ('{"openapi": "3.0.0"}', "no 'paths' mapping"), ('{"paths": {}}', "no server URL")],
)
def test_invalid_openapi_is_a_clear_error(text: str, why: str, tmp_path: Path) -> None:
    code, out, err = run("--openapi", write(tmp_path, "bad.json", text))
    assert code == 2 and why in out and "Traceback" not in out + err


def test_request_count_is_guarded(base: str, tmp_path: Path) -> None:
    listing = "\n".join(f"{base}/null?page={n}" for n in range(30))
    path = write(tmp_path, "many.txt", listing)
    code, out, err = run("--input", path, "--origin", TRUSTED, "--max-requests", "100")
    assert code == 2 and "pass --yes" in err and "By endpoint" not in out
    assert out.startswith("Planned: at most ")


def test_rate_limit_per_host() -> None:
    pace = sweep.Pace(20.0)
    started = time.monotonic()
    for _ in range(6):
        pace("http://127.0.0.1:1/a")
    pace("http://127.0.0.2:1/a")  # another host is not held back
    assert 0.24 <= time.monotonic() - started < 2


def test_progress_only_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    shown, piped = Terminal(), io.StringIO()
    for stream in (shown, piped):
        progress = sweep.Progress(2, stream)
        progress.step()
        progress.step()
    assert "2/2 endpoints" in shown.getvalue() and piped.getvalue() == ""


@pytest.mark.parametrize(
    "argv",
    [[], ["--concurrency", "0", "x"], ["--rate", "1000", "x"], ["--probes", "bogus", "x"], ["--param", "x", "y"]],
)
def test_bad_options_exit_2(argv: list[str]) -> None:
    assert run(*argv)[0] == 2


def test_probe_sets(base: str) -> None:
    _, out, _ = run(base + "/localhost-allowed", "--origin", TRUSTED, "--probes", "reflection", "--json")
    document = json.loads(out)
    probes = {r["probe"] for r in document["requests"]}
    assert "local-network" not in probes and "preflight-arbitrary" not in probes and "preflight" in probes
    assert document["findings"] == []
    _, out, _ = run(base + "/localhost-allowed", "--origin", TRUSTED, "--probes", "local", "--json")
    assert [f["code"] for f in json.loads(out)["findings"]] == ["local-origin-trusted"]


def test_swagger_2_from_a_url_and_base_url(base: str) -> None:
    """A Swagger 2 document fetched over HTTP: host and basePath; --base-url wins over them."""
    host = base.removeprefix("http://")
    swagger = {"swagger": "2.0", "host": host, "schemes": ["http"], "basePath": "", "paths": {"/null": {"get": {}}}}
    body = json.dumps(swagger).encode()

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    spec = serve.serve_wsgi("swagger", app, port=free_port())
    try:
        found = targets.Targets()
        targets._from_openapi(spec.url("127.0.0.1") + "/swagger.json", None, {}, found)
        assert found.urls == [f"{base}/null"] and found.errors == []
        moved = targets.Targets()
        targets._from_openapi(spec.url("127.0.0.1") + "/swagger.json", "http://127.0.0.1:9/v1/", {}, moved)
        assert moved.urls == ["http://127.0.0.1:9/v1/null"]
    finally:
        spec.stop()


def test_parameters_from_the_user_win_and_are_escaped() -> None:
    declared = {"id": {"name": "id", "in": "path", "schema": {"type": "integer", "enum": [5, 6]}}}
    assert targets.fill("/items/{id}", declared, {}) == "/items/5"
    assert targets.fill("/items/{id}", declared, {"id": "a/b c"}) == "/items/a%2Fb%20c"
    with pytest.raises(ValueError, match="--param other=VALUE"):
        targets.fill("/x/{other}", declared, {})


def test_an_unwritable_sarif_file_is_a_usage_error(base: str, tmp_path: Path) -> None:
    code, out, err = run(base + "/null", "--origin", TRUSTED, "--sarif", str(tmp_path / "missing" / "out.sarif"))
    assert code == 2 and "cannot write --sarif" in err and "Traceback" not in out + err
