"""Property tests for what the ASGI adapter reads from the wire and writes
back: the merge of a decision into any application's header lines gives
exactly what the core's merge rule gives on the same lines translated to
text (B5.4, B5.5), byte for byte, and never changes the app's message."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from corsguard import Policy, RequestFacts
from corsguard._adapters import asgi_messages
from corsguard._adapters.asgi_messages import started as merged_start
from corsguard._engine import response

TRUSTED = "https://app.example.com"
POLICIES = [
    Policy(allowed_origins=[TRUSTED], allow_credentials=True, expose_headers=["x-total-count"]),
    Policy(allowed_origins=["*"]),
    Policy(allowed_origins=["*"], public_resource=True),
]
NAMES = [b"vary", b"Vary", b"VARY", b"access-control-allow-origin", b"Access-Control-Expose-Headers", b"content-type"]
NAMES += [b"set-cookie", b"age", b"allow", b"x-total-count", b"accept-ranges"]
latin1 = st.binary(max_size=24).filter(lambda value: b"\r" not in value and b"\n" not in value)
vary_values = st.lists(st.sampled_from(["Origin", "origin", "Accept-Encoding", "*", " ", "Cookie"]), max_size=3).map(
    lambda names: ", ".join(names).encode()
)
lines = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(NAMES), latin1),
        st.tuples(st.sampled_from([b"vary", b"Vary"]), vary_values),
    ),
    max_size=8,
)
origins = st.sampled_from([TRUSTED, "https://evil.example.net", "null", None])


def decided(policy: Policy, origin: str | None) -> Any:
    return policy.evaluate(RequestFacts("GET", origin, None, None, None, "/p"))


@settings(max_examples=300)
@given(headers=lines, policy=st.sampled_from(POLICIES), origin=origins)
def test_the_merge_is_the_core_rule_byte_for_byte(
    headers: list[tuple[bytes, bytes]], policy: Policy, origin: Any
) -> None:
    decision = decided(policy, origin)
    message = {"type": "http.response.start", "status": 200, "headers": headers}
    before = copy.deepcopy(message)
    started = merged_start(message, decision, "/p")
    assert message == before, "the app's message was changed"
    text = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in headers]
    wanted = [(name.lower(), value) for name, value in response.apply(text, decision, "/p")]
    got = [(name.decode("latin-1").lower(), value.decode("latin-1")) for name, value in started["headers"]]
    assert got == wanted
    ours = [name for name, _ in started["headers"] if name not in {name for name, _ in headers}]
    assert all(name == name.lower() for name in ours), "ASGI header names must be lower case"
    acao_before = [value for name, value in headers if name.lower() == b"access-control-allow-origin"]
    acao_after = [value for name, value in started["headers"] if name.lower() == b"access-control-allow-origin"]
    assert acao_after == acao_before if acao_before else len(acao_after) <= 1, "corsguard added a second ACAO"


@settings(max_examples=100)
@given(headers=lines, policy=st.sampled_from(POLICIES), origin=origins)
def test_headers_given_as_any_iterable_merge_the_same(
    headers: list[tuple[bytes, bytes]], policy: Policy, origin: Any
) -> None:
    """ASGI allows the app's headers to be any iterable, read once."""
    decision = decided(policy, origin)
    listed = merged_start({"type": "http.response.start", "status": 200, "headers": headers}, decision, "/p")
    once = merged_start({"type": "http.response.start", "status": 200, "headers": iter(headers)}, decision, "/p")
    assert list(once["headers"]) == list(listed["headers"])


def test_the_encoding_table_is_bounded_and_keeps_short_lines_only() -> None:
    """A reflected header list can be 8 KiB: encoded for its response, never kept."""
    asgi_messages._ENCODED.clear()
    reflected = ("Access-Control-Allow-Headers", "x-a," * 1000)
    assert asgi_messages.encoded([reflected]) == [(b"access-control-allow-headers", reflected[1].encode())]
    assert reflected not in asgi_messages._ENCODED
    for n in range(asgi_messages.MAX_ENCODED + 5):
        asgi_messages.encoded([("Access-Control-Allow-Origin", f"https://{n}.example.com")])
    assert 0 < len(asgi_messages._ENCODED) <= asgi_messages.MAX_ENCODED
