"""The routes every test application implements, so one scenario table can
drive the plain WSGI app, the Django project and the Flask app alike.

| path                    | answer                                                        |
|-------------------------|---------------------------------------------------------------|
| /api/items              | 200 JSON, ``X-Total-Count: 3``; any method, OPTIONS included   |
| /api/vary               | 200, ``Vary: Accept-Encoding``                                |
| /api/own-cors           | 200, the view sets ``Access-Control-Allow-Origin`` itself     |
| /api/own-expose         | 200, the view sets only ``Access-Control-Expose-Headers``     |
| /api/stream             | 200, streamed body ``STREAM_BODY`` in three chunks            |
| /api/cookies            | 200, two ``Set-Cookie`` lines                                 |
| /api/missing            | 404 raised the framework's way (Http404, abort(404))          |
| /api/forbidden          | 403 raised the framework's way (PermissionDenied, abort(403)) |
| /api/boom               | an unhandled exception, turned into 500                       |
| /api/private            | 401 unless logged in; an auth layer refuses before the view   |
| /api/slash/             | 200; without the slash the framework redirects (301/308)      |
| /public/<anything>      | 200                                                           |
| /api/v1/users/<id>      | 200                                                           |
| /api/custom             | GET 200, other methods 405; per-view policy: ``cors_policy(   |
|                         | allowed_origins=[CUSTOM_ORIGIN], expose_headers=["x-custom"],  |
|                         | max_age=0)``                                                  |
| /api/exempt             | 200 for any method, OPTIONS included; ``cors_exempt``         |
| /api/orders/<id>        | GET 200 (the settings' policy); DELETE 200 with its own       |
|                         | ``cors_policy(allowed_origins=[CUSTOM_ORIGIN],                |
|                         | allow_credentials=False, max_age=0)``:                        |
|                         | a DRF ViewSet action, a flask-smorest MethodView method, a    |
|                         | route of an ``APIRouter(dependencies=...)`` (B13.1)           |
| POST /api/login         | starts a session (each project its own way; the browser suite |
|                         | knows how to log in to each)                                  |
| anything else           | 404 from routing                                              |

Views record themselves in ``VIEW_CALLS`` so the matrix can tell whether the
application ran (preflights must never reach it).
"""

from __future__ import annotations

VIEW_CALLS: list[str] = []

ITEMS_JSON = b'{"items": [1, 2, 3]}'
TOTAL_COUNT = "3"
STREAM_CHUNKS = (b"chunk-0\n", b"chunk-1\n", b"chunk-2\n")
STREAM_BODY = b"".join(STREAM_CHUNKS)
OWN_ACAO = "https://own.example"
OWN_EXPOSE = "x-own"
COOKIES = ("a=1; Path=/", "b=2; Path=/")
CUSTOM_ORIGIN = "https://custom.example.com"
# The session cookie / token that the auth layers of the test apps accept.
LOGIN_COOKIE = "corsguard-test-login"


def record(view: str) -> None:
    VIEW_CALLS.append(view)
