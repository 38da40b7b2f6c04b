"""Listed origins (docs/behaviour.md B14): the set in memory, a version
poll, fail closed past the bound. Through Policy, the WSGI and the ASGI
middlewares, with a store whose calls are counted and which can go down."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Iterator

import pytest

from corsguard import Policy, RequestFacts
from corsguard._adapters.asgi import CorsMiddleware as AsgiMiddleware
from corsguard._adapters.wsgi import CorsMiddleware as WsgiMiddleware
from corsguard._engine import log as cors_log
from corsguard._engine.origin_store import ListedOrigins
from tests.origins.asgi_call import get

TENANT = "https://tenant.example.com"


class Table:
    """A store: rows plus a version bumped on every change, like the trigger."""

    def __init__(self) -> None:
        self.rows = {TENANT, "http://plain.example.com", "not an origin"}
        self.version_number = 1
        self.version_calls = 0
        self.load_calls = 0
        self.down = False
        self.lock = threading.Lock()

    def version(self) -> int:
        with self.lock:
            self.version_calls += 1
        if self.down:
            raise ConnectionError("connection refused")
        return self.version_number

    def load(self) -> list[str]:
        self.load_calls += 1
        return sorted(self.rows)

    def change(self, add: str | None = None, remove: str | None = None) -> None:
        self.rows |= {add} if add else set()
        self.rows -= {remove} if remove else set()
        self.version_number += 1


@pytest.fixture
def table() -> Table:
    return Table()


@pytest.fixture
def store(table: Table) -> Iterator[ListedOrigins]:
    cors_log.forget()
    listed = ListedOrigins(table.load, table.version, poll=0.05, bound=0.3, name=f"test store {random.random()}")
    yield listed
    listed.stop()


def allowed(policy: Policy, origin: str) -> bool:
    headers = dict(policy.evaluate(RequestFacts("GET", origin)).headers)
    return headers.get("Access-Control-Allow-Origin") == origin


def wait_until(condition: object, limit: float = 3.0) -> float:
    start = time.monotonic()
    while not condition():  # type: ignore[operator]
        assert time.monotonic() - start < limit, "not within the limit"
        time.sleep(0.005)
    return time.monotonic() - start


def test_a_flood_of_random_origins_makes_no_store_call_and_never_locks_a_tenant_out(
    store: ListedOrigins, table: Table
) -> None:
    policy = Policy(allowed_origins=["https://app.example.com"], origin_resolver=store)
    assert allowed(policy, TENANT)  # the first request waits for the first load
    loads = table.load_calls
    for index in range(20_000):
        assert not allowed(policy, f"https://r{index}-{random.random()}.example.org")
    assert allowed(policy, TENANT)
    assert table.load_calls == loads  # unknown origins never reach the store
    table.change(add="https://new.example.com")
    assert wait_until(lambda: allowed(policy, "https://new.example.com")) < 0.3


def test_a_revocation_is_seen_within_the_poll_interval(store: ListedOrigins, table: Table) -> None:
    policy = Policy(allowed_origins=[], origin_resolver=store)
    assert allowed(policy, TENANT)
    table.change(remove=TENANT)
    assert wait_until(lambda: not allowed(policy, TENANT)) < 0.2
    assert "not listed" in policy.explain_origin(TENANT)


def test_plain_http_rows_follow_the_credentials_rule_and_bad_rows_are_skipped(
    store: ListedOrigins, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="corsguard"):
        open_policy = Policy(allowed_origins=[], origin_resolver=store)
        strict = Policy(allowed_origins=[], origin_resolver=store, allow_credentials=True)
        assert allowed(open_policy, "http://plain.example.com")
    assert not allowed(strict, "http://plain.example.com")
    said = strict.explain_origin("http://plain.example.com")
    assert "listed in" in said and "plain http:// is refused with credentials (B9.2)" in said
    assert "ALLOWED_ORIGINS" not in said  # adding it there would stop start-up
    assert allowed(strict, TENANT)
    assert sum("'not an origin' is not one" in record.getMessage() for record in caplog.records) == 1


def test_the_store_going_down_refuses_after_the_bound_logs_once_and_recovers(
    store: ListedOrigins, table: Table, caplog: pytest.LogCaptureFixture
) -> None:
    policy = Policy(allowed_origins=[], origin_resolver=store)
    assert allowed(policy, TENANT)
    with caplog.at_level(logging.WARNING, logger="corsguard"):
        table.down = True
        refused_after = wait_until(lambda: not allowed(policy, TENANT))
        for _ in range(200):
            assert not allowed(policy, TENANT)
        assert "not confirmed fresh" in policy.explain_origin(TENANT)
        table.down = False
        wait_until(lambda: allowed(policy, TENANT))
    assert 0.2 < refused_after < 0.85  # bound 0.3, a poll, a watchdog tick, room for a loaded machine
    messages = [record.getMessage() for record in caplog.records]
    assert sum("did not answer" in message and store.name in message for message in messages) == 1
    assert sum(f"{store.name}: not confirmed fresh for" in message for message in messages) == 1
    assert sum(f"{store.name}: the store answers again" in message for message in messages) == 1


def test_polls_are_bounded_by_the_interval(store: ListedOrigins, table: Table) -> None:
    Policy(allowed_origins=[], origin_resolver=store)
    store.loaded.wait(1)
    before = table.version_calls
    time.sleep(0.5)
    assert 3 <= table.version_calls - before <= 12  # 0.05 s poll: about 10 (fewer on a loaded machine)


def test_wsgi_and_asgi_middlewares_answer_from_the_store(store: ListedOrigins, table: Table) -> None:
    def app(environ: object, start_response: object) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])  # type: ignore[operator]
        return [b"ok"]

    async def asgi_app(scope: object, receive: object, send: object) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})  # type: ignore[operator]
        await send({"type": "http.response.body", "body": b"ok"})  # type: ignore[operator]

    policy = Policy(allowed_origins=[], origin_resolver=store)
    wsgi = WsgiMiddleware(app, policy)
    headers: list[tuple[str, str]] = []
    wsgi({"REQUEST_METHOD": "GET", "HTTP_ORIGIN": TENANT, "PATH_INFO": "/"}, lambda s, h, e=None: headers.extend(h))
    assert ("Access-Control-Allow-Origin", TENANT) in headers
    asgi = AsgiMiddleware(asgi_app, policy)
    assert get(asgi, TENANT).get("access-control-allow-origin") == TENANT
    assert get(asgi, "https://random.example.org").get("access-control-allow-origin") is None
    table.change(remove=TENANT)
    wait_until(lambda: get(asgi, TENANT).get("access-control-allow-origin") is None)


def test_a_poll_interval_not_below_the_bound_is_refused_at_start_up(table: Table) -> None:
    with pytest.raises(ValueError, match="must be above 0 and below bound"):
        ListedOrigins(table.load, table.version, poll=2, bound=2)


def test_a_hung_store_is_refused_after_the_bound_by_the_watchdog(store: ListedOrigins, table: Table) -> None:
    policy = Policy(allowed_origins=[], origin_resolver=store)
    assert allowed(policy, TENANT)
    release = threading.Event()
    table.version = lambda: release.wait(30) and table.version_number  # type: ignore[method-assign]
    store.version = table.version
    try:
        refused_after = wait_until(lambda: not allowed(policy, TENANT))
        assert refused_after < 0.3 + 0.5 + 0.1 + 0.2  # poll, bound, watchdog tick, room
        assert "not confirmed fresh" in policy.explain_origin(TENANT)
    finally:
        release.set()
    wait_until(lambda: allowed(policy, TENANT))
