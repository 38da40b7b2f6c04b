"""ASGI: what corsguard._adapters.asgi and Starlette's CORSMiddleware add to the same bare app.

Every figure comes from direct ASGI calls: the coroutine is driven with
``send(None)`` until it finishes, with receive/send callables that never
suspend, so there is no server, no event loop and no network in the figures.
The apps, measured in one run:

- bare: an ASGI app that answers every request with a small JSON body;
- floor: a hand-written middleware that sets ACAO (the request's Origin)
  and ``Vary: Origin`` on every response and checks nothing;
- Starlette's ``CORSMiddleware`` and corsguard's ``CorsMiddleware``, both
  with the same origins, methods, headers and exposed header.

Targets (issue 10): an allowed GET adds at most 0.5x what Starlette adds,
and at most 3 µs more than the floor; a preflight answered in at most 0.5x
Starlette's time; 10,000 origins within 1.1x of 1 origin; a 1 MiB
Access-Control-Request-Headers refused in under 1 ms.

Run: ``python -m bench.run --only asgi_bench``.
"""

from __future__ import annotations

import os
import statistics
from collections.abc import Callable, MutableMapping
from typing import Any
from unittest import mock

from starlette.middleware.cors import CORSMiddleware as StarletteCORS

from bench.common import PREFLIGHT_HEADERS, REFUSED_ORIGIN, Table, added_us, origins, per_call_us, us
from bench.harness_asgi import AsgiFloor, http_scope
from corsguard import DEFAULT_HEADERS, DEFAULT_METHODS, Policy
from corsguard._adapters.asgi import CorsMiddleware

Scope = MutableMapping[str, Any]
App = Callable[..., Any]
BODY = b'{"items": [1, 2, 3]}'
ONE_MIB_ACRH = "," * (1 << 20)
REQUEST = {"type": "http.request", "body": b"", "more_body": False}


async def bare(scope: Scope, receive: Any, send: Any) -> None:
    """The app under test: a fresh start message per response, as frameworks build them."""
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"20")],
        }
    )
    await send({"type": "http.response.body", "body": BODY})


async def _receive() -> dict[str, Any]:
    return REQUEST


def call(app: App, scope: Scope, sent: list[Any] | None = None) -> None:
    """One request through ``app``, driven to completion without an event loop."""

    async def send(message: Any) -> None:
        if sent is not None:
            sent.append(message)

    coroutine = app(dict(scope), _receive, send)
    try:
        coroutine.send(None)
    except StopIteration:
        return
    coroutine.close()
    raise RuntimeError("the app suspended: this benchmark drives apps that never wait")


def scope(method: str = "GET", **headers: str) -> Scope:
    return http_scope(method, "/api/items", ((name.replace("_", "-"), value) for name, value in headers.items()))


def requests(allowed: str) -> list[tuple[str, Scope, str]]:
    """(label, scope, the ACAO a CORS layer must answer) per request kind."""
    preflight = {"access_control_request_method": "PUT", "access_control_request_headers": PREFLIGHT_HEADERS}
    return [
        ("allowed GET", scope(origin=allowed), allowed),
        ("preflight", scope("OPTIONS", origin=allowed, **preflight), allowed),
        ("refused origin", scope(origin=REFUSED_ORIGIN), ""),
        ("no Origin", scope(), ""),
    ]


def acao(app: App, request: Scope) -> str:
    sent: list[Any] = []
    call(app, request, sent)
    start = next(message for message in sent if message["type"] == "http.response.start")
    found = [value for name, value in start["headers"] if name.lower() == b"access-control-allow-origin"]
    return found[0].decode("latin-1") if found else ""


def corsguard(allowed: list[str]) -> App:
    return CorsMiddleware(bare, Policy(allowed_origins=allowed, expose_headers=["x-total-count"]))


def starlette(allowed: list[str]) -> App:
    return StarletteCORS(
        bare,
        allow_origins=allowed,
        allow_methods=list(DEFAULT_METHODS),
        allow_headers=list(DEFAULT_HEADERS),
        expose_headers=["x-total-count"],
    )


CONFIGS = [
    ("1 exact origin", origins(1)),
    ("1,000 exact origins", origins(1000)),
    ("10,000 exact origins", origins(10_000)),
]


def _caller(app: App, request: Scope) -> Callable[[], None]:
    return lambda: call(app, request)


def peers_table(repeat: int) -> tuple[Table, dict[str, float]]:
    """µs added over the bare app per request kind; also returns the figures the targets need."""
    table = Table(
        "ASGI: µs added over the bare app for the same request (direct ASGI calls, median)",
        ["bare app", "corsguard._adapters.asgi", "Starlette CORSMiddleware"],
    )
    figures: dict[str, float] = {}
    for label, allowed in CONFIGS:
        guarded, peer = corsguard(allowed), starlette(allowed)
        for kind, request, wanted in requests(allowed[-1]):
            assert acao(guarded, request) == acao(peer, request) == wanted, (label, kind)
            ours, bare_us = added_us(_caller(guarded, request), _caller(bare, request), repeat=repeat)
            theirs, _ = added_us(_caller(peer, request), _caller(bare, request), repeat=repeat)
            figures[f"{label}, {kind}, corsguard"] = ours
            figures[f"{label}, {kind}, starlette"] = theirs
            figures[f"{label}, {kind}, bare"] = bare_us
            table.add(f"{label}, {kind}", us(bare_us), signed(ours), signed(theirs))
    table.notes.append(
        "Each figure is the median over alternating rounds of the request's time minus the bare app's time for "
        "the same request. A preflight is answered by the CORS layer itself; its bare time is the app's own "
        "answer to the OPTIONS."
    )
    return table, figures


def _alternating(first: Callable[[], None], second: Callable[[], None], repeat: int) -> tuple[float, float]:
    """Median µs per call of each, measured in alternating rounds."""
    one, two = [], []
    for _ in range(repeat):
        one.append(per_call_us(first, repeat=1))
        two.append(per_call_us(second, repeat=1))
    return statistics.median(one), statistics.median(two)


def targets_table(repeat: int, figures: dict[str, float]) -> Table:
    table = Table("ASGI: the issue's targets", ["measured", "target", "met"])
    one, many = origins(1), origins(10_000)
    get_one = requests(one[-1])[0][1]
    get_many = requests(many[-1])[0][1]

    ours, theirs = figures["1 exact origin, allowed GET, corsguard"], figures["1 exact origin, allowed GET, starlette"]
    table.add(
        "allowed GET: added, corsguard / Starlette", f"{ours / theirs:.2f}x", "≤ 0.5x", _met(ours <= 0.5 * theirs)
    )

    floor = AsgiFloor(bare)
    assert acao(floor, get_one) == acao(corsguard(one), get_one) == one[-1]
    over_floor, _ = added_us(_caller(corsguard(one), get_one), _caller(floor, get_one), repeat=repeat)
    table.add("allowed GET: corsguard over the floor", signed(over_floor), "≤ 3 µs", _met(over_floor <= 3.0))

    preflight = requests(one[-1])[1][1]
    guarded_us, peer_us = _alternating(_caller(corsguard(one), preflight), _caller(starlette(one), preflight), repeat)
    table.add(
        "preflight: time, corsguard / Starlette",
        f"{us(guarded_us)} / {us(peer_us)} = {guarded_us / peer_us:.2f}x",
        "≤ 0.5x",
        _met(guarded_us <= 0.5 * peer_us),
    )

    for name, make in (("corsguard", corsguard), ("Starlette", starlette)):
        many_us, one_us = _alternating(_caller(make(many), get_many), _caller(make(one), get_one), repeat)
        target = "≤ 1.1x" if name == "corsguard" else "(shown)"
        met = _met(many_us <= 1.1 * one_us) if name == "corsguard" else ""
        table.add(
            f"allowed GET, 10,000 / 1 origin, {name} (time per request)",
            f"{us(many_us)} / {us(one_us)} = {many_us / one_us:.2f}x",
            target,
            met,
        )

    huge = scope(
        "OPTIONS", origin=one[-1], access_control_request_method="PUT", access_control_request_headers=ONE_MIB_ACRH
    )
    for name, app in (("corsguard", corsguard(one)), ("Starlette", starlette(one))):
        took = per_call_us(_caller(app, huge), repeat=repeat, min_time=0.05)
        target, met = ("< 1 ms", _met(took < 1000)) if name == "corsguard" else ("(shown)", "")
        table.add(f"preflight with a 1 MiB ACRH, {name} (time per request)", us(took), target, met)
    table.notes.append(
        "Ratios of medians over alternating rounds. The floor reflects the Origin into ACAO and sets Vary: Origin on "
        "every response, with no checks; no CORS layer can do less."
    )
    return table


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def signed(value: float) -> str:
    return ("+" if value >= 0 else "−") + us(abs(value))


def run(quick: bool = False) -> list[Table]:
    repeat = 3 if quick else 9
    clean_env = {name: value for name, value in os.environ.items() if not name.startswith("CORSGUARD_")}
    with mock.patch.dict(os.environ, clean_env, clear=True):
        peers, figures = peers_table(repeat)
        return [targets_table(repeat, figures), peers]


if __name__ == "__main__":
    for table in run():
        print(table.markdown(), end="\n\n")
