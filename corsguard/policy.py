"""The policy engine: a configuration compiled once, consulted per request.

``Policy(...)`` validates everything and precomputes every header value it
will ever send, so ``evaluate`` does hash lookups, a bounded scan of
Access-Control-Request-Headers and one small list per response. Rules are
cited by section of the corsguard contract (C§n) and of WHATWG Fetch.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from corsguard import headers as fields
from corsguard import log
from corsguard.decision import Decision, Kind, classify
from corsguard.errors import PolicyError, Problem
from corsguard.origins import ANY, OriginSet, compile_origins, malformation
from corsguard.settings import SETTINGS, arguments_from_mapping, with_env

DEFAULT_METHODS: tuple[str, ...] = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")
DEFAULT_HEADERS: tuple[str, ...] = (
    "accept",
    "authorization",
    "content-type",
    "user-agent",
    "x-csrftoken",
    "x-requested-with",
)

ACAO = "Access-Control-Allow-Origin"
ACAC = "Access-Control-Allow-Credentials"
ACAM = "Access-Control-Allow-Methods"
ACAH = "Access-Control-Allow-Headers"
ACEH = "Access-Control-Expose-Headers"
ACMA = "Access-Control-Max-Age"
ACAPN = "Access-Control-Allow-Private-Network"

VARY_ACTUAL: tuple[str, ...] = ("Origin",)
VARY_PREFLIGHT: tuple[str, ...] = ("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers")
VARY_PREFLIGHT_PNA: tuple[str, ...] = (*VARY_PREFLIGHT, "Access-Control-Request-Private-Network")

# C§7: Chromium's console wording, so a log line can be matched to the error.
NO_ACAO = "No 'Access-Control-Allow-Origin' header is present on the requested resource."
PREFLIGHT_PREFIX = "Response to preflight request doesn't pass access control check: "
PNA_MISSING = (
    PREFLIGHT_PREFIX + "No 'Access-Control-Allow-Private-Network' header was present in the preflight response "
    "for this private network request."
)
REFUSED_BODY = b"CORS preflight refused: this origin is not allowed.\n"


def method_message(method: str) -> str:
    return f"Method {_shown(method)} is not allowed by Access-Control-Allow-Methods in preflight response."


def header_message(name: str) -> str:
    return f"Request header field {_shown(name)} is not allowed by Access-Control-Allow-Headers in preflight response."


def _shown(value: str) -> str:
    """Request input as it may appear in a message: plain if a short token."""
    return value if len(value) <= 64 and fields.is_token(value) else log.quote(value)


class Policy:
    """An immutable CORS policy; build once at start-up, share freely.

    Raises ``PolicyError`` listing every problem when the configuration is
    unsafe or malformed (C§2).
    """

    __slots__ = (
        "_acrh_bound",
        "_actual_extra",
        "_any_header",
        "_any_method",
        "_credentials",
        "_headers_ok",
        "_methods_ok",
        "_not_cors",
        "_origins",
        "_preflight_extra",
        "_preflight_status",
        "_private_network",
        "_refused_actual",
        "_refused_preflight",
        "_settings",
        "_vary_preflight",
    )
    _settings: Mapping[str, object]
    _origins: OriginSet
    _credentials: bool
    _actual_extra: tuple[tuple[str, str], ...]
    _preflight_extra: tuple[tuple[str, str], ...]
    _methods_ok: frozenset[str]
    _any_method: bool
    _headers_ok: frozenset[str]
    _any_header: bool
    _acrh_bound: int
    _private_network: bool
    _preflight_status: int
    _vary_preflight: tuple[str, ...]
    _not_cors: Decision
    _refused_actual: Decision
    _refused_preflight: Decision

    def __init__(
        self,
        *,
        allowed_origins: Iterable[str] = (),
        origin_regexes: Iterable[str] = (),
        allow_credentials: bool = False,
        allow_methods: Iterable[str] = DEFAULT_METHODS,
        allow_headers: Iterable[str] = DEFAULT_HEADERS,
        expose_headers: Iterable[str] = (),
        max_age: int | None = 86400,
        allow_private_network: bool = False,
        preflight_status: int = 204,
        dangerously_allow_insecure_origins_with_credentials: bool = False,
    ) -> None:
        problems: list[Problem] = []
        origins = _strings("ALLOWED_ORIGINS", allowed_origins, problems)
        regexes = _strings("ORIGIN_REGEXES", origin_regexes, problems)
        credentials = _boolean("ALLOW_CREDENTIALS", allow_credentials, problems)
        insecure = _boolean(
            "DANGEROUSLY_ALLOW_INSECURE_ORIGINS_WITH_CREDENTIALS",
            dangerously_allow_insecure_origins_with_credentials,
            problems,
        )
        private_network = _boolean("ALLOW_PRIVATE_NETWORK", allow_private_network, problems)
        methods = _methods(_strings("ALLOW_METHODS", allow_methods, problems), problems)
        request_headers = _request_headers(_strings("ALLOW_HEADERS", allow_headers, problems), problems)
        exposed = _exposed_headers(_strings("EXPOSE_HEADERS", expose_headers, problems), credentials, problems)
        age = _max_age(max_age, problems)
        status = _preflight_status(preflight_status, problems)
        matcher = compile_origins(origins, regexes, credentials=credentials, allow_insecure=insecure, problems=problems)
        if problems:
            raise PolicyError(problems)

        settings: dict[str, object] = {
            "ALLOWED_ORIGINS": tuple(origins),
            "ORIGIN_REGEXES": tuple(regexes),
            "ALLOW_CREDENTIALS": credentials,
            "ALLOW_METHODS": methods,
            "ALLOW_HEADERS": request_headers,
            "EXPOSE_HEADERS": exposed,
            "MAX_AGE": age,
            "ALLOW_PRIVATE_NETWORK": private_network,
            "PREFLIGHT_STATUS": status,
            "DANGEROUSLY_ALLOW_INSECURE_ORIGINS_WITH_CREDENTIALS": insecure,
        }
        any_method = ANY in methods
        any_header = ANY in request_headers

        # C§5: ACAC and ACEH on allowed actual responses, nothing else.
        actual_extra: list[tuple[str, str]] = []
        if credentials:
            actual_extra.append((ACAC, "true"))
        if exposed:
            actual_extra.append((ACEH, ", ".join(exposed)))

        # C§4: list everything allowed so one preflight caches it all. With
        # credentials Fetch reads '*' literally, so wildcards become
        # reflections of the (validated) request, added per request.
        preflight_extra: list[tuple[str, str]] = []
        if credentials:
            preflight_extra.append((ACAC, "true"))
        if not any_method:
            preflight_extra.append((ACAM, ", ".join(methods)))
        elif not credentials:
            preflight_extra.append((ACAM, ANY))
        if not any_header:
            if request_headers:
                preflight_extra.append((ACAH, ", ".join(request_headers)))
        elif not credentials:
            # Fetch: '*' never covers Authorization; name it explicitly.
            preflight_extra.append((ACAH, "*, authorization"))
        if age is not None:
            preflight_extra.append((ACMA, str(age)))

        vary_preflight = VARY_PREFLIGHT_PNA if private_network else VARY_PREFLIGHT
        assign = object.__setattr__
        assign(self, "_settings", MappingProxyType(settings))
        assign(self, "_origins", matcher)
        assign(self, "_credentials", credentials)
        assign(self, "_actual_extra", tuple(actual_extra))
        assign(self, "_preflight_extra", tuple(preflight_extra))
        assign(self, "_methods_ok", frozenset(methods) | fields.SAFELISTED_METHODS)
        assign(self, "_any_method", any_method)
        assign(self, "_headers_ok", frozenset(request_headers))
        assign(self, "_any_header", any_header)
        assign(
            self,
            "_acrh_bound",
            fields.MAX_ANY_ACRH_LENGTH if any_header else fields.acrh_bound(request_headers),
        )
        assign(self, "_private_network", private_network)
        assign(self, "_preflight_status", status)
        assign(self, "_vary_preflight", vary_preflight)
        assign(self, "_not_cors", Decision(Kind.NOT_CORS, True, (), VARY_ACTUAL))
        assign(
            self,
            "_refused_actual",
            Decision(Kind.ACTUAL, False, (), VARY_ACTUAL, reason=NO_ACAO, detail="origin not allowed"),
        )
        assign(
            self,
            "_refused_preflight",
            Decision(
                Kind.PREFLIGHT,
                False,
                (),
                vary_preflight,
                status=403,
                body=REFUSED_BODY,
                reason=PREFLIGHT_PREFIX + NO_ACAO,
                detail="origin not allowed",
            ),
        )

    # -- construction from the shared vocabulary ---------------------------

    @classmethod
    def from_mapping(
        cls,
        mapping: Mapping[str, object],
        *,
        env: Mapping[str, str] | None = None,
        env_prefix: str = "CORSGUARD_",
    ) -> Policy:
        """A policy from upper-case settings (``{"ALLOWED_ORIGINS": [...]}``).

        With ``env``, ``<env_prefix><SETTING>`` variables override the mapping,
        so a deployment can change origins without a code change.
        """
        problems: list[Problem] = []
        arguments = arguments_from_mapping(with_env(mapping, env, env_prefix, problems), problems)
        return cls._build(arguments, problems)

    @classmethod
    def from_env(cls, prefix: str = "CORSGUARD_", environ: Mapping[str, str] | None = None) -> Policy:
        """A policy from environment variables (``CORSGUARD_ALLOWED_ORIGINS=a,b``)."""
        return cls.from_mapping({}, env=os.environ if environ is None else environ, env_prefix=prefix)

    @classmethod
    def _build(cls, arguments: Mapping[str, Any], problems: list[Problem]) -> Policy:
        try:
            policy = cls(**arguments)
        except PolicyError as error:
            problems.extend(error.problems)
            raise PolicyError(problems) from None
        if problems:
            raise PolicyError(problems)
        return policy

    def replace(self, **overrides: Any) -> Policy:
        """A new policy: this one's settings with some keyword arguments changed."""
        arguments = {SETTINGS[key].argument: value for key, value in self._settings.items()}
        unknown = [name for name in overrides if name not in arguments]
        problems = [
            Problem(
                name, overrides[name], "is not a Policy argument.", f"known arguments: {', '.join(sorted(arguments))}."
            )
            for name in unknown
        ]
        arguments.update((name, value) for name, value in overrides.items() if name not in unknown)
        return self._build(arguments, problems)

    def with_mapping(self, overrides: Mapping[str, object]) -> Policy:
        """A new policy: this one's settings with upper-case overrides applied."""
        problems: list[Problem] = []
        arguments = {SETTINGS[key].argument: value for key, value in self._settings.items()}
        arguments.update(arguments_from_mapping(overrides, problems))
        return self._build(arguments, problems)

    # -- introspection ------------------------------------------------------

    @property
    def settings(self) -> Mapping[str, object]:
        """The normalised settings, by their upper-case names."""
        return self._settings

    @property
    def origins(self) -> OriginSet:
        return self._origins

    def allows_origin(self, origin: str) -> bool:
        return self._origins.match(origin) is not None

    def explain_origin(self, origin: str) -> str:
        """Why ``origin`` is refused, for logs and diagnostics ("" if allowed)."""
        if self._origins.match(origin) is not None:
            return ""
        if origin == "null":
            return (
                "the Origin is 'null' (sandboxed iframe, file: or data: page, or a cross-origin redirect) "
                "and 'null' is not listed"
            )
        why = malformation(origin)
        if why:
            return f"the Origin {why}, so it is never allowed"
        return (
            "the Origin is not in ALLOWED_ORIGINS and matches no pattern or ORIGIN_REGEXES entry; "
            "add it to ALLOWED_ORIGINS if it is one of your front-ends"
        )

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Policy is immutable; use replace() or with_mapping() to derive a new one")

    def __repr__(self) -> str:
        shown = {key: value for key, value in self._settings.items() if value not in ((), False)}
        return f"Policy({shown})"

    # -- the hot path -----------------------------------------------------------

    def evaluate(
        self,
        method: str,
        origin: str | None,
        acrm: str | None = None,
        acrh: str | None = None,
        acrpn: str | None = None,
        path: str = "",
    ) -> Decision:
        """Classify a request (C§3) and decide its CORS headers (C§4, C§5).

        Arguments are the raw header values, ``None`` when absent. ``path``
        is used only in log messages.
        """
        kind = classify(method, origin, acrm)
        if kind is Kind.NOT_CORS:
            # C§3: no Origin, not CORS; Vary still, for caches (C§5).
            return self._not_cors
        assert origin is not None
        if kind is Kind.PREFLIGHT:
            assert acrm is not None
            return self._preflight(origin, acrm, acrh, acrpn, path)
        acao = self._origins.match(origin)
        if acao is None:
            # C§5: refused origins get no CORS headers at all.
            log.refusal("request", origin, method, path, NO_ACAO, lambda: self.explain_origin(origin))
            return self._refused_actual
        return Decision(Kind.ACTUAL, True, [(ACAO, acao), *self._actual_extra], VARY_ACTUAL)

    def _preflight(self, origin: str, acrm: str, acrh: str | None, acrpn: str | None, path: str) -> Decision:
        acao = self._origins.match(origin)
        if acao is None:
            # C§4: 403, no CORS headers, nothing about the configuration.
            log.refusal(
                "preflight",
                origin,
                "OPTIONS",
                path,
                self._refused_preflight.reason,
                lambda: self.explain_origin(origin),
            )
            return self._refused_preflight
        headers = [(ACAO, acao), *self._preflight_extra]
        reason = detail = ""
        # Fetch, CORS-preflight fetch step 7: the method must be listed or
        # safelisted; '*' counts only without credentials. Case-sensitive (C§4).
        if self._any_method:
            if self._credentials:
                if fields.is_token(acrm):
                    headers.append((ACAM, acrm))
                else:
                    reason, detail = method_message(acrm), "the requested method is not an HTTP token"
        elif acrm not in self._methods_ok:
            reason = method_message(acrm)
            detail = (
                f"the requested method {_shown(acrm)} is not in ALLOW_METHODS (methods are case-sensitive); "
                "add it there if the front-end uses it"
            )
        # Fetch step 8: every requested header must be listed; the scan is
        # bounded by the allowed list, not by the request (C§4).
        if acrh is not None:
            names = fields.parse_acrh(acrh, self._acrh_bound)
            if names is None:
                if not reason:
                    reason = header_message(_first_element(acrh))
                    detail = "Access-Control-Request-Headers is too long or not a list of header names"
            elif self._any_header:
                if self._credentials and names:
                    headers.append((ACAH, ",".join(names)))
            elif not reason:
                for name in names:
                    if name not in self._headers_ok:
                        reason = header_message(name)
                        detail = f"the requested header {name} is not in ALLOW_HEADERS; add it if the page sends it"
                        break
        # C§4 PNA: only when switched on (flask-cors CVE-2024-6221).
        if acrpn == "true":
            if self._private_network:
                headers.append((ACAPN, "true"))
            elif not reason:
                reason = PNA_MISSING
                detail = "the preflight asks for private network access; set ALLOW_PRIVATE_NETWORK to allow it"
        if reason:
            log.refusal("preflight", origin, acrm, path, reason, detail)
            # C§4: still answered 2xx with the full lists, so the browser
            # prints the precise method/header message.
            return Decision(
                Kind.PREFLIGHT,
                False,
                headers,
                self._vary_preflight,
                self._preflight_status,
                reason=reason,
                detail=detail,
            )
        return Decision(Kind.PREFLIGHT, True, headers, self._vary_preflight, self._preflight_status)


def _first_element(acrh: str) -> str:
    for element in acrh[:256].split(","):
        if element.strip(" \t"):
            return element.strip(" \t")
    return acrh[:64]


# -- validation of the non-origin settings (C§2) -----------------------------


def _strings(setting: str, value: object, problems: list[Problem]) -> list[str]:
    if isinstance(value, str):
        problems.append(Problem(setting, value, "must be a list of strings, not one string.", f"write [{value!r}]."))
        return []
    if not isinstance(value, Iterable):
        problems.append(Problem(setting, value, "must be a list of strings.", "write a list, e.g. []."))
        return []
    items = list(value)
    result = []
    for index, item in enumerate(items):
        if isinstance(item, str):
            result.append(item)
        else:
            problems.append(Problem(f"{setting}[{index}]", item, "is not a string.", "quote it."))
    return result


def _boolean(setting: str, value: object, problems: list[Problem]) -> bool:
    if isinstance(value, bool):
        return value
    problems.append(Problem(setting, value, "must be True or False.", "write True or False, without quotes."))
    return False


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _methods(methods: list[str], problems: list[Problem]) -> tuple[str, ...]:
    result = []
    for index, method in enumerate(methods):
        setting = f"ALLOW_METHODS[{index}]"
        if method == ANY:
            result.append(method)
        elif not fields.is_token(method):
            problems.append(Problem(setting, method, "is not an HTTP method name (a token).", "write e.g. 'PUT'."))
        elif method.upper() in fields.FORBIDDEN_METHODS:
            problems.append(
                Problem(setting, method, "is a method browsers refuse to send (Fetch: forbidden method).", "remove it.")
            )
        elif method.upper() in fields.NORMALIZED_METHODS:
            # Browsers upper-case exactly these six, so the upper-case form is
            # the only one a preflight can ask for.
            result.append(method.upper())
        else:
            result.append(method)
    return _unique(result)


def _request_headers(names: list[str], problems: list[Problem]) -> tuple[str, ...]:
    result = []
    for index, name in enumerate(names):
        setting = f"ALLOW_HEADERS[{index}]"
        if name == ANY:
            result.append(name)
        elif not fields.is_token(name):
            problems.append(Problem(setting, name, "is not a header name (a token).", "write e.g. 'x-api-key'."))
        elif fields.is_forbidden_request_header(name):
            problems.append(
                Problem(
                    setting,
                    name,
                    "is a forbidden request header: pages can never set it, so allowing it has no effect.",
                    "remove it; cookies are sent by ALLOW_CREDENTIALS, not by allowing a header.",
                )
            )
        else:
            result.append(name.lower())
    return _unique(result)


def _exposed_headers(names: list[str], credentials: bool, problems: list[Problem]) -> tuple[str, ...]:
    result = []
    for index, name in enumerate(names):
        setting = f"EXPOSE_HEADERS[{index}]"
        if name == ANY:
            if credentials:
                problems.append(
                    Problem(
                        setting,
                        name,
                        "'*' is read literally by browsers when credentials are included, so it exposes nothing.",
                        "list the header names the front-end reads, e.g. 'x-total-count'.",
                    )
                )
            else:
                result.append(name)
        elif not fields.is_token(name):
            problems.append(Problem(setting, name, "is not a header name (a token).", "write e.g. 'x-total-count'."))
        elif name.lower() in fields.FORBIDDEN_RESPONSE_HEADERS:
            problems.append(
                Problem(setting, name, "can never be read by a page (Fetch: forbidden response header).", "remove it.")
            )
        else:
            result.append(name.lower())
    return _unique(result)


def _max_age(value: object, problems: list[Problem]) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(Problem("MAX_AGE", value, "must be a whole number of seconds or None.", "write e.g. 600."))
        return None
    if value < 0:
        problems.append(
            Problem(
                "MAX_AGE", value, "is negative.", "write 0 to disable preflight caching, or None to omit the header."
            )
        )
        return None
    return value


def _preflight_status(value: object, problems: list[Problem]) -> int:
    if value in (200, 204) and not isinstance(value, bool):
        assert isinstance(value, int)
        return value
    problems.append(Problem("PREFLIGHT_STATUS", value, "must be 204 or 200.", "keep the default, 204."))
    return 204
