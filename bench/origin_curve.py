"""Cost against the number of allowed origins, and the issue's targets in one table.

corsguard's cost for an allowed GET with the "real headers" response, as
the exact-origin list grows from 1 to 10,000 (target: 10,000 within 1.1x of
1), through the WSGI and ASGI (Starlette) middlewares, with Starlette's
CORSMiddleware beside it; and a preflight with a 1 MiB
Access-Control-Request-Headers (target: refused in under 1 ms).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench.common import Table, origins, us
from bench.harness import plain_wsgi_app, wsgi_prepare
from bench.harness_asgi import asgi_prepare
from bench.realistic import interleaved, ratio
from bench.shapes import SHAPES, Kind

COUNTS = (1, 10, 100, 1000, 10_000)
SHAPE = next(shape for shape in SHAPES if shape.name == "real headers")
ONE_MIB_ACRH = "," * (1 << 20)


def _get(allowed: list[str]) -> Kind:
    return Kind("allowed GET", "GET", (("Origin", allowed[-1]),), True)


def _wsgi(allowed: list[str]) -> Callable[[], None]:
    from corsguard import Policy  # noqa: PLC0415
    from corsguard.wsgi import CorsMiddleware  # noqa: PLC0415

    app = CorsMiddleware(plain_wsgi_app(SHAPE), Policy(allowed_origins=allowed))
    return wsgi_prepare(app, SHAPE, _get(allowed), False)


def _starlette_app(allowed: list[str], peer: bool) -> Any:
    from starlette.applications import Starlette  # noqa: PLC0415
    from starlette.middleware.cors import CORSMiddleware  # noqa: PLC0415
    from starlette.responses import Response  # noqa: PLC0415
    from starlette.routing import Route  # noqa: PLC0415

    from corsguard import Policy  # noqa: PLC0415
    from corsguard.asgi import CorsMiddleware  # noqa: PLC0415

    async def items(request: Any) -> Any:
        return Response(b"{}", media_type="application/json", headers=dict(SHAPE.headers))

    app = Starlette(routes=[Route(SHAPE.path, items)])
    if peer:
        app.add_middleware(CORSMiddleware, allow_origins=allowed, allow_methods=["GET", "PUT"], allow_headers=["*"])
    else:
        app.add_middleware(CorsMiddleware, policy=Policy(allowed_origins=allowed))
    return app


def collect(quick: bool) -> dict[str, dict[int, float]]:
    """{"label": {origin count: µs per allowed GET}}, each count in interleaved rounds."""
    rounds, round_time = (3, 0.02) if quick else (7, 0.05)
    curve: dict[str, dict[int, float]] = {"corsguard WSGI": {}, "corsguard ASGI": {}, "Starlette CORSMiddleware": {}}
    for count in COUNTS:
        allowed = origins(count)
        calls = {
            "corsguard WSGI": _wsgi(allowed),
            "corsguard ASGI": asgi_prepare(_starlette_app(allowed, False), SHAPE, _get(allowed), False),
            "Starlette CORSMiddleware": asgi_prepare(_starlette_app(allowed, True), SHAPE, _get(allowed), False),
        }
        for label, value in interleaved(calls, rounds, round_time).items():
            curve[label][count] = value
    curve["1 MiB ACRH preflight"] = {0: _huge_preflight(rounds)}
    return curve


def _huge_preflight(rounds: int) -> float:
    """µs to refuse a preflight whose Access-Control-Request-Headers is 1 MiB (WSGI)."""
    from corsguard import Policy  # noqa: PLC0415
    from corsguard.wsgi import CorsMiddleware  # noqa: PLC0415

    allowed = origins(1)
    kind = Kind(
        "preflight",
        "OPTIONS",
        (
            ("Origin", allowed[0]),
            ("Access-Control-Request-Method", "PUT"),
            ("Access-Control-Request-Headers", ONE_MIB_ACRH),
        ),
        False,
    )
    app = CorsMiddleware(plain_wsgi_app(SHAPE), Policy(allowed_origins=allowed))
    return interleaved({"huge": wsgi_prepare(app, SHAPE, kind, False)}, rounds, 0.05)["huge"]


def table(curve: dict[str, dict[int, float]]) -> Table:
    labels = [label for label in curve if label != "1 MiB ACRH preflight"]
    result = Table("µs per allowed GET (real headers response) against the number of allowed origins", labels)
    for count in COUNTS:
        result.add(f"{count:,} origins", *(us(curve[label][count]) for label in labels))
    return result


def targets_markdown(curve: dict[str, dict[int, float]], rows: list[dict[str, Any]]) -> str:
    """The issue's four targets, each with its figure and whether it is met
    (the timed ones for each build the rows carry)."""
    lines = ["| target | measured | met |", "|---|---|---|"]
    builds = ["corsguard"] + (["compiled"] if any("compiled_added_us" in r for r in rows) else [])
    for build in builds:
        which = ", compiled fast path" if build == "compiled" else ""
        found = [value for value in (ratio(r, build) for r in rows) if value is not None]
        half = [value for value in found if value <= 0.5]
        target = f"added ≤ 0.5x the peer's, where the peer does the same work{which}"
        lines.append(f"| {target} | {len(half)} of {len(found)} rows | {_met(len(half) == len(found))} |")
        over = "over_floor_us" if build == "corsguard" else f"{build}_over_floor_us"
        near = [r for r in rows if r[over] <= 3.0]
        lines.append(
            f"| within 3 µs of the floor{which} | {len(near)} of {len(rows)} rows | {_met(len(near) == len(rows))} |"
        )
    for label in ("corsguard WSGI", "corsguard ASGI"):
        ratio = curve[label][10_000] / curve[label][1]
        lines.append(f"| 10,000 origins ≤ 1.1x one origin, {label} | {ratio:.2f}x | {_met(ratio <= 1.1)} |")
    huge = curve["1 MiB ACRH preflight"][0]
    lines.append(f"| 1 MiB ACRH refused in < 1 ms (WSGI) | {us(huge)} | {_met(huge < 1000)} |")
    return "\n".join(lines)


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"
