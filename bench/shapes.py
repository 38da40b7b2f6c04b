"""The responses real apps send, and the requests that reach them, as data.

Every adapter bench (``bench.realistic``), the instruction counts
(``bench.instructions``) and the regression guard read these two tables, so
a shape is added in one place and reaches every adapter, every peer and the
floor at once. A view turns a ``Shape`` into its framework's own response;
the "4xx" shape is not built by a view at all: the request goes to a path no
route matches and the framework answers with its own 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.common import PREFLIGHT_HEADERS, REFUSED_ORIGIN

ALLOWED_ORIGIN = "https://app0.example.com"
ROUTE = "/api/items"
MISSING_ROUTE = "/api/nowhere"
BODY = b'{"items": [1, 2, 3]}'


@dataclass(frozen=True)
class Shape:
    """One kind of response: its headers (besides Content-Type), and how the body is sent."""

    name: str
    headers: tuple[tuple[str, str], ...] = ()
    chunks: int = 1
    # True: the request goes to MISSING_ROUTE and the framework answers 404 itself.
    framework_4xx: bool = False

    @property
    def path(self) -> str:
        return MISSING_ROUTE if self.framework_4xx else ROUTE

    def body_chunks(self) -> list[bytes]:
        """The body split into ``chunks`` pieces (the last one may be short)."""
        if self.chunks == 1:
            return [BODY]
        return [BODY[i :: self.chunks] for i in range(self.chunks)]


SHAPES: tuple[Shape, ...] = (
    Shape("none"),
    Shape(
        "real headers",
        (
            ("Vary", "Accept-Encoding"),
            ("Set-Cookie", "session=abc123; Path=/; HttpOnly; Secure; SameSite=Lax"),
            ("Cache-Control", "private, max-age=60"),
            ("X-Request-Id", "4f1c2a9e-7d1b-4c55-9a0e-2b1f3c4d5e6f"),
            ("X-Total-Count", "3"),
            ("X-RateLimit-Remaining", "59"),
        ),
    ),
    Shape("Vary: Origin, Cookie", (("Vary", "Origin, Cookie"),)),
    Shape("10-chunk stream", chunks=10),
    Shape("framework 4xx", framework_4xx=True),
)
SHAPE_NAMES = tuple(shape.name for shape in SHAPES)
# The rows the regression guard and the "realistic" targets cover.
REALISTIC = tuple(shape for shape in SHAPES if shape.name != "none")


@dataclass(frozen=True)
class Kind:
    """One kind of request: method and request headers, and whether a CORS layer must allow it."""

    name: str
    method: str
    headers: tuple[tuple[str, str], ...]
    allowed: bool


KINDS: tuple[Kind, ...] = (
    Kind("allowed GET", "GET", (("Origin", ALLOWED_ORIGIN),), True),
    Kind("refused GET", "GET", (("Origin", REFUSED_ORIGIN),), False),
    Kind("no-Origin GET", "GET", (), False),
    Kind(
        "preflight",
        "OPTIONS",
        (
            ("Origin", ALLOWED_ORIGIN),
            ("Access-Control-Request-Method", "PUT"),
            ("Access-Control-Request-Headers", PREFLIGHT_HEADERS),
        ),
        True,
    ),
)
KIND_NAMES = tuple(kind.name for kind in KINDS)


def expected_acao(kind: Kind) -> str:
    """The Access-Control-Allow-Origin a correct CORS layer answers ("" for none)."""
    return ALLOWED_ORIGIN if kind.allowed else ""


def rows(shapes: tuple[Shape, ...] = SHAPES) -> list[tuple[Shape, Kind]]:
    """Every (shape, kind) pair, shape-major, in table order."""
    return [(shape, kind) for shape in shapes for kind in KINDS]
