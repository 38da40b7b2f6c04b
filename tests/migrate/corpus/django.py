"""django-cors-headers configurations: each entry's ``CORS_*`` settings."""

from __future__ import annotations

from tests.migrate.corpus import Entry, github

# corsheaders.defaults.default_headers (4.x), which several files extend.
DEFAULT_HEADERS = ("accept", "authorization", "content-type", "user-agent", "x-csrftoken", "x-requested-with")
# The list the django-cors-headers README printed before 3.0, still copied widely.
LEGACY_HEADERS = (
    "accept",
    "accept-encoding",
    "authorization",
    "content-type",
    "dnt",
    "origin",
    "user-agent",
    "x-csrftoken",
    "x-requested-with",
)
METHODS = ("DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT")

ENTRIES = [
    Entry(
        "newtonx-star-headers",
        github("mahfuz110244/newtonX-programming-test", "src/voting_app/settings/third_party.py"),
        {
            "CORS_ORIGIN_ALLOW_ALL": True,
            "CORS_ORIGIN_ALLOW_HEADER": ["username", "group", *LEGACY_HEADERS],
            "CORS_ALLOW_HEADERS": "*",
            "CORS_ALLOW_METHODS": list(METHODS),
        },
        "same",
    ),
    Entry(
        "vettedapi-legacy-headers",
        github("vaibhav-jain/vettedapi", "config/settings/configurations/CORS.py"),
        {
            "CORS_ORIGIN_ALLOW_ALL": True,
            "CORS_ALLOW_HEADERS": (
                "x-requested-with",
                "content-type",
                "accept",
                "origin",
                "authorization",
                "x-csrftoken",
            ),
        },
        "same",
    ),
    Entry(
        "urldrf-all-and-regexes",
        github("Islam0122/URLDRF", "config/settings/cors.py"),
        {
            "CORS_ALLOW_METHODS": list(METHODS),
            "CORS_ALLOW_HEADERS": [*LEGACY_HEADERS, "accept-language"],
            "CORS_ALLOW_ALL_ORIGINS": True,
            "CORS_ALLOWED_ORIGIN_REGEXES": [r"^http://127\.0\.0\.1(:\d+)?$", r"^http://localhost(:\d+)?$"],
        },
        "same",
    ),
    Entry(
        "projecttheta-schemeless",
        github("vivsvaan/ProjectTheta-web-server", "config/cors_settings.py"),
        {
            "CORS_ORIGIN_WHITELIST": ("localhost:4200"),  # as written: a string, not a tuple
            "CORS_ALLOW_HEADERS": (
                "content-type",
                "accept",
                "origin",
                "authorization",
                "x-csrftoken",
                "user-agent",
                "accept-encoding",
                "App-Secret",
                "Authorization",
            ),
        },
        "todo",
    ),
    Entry(
        "cfeapi-urls-regex-schemeless",
        github("codingforentrepreneurs/Django-Angular-Ionic", "src/cfeapi/corsconf/main.py"),
        {
            "CORS_URLS_REGEX": r"^/api/.*$",
            "CORS_ORIGIN_WHITELIST": ("localhost:4200", "127.0.0.1"),
            "CORS_ALLOW_HEADERS": (*DEFAULT_HEADERS, "X-CSRFToken"),
        },
        "todo",
    ),
    Entry(
        "2d-array-urls-regex",
        github("bsancheznyc/2d-array-rotation", "django_2d_array/django_2d_array/corsconf/main.py"),
        {
            "CORS_URLS_REGEX": r"^/.*$",
            "CORS_ORIGIN_WHITELIST": ("http://69.16.201.27:4200", "http://69.16.201.27:4201"),
            "CORS_ALLOW_HEADERS": (*DEFAULT_HEADERS, "X-CSRFToken"),
        },
        "same",
    ),
    Entry(
        "geniotest-readme-regex",
        github("macbotxxx/geniotest", "code.py"),
        {
            "CORS_ALLOWED_ORIGIN_REGEXES": [r"^https://\w+\.example\.com$"],
            "CORS_ALLOWED_ORIGINS": ["http://127.0.0.1:8000"],
            "CORS_ALLOW_METHODS": METHODS,
        },
        "same",
        meant_for=("https://api.example.com",),
    ),
    Entry(
        "hope-unescaped-dots",
        github("unicef/hope-country-report", "src/hope_country_report/config/fragments/cors.py"),
        {"CORS_ORIGIN_ALLOW_ALL": False, "CORS_ALLOWED_ORIGIN_REGEXES": [r"https://\w+.blob.core.windows.net$"]},
        "same",
        shaped="CORS_ORIGIN_ALLOW_ALL reads the environment; its default False is used",
        meant_for=("https://hope.blob.core.windows.net",),
    ),
    Entry(
        "portfolio-urls-regex",
        github("cbedroid/personal-portfolio", "backend/portfolio/vendor_config/cors_headers.py"),
        {"CORS_URLS_REGEX": r"^/api/.*$", "CORS_ALLOWED_ORIGINS": ["http://localhost:8000", "http://127.0.0.1:3000"]},
        "same",
        shaped="CORS_ALLOWED_ORIGINS reads the environment; its default string, split on spaces, is used",
    ),
    Entry(
        "banker-both-names",
        github("pd-Shah/Banker", "Banker/settings/corsheaders_settings.py"),
        {
            "CORS_ALLOWED_ORIGINS": ["http://127.0.0.1:8000"],
            "CORS_ORIGIN_WHITELIST": ["http://localhost", "http://127.0.0.1"],
            "CORS_ALLOW_METHODS": ["GET", "OPTIONS", "POST"],
            "CORS_ALLOW_HEADERS": list(LEGACY_HEADERS),
        },
        "same",
    ),
    Entry(
        "arotkrishi-all-and-list",
        github("rayhancse08/arotkrishi", "arot/settings/components/cors.py"),
        {
            "CORS_ORIGIN_ALLOW_ALL": True,
            "CORS_ALLOWED_ORIGINS": ["http://localhost:3000", "http://127.0.0.1:9000"],
            "CORS_ALLOW_METHODS": METHODS,
            "CORS_ALLOW_HEADERS": LEGACY_HEADERS,
        },
        "same",
    ),
    Entry(
        "keyboard-hacker-all-credentials",
        github("nathantheinventor/keyboard-hacker", "settings.py"),
        {
            "CORS_ORIGIN_ALLOW_ALL": True,
            "CORS_ALLOW_CREDENTIALS": True,
            "CORS_ORIGIN_WHITELIST": ["http://localhost:8000"],
        },
        "todo",
    ),
    Entry(
        "boilerplate-get-only",
        github("officialrkay/django-react-boilerplate", "project_name/settings/cors.py"),
        {
            "CORS_ORIGIN_WHITELIST": ["http://localhost:3000"],
            "CORS_ALLOW_METHODS": ["GET", "OPTIONS"],
            "CORS_ALLOW_HEADERS": list(LEGACY_HEADERS),
        },
        "same",
    ),
    Entry(
        "esgi-star-in-list-credentials",
        github("Projet-annuel-esgi-ALIABD/back-end", "settings.py"),
        {"CORS_ALLOWED_ORIGINS": ["*"], "CORS_ALLOW_CREDENTIALS": True},
        "same",
    ),
    Entry(
        "doctor-all-credentials",
        github("Aplles/doctor", "conf/settings/corsheaders.py"),
        {
            "CORS_ORIGIN_ALLOW_ALL": True,
            "CORS_ALLOW_ALL_ORIGINS": True,
            "CORS_ALLOW_CREDENTIALS": True,
            "CORS_ALLOWED_ORIGINS": ["http://127.0.0.1", "http://localhost", "http://localhost:8000"],
        },
        "todo",
    ),
    Entry(
        "parking-regex-is-an-origin",
        github("altakis/ParkingCECAR_API_v2", "backend/core/settings/cors_def.py"),
        {
            "CORS_ALLOW_ALL_ORIGINS": True,
            "CORS_ALLOW_CREDENTIALS": True,
            "CORS_ALLOWED_ORIGINS": ["http://localhost:8000"],
            "CORS_ALLOWED_ORIGIN_REGEXES": ["http://localhost:8000"],
        },
        "todo",
    ),
    Entry(
        "craftstore-credentials-list",
        github("Robitnik/CraftStore", "craftstore/craftstore/config/corsheaders.py"),
        {
            "CORS_ALLOW_CREDENTIALS": True,
            "CORS_ALLOWED_ORIGINS": [
                "https://lv6xwh7d-3000.euw.devtunnels.ms",
                "http://localhost",
                "http://localhost:3000",
                "http://127.0.0.1",
            ],
            "CORS_ALLOW_HEADERS": DEFAULT_HEADERS,
        },
        "same",
    ),
    Entry(
        "ecommerce-base-empty-urls-regex",
        github("openedx/ecommerce", "ecommerce/settings/base.py"),
        {"CORS_ALLOW_CREDENTIALS": False, "CORS_ORIGIN_WHITELIST": [], "CORS_URLS_REGEX": ""},
        "same",
    ),
    Entry(
        "ecommerce-devstack-mfes",
        github("openedx/ecommerce", "ecommerce/settings/devstack.py"),
        {
            "CORS_ORIGIN_WHITELIST": (
                "http://localhost:1991",
                "http://localhost:1996",
                "http://localhost:1997",
                "http://localhost:1998",
                "http://localhost:2000",
                "http://localhost:8734",
            ),
            "CORS_ALLOW_HEADERS": (*DEFAULT_HEADERS, "use-jwt-cookie"),
            "CORS_ALLOW_CREDENTIALS": True,
            "CORS_URLS_REGEX": "",
        },
        "same",
        shaped="CORS_URLS_REGEX = '' is inherited from base.py",
    ),
]
