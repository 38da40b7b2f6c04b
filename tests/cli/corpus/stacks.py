"""The real middlewares, each configured as its documentation shows (the
correct entries) or as people get it wrong (the holes). One configuration
per process: Django's settings are per process anyway."""

from __future__ import annotations

from typing import Any

from tests.cli.corpus.handmade import Headers

ITEMS = b'{"items": [1, 2, 3]}'


def django_cors_headers(trusted: str, variant: str) -> Any:
    """django-cors-headers 4.9 (README: CORS_ALLOWED_ORIGINS, CORS_ALLOW_CREDENTIALS)."""
    import django  # noqa: PLC0415
    from django.conf import settings  # noqa: PLC0415

    origins: dict[str, Any] = {
        "correct": {"CORS_ALLOWED_ORIGINS": [trusted]},
        "allow-all": {"CORS_ALLOW_ALL_ORIGINS": True},
        "regex-unanchored": {"CORS_ALLOWED_ORIGIN_REGEXES": [r"^http://.*app\.example\.com$"]},
    }[variant]
    settings.configure(
        DEBUG=False,
        SECRET_KEY="corsguard-corpus",
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF="tests.cli.corpus.django_urls",
        INSTALLED_APPS=["corsheaders"],
        MIDDLEWARE=["corsheaders.middleware.CorsMiddleware", "django.middleware.common.CommonMiddleware"],
        CORS_ALLOW_CREDENTIALS=True,
        **origins,
    )
    django.setup()
    from django.core.wsgi import get_wsgi_application  # noqa: PLC0415

    return get_wsgi_application()


def flask_cors(trusted: str, variant: str) -> Any:
    """flask-cors 6 (README: CORS(app, origins=..., supports_credentials=True))."""
    from flask import Flask  # noqa: PLC0415
    from flask_cors import CORS  # noqa: PLC0415

    app = Flask("corpus_flask_cors")

    @app.route("/api/items", methods=["GET", "PUT", "DELETE"])
    def items() -> tuple[bytes, int, Headers]:
        return ITEMS, 200, [("Content-Type", "application/json")]

    if variant == "correct":
        CORS(app, origins=[trusted], supports_credentials=True)
    elif variant == "default-credentials":
        CORS(app, supports_credentials=True)
    else:  # a regex is matched from the start only: the post-domain hole
        CORS(app, origins=[r"http://app\.example\.com.*"], supports_credentials=True)
    return app


def starlette(trusted: str, variant: str) -> Any:
    """Starlette's CORSMiddleware (docs: allow_origins, allow_credentials, allow_methods/headers ['*'])."""
    from starlette.applications import Starlette  # noqa: PLC0415
    from starlette.middleware import Middleware  # noqa: PLC0415
    from starlette.middleware.cors import CORSMiddleware  # noqa: PLC0415
    from starlette.responses import Response  # noqa: PLC0415
    from starlette.routing import Route  # noqa: PLC0415

    async def items(request: Any) -> Response:
        return Response(ITEMS, media_type="application/json")

    options: dict[str, Any] = {
        "correct": {"allow_origins": [trusted]},
        "star-credentials": {"allow_origins": ["*"]},
        "regex-unescaped": {"allow_origin_regex": r"http://app.example.com"},
    }[variant]
    middleware = Middleware(CORSMiddleware, allow_credentials=True, allow_methods=["*"], allow_headers=["*"], **options)
    return Starlette(routes=[Route("/api/items", items, methods=["GET", "PUT", "DELETE"])], middleware=[middleware])


def corsguard_wsgi(trusted: str, variant: str) -> Any:
    """corsguard's own middleware with its documented settings."""
    from testprojects import wsgi_app  # noqa: PLC0415

    return wsgi_app.create_app({"ALLOWED_ORIGINS": [trusted], "ALLOW_CREDENTIALS": True, "MAX_AGE": 600})


def corsguard_flask(trusted: str, variant: str) -> Any:
    """corsguard_flask on a Flask app, as its README sets it up."""
    from flask import Flask  # noqa: PLC0415

    from corsguard_flask import CorsGuard  # noqa: PLC0415

    app = Flask("corpus_corsguard_flask")
    app.config.update(CORSGUARD_ALLOWED_ORIGINS=[trusted], CORSGUARD_ALLOW_CREDENTIALS=True)

    @app.route("/api/items", methods=["GET", "PUT", "DELETE"])
    def items() -> tuple[bytes, int, Headers]:
        return ITEMS, 200, [("Content-Type", "application/json")]

    CorsGuard(app)
    return app
