"""The scenario table: every rule of the contract and every peers.md row,
once, for every adapter. Add behaviour here, never per framework.
"""

from __future__ import annotations

from collections.abc import Mapping

from testprojects import contract
from tests.matrix.model import Expect, Request, Scenario, Step

TRUSTED = "https://app.example.com"
UNTRUSTED = "https://evil.example.net"
LOCAL = "http://localhost:3000"

ACAO = "Access-Control-Allow-Origin"
ACAC = "Access-Control-Allow-Credentials"
ACAM = "Access-Control-Allow-Methods"
ACAH = "Access-Control-Allow-Headers"
ACEH = "Access-Control-Expose-Headers"
ACMA = "Access-Control-Max-Age"
ACAPN = "Access-Control-Allow-Private-Network"
ALL_CORS = (ACAO, ACAC, ACAM, ACAH, ACEH, ACMA, ACAPN)
PREFLIGHT_ONLY = (ACAM, ACAH, ACMA, ACAPN)

DEFAULT_ACAM = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"
DEFAULT_ACAH = "accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with"
PREFLIGHT_VARY = ("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers")

BASE: Mapping[str, object] = {
    "ALLOWED_ORIGINS": [TRUSTED, "https://*.example.org", "http://localhost:*"],
    "EXPOSE_HEADERS": ["x-total-count"],
}
CREDENTIALED: Mapping[str, object] = {**BASE, "ALLOW_CREDENTIALS": True}
ANY_ORIGIN: Mapping[str, object] = {"ALLOWED_ORIGINS": ["*"]}
TENANT = "https://tenant1.example.net"
TENANTS: Mapping[str, object] = {"ALLOWED_ORIGINS": [TRUSTED], "ORIGIN_RESOLVER": "testprojects.resolvers.tenants"}
TENANTS_ASYNC: Mapping[str, object] = {**TENANTS, "ORIGIN_RESOLVER": "testprojects.resolvers.tenants_async"}
YES_TO_ALL: Mapping[str, object] = {"ORIGIN_RESOLVER": "testprojects.resolvers.everything"}
# B11: public resources are usually a part of a site (assets, an open data
# feed), so the mode is set by a path rule here.
PUBLIC: Mapping[str, object] = {
    "ALLOWED_ORIGINS": [TRUSTED],
    "PATHS": [
        (r"/api/items", {"ALLOWED_ORIGINS": ["*"], "PUBLIC_RESOURCE": True, "EXPOSE_HEADERS": ["x-total-count"]}),
        (r".*", {}),
    ],
}


def get(path: str = "/api/items", origin: str | None = None, *extra: tuple[str, str], method: str = "GET") -> Request:
    headers = ((("Origin", origin),) if origin is not None else ()) + extra
    return Request(method=method, path=path, headers=headers)


def preflight(
    path: str = "/api/items",
    origin: str = TRUSTED,
    method: str = "PUT",
    headers: str | None = None,
    *extra: tuple[str, str],
) -> Request:
    sent: tuple[tuple[str, str], ...] = (("Origin", origin), ("Access-Control-Request-Method", method))
    if headers is not None:
        sent += (("Access-Control-Request-Headers", headers),)
    return Request(method="OPTIONS", path=path, headers=sent + extra)


def allowed(origin: str, status: int | tuple[int, ...] = 200, *, credentials: bool = False, **more: object) -> Expect:
    wanted: dict[str, object] = {ACAO: origin}
    absent: tuple[str, ...] = PREFLIGHT_ONLY
    if credentials:
        wanted[ACAC] = "true"
    else:
        absent += (ACAC,)
    wanted.update(more.pop("headers", {}))  # type: ignore[call-overload]
    more.setdefault("vary", ("Origin",))
    return Expect(status=status, headers=wanted, absent=absent, **more)  # type: ignore[arg-type]


def refused(status: int | tuple[int, ...] = 200, **more: object) -> Expect:
    more.setdefault("vary", ("Origin",))
    return Expect(status=status, absent=ALL_CORS, **more)  # type: ignore[arg-type]


def preflight_ok(origin: str = TRUSTED, *, credentials: bool = False, **headers: object) -> Expect:
    wanted: dict[str, object] = {ACAO: origin, ACAM: DEFAULT_ACAM, ACAH: DEFAULT_ACAH, ACMA: "86400"}
    if credentials:
        wanted[ACAC] = "true"
    wanted.update({name.replace("_", "-"): value for name, value in headers.items()})
    absent = () if credentials else (ACAC,)
    return Expect(status=204, headers=wanted, absent=(*absent, ACEH), vary=PREFLIGHT_VARY, app_ran=False, body=b"")


PREFLIGHT_REFUSED = Expect(
    status=403, absent=ALL_CORS, vary=PREFLIGHT_VARY, app_ran=False, body_contains=b"not allowed"
)


def one(
    name: str, covers: str, config: Mapping[str, object], request: Request, expect: Expect, **kw: object
) -> Scenario:
    return Scenario(name=name, covers=covers, config=config, steps=(Step(request, expect),), **kw)  # type: ignore[arg-type]


def bad(name: str, covers: str, config: Mapping[str, object], *settings: str) -> Scenario:
    return Scenario(name=name, covers=covers, config=config, error_settings=settings)


# B3.4: path rules see the path the framework routes on. A strict rule for
# the users' view, a permissive one for everything else: whenever the users'
# view serves a request, the strict rule must be the one that applied.
STRICT_USERS = {"ALLOWED_ORIGINS": [TRUSTED], "PATHS": [(r"/api/v1/users/.*", {}), (r".*", {"ALLOWED_ORIGINS": ["*"]})]}
# How each adapter family routes an odd path, declared by the adapters as a
# feature: Werkzeug strips leading slashes and redirects merged ones (Flask);
# Django routes on path_info as it is; the plain WSGI and ASGI middlewares
# merge slashes for their rules whatever the app behind them does.
ROUTING = ("werkzeug-routing", "django-routing", "plain-routing")


def routed(name: str, path: str, **by_family: Expect) -> list[Scenario]:
    """One scenario per routing family, each with what that family must do."""
    assert set(by_family) == {family.replace("-routing", "") for family in ROUTING}, by_family
    return [
        one(
            f"{name}-{family}",
            "B3.4; peers: flask-cors CVE-2020-25032",
            STRICT_USERS,
            get(path, UNTRUSTED),
            expect,
            engine=False,
            requires=(f"{family}-routing",),
        )
        for family, expect in by_family.items()
    ]


SERVED_STRICT = refused(200)
NOT_ROUTED_STRICT = refused(404, app_ran=False)
NOT_ROUTED_OPEN = allowed("*", 404, app_ran=False)


SCENARIOS: list[Scenario] = [
    # --- B1 origins: byte-exact comparison, unchanged reflection -----------------
    one(
        "exact-origin-allowed",
        "B1 B5",
        BASE,
        get(origin=TRUSTED),
        allowed(TRUSTED, headers={ACEH: "x-total-count", "X-Total-Count": "3"}),
    ),
    one("origin-upper-case-refused", "B1 byte-exact", BASE, get(origin="HTTPS://App.example.com"), refused()),
    one("origin-trailing-slash-refused", "B1 byte-exact", BASE, get(origin=TRUSTED + "/"), refused()),
    one("origin-default-port-refused", "B1 byte-exact", BASE, get(origin=TRUSTED + ":443"), refused()),
    one("origin-with-path-refused", "B1 malformed", BASE, get(origin=TRUSTED + "/x"), refused()),
    one("origin-userinfo-refused", "B1 malformed", BASE, get(origin="https://user@app.example.com"), refused()),
    one("origin-empty-refused", "B1 malformed", BASE, get(origin=""), refused()),
    one(
        "origin-too-long-refused",
        "B1 length cap",
        {"ALLOWED_ORIGINS": ["*"]},
        get(origin="https://" + "a" * 400 + ".example.com"),
        refused(),
    ),
    one(
        "origin-non-ascii-refused",
        "B1 malformed",
        {"ORIGIN_REGEXES": [r"https://.+"]},
        get(origin="https://b\xfccher.example"),
        refused(),
    ),
    one(
        "origin-control-bytes-refused",
        "B1 malformed",
        {"ORIGIN_REGEXES": [r"https://.+"]},
        get(origin="https://app.example.com\x00\x07"),
        refused(),
    ),
    one(
        "origin-whitespace-refused",
        "B1 malformed",
        {"ALLOWED_ORIGINS": ["*"]},
        get(origin=" https://app.example.com"),
        refused(),
    ),
    one(
        "subdomain-pattern-one-label",
        "B1 patterns",
        BASE,
        get(origin="https://a.example.org"),
        allowed("https://a.example.org"),
    ),
    one(
        "subdomain-pattern-two-labels",
        "B1 patterns",
        BASE,
        get(origin="https://a.b.example.org"),
        allowed("https://a.b.example.org"),
    ),
    one("subdomain-pattern-not-apex", "B1 patterns", BASE, get(origin="https://example.org"), refused()),
    one(
        "subdomain-pattern-prefix-lookalike",
        "B1 patterns; rs/cors",
        BASE,
        get(origin="https://evilexample.org"),
        refused(),
    ),
    one(
        "subdomain-pattern-suffix-lookalike",
        "B1 patterns",
        BASE,
        get(origin="https://a.example.org.evil.net"),
        refused(),
    ),
    one("subdomain-pattern-other-scheme", "B1 patterns", BASE, get(origin="http://a.example.org"), refused()),
    one("subdomain-pattern-other-port", "B1 patterns", BASE, get(origin="https://a.example.org:8443"), refused()),
    one("port-pattern-any-port", "B1 port pattern", BASE, get(origin=LOCAL), allowed(LOCAL)),
    one("port-pattern-no-port", "B1 port pattern", BASE, get(origin="http://localhost"), allowed("http://localhost")),
    one("port-pattern-same-scheme-only", "B1 port pattern", BASE, get(origin="https://localhost:3000"), refused()),
    one("null-refused-unless-listed", "B1 null", BASE, get(origin="null"), refused()),
    one("null-listed", "B1 null", {"ALLOWED_ORIGINS": ["null"]}, get(origin="null"), allowed("null")),
    one("any-origin-star", "B1 any", ANY_ORIGIN, get(origin=UNTRUSTED), allowed("*")),
    one("any-origin-not-null", "B1 null only if listed", ANY_ORIGIN, get(origin="null"), refused()),
    one("any-origin-not-malformed", "B1 malformed", ANY_ORIGIN, get(origin=UNTRUSTED + "/"), refused()),
    one(
        "regex-fullmatch-allows",
        "B1 regexes",
        {"ORIGIN_REGEXES": [r"https://[a-z0-9-]+\.example\.com"]},
        get(origin="https://pr-12.example.com"),
        allowed("https://pr-12.example.com"),
    ),
    one(
        "regex-unanchored-end",
        "peers: flask-cors, express, sanic-cors",
        {"ORIGIN_REGEXES": [r"https://.*\.example\.com"]},
        get(origin="https://a.example.com.evil.net"),
        refused(),
    ),
    one(
        "regex-re-match-prefix",
        "peers: django-cors-headers re.match",
        {"ORIGIN_REGEXES": [r"https://a\.example\.com"]},
        get(origin="https://a.example.com.evil.net"),
        refused(),
    ),
    one(
        "regex-suffix-dollar",
        "peers: express docs",
        {"ORIGIN_REGEXES": [r"example\.com$"]},
        get(origin="https://evilexample.com"),
        refused(),
    ),
    one(
        "regex-case-sensitive",
        "B1 regexes",
        {"ORIGIN_REGEXES": [r"https://app\.example\.com"]},
        get(origin="https://APP.example.com"),
        refused(),
    ),
    one(
        "suffix-confusion-GHSA-vhxv-fg4m-p2w8",
        "peers: jub0bs/cors GHSA-vhxv-fg4m-p2w8",
        {"ALLOWED_ORIGINS": ["https://foo.com", "https://bar.com"]},
        get(origin="https://barfoo.com"),
        refused(),
    ),
    one(
        "x-origin-is-not-origin",
        "peers: rack-cors",
        BASE,
        get("/api/items", None, ("X-Origin", TRUSTED)),
        Expect(absent=ALL_CORS, vary=("Origin",)),
    ),
    one("two-origin-lines-same", "peers: rs/cors", BASE, get("/api/items", TRUSTED, ("Origin", TRUSTED)), refused()),
    one("two-origin-lines-mixed", "peers: rs/cors", BASE, get("/api/items", UNTRUSTED, ("Origin", TRUSTED)), refused()),
    # --- B2 configuration refused at start-up --------------------------------------
    bad(
        "config-any-with-credentials",
        "B2; peers: flask-cors, Starlette, express",
        {"ALLOWED_ORIGINS": ["*"], "ALLOW_CREDENTIALS": True},
        "ALLOWED_ORIGINS[0]",
    ),
    bad(
        "config-null-with-credentials",
        "B2",
        {"ALLOWED_ORIGINS": ["null"], "ALLOW_CREDENTIALS": True},
        "ALLOWED_ORIGINS[0]",
    ),
    bad(
        "config-malformed-origins",
        "B2",
        {
            "ALLOWED_ORIGINS": [
                "https://a.com/",
                "https://a.com/path",
                "https://u@a.com",
                "HTTPS://A.COM",
                "https://a.com:443",
                "a.com",
                "https://a.com?q",
                "https://a.com#f",
                " https://a.com",
                "",
            ]
        },
        *(f"ALLOWED_ORIGINS[{i}]" for i in range(10)),
    ),
    bad(
        "config-glob-missing-dot",
        "B2; peers: rs/cors",
        {"ALLOWED_ORIGINS": ["https://*example.com"]},
        "ALLOWED_ORIGINS[0]",
    ),
    bad("config-inner-wildcard", "B2", {"ALLOWED_ORIGINS": ["https://foo.*.com"]}, "ALLOWED_ORIGINS[0]"),
    bad(
        "config-public-suffix-wildcard-with-credentials",
        "B2",
        {"ALLOWED_ORIGINS": ["https://*.com", "https://*.co.uk"], "ALLOW_CREDENTIALS": True},
        "ALLOWED_ORIGINS[0]",
        "ALLOWED_ORIGINS[1]",
    ),
    bad(
        "config-ip-wildcard",
        "B2",
        {"ALLOWED_ORIGINS": ["http://*.0.0.1", "http://*.[::1]"]},
        "ALLOWED_ORIGINS[0]",
        "ALLOWED_ORIGINS[1]",
    ),
    bad("config-bad-regex", "B2", {"ORIGIN_REGEXES": ["https://(unclosed"]}, "ORIGIN_REGEXES[0]"),
    bad(
        "config-regex-matches-everything-with-credentials",
        "B2 no reflect-all with credentials",
        {"ORIGIN_REGEXES": [".*"], "ALLOW_CREDENTIALS": True},
        "ORIGIN_REGEXES[0]",
    ),
    bad(
        "config-plain-http-with-credentials",
        "B2",
        {"ALLOWED_ORIGINS": ["http://app.example.com", "http://*.example.com"], "ALLOW_CREDENTIALS": True},
        "ALLOWED_ORIGINS[0]",
        "ALLOWED_ORIGINS[1]",
    ),
    bad(
        "config-bad-methods",
        "B2",
        {"ALLOW_METHODS": ["GET POST", "TRACE", "connect"]},
        "ALLOW_METHODS[0]",
        "ALLOW_METHODS[1]",
        "ALLOW_METHODS[2]",
    ),
    bad(
        "config-bad-request-headers",
        "B2",
        {"ALLOW_HEADERS": ["cookie", "sec-fetch-mode", "proxy-x", "x bad"]},
        *(f"ALLOW_HEADERS[{i}]" for i in range(4)),
    ),
    bad(
        "config-bad-expose-headers",
        "B2",
        {"EXPOSE_HEADERS": ["set-cookie", "*"], "ALLOWED_ORIGINS": [TRUSTED], "ALLOW_CREDENTIALS": True},
        "EXPOSE_HEADERS[0]",
        "EXPOSE_HEADERS[1]",
    ),
    bad("config-negative-max-age", "B2", {"MAX_AGE": -1}, "MAX_AGE"),
    bad("config-unknown-setting", "B2 did-you-mean", {"ALLOWED_ORIGIN": [TRUSTED]}, "ALLOWED_ORIGIN"),
    bad("config-string-not-list", "B2", {"ALLOWED_ORIGINS": TRUSTED}, "ALLOWED_ORIGINS"),
    bad(
        "config-every-problem-at-once",
        "B2 every problem",
        {"ALLOWED_ORIGINS": ["*"], "ALLOW_CREDENTIALS": True, "MAX_AGE": -5, "ALLOW_METHODS": ["TRACE"]},
        "ALLOWED_ORIGINS[0]",
        "MAX_AGE",
        "ALLOW_METHODS[0]",
    ),
    bad(
        "config-path-rule-glob",
        "B3 paths; peers: flask-cors globs",
        {**BASE, "PATHS": {"/api/*": {}}},
        "PATHS['/api/*']",
    ),
    bad(
        "config-path-rule-override",
        "B3 paths",
        {**BASE, "PATHS": {r"/api/.*": {"MAX_AGE": -1}}},
        "PATHS['/api/.*'].MAX_AGE",
    ),
    # --- B3 which requests are CORS requests -----------------------------------------
    one("no-origin-not-cors", "B3; peers: flask-cors Vary", BASE, get(), Expect(absent=ALL_CORS, vary=("Origin",))),
    one(
        "options-without-origin-reaches-app",
        "B3",
        BASE,
        get(method="OPTIONS"),
        Expect(absent=ALL_CORS, vary=("Origin",)),
    ),
    one("options-without-acrm-is-actual", "B3", BASE, get(origin=TRUSTED, method="OPTIONS"), allowed(TRUSTED)),
    one(
        "preflight-skips-auth",
        "B3 auth never sees preflights",
        CREDENTIALED,
        preflight("/api/private", TRUSTED, "GET", "authorization"),
        preflight_ok(credentials=True),
    ),
    one(
        "preflight-skips-routing-404",
        "B3 404 never sees preflights",
        BASE,
        preflight("/no/such/route"),
        preflight_ok(),
    ),
    one(
        "preflight-skips-slash-redirect",
        "B3; peers: flask-cors redirects",
        BASE,
        preflight("/api/slash"),
        preflight_ok(),
    ),
    one(
        "actual-slash-redirect-has-headers",
        "B5 errors",
        BASE,
        get("/api/slash", TRUSTED),
        allowed(TRUSTED, (301, 308), app_ran=False),
        engine=False,
    ),
    one(
        "actual-method-not-rechecked",
        "B5 Fetch does not re-check",
        {**BASE, "ALLOW_METHODS": ["GET"]},
        get(origin=TRUSTED, method="DELETE"),
        allowed(TRUSTED),
    ),
    # --- B3 path rules (flask-cors advisories) ---------------------------------------------
    one(
        "CVE-2024-6839-first-rule-wins",
        "peers: flask-cors CVE-2024-6839",
        {
            "PATHS": [
                (r"/api/v1/users/.*", {"ALLOWED_ORIGINS": [TRUSTED]}),
                (r"/(api|static)/.*", {"ALLOWED_ORIGINS": ["*"]}),
            ]
        },
        get("/api/v1/users/42", UNTRUSTED),
        Expect(absent=ALL_CORS, vary=("Origin",)),
    ),
    one(
        "CVE-2024-6839-trusted-still-allowed",
        "peers: flask-cors CVE-2024-6839",
        {
            "PATHS": [
                (r"/api/v1/users/.*", {"ALLOWED_ORIGINS": [TRUSTED]}),
                (r"/(api|static)/.*", {"ALLOWED_ORIGINS": ["*"]}),
            ]
        },
        get("/api/v1/users/42", TRUSTED),
        allowed(TRUSTED),
    ),
    one(
        "CVE-2024-6866-case-sensitive-paths",
        "peers: flask-cors CVE-2024-6866",
        {"ALLOWED_ORIGINS": [TRUSTED], "PATHS": [(r"/public/.*", {"ALLOWED_ORIGINS": ["*"]}), (r".*", {})]},
        get("/PUBLIC/secret", UNTRUSTED),
        refused(404, app_ran=False),
    ),
    one(
        "CVE-2024-6866-public-path-open",
        "peers: flask-cors CVE-2024-6866",
        {"ALLOWED_ORIGINS": [TRUSTED], "PATHS": [(r"/public/.*", {"ALLOWED_ORIGINS": ["*"]}), (r".*", {})]},
        get("/public/secret", UNTRUSTED),
        allowed("*"),
    ),
    one(
        "CVE-2024-6844-plus-is-not-space",
        "peers: flask-cors CVE-2024-6844",
        {
            "PATHS": [
                (r"/service\+path", {"ALLOWED_ORIGINS": ["https://a.example.com"]}),
                (r"/service path", {"ALLOWED_ORIGINS": ["https://b.example.com"]}),
            ]
        },
        get("/service+path", "https://b.example.com"),
        refused(404, app_ran=False),
    ),
    one(
        "CVE-2024-6844-plus-rule-applies",
        "peers: flask-cors CVE-2024-6844",
        {
            "PATHS": [
                (r"/service\+path", {"ALLOWED_ORIGINS": ["https://a.example.com"]}),
                (r"/service path", {"ALLOWED_ORIGINS": ["https://b.example.com"]}),
            ]
        },
        get("/service+path", "https://a.example.com"),
        allowed("https://a.example.com", 404, app_ran=False),
    ),
    one(
        "CVE-2024-1681-no-log-injection",
        "peers: flask-cors CVE-2024-1681",
        BASE,
        get("/x%0d%0aINFO:forged", UNTRUSTED),
        refused(404, app_ran=False, log_contains=("\\r\\nINFO:forged", repr(UNTRUSTED))),
    ),
    one(
        "CVE-2020-25032-double-decoding",
        "peers: flask-cors CVE-2020-25032",
        {"PATHS": [(r"/api/.*", {"ALLOWED_ORIGINS": ["*"]}), (r".*", {"ALLOWED_ORIGINS": [TRUSTED]})]},
        get("/%2561pi/x", UNTRUSTED),
        refused(404, app_ran=False),
    ),
    one(
        "CVE-2020-25032-dot-segments-routed-path",
        "peers: flask-cors CVE-2020-25032",
        {"PATHS": [(r"/private", {"ALLOWED_ORIGINS": [TRUSTED]}), (r"/public/.*", {"ALLOWED_ORIGINS": ["*"]})]},
        # No framework here normalises dot-segments, so this request is routed to
        # the public view; the CORS decision follows the same routed path.
        get("/public/../private", UNTRUSTED),
        allowed("*"),
    ),
    *routed(
        "path-double-slash",
        "//api/v1/users/42",
        werkzeug=SERVED_STRICT,
        django=NOT_ROUTED_OPEN,
        plain=NOT_ROUTED_STRICT,
    ),
    *routed(
        "path-triple-slash",
        "///api/v1/users/42",
        werkzeug=SERVED_STRICT,
        django=NOT_ROUTED_OPEN,
        plain=NOT_ROUTED_STRICT,
    ),
    *routed(
        "path-no-leading-slash",
        "api/v1/users/42",
        werkzeug=SERVED_STRICT,
        django=NOT_ROUTED_OPEN,
        plain=NOT_ROUTED_STRICT,
    ),
    *routed(
        "path-inner-double-slash",
        "/api/v1//users/42",
        # Werkzeug redirects to the merged path; the redirect is judged by it too.
        werkzeug=refused(308, app_ran=False),
        django=NOT_ROUTED_OPEN,
        plain=NOT_ROUTED_STRICT,
    ),
    one(
        "path-dot-segment-not-routed",
        "B3.4: no router here resolves dot-segments, so nothing private serves",
        STRICT_USERS,
        get("/api/./v1/users/42", UNTRUSTED),
        NOT_ROUTED_OPEN,
        engine=False,
    ),
    one(
        "path-encoded-slash-decoded-once",
        "B3.4: the server decodes %2F once; every framework routes the decoded path",
        STRICT_USERS,
        get("/api%2Fv1/users/42", UNTRUSTED),
        refused(200),
        engine=False,
    ),
    one(
        "path-rule-off",
        "B3 paths",
        {**BASE, "PATHS": {r"/api/.*": {}, r"/public/.*": None}},
        get("/public/page", TRUSTED),
        Expect(absent=ALL_CORS, vary_absent=("Origin",)),
    ),
    one(
        "path-rule-unmatched-is-off",
        "B3 paths",
        {**BASE, "PATHS": {r"/api/.*": {}}},
        get("/public/page", TRUSTED),
        Expect(absent=ALL_CORS, vary_absent=("Origin",)),
    ),
    one(
        "path-rule-override",
        "B3 paths",
        {**BASE, "PATHS": {r"/public/.*": {"ALLOWED_ORIGINS": ["*"]}}},
        get("/public/page", UNTRUSTED),
        allowed("*"),
    ),
    # --- B4 preflight answers ------------------------------------------------------------------
    one("preflight-allowed", "B4", BASE, preflight(headers="authorization,content-type"), preflight_ok()),
    one("preflight-refused-origin", "B4; peers: Starlette leaks", BASE, preflight(origin=UNTRUSTED), PREFLIGHT_REFUSED),
    one("preflight-refused-malformed-origin", "B4", BASE, preflight(origin=TRUSTED + "/"), PREFLIGHT_REFUSED),
    one("preflight-credentials", "B4", CREDENTIALED, preflight(), preflight_ok(credentials=True)),
    one(
        "preflight-method-not-allowed-still-204",
        "B4 precise browser message",
        BASE,
        preflight(method="PURGE"),
        Expect(
            status=204,
            headers={ACAO: TRUSTED, ACAM: DEFAULT_ACAM},
            vary=PREFLIGHT_VARY,
            app_ran=False,
            log_contains=("Method PURGE is not allowed by Access-Control-Allow-Methods",),
        ),
    ),
    one(
        "preflight-method-case-sensitive",
        "B4 methods case-sensitive",
        BASE,
        preflight(method="patch"),
        Expect(status=204, headers={ACAM: DEFAULT_ACAM}, app_ran=False, log_contains=("Method patch is not allowed",)),
    ),
    one(
        "preflight-header-not-allowed-still-204",
        "B4",
        BASE,
        preflight(headers="x-custom"),
        Expect(
            status=204,
            headers={ACAO: TRUSTED, ACAH: DEFAULT_ACAH},
            app_ran=False,
            log_contains=("Request header field x-custom is not allowed",),
        ),
    ),
    one(
        "preflight-acrh-proxy-whitespace",
        "B4 ACRH tolerance",
        BASE,
        preflight(headers=" Content-Type , ,authorization "),
        preflight_ok(),
    ),
    one(
        "preflight-acrh-1MiB-GHSA-mh55-gqvf-xfwm",
        "peers: rs/cors GHSA-mh55-gqvf-xfwm, Starlette",
        BASE,
        preflight(headers="," * (1 << 20)),
        Expect(status=204, headers={ACAO: TRUSTED, ACAH: DEFAULT_ACAH}, app_ran=False),
    ),
    one(
        "preflight-status-200",
        "B4",
        {**BASE, "PREFLIGHT_STATUS": 200},
        preflight(),
        Expect(status=200, headers={ACAO: TRUSTED}, app_ran=False, body=b""),
    ),
    one("preflight-max-age-zero", "B4, B8", {**BASE, "MAX_AGE": 0}, preflight(), preflight_ok(**{ACMA: "0"})),
    one(
        "preflight-max-age-none",
        "B4",
        {**BASE, "MAX_AGE": None},
        preflight(),
        Expect(status=204, headers={ACAO: TRUSTED}, absent=(ACMA,), app_ran=False),
    ),
    one("preflight-any-origin", "B4", ANY_ORIGIN, preflight(origin=UNTRUSTED), preflight_ok("*")),
    one(
        "preflight-any-headers",
        "B4, B8 authorization",
        {**BASE, "ALLOW_HEADERS": ["*"]},
        preflight(headers="authorization,x-anything"),
        preflight_ok(**{ACAH: "*, authorization"}),
    ),
    one(
        "preflight-any-headers-credentials-reflect",
        "B4",
        {**CREDENTIALED, "ALLOW_HEADERS": ["*"]},
        preflight(headers="content-type,x-anything"),
        preflight_ok(credentials=True, **{ACAH: "content-type,x-anything"}),
    ),
    one(
        "preflight-any-methods",
        "B4",
        {**BASE, "ALLOW_METHODS": ["*"]},
        preflight(method="PROPFIND"),
        preflight_ok(**{ACAM: "*"}),
    ),
    one(
        "preflight-any-methods-credentials-reflect",
        "B4",
        {**CREDENTIALED, "ALLOW_METHODS": ["*"]},
        preflight(method="PROPFIND"),
        preflight_ok(credentials=True, **{ACAM: "PROPFIND"}),
    ),
    one(
        "CVE-2024-6221-no-pna-by-default",
        "peers: flask-cors CVE-2024-6221",
        BASE,
        preflight("/api/items", TRUSTED, "GET", None, ("Access-Control-Request-Private-Network", "true")),
        Expect(status=204, headers={ACAO: TRUSTED}, absent=(ACAPN,), app_ran=False),
    ),
    one(
        "pna-when-enabled",
        "B4 PNA",
        {**BASE, "ALLOW_PRIVATE_NETWORK": True},
        preflight("/api/items", TRUSTED, "GET", None, ("Access-Control-Request-Private-Network", "true")),
        Expect(
            status=204,
            headers={ACAO: TRUSTED, ACAPN: "true"},
            vary=(*PREFLIGHT_VARY, "Access-Control-Request-Private-Network"),
            app_ran=False,
        ),
    ),
    one(
        "pna-not-for-refused-origin",
        "B4 PNA",
        {**BASE, "ALLOW_PRIVATE_NETWORK": True},
        preflight("/api/items", UNTRUSTED, "GET", None, ("Access-Control-Request-Private-Network", "true")),
        PREFLIGHT_REFUSED,
    ),
    # --- B5 actual-request answers --------------------------------------------------------------
    one("credentials-allowed", "B5", CREDENTIALED, get(origin=TRUSTED), allowed(TRUSTED, credentials=True)),
    one(
        "credentials-refused-no-headers",
        "B5; peers: Starlette, flask-cors",
        CREDENTIALED,
        get(origin=UNTRUSTED),
        refused(log_contains=(repr(UNTRUSTED),)),
    ),
    one(
        "vary-appended-to-app-vary",
        "B5 Vary",
        BASE,
        get("/api/vary", TRUSTED),
        allowed(TRUSTED, vary=("Origin", "Accept-Encoding")),
        engine=False,
    ),
    one(
        "vary-on-refused",
        "B5 Vary; peers: flask-cors",
        BASE,
        get("/api/vary", UNTRUSTED),
        refused(vary=("Origin", "Accept-Encoding")),
        engine=False,
    ),
    one(
        "app-set-acao-left-alone",
        "B5 one ACAO",
        BASE,
        get("/api/own-cors", TRUSTED),
        Expect(
            headers={ACAO: contract.OWN_ACAO},
            absent=(ACEH,),
            vary=("Origin",),
            log_contains=("already set Access-Control-Allow-Origin",),
        ),
        engine=False,
    ),
    one(
        "app-set-expose-headers-left-alone",
        "B5.5 the application's own CORS headers",
        BASE,
        get("/api/own-expose", TRUSTED),
        Expect(
            headers={ACEH: contract.OWN_EXPOSE},
            absent=(ACAO, ACAC),
            counts={ACEH: 1},
            vary=("Origin",),
            log_contains=("already set Access-Control-Expose-Headers",),
        ),
        engine=False,
    ),
    one(
        "app-set-expose-headers-refused-origin",
        "B5.5: nothing to leave alone for a refused origin; the app's header passes through",
        BASE,
        get("/api/own-expose", UNTRUSTED),
        Expect(headers={ACEH: contract.OWN_EXPOSE}, absent=(ACAO, ACAC), counts={ACEH: 1}, vary=("Origin",)),
        engine=False,
    ),
    one(
        "error-404-raised-has-headers",
        "B5 errors",
        BASE,
        get("/api/missing", TRUSTED),
        allowed(TRUSTED, 404),
        engine=False,
    ),
    one(
        "error-404-routing-has-headers",
        "B5 errors",
        BASE,
        get("/no/such/route", TRUSTED),
        allowed(TRUSTED, 404, app_ran=False),
        engine=False,
    ),
    one(
        "error-403-has-headers", "B5 errors", BASE, get("/api/forbidden", TRUSTED), allowed(TRUSTED, 403), engine=False
    ),
    one(
        "error-500-has-headers",
        "B5 errors; peers: flask-cors",
        BASE,
        get("/api/boom", TRUSTED),
        allowed(TRUSTED, 500),
        engine=False,
    ),
    one(
        "error-401-auth-has-headers",
        "B5 errors",
        CREDENTIALED,
        get("/api/private", TRUSTED),
        allowed(TRUSTED, 401, credentials=True, app_ran=False),
        engine=False,
    ),
    one(
        "streaming-body-untouched",
        "B5 streams",
        BASE,
        get("/api/stream", TRUSTED),
        allowed(TRUSTED, body=contract.STREAM_BODY),
        engine=False,
    ),
    one(
        "set-cookie-lines-survive",
        "B5",
        CREDENTIALED,
        get("/api/cookies", TRUSTED),
        allowed(TRUSTED, credentials=True, counts={"Set-Cookie": 2}),
        engine=False,
    ),
    Scenario(
        name="fresh-headers-per-response",
        covers="B5; peers: rs/cors, Starlette shared lists",
        config=CREDENTIALED,
        steps=(
            Step(get(origin=TRUSTED), allowed(TRUSTED, credentials=True)),
            Step(get(origin=UNTRUSTED), refused()),
            Step(get(origin="https://a.example.org"), allowed("https://a.example.org", credentials=True)),
            Step(get(origin=UNTRUSTED), refused()),
        ),
    ),
    # --- per-view policies: @cors_policy / @cors_exempt (Django and Flask) ---------------------
    one(
        "view-policy-allows-its-origin",
        "per-view policy",
        BASE,
        get("/api/custom", contract.CUSTOM_ORIGIN),
        allowed(contract.CUSTOM_ORIGIN, headers={ACEH: "x-custom"}),
        engine=False,
        requires=("view-policies",),
    ),
    one(
        "view-policy-replaces-global-origins",
        "per-view policy",
        BASE,
        get("/api/custom", TRUSTED),
        refused(),
        engine=False,
        requires=("view-policies",),
    ),
    one(
        "view-policy-governs-preflight",
        "per-view policy",
        BASE,
        preflight("/api/custom", contract.CUSTOM_ORIGIN),
        preflight_ok(contract.CUSTOM_ORIGIN, **{ACMA: "0"}),
        engine=False,
        requires=("view-policies",),
    ),
    one(
        "view-policy-refuses-preflight",
        "per-view policy",
        BASE,
        preflight("/api/custom", TRUSTED),
        PREFLIGHT_REFUSED,
        engine=False,
        requires=("view-policies",),
    ),
    one(
        "view-exempt-no-headers",
        "per-view exempt",
        BASE,
        get("/api/exempt", TRUSTED),
        Expect(absent=ALL_CORS, vary_absent=("Origin",)),
        engine=False,
        requires=("view-policies",),
    ),
    one(
        "view-exempt-preflight-reaches-app",
        "per-view exempt",
        BASE,
        preflight("/api/exempt", TRUSTED),
        Expect(status=200, absent=ALL_CORS, app_ran=None),
        engine=False,
        requires=("view-policies",),
    ),
    one(
        "view-exempt-no-origin-no-vary",
        "per-view exempt",
        BASE,
        get("/api/exempt"),
        Expect(absent=ALL_CORS, vary_absent=("Origin",)),
        engine=False,
        requires=("view-policies",),
    ),
    one(
        "view-policy-on-its-405",
        "per-view policy; B5 errors",
        BASE,
        get("/api/custom", contract.CUSTOM_ORIGIN, method="DELETE"),
        allowed(contract.CUSTOM_ORIGIN, 405, app_ran=False, headers={ACEH: "x-custom"}),
        engine=False,
        requires=("view-policies",),
    ),
    # --- B13.1 per-method declarations on API frameworks (DRF, flask-smorest, APIRouter) ------
    one(
        "api-view-declared-method-governs-its-preflight",
        "B13.1",
        CREDENTIALED,
        preflight("/api/orders/7", contract.CUSTOM_ORIGIN, method="DELETE"),
        preflight_ok(contract.CUSTOM_ORIGIN, **{ACMA: "0"}),
        engine=False,
        requires=("view-policies",),
    ),
    one(
        "api-view-declared-method-refuses-the-settings-origin",
        "B13.1",
        CREDENTIALED,
        preflight("/api/orders/7", TRUSTED, method="DELETE"),
        PREFLIGHT_REFUSED,
        engine=False,
        requires=("view-policies",),
    ),
    one(
        "api-view-declared-method-actual",
        "B13.1",
        CREDENTIALED,
        get("/api/orders/7", contract.CUSTOM_ORIGIN, method="DELETE"),
        allowed(contract.CUSTOM_ORIGIN),
        engine=False,
        requires=("view-policies",),
    ),
    one(
        "api-view-undeclared-method-follows-the-settings",
        "B13.1",
        CREDENTIALED,
        get("/api/orders/7", TRUSTED),
        allowed(TRUSTED, credentials=True),
        engine=False,
        requires=("view-policies",),
    ),
    one(
        "api-view-undeclared-method-refuses-the-declared-origin",
        "B13.1",
        CREDENTIALED,
        preflight("/api/orders/7", contract.CUSTOM_ORIGIN, method="GET"),
        PREFLIGHT_REFUSED,
        engine=False,
        requires=("view-policies",),
    ),
    # --- B9 origins decided at run time ------------------------------------------------------
    one("resolver-allows-a-tenant", "B9.1", TENANTS, get(origin=TENANT), allowed(TENANT)),
    one("resolver-async-allows-a-tenant", "B9.1", TENANTS_ASYNC, get(origin=TENANT), allowed(TENANT)),
    one("resolver-refuses-the-unknown", "B9.1", TENANTS, get(origin=UNTRUSTED), refused()),
    one("resolver-after-the-static-list", "B9.1", TENANTS, get(origin=TRUSTED), allowed(TRUSTED)),
    one("resolver-governs-preflights", "B9.1, B4.2", TENANTS, preflight(origin=TENANT), preflight_ok(TENANT)),
    one("resolver-never-sees-null", "B9.2", YES_TO_ALL, get(origin="null"), refused()),
    one("resolver-never-sees-malformed", "B9.2", YES_TO_ALL, get(origin=TENANT + "/"), refused()),
    one(
        "resolver-credentials-never-see-plain-http",
        "B9.2",
        {**YES_TO_ALL, "ALLOW_CREDENTIALS": True},
        get(origin="http://tenant9.example.net"),
        refused(),
    ),
    one(
        "resolver-credentials-loopback-http-allowed",
        "B9.2",
        {**YES_TO_ALL, "ALLOW_CREDENTIALS": True},
        get(origin="http://localhost:4000"),
        allowed("http://localhost:4000", credentials=True),
    ),
    one(
        "resolver-that-raises-refuses",
        "B9.4",
        {"ORIGIN_RESOLVER": "testprojects.resolvers.raising"},
        get(origin=TENANT),
        refused(log_contains=("failed: ConnectionError",)),
    ),
    one(
        "resolver-that-raises-refuses-preflights",
        "B9.4",
        {"ORIGIN_RESOLVER": "testprojects.resolvers.raising"},
        preflight(origin=TENANT),
        PREFLIGHT_REFUSED,
    ),
    one(
        "resolver-that-times-out-refuses",
        "B9.4",
        {"ORIGIN_RESOLVER": "testprojects.resolvers.slow", "RESOLVER_TIMEOUT": 0.05},
        get(origin="https://slow-tenant.example.net"),
        refused(log_contains=("failed: TimeoutError",)),
    ),
    one(
        "resolver-not-answering-a-bool-refuses",
        "B9.4",
        {"ORIGIN_RESOLVER": "testprojects.resolvers.not_a_bool"},
        get(origin=TENANT),
        refused(log_contains=("failed: TypeError",)),
    ),
    bad(
        "config-resolver-not-importable",
        "B9.1, B2.1",
        {"ORIGIN_RESOLVER": "testprojects.resolvers.nope"},
        "ORIGIN_RESOLVER",
    ),
    bad(
        "config-resolver-limits",
        "B9.3, B2.1",
        {**TENANTS, "RESOLVER_TTL": 0, "RESOLVER_CALLS": -1},
        "RESOLVER_TTL",
        "RESOLVER_CALLS",
    ),
    # --- B14 listed origins -----------------------------------------------------------------------
    one(
        "listed-store-hit",
        "B14.2",
        {**TENANTS, "ORIGIN_RESOLVER": "testprojects.resolvers.listed"},
        get(origin=TENANT),
        allowed(TENANT),
    ),
    one(
        "listed-store-hit-preflight",
        "B14.2, B4.2",
        {**TENANTS, "ORIGIN_RESOLVER": "testprojects.resolvers.listed"},
        preflight(origin=TENANT),
        preflight_ok(TENANT),
    ),
    one(
        "listed-store-miss",
        "B14.2",
        {**TENANTS, "ORIGIN_RESOLVER": "testprojects.resolvers.listed"},
        get(origin=UNTRUSTED),
        refused(log_contains=("not listed in testprojects listed",)),
    ),
    one(
        "listed-store-revoked",
        "B14.2",
        {**TENANTS, "ORIGIN_RESOLVER": "testprojects.resolvers.listed_revoked"},
        get(origin="https://tenant2.example.net"),
        refused(log_contains=("not listed in testprojects listed, tenant2 revoked",)),
    ),
    one(
        "listed-store-down",
        "B14.3",
        {**TENANTS, "ORIGIN_RESOLVER": "testprojects.resolvers.listed_down"},
        get(origin=TENANT),
        refused(log_contains=("not confirmed fresh",)),
    ),
    one(
        "listed-store-credentials-loopback-http",
        "B14.1, B9.2",
        {**TENANTS, "ALLOW_CREDENTIALS": True, "ORIGIN_RESOLVER": "testprojects.resolvers.listed"},
        get(origin="http://localhost:4000"),
        allowed("http://localhost:4000", credentials=True),
    ),
    # --- B11 public resources -------------------------------------------------------------------
    one("public-resource-without-origin", "B11.1", PUBLIC, get(), Expect(headers={ACAO: "*"}, vary_absent=("Origin",))),
    one(
        "public-resource-any-origin-same-answer",
        "B11.1",
        PUBLIC,
        get(origin=UNTRUSTED),
        Expect(headers={ACAO: "*", ACEH: "x-total-count"}, absent=(ACAC,), vary_absent=("Origin",)),
    ),
    one("public-resource-preflight", "B11.1, B4.2", PUBLIC, preflight(origin=UNTRUSTED), preflight_ok("*")),
    bad(
        "config-public-resource-needs-any-origin",
        "B11.1",
        {"ALLOWED_ORIGINS": [TRUSTED], "PUBLIC_RESOURCE": True},
        "PUBLIC_RESOURCE",
    ),
    bad(
        "config-public-resource-never-with-credentials",
        "B11.1",
        {"ALLOWED_ORIGINS": ["*"], "PUBLIC_RESOURCE": True, "ALLOW_CREDENTIALS": True},
        "PUBLIC_RESOURCE",
    ),
    # --- B6 logs ---------------------------------------------------------------------------------
    one(
        "log-refused-origin-names-path",
        "B6",
        BASE,
        get("/api/items", "https://typo.example.com"),
        refused(log_contains=("'https://typo.example.com'", "'/api/items'", "not in ALLOWED_ORIGINS")),
    ),
    one(
        "log-malformed-origin-explained",
        "B6",
        BASE,
        get("/api/items", TRUSTED + "/"),
        refused(log_contains=("ends with a slash",)),
    ),
]

ENGINE_SCENARIOS = [scenario for scenario in SCENARIOS if scenario.engine]


def scenarios_for(*features: str) -> list[Scenario]:
    """The scenarios an adapter with ``features`` runs: all whose needs it meets."""
    return [scenario for scenario in SCENARIOS if set(scenario.requires) <= set(features)]


def by_name() -> dict[str, Scenario]:
    return {scenario.name: scenario for scenario in SCENARIOS}


assert len(by_name()) == len(SCENARIOS), "scenario names must be unique"
