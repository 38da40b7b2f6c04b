"""The contract ``corsguard migrate`` is held to on the corpus.

The request set of one entry: no Origin, the entry's own origins and the
origins its regexes are meant for, a look-alike of each (a suffix added, the
scheme flipped), ``null``, a stranger; each as a GET and as three
preflights (an ordinary one, one asking for unusual headers, one for a
method rarely allowed), on every path of the app. A difference between the
peer's answer and corsguard's is explained only by the report codes named
for it here: a corsguard answer that allows an origin the peer refused is
never explained.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from tests.migrate.corpus import Entry
from tests.migrate.replay import Difference, Request, Send, seen

PATHS = ("/", "/api/items", "/predict", "/predictions", "/predict/batch", "/other")
STRANGERS = ("https://evil.example", "null", "http://localhost:3000", "https://localhost:3000", "http://127.0.0.1:8000")
PREFLIGHTS = (
    {"Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "content-type"},
    {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "x-unknown, authorization, dnt"},
    {"Access-Control-Request-Method": "PURGE"},
)
LOOK_ALIKE = ".evil.example"


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def origins(entry: Entry) -> list[str]:
    """The entry's origins (scheme-less ones with both schemes) and their look-alikes."""
    own: list[str] = []
    for text in [*_strings(entry.settings), *_strings(entry.cross_origin), *entry.meant_for]:
        if "://" in text and not any(mark in text for mark in "^$\\*()[]|"):
            own.append(text.rstrip("/").lower())
        elif ":" in text and "/" not in text and not any(mark in text for mark in "^$\\*()[]|"):
            own += [f"http://{text}", f"https://{text}"]
    found: list[str] = []
    for origin in own:
        flipped = origin.replace("https://", "http://") if origin.startswith("https") else "https" + origin[4:]
        for candidate in (origin, _look_alike(origin), flipped):
            if candidate not in found:
                found.append(candidate)
    return found + [origin for origin in STRANGERS if origin not in found]


def _look_alike(origin: str) -> str:
    """The host made longer, the port kept: still a well-formed origin."""
    scheme, _, rest = origin.partition("://")
    host, colon, port = rest.rpartition(":") if rest.count(":") == 1 and not rest.endswith("]") else (rest, "", "")
    return f"{scheme}://{host}{LOOK_ALIKE}{colon}{port}"


def requests(entry: Entry) -> Iterator[Request]:
    for path in PATHS:
        yield Request("GET", path, ())
        for origin in origins(entry):
            yield Request("GET", path, (("Origin", origin),))
            for preflight in PREFLIGHTS:
                yield Request("OPTIONS", path, (("Origin", origin), *preflight.items()))


@dataclass(frozen=True)
class Replayed:
    """One request's two answers as a browser reads them, and what differs."""

    request: Request
    peer: dict[str, Any]
    ours: dict[str, Any]
    differences: tuple[Difference, ...]


def replay(entry: Entry, peer: Send, ours: Send) -> list[Replayed]:
    found = []
    for request in requests(entry):
        theirs, mine = seen(peer(request), request), seen(ours(request), request)
        keys = sorted(key for key in theirs.keys() | mine.keys() if theirs.get(key) != mine.get(key))
        changed = tuple(Difference(request, key, _shown(theirs.get(key)), _shown(mine.get(key))) for key in keys)
        if changed:
            found.append(Replayed(request, theirs, mine, changed))
    return found


def _shown(value: Any) -> str | None:
    return ", ".join(sorted(value)) if isinstance(value, frozenset) else value


def _origin_codes(difference: Difference) -> set[str]:
    """Which codes explain a difference in Access-Control-Allow-Origin."""
    origin = difference.request.origin or ""
    if difference.peer is None:
        return set()  # corsguard allows what the peer refused: never acceptable
    if difference.ours is not None:
        return {"wildcard-reflected", "any-origin-regex"} if difference.ours == "*" else set()
    if origin in ("null", "file://"):
        return {"null-origin", "file-scheme", "star-not-wildcard"}
    if LOOK_ALIKE in origin:
        return {"fullmatch-regex"}
    return set()


def passes(answer: dict[str, Any], request: Request) -> bool:
    """Whether a browser's CORS check passes on this answer (Fetch): the
    origin allowed, and for a preflight its method and every header covered;
    '*' is a wildcard only without credentials, and never covers Authorization."""
    origin = request.origin
    if origin is None:
        return True  # not a CORS request: the browser checks nothing
    allowed = answer.get("access-control-allow-origin")
    credentials = answer.get("access-control-allow-credentials") == "true"
    if allowed not in (origin, "*") or (allowed == "*" and credentials):
        return False
    if not request.preflight:
        return True
    if answer.get("status") != "2xx":
        return False
    wildcard = not credentials
    method = request.headers.get("Access-Control-Request-Method", "")
    methods = answer.get("access-control-allow-methods", frozenset())
    if method not in ("GET", "HEAD", "POST") and method.lower() not in methods and not ("*" in methods and wildcard):
        return False
    names = answer.get("access-control-allow-headers", frozenset())
    asked = [name.strip().lower() for name in request.headers.get("Access-Control-Request-Headers", "").split(",")]
    return all(not name or name in names or ("*" in names and wildcard and name != "authorization") for name in asked)


def readable(answer: dict[str, Any]) -> frozenset[str] | None:
    """The response headers a page may read beyond the safelisted ones
    (None: all of them, '*' without credentials)."""
    names = answer.get("access-control-expose-headers", frozenset())
    if "*" in names and answer.get("access-control-allow-credentials") != "true":
        return None
    return frozenset(names - {"*"})


def _exposed_codes(peer_answer: dict[str, Any], ours_answer: dict[str, Any]) -> set[str]:
    if readable(peer_answer) == readable(ours_answer):
        return {"preflight-lists", "refused-no-headers", "refused-preflight"}
    return {"star-exposed-credentials", "browser-header"}


def _verdict_codes(peer: bool, ours: bool, peer_answer: dict[str, Any]) -> set[str]:
    """A difference in a preflight's lists, judged by what the browser does with each answer."""
    if peer == ours:
        return {"preflight-lists", "max-age", "refused-no-headers", "refused-preflight"}
    if peer:
        return {"browser-header", "regex-header"}
    if "*" in peer_answer.get("access-control-allow-headers", frozenset()):
        return {"star-headers"}
    return set()


def explanations(
    difference: Difference,
    origin_difference: Difference | None,
    verdicts: tuple[bool, bool],
    answers: tuple[dict[str, Any], dict[str, Any]],
) -> set[str]:
    """The report codes that explain ``difference`` (empty: nothing may)."""
    header, request = difference.header, difference.request
    if header == "status":
        return {"preflight-lists"} if difference.ours == "2xx" else {"refused-preflight"}
    if header == "vary":
        return {"preflight-vary"} if request.preflight else {"vary-origin", "urls-regex-to-paths", "per-route-options"}
    if header == "access-control-allow-private-network":
        return {"private-network"}
    if request.origin is None:
        return {"no-origin-no-headers"}
    if header == "access-control-allow-origin":
        return _origin_codes(difference)
    if origin_difference is not None:
        return _origin_codes(origin_difference)
    peer_answer, ours_answer = answers
    if header == "access-control-expose-headers" and verdicts == (True, True):
        return _exposed_codes(peer_answer, ours_answer)
    peer, ours = verdicts
    return _verdict_codes(peer, ours, peer_answer)


def unexplained(found: Iterable[Replayed], codes: set[str]) -> list[str]:
    lines = []
    for replayed in found:
        origin = next((item for item in replayed.differences if item.header == "access-control-allow-origin"), None)
        verdicts = (passes(replayed.peer, replayed.request), passes(replayed.ours, replayed.request))
        for item in replayed.differences:
            expected = explanations(item, origin, verdicts, (replayed.peer, replayed.ours))
            if not expected & codes:
                lines.append(f"{item} (explained only by {sorted(expected) or 'nothing'})")
    return lines
