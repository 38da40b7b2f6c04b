"""The peers' own example configurations, as data.

Each django-cors-headers example is a set of ``CORS_*`` settings from its
README (the origins list, the regex list, ``CORS_URLS_REGEX``, the methods
and headers lists, all origins, credentials, private network), plus the
shapes users write that the README warns about (an unanchored regex,
``file://`` and ``null``). Each flask-cors example is the arguments of a
``CORS(app, ...)`` call from its README and documentation (the bare call,
resource-specific origins, credentials, a header regex, a wildcard sent as
``*``). Each Starlette example is ``CORSMiddleware``'s arguments from its
documentation.
"""

from __future__ import annotations

from typing import Any

README_ORIGINS = ["https://example.com", "https://sub.example.com", "http://localhost:8080", "http://127.0.0.1:9000"]
DEFAULT_HEADERS = ("accept", "authorization", "content-type", "user-agent", "x-csrftoken", "x-requested-with")

DJANGO: dict[str, dict[str, Any]] = {
    "allowed-origins": {"CORS_ALLOWED_ORIGINS": README_ORIGINS},
    "origin-regexes": {"CORS_ALLOWED_ORIGIN_REGEXES": [r"^https://\w+\.example\.com$"]},
    "unanchored-regex": {"CORS_ALLOWED_ORIGIN_REGEXES": [r"^https://\w+\.example\.com"]},
    "allow-all": {"CORS_ALLOW_ALL_ORIGINS": True},
    "allow-all-credentials": {"CORS_ALLOW_ALL_ORIGINS": True, "CORS_ALLOW_CREDENTIALS": True},
    "urls-regex": {"CORS_ALLOWED_ORIGINS": README_ORIGINS, "CORS_URLS_REGEX": r"^/api/.*$"},
    "methods-headers": {
        "CORS_ALLOWED_ORIGINS": README_ORIGINS,
        "CORS_ALLOW_METHODS": ("DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT"),
        "CORS_ALLOW_HEADERS": (*DEFAULT_HEADERS, "my-custom-header"),
        "CORS_EXPOSE_HEADERS": ["x-total-count"],
        "CORS_PREFLIGHT_MAX_AGE": 0,
    },
    "credentials-private-network": {
        "CORS_ALLOWED_ORIGINS": README_ORIGINS,
        "CORS_ALLOW_CREDENTIALS": True,
        "CORS_ALLOW_PRIVATE_NETWORK": True,
    },
    "old-names": {
        "CORS_ORIGIN_WHITELIST": ["https://example.com/"],
        "CORS_ORIGIN_REGEX_WHITELIST": [r"^https://a\.b$"],
    },
    "file-and-null": {"CORS_ALLOWED_ORIGINS": ["https://example.com", "null", "file://"]},
}

FLASK: dict[str, dict[str, Any]] = {
    "bare": {},
    "resources": {"resources": {r"/api/*": {"origins": "*"}}},
    "resource-origins": {"resources": {r"/api/*": {"origins": ["https://example.com", r"https://.*\.example\.org"]}}},
    "credentials": {"origins": ["https://example.com"], "supports_credentials": True},
    "any-credentials": {"supports_credentials": True},
    "header-regex": {"origins": ["https://example.com"], "allow_headers": ["Content-Type", "X-COMPANY-.*"]},
    "send-wildcard": {"send_wildcard": True, "expose_headers": ["X-Total-Count"], "max_age": 600},
}

STARLETTE: dict[str, dict[str, Any]] = {
    "docs": {
        "allow_origins": ["http://localhost", "http://localhost:8080"],
        "allow_credentials": True,
        "allow_methods": ["*"],
        "allow_headers": ["*"],
    },
    "regex": {"allow_origin_regex": r"https://.*\.example\.org", "expose_headers": ["x-total-count"]},
    "any-credentials": {"allow_origins": ["*"], "allow_credentials": True},
}

# Requests replayed through the peer and the migrated app: the shared
# matrix's kinds of request (no Origin, allowed, refused, null, a regex hit,
# a prefix-regex bypass, preflights allowed and refused by method, header
# and private network), on a CORS path and outside one.
ORIGINS = (
    None,
    "https://example.com",
    "https://sub.example.com",
    "https://api.example.com",
    "https://api.example.com.evil.net",
    "https://a.example.org",
    "https://evil.example",
    "http://localhost:8080",
    "null",
    "file://",
)
PREFLIGHTS = (
    {"Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "content-type"},
    {"Access-Control-Request-Method": "PURGE"},
    {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "x-unknown, authorization"},
    {"Access-Control-Request-Method": "GET", "Access-Control-Request-Private-Network": "true"},
)
PATHS = ("/api/items", "/other")
