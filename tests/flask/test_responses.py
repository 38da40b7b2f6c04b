"""Bodies untouched (streams, send_file), Set-Cookie lines kept, Vary merged,
an application's own ACAO respected."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, Response, send_file, session, stream_with_context

from corsguard._engine import log as cors_log
from tests.flask.support import TRUSTED, acao, guard, new_app, vary

FILE_BODY = bytes(range(256)) * 512  # 128 KiB, binary


def response_app(tmp_path: Path) -> Flask:
    app = new_app({"SECRET_KEY": "x", "CORSGUARD_ALLOW_CREDENTIALS": True})
    on_disk = tmp_path / "report.bin"
    on_disk.write_bytes(FILE_BODY)

    @app.route("/file")
    def file() -> Response:
        return send_file(on_disk, mimetype="application/octet-stream")

    @app.route("/memory-file")
    def memory_file() -> Response:
        return send_file(io.BytesIO(FILE_BODY), mimetype="application/octet-stream", download_name="x.bin")

    @app.route("/stream")
    def stream() -> Response:
        @stream_with_context
        def chunks() -> Iterator[bytes]:
            for index in range(3):
                yield f"chunk-{index}\n".encode()

        return Response(chunks(), mimetype="text/plain")

    @app.route("/login")
    def login() -> Response:
        session["user"] = "alice"
        response = Response("cookies")
        response.set_cookie("theme", "dark")
        response.set_cookie("lang", "en")
        response.headers["Vary"] = "Accept-Encoding"
        return response

    @app.route("/own")
    def own() -> Response:
        response = Response("own")
        response.headers["Access-Control-Allow-Origin"] = "https://own.example"
        return response

    return guard(app)


@pytest.mark.parametrize("path", ["/file", "/memory-file"])
def test_send_file_body_and_headers(tmp_path: Path, path: str) -> None:
    response = response_app(tmp_path).test_client().get(path, headers={"Origin": TRUSTED})
    assert response.status_code == 200
    assert response.data == FILE_BODY
    assert response.headers["Content-Length"] == str(len(FILE_BODY))
    assert acao(response) == [TRUSTED]


def test_send_file_range_request(tmp_path: Path) -> None:
    response = response_app(tmp_path).test_client().get("/file", headers={"Origin": TRUSTED, "Range": "bytes=0-9"})
    assert response.status_code == 206
    assert response.data == FILE_BODY[:10]
    assert acao(response) == [TRUSTED]


def test_stream_keeps_streaming(tmp_path: Path) -> None:
    response = response_app(tmp_path).test_client().get("/stream", headers={"Origin": TRUSTED}, buffered=False)
    assert response.is_streamed
    assert acao(response) == [TRUSTED]
    assert list(response.response) == [b"chunk-0\n", b"chunk-1\n", b"chunk-2\n"]
    response.close()


def test_every_set_cookie_survives_and_vary_is_merged(tmp_path: Path) -> None:
    response = response_app(tmp_path).test_client().get("/login", headers={"Origin": TRUSTED})
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 3
    assert {cookie.split("=", 1)[0] for cookie in cookies} == {"session", "theme", "lang"}
    tokens = vary(response)
    for token in ("accept-encoding", "cookie", "origin"):
        assert tokens.count(token) == 1, tokens


def test_applications_own_acao_left_alone_and_reported(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cors_log.forget()
    with caplog.at_level(logging.WARNING, logger="corsguard"):
        response = response_app(tmp_path).test_client().get("/own", headers={"Origin": TRUSTED})
    assert acao(response) == ["https://own.example"]
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert any("already set Access-Control-Allow-Origin" in record.getMessage() for record in caplog.records)


def test_no_origin_gets_vary_and_nothing_else(tmp_path: Path) -> None:
    response = response_app(tmp_path).test_client().get("/file")
    assert acao(response) == []
    assert vary(response).count("origin") == 1
    assert response.data == FILE_BODY
