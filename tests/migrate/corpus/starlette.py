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
        "https://fastapi.tiangolo.com/tutorial/cors/",
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
        "expose-headers-star-credentials",
        "https://github.com/search?type=code&q=add_cors_middleware+expose_headers+CORSMiddleware",
        {
            "allow_origins": ["http://localhost:3000"],
            "allow_credentials": True,
            "allow_methods": ["*"],
            "allow_headers": ["*"],
            "expose_headers": ["X-API-Version", "X-Request-ID"],
        },
        "same",
        shaped="repository not named by the code index; allow_origins=['*'] replaced by one front-end",
    ),
    Entry(
        "vercel-alternation-regex",
        "https://github.com/search?type=code&q=%22vercel%5C.app%24%7C%5Ehttp%3A%2F%2Flocalhost%3A3000%24%22",
        {
            "allow_origin_regex": r"^https://.*\.vercel\.app$|^http://localhost:3000$",
            "allow_credentials": False,
            "allow_methods": ["*"],
            "allow_headers": ["*"],
        },
        "same",
        shaped="repository not named by the code index (backend/app/cors_config.py)",
        meant_for=("https://my-app.vercel.app", "http://localhost:3000"),
    ),
]
