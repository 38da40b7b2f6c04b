"""Starlette and FastAPI configurations: each entry's ``CORSMiddleware`` keyword arguments."""

from __future__ import annotations

from tests.migrate.corpus import Entry, github

LEGACY_HEADERS = [
    "accept",
    "accept-encoding",
    "authorization",
    "content-type",
    "dnt",
    "origin",
    "user-agent",
    "x-csrftoken",
    "x-requested-with",
]

ENTRIES = [
    Entry(
        "pbl04-any-credentials",
        github("MinhLam577/PBL04_DUT_DoAnHeDieuHanhVaMangMayTinh", "config/app.py"),
        {"allow_credentials": True, "allow_methods": ["*"], "allow_headers": ["*"], "allow_origins": ["*"]},
        "todo",
    ),
    Entry(
        "rtc-backend-localhost-regex",
        github("ai-learning-assistant-dev/ai-learning-assistant-rtc-backend", "src/api.py"),
        {
            "allow_origin_regex": r"http://localhost:\d+",
            "allow_credentials": True,
            "allow_methods": ["*"],
            "allow_headers": ["*"],
            "max_age": 3600,
        },
        "same",
        meant_for=("http://localhost:5173", "http://localhost:3000"),
    ),
    Entry(
        "tensor-cookie-headers",
        github("qsde1/tensor", "fastAPI/index.js.py"),
        {
            "allow_origin_regex": "http://localhost:5173",
            "allow_credentials": True,
            "allow_methods": ["*"],
            "allow_headers": [
                "Content-Type",
                "Set-Cookie",
                "Access-Control-Allow-Headers",
                "Access-Control-Allow-Origin",
                "Authorization",
                "User_id",
                "Cookie",
            ],
        },
        "same",
        meant_for=("http://localhost:5173",),
    ),
    Entry(
        "simple-messenger-any-regex-credentials",
        github("IvanDubrowin/simple-messenger", "server/middleware.py"),
        {
            "allow_origin_regex": r"^.*$",
            "allow_methods": ["*"],
            "allow_headers": LEGACY_HEADERS,
            "allow_credentials": True,
        },
        "todo",
    ),
    Entry(
        "cleanbuy-tiangolo-origins",
        github("kefirchk/CleanBuy", "src/urls.py"),
        {
            "allow_origins": [
                "http://localhost.tiangolo.com",
                "https://localhost.tiangolo.com",
                "http://localhost",
                "http://localhost:8080",
            ],
            "allow_methods": ["GET", "POST", "OPTIONS", "DELETE", "PATCH", "PUT"],
            "allow_headers": [
                "Content-Type",
                "Set-Cookie",
                "Access-Control-Allow-Headers",
                "Access-Control-Allow-Origin",
                "Authorization",
            ],
            "allow_credentials": True,
        },
        "todo",
        shaped="the lists are module-level names; the call is assumed to pass credentials as FastAPI's docs do",
    ),
    Entry(
        "ivsm-empty-origins",
        github("ivansanmartin/ivsm-link", "backend/main.py"),
        {"allow_origins": [], "allow_credentials": True, "allow_methods": ["*"], "allow_headers": ["*"]},
        "same",
    ),
    Entry(
        "fastapi-docs-tutorial",
        github("fastapi/fastapi", "docs_src/cors/tutorial001.py"),
        {
            "allow_origins": [
                "http://localhost.tiangolo.com",
                "https://localhost.tiangolo.com",
                "http://localhost",
                "http://localhost:8080",
            ],
            "allow_credentials": True,
            "allow_methods": ["*"],
            "allow_headers": ["*"],
        },
        "todo",
    ),
    Entry(
        "housing-expose-star",
        github("naveeenkumar842/housing-price-predictor", "backend/app/cors_config.py"),
        {
            "allow_origins": [
                "http://localhost:3000",
                "http://localhost:3001",
                "http://127.0.0.1:3000",
                "http://127.0.0.1:3001",
            ],
            "allow_credentials": True,
            "allow_methods": ["*"],
            "allow_headers": ["*"],
            "expose_headers": ["*"],
            "max_age": 3600,
        },
        "same",
    ),
    Entry(
        "nerava-alternation-regex",
        github("jamesdouglasskirk96/Nerava", "backend/app/cors_config.py"),
        {
            "allow_origin_regex": (
                r"https://nerava-.*\.vercel\.app|https://web-production-.*\.up\.railway\.app|https://.*\.nerava\.network"
            ),
            "allow_origins": ["http://localhost:5173", "https://app.nerava.app", "https://www.nerava.network"],
            "allow_credentials": True,
            "allow_methods": ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"],
            "allow_headers": ["Content-Type", "Authorization", "X-Requested-With"],
            "max_age": 3600,
        },
        # B12.3: 'nerava-.*' under vercel.app is open to anyone's project
        # name (nerava-attacker.vercel.app), so with credentials it is refused.
        "todo",
        shaped="the origins list is built from the environment; three of its defaults are kept",
        meant_for=(
            "https://nerava-preview.vercel.app",
            "https://web-production-1.up.railway.app",
            "https://app.nerava.network",
        ),
    ),
    Entry(
        "leadgen-origin-referer-headers",
        github("julie-berlin/pub-aie7-dynamic-leadgen", "backend/app/cors_config.py"),
        {
            "allow_origins": ["http://localhost:3000", "http://localhost:5173", "http://127.0.0.1:5173"],
            "allow_credentials": True,
            "allow_methods": ["GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH"],
            "allow_headers": [
                "Accept",
                "Accept-Language",
                "Content-Language",
                "Content-Type",
                "Authorization",
                "X-Requested-With",
                "X-CSRF-Token",
                "X-Session-ID",
                "User-Agent",
                "Referer",
                "Origin",
            ],
            "expose_headers": ["X-Session-ID", "X-Request-ID", "X-RateLimit-Limit", "X-RateLimit-Remaining"],
            "max_age": 600,
        },
        "same",
        shaped="the origins list reads the environment; three of its defaults are kept, one exposed header cut",
    ),
    Entry(
        "contract-management-ip-origin",
        github("kaonikky/contract-management", "backend/app/cors_config.py"),
        {
            "allow_origins": ["http://localhost:3000", "http://localhost:5000", "http://217.198.5.205"],
            "allow_credentials": True,
            "allow_methods": ["GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"],
            "allow_headers": ["Content-Type", "Authorization", "X-Requested-With"],
        },
        "todo",
        shaped="allow_origins reads the environment; its default string, split on commas, is used",
    ),
    Entry(
        "hitl-localhost-credentials",
        github("its-kundan/hitl1", "backend/app/cors_config.py"),
        {
            "allow_origins": ["http://localhost:3000", "http://localhost:3001"],
            "allow_credentials": True,
            "allow_methods": ["*"],
            "allow_headers": ["*"],
        },
        "same",
    ),
]
