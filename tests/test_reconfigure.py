"""Swapping the policy at run time (docs/behaviour.md B9.5), in every adapter:
a request under way finishes under the policy it started with, and threads
never see a mixed or foreign answer while the policy flips under them."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings
from flask import Flask

from corsguard import Policy
from corsguard._adapters.wsgi import CorsMiddleware
from corsguard_django import reconfigure as django_reconfigure
from corsguard_django.middleware import CorsGuardMiddleware
from corsguard_flask import CorsGuard
from tests.matrix.model import Request
from tests.matrix.wsgi_adapter import call, environ_for

X = "https://x.example.com"
Y = "https://y.example.com"
ACAO = "Access-Control-Allow-Origin"


@dataclass
class Adapter:
    """One adapter under test: send a GET with an Origin, swap the policy."""

    send: Callable[[str], str | None]  # the ACAO answered, or None
    swap: Callable[[Policy], None]


class Gate:
    """Holds requests inside the application until released."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.blocking = False

    def wait(self) -> None:
        if self.blocking:
            self.entered.set()
            assert self.release.wait(10)


def _wsgi(gate: Gate) -> Adapter:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        gate.wait()
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    middleware = CorsMiddleware(app, Policy(allowed_origins=[X]))

    def send(origin: str) -> str | None:
        result = call(middleware, environ_for(Request(headers=(("Origin", origin),))))
        return (result.values(ACAO) or [None])[0]

    return Adapter(send, middleware.reconfigure)


def _flask(gate: Gate) -> Adapter:
    app = Flask(__name__)

    @app.get("/api/items")
    def items() -> str:
        gate.wait()
        return "ok"

    guard = CorsGuard(app, env={}, allowed_origins=[X])
    client = app.test_client()

    def send(origin: str) -> str | None:
        return client.get("/api/items", headers={"Origin": origin}).headers.get(ACAO)

    return Adapter(send, lambda policy: guard.reconfigure(app, policy))


def _django(gate: Gate) -> Adapter:
    def view(request: HttpRequest) -> HttpResponse:
        gate.wait()
        return HttpResponse(b"ok")

    middleware = CorsGuardMiddleware(view)
    factory = RequestFactory()

    def send(origin: str) -> str | None:
        response = middleware(factory.get("/plain", headers={"origin": origin}))
        return response.get(ACAO)  # type: ignore[union-attr,no-any-return]

    return Adapter(send, django_reconfigure)


ADAPTERS = {"wsgi": _wsgi, "flask": _flask, "django": _django}


@pytest.fixture(autouse=True)
def _django_settings() -> Iterable[None]:
    with override_settings(ROOT_URLCONF="tests.django.urls_plain", CORSGUARD={"ALLOWED_ORIGINS": [X]}):
        yield


@pytest.mark.parametrize("name", ADAPTERS)
def test_a_request_under_way_keeps_its_policy(name: str) -> None:
    gate = Gate()
    adapter = ADAPTERS[name](gate)
    answers: list[str | None] = []
    gate.blocking = True
    worker = threading.Thread(target=lambda: answers.append(adapter.send(X)))
    worker.start()
    assert gate.entered.wait(10), "the request never reached the application"
    adapter.swap(Policy(allowed_origins=[Y]))
    gate.release.set()
    worker.join(10)
    gate.blocking = False
    assert answers == [X], "the request in flight was answered under the new policy"
    assert adapter.send(X) is None and adapter.send(Y) == Y


@pytest.mark.parametrize("name", ADAPTERS)
def test_threads_never_see_a_foreign_answer_while_the_policy_flips(name: str) -> None:
    adapter = ADAPTERS[name](Gate())
    policies = itertools.cycle([Policy(allowed_origins=[Y]), Policy(allowed_origins=[X])])
    stop = threading.Event()
    refused_everywhere = "https://z.example.com"
    seen: dict[str, set[str | None]] = {X: set(), Y: set(), refused_everywhere: set()}
    errors: list[BaseException] = []

    def client(origin: str) -> None:
        # Until this origin has met both policies (bounded): a fast adapter can
        # otherwise finish every request within one thread switch.
        try:
            for count in range(20_000):
                seen[origin].add(adapter.send(origin))
                if count >= 300 and (len(seen[origin]) == 2 or origin == refused_everywhere):
                    break
                time.sleep(0)  # let the flipper and the other clients run
        except BaseException as exc:  # any error is a failure of the test
            errors.append(exc)

    def flipper() -> None:
        while not stop.is_set():
            adapter.swap(next(policies))

    flipping = threading.Thread(target=flipper)
    clients = [threading.Thread(target=client, args=(origin,)) for origin in seen for _ in range(2)]
    flipping.start()
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join(60)
    stop.set()
    flipping.join(10)
    assert not errors, errors[:3]
    assert seen[X] <= {X, None} and seen[Y] <= {Y, None} and seen[refused_everywhere] == {None}
    assert X in seen[X] and Y in seen[Y], "both policies should have answered some requests"
