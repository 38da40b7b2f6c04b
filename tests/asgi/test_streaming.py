"""Bodies are never buffered: streamed responses and server-sent events reach
the client chunk by chunk, each before the app produces the next.

Served by uvicorn on loopback and read with httpx, so what is proved is what
a browser would get; and in-process, message by message."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

from corsguard import Policy
from corsguard._adapters.asgi import CorsMiddleware
from testprojects import serve
from tests.asgi.support import ACAO, TRUSTED
from tests.matrix.django_adapter import run_coroutine

POLICY = Policy(allowed_origins=[TRUSTED])
EVENTS = 3
WAIT = 10.0


class Pacer:
    """Lets the app produce event n only after the client has read event n-1."""

    def __init__(self) -> None:
        self.read = [threading.Event() for _ in range(EVENTS)]

    async def wait_for(self, index: int) -> None:
        # Polled: the event is set from the client's thread.
        for _ in range(int(WAIT / 0.01)):
            if self.read[index].is_set():
                return
            await asyncio.sleep(0.01)
        raise TimeoutError(f"the client never read event {index}: the body was held back")


def sse_app(pacer: Pacer) -> FastAPI:
    app = FastAPI()

    @app.get("/events")
    async def events() -> StreamingResponse:
        async def produce() -> AsyncIterator[bytes]:
            for index in range(EVENTS):
                if index:
                    await pacer.wait_for(index - 1)
                yield f"id: {index}\ndata: event {index}\n\n".encode()

        return StreamingResponse(produce(), media_type="text/event-stream")

    return app


def wrapped(app: FastAPI) -> Any:
    return CorsMiddleware(app, POLICY)


def added(app: FastAPI) -> Any:
    app.add_middleware(CorsMiddleware, policy=POLICY)
    return app


@pytest.fixture
def server() -> Iterator[Any]:
    started: list[serve.Running] = []

    def start(app: Any) -> serve.Running:
        running = serve.serve_asgi("sse", app)
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()


@pytest.mark.parametrize("install", [wrapped, added], ids=["wrapped", "add_middleware"])
def test_server_sent_events_arrive_one_by_one(install: Any, server: Any) -> None:
    pacer = Pacer()
    running = server(install(sse_app(pacer)))
    received: list[str] = []
    with httpx.stream("GET", f"{running.url('127.0.0.1')}/events", headers={"Origin": TRUSTED}, timeout=WAIT) as answer:
        assert answer.headers[ACAO] == TRUSTED
        assert answer.headers["content-type"].startswith("text/event-stream")
        buffer = ""
        for text in answer.iter_text():
            buffer += text
            while "\n\n" in buffer:
                event, buffer = buffer.split("\n\n", 1)
                received.append(event)
                pacer.read[len(received) - 1].set()
    assert received == [f"id: {index}\ndata: event {index}" for index in range(EVENTS)]


def test_body_messages_pass_one_at_a_time_in_process() -> None:
    """The app waits for each body message to have reached the server's send
    before it sends the next; a middleware that held any back would hang."""
    delivered: list[dict[str, Any]] = []

    async def scenario() -> None:
        reached = asyncio.Event()

        async def app(scope: Any, receive: Any, send: Any) -> None:
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
            for index in range(EVENTS):
                reached.clear()
                await send({"type": "http.response.body", "body": b"%d" % index, "more_body": index < EVENTS - 1})
                await asyncio.wait_for(reached.wait(), WAIT)

        async def send(message: dict[str, Any]) -> None:
            delivered.append(message)
            reached.set()

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        scope = {
            "type": "http",
            "method": "GET",
            "path": "/",
            "root_path": "",
            "headers": [(b"origin", TRUSTED.encode())],
        }
        await CorsMiddleware(app, POLICY)(scope, receive, send)

    run_coroutine(scenario())
    start, *bodies = delivered
    assert (ACAO.encode(), TRUSTED.encode()) in start["headers"]
    assert [message["body"] for message in bodies] == [b"0", b"1", b"2"]
