"""Hostile input never breaks corsguard (B1, B4, B6; issue: bad input).

For any method, path and value of Origin, ACRM, ACRH and ACRPN (empty, huge,
control bytes, non-ASCII, CR/LF, duplicated), the engine and the WSGI
adapter never raise, never reflect a value that is not an allowed serialized
origin, and never emit a header value or log line holding CR or LF.
"""

from __future__ import annotations

import logging

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from corsguard import Kind, PathRules, Policy, RequestFacts
from corsguard._engine.grammar import is_serialized_origin
from tests.matrix import wsgi_adapter
from tests.matrix.model import Request
from tests.matrix.runner import captured_logs

POLICIES = [
    Policy(
        allowed_origins=["https://app.example.com", "https://*.example.org", "http://localhost:*", "null"],
        origin_regexes=[r"https://[a-z0-9-]+\.preview\.example\.com"],
        expose_headers=["x-total-count"],
        allow_private_network=True,
    ),
    Policy(
        allowed_origins=["https://app.example.com", "https://*.example.org"],
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
    ),
    Policy(allowed_origins=["*"], allow_headers=["*"], max_age=None),
]

# Latin-1 text is what a WSGI environ can hold; include the nasty parts
# explicitly so they are not left to chance.
nasty = st.sampled_from(["\r\n", "\n", "\r", "\x00", "\x7f", ",", " ", "\t", "\x85", "\xa0", "/", "@", "*", ":"])
latin1 = st.characters(min_codepoint=0, max_codepoint=255)
header_value = st.one_of(
    st.none(),
    st.text(latin1, max_size=64),
    st.lists(st.one_of(nasty, st.text(latin1, max_size=8)), max_size=12).map("".join),
    st.sampled_from(
        [
            "https://app.example.com",
            "https://a.example.org",
            "http://localhost:3000",
            "null",
            "https://app.example.com\r\nX-Injected: 1",
            "https://app.example.com, https://a.example.org",
            "https://b\xfccher.example",
        ]
    ),
    st.builds(lambda n: "a," * n, st.integers(0, 50_000)),
)
origin_like = st.one_of(
    header_value,
    st.builds(
        lambda s, h: f"{s}://{h}", st.sampled_from(["http", "https", "HTTPS", "ws"]), st.text(latin1, max_size=40)
    ),
)
methods = st.one_of(
    st.sampled_from(["GET", "POST", "OPTIONS", "PUT", "patch", "", "GET\r\n"]), st.text(latin1, max_size=16)
)


def _assert_clean(headers: object) -> None:
    for name, value in headers:  # type: ignore[attr-defined]
        assert isinstance(name, str) and isinstance(value, str)
        assert "\r" not in value and "\n" not in value, (name, value)
        assert "\r" not in name and "\n" not in name


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    policy=st.sampled_from(POLICIES),
    method=methods,
    origin=origin_like,
    acrm=header_value,
    acrh=header_value,
    acrpn=st.one_of(st.none(), st.sampled_from(["true", "TRUE", "false", ""]), st.text(latin1, max_size=8)),
    path=st.text(latin1, max_size=64),
)
@example(POLICIES[0], "OPTIONS", "https://app.example.com", "PUT", "," * (1 << 20), None, "/")
@example(POLICIES[1], "OPTIONS", "https://app.example.com", "PUT\r\n", "x\r\ny", "true", "/\r\n")
def test_engine_never_raises_or_reflects_garbage(policy, method, origin, acrm, acrh, acrpn, path):  # type: ignore[no-untyped-def]
    with captured_logs() as messages:
        decision = policy.evaluate(RequestFacts(method, origin, acrm, acrh, acrpn, path))
    _assert_clean(decision.headers)
    if decision.kind is Kind.PREFLIGHT:
        _assert_clean(decision.response_headers())
    for message in messages:
        assert "\r" not in message and "\n" not in message
    acao = [value for name, value in decision.headers if name == "Access-Control-Allow-Origin"]
    assert len(acao) <= 1
    if acao:
        # Reflected only when the origin is well-formed and allowed, and then
        # byte for byte (B1).
        assert origin is not None and policy.allows_origin(origin)
        assert acao[0] in (origin, "*")
        assert origin == "null" or is_serialized_origin(origin)
    if origin is None:
        assert decision.kind is Kind.NOT_CORS and not decision.headers


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    method=methods,
    path=st.text(latin1, max_size=48).map(lambda s: "/" + s),
    origins=st.lists(origin_like.filter(lambda v: v is not None), max_size=2),
    acrm=header_value,
    acrh=header_value,
)
def test_wsgi_adapter_never_raises_or_emits_crlf(method, path, origins, acrm, acrh):  # type: ignore[no-untyped-def]
    app = wsgi_adapter.build(
        {
            "ALLOWED_ORIGINS": ["https://app.example.com", "https://*.example.org"],
            "PATHS": [(r"/api/.*", {}), (r"/public/.*", {"ALLOWED_ORIGINS": ["*"]})],
        }
    )
    headers = tuple(("Origin", value) for value in origins)
    if acrm is not None:
        headers += (("Access-Control-Request-Method", acrm),)
    if acrh is not None:
        headers += (("Access-Control-Request-Headers", acrh),)
    environ = wsgi_adapter.environ_for(Request(method=method, path="/", headers=headers))
    environ["PATH_INFO"] = path  # as a server hands it over: already decoded, any bytes
    with captured_logs() as messages:
        result = wsgi_adapter.call(app, environ)
    _assert_clean(result.headers)
    assert len(result.values("Access-Control-Allow-Origin")) <= 1
    for message in messages:
        assert "\r" not in message and "\n" not in message


@given(st.lists(st.text(latin1, min_size=1, max_size=30), min_size=1, max_size=2000))
@settings(max_examples=20, deadline=None)
def test_refusal_log_memory_is_bounded(origins):  # type: ignore[no-untyped-def]
    from corsguard._engine import log  # noqa: PLC0415

    policy = Policy(allowed_origins=["https://app.example.com"])
    logger = logging.getLogger("corsguard")
    previous = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    log.forget()
    logger.setLevel(logging.DEBUG)
    try:
        with captured_logs():
            for origin in origins:
                policy.evaluate(RequestFacts("GET", origin))
        assert len(log._state.seen) <= log.MAX_REMEMBERED
    finally:
        logger.setLevel(previous)


@given(
    rules=st.lists(st.sampled_from([r"/api/.*", r"/public/.*", r"/a", r".*", r"/x/[0-9]+"]), min_size=1, max_size=5),
    path=st.sampled_from(["/api/x", "/public/y", "/a", "/x/12", "/API/x", "/other"]),
)
def test_first_matching_rule_wins(rules, path):  # type: ignore[no-untyped-def]
    """B3 / CVE-2024-6839: declaration order decides, never pattern length."""
    import re  # noqa: PLC0415

    base = Policy(allowed_origins=["https://app.example.com"])
    spec = [(pattern, {"MAX_AGE": index}) for index, pattern in enumerate(rules)]
    chosen = PathRules(base, spec).policy_for(path)
    expected = next((index for index, pattern in enumerate(rules) if re.fullmatch(pattern, path)), None)
    if expected is None:
        assert chosen is None
    else:
        assert chosen is not None and chosen.settings.max_age == expected


REGEX_SOURCES = [
    r"https://[a-z0-9-]+\.preview\.example\.com",
    r"^https://\w+\.example\.com$",
    r"https://.*example\.com",
    r"https://app\.example\.com",
    r"https://(a|b)\.example\.com",
    r"https://a\.com|http://b\.com",
    r"https://x\.com:8080",
    r"http://localhost(:[0-9]+)?",
    r"https://[a-z.]+\.example\.org.*",
    r"(?i)https://upper\.example\.com",
    r"https?://[a-z]+\.x-y\.com",
    r"http://[0-9.]+\.1",
]
labels = st.sampled_from(
    ["a", "b", "app", "x", "preview", "example", "com", "org", "x-y", "localhost", "1", "evil", "0"]
)


@settings(max_examples=500, deadline=None)
@given(
    sources=st.lists(st.sampled_from(REGEX_SOURCES), min_size=1, max_size=len(REGEX_SOURCES), unique=True),
    scheme=st.sampled_from(["http", "https"]),
    host=st.lists(labels, min_size=1, max_size=5).map(".".join),
    port=st.sampled_from(["", ":8080", ":3000"]),
)
def test_regex_index_never_changes_the_answer(sources, scheme, host, port):  # type: ignore[no-untyped-def]
    """Filing regexes by their literal domain is only a shortcut: the result
    is the same as running every regex on every well-formed origin."""
    import re  # noqa: PLC0415

    origin = f"{scheme}://{host}{port}"
    policy = Policy(origin_regexes=sources)
    expected = is_serialized_origin(origin) and any(re.fullmatch(source, origin) for source in sources)
    assert policy.allows_origin(origin) == expected


@settings(max_examples=500, deadline=None)
@given(method=methods, origin=header_value, acrm=header_value)
def test_classify_is_what_evaluate_decides(method, origin, acrm):  # type: ignore[no-untyped-def]
    """Adapters classify before choosing a policy (Flask routes a preflight
    by the method it announces); the answer must be the engine's own."""
    from corsguard import classify  # noqa: PLC0415

    with captured_logs():
        decided = POLICIES[2].evaluate(RequestFacts(method, origin, acrm)).kind
    assert classify(method, origin, acrm) is decided


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    policy=st.sampled_from(POLICIES),
    acrm=st.one_of(methods, header_value),
    acrh=header_value,
    acrpn=st.one_of(st.none(), st.sampled_from(["true", "false"]), st.text(latin1, max_size=8)),
)
def test_a_remembered_preflight_answer_is_the_one_worked_out_afresh(policy, acrm, acrh, acrpn):  # type: ignore[no-untyped-def]
    """Plan.answers only saves work: the second identical preflight gets
    exactly what a policy that never saw the first would answer."""
    facts = RequestFacts("OPTIONS", "https://app.example.com", acrm, acrh, acrpn, "/")
    remembering = Policy.from_settings(policy.settings)
    with captured_logs():
        first = remembering.evaluate(facts)
        second = remembering.evaluate(facts)
        fresh = Policy.from_settings(policy.settings).evaluate(facts)
    assert first == second == fresh
    assert second.headers is not first.headers or not second.headers


_CORS_NAMES = ["origin", "access-control-request-method", "access-control-request-headers"]
_CORS_NAMES.append("access-control-request-private-network")
_OTHER_NAMES = ["accept", "authorization", "host", "user-agent", "x-origin", "originator", "access-control-x", ""]


@st.composite
def asgi_headers(draw: st.DrawFn) -> list[tuple[bytes, bytes]]:
    """Header lines as an ASGI server could pass them: any case, repeats, other names."""
    names = st.sampled_from(_CORS_NAMES + _OTHER_NAMES).flatmap(
        lambda name: st.lists(st.booleans(), min_size=len(name), max_size=len(name)).map(
            lambda upper: "".join(c.upper() if u else c for c, u in zip(name, upper, strict=True))
        )
    )
    values = st.text(st.characters(min_codepoint=0, max_codepoint=255), max_size=20)
    lines = draw(st.lists(st.tuples(names, values), max_size=8))
    return [(name.encode("latin-1"), value.encode("latin-1")) for name, value in lines]


@given(asgi_headers(), st.sampled_from(["GET", "OPTIONS", "POST"]))
def test_asgi_and_wsgi_read_the_same_facts(headers: list[tuple[bytes, bytes]], method: str) -> None:
    """An ASGI scope and the WSGI environ a server would build from the same
    lines (names case-insensitive, repeats joined by ", ") give equal facts."""
    environ: dict[str, str] = {"REQUEST_METHOD": method}
    for name, value in headers:
        key = "HTTP_" + name.decode("latin-1").upper().replace("-", "_")
        text = value.decode("latin-1")
        environ[key] = environ[key] + ", " + text if key in environ else text
    scope = {"type": "http", "method": method, "headers": headers}
    assert RequestFacts.from_scope(scope, "/p") == RequestFacts.from_environ(environ, "/p")
