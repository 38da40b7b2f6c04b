"""The JSON API under /api: every route of ``testprojects.contract``.

It is an ``APIRouter`` included with a prefix, as FastAPI applications are
usually organised, so per-route policies are found through an included
router. Views record themselves (``contract.record``) so the shared matrix
can tell whether the application ran; preflights must never get here.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, StreamingResponse
from pydantic import BaseModel

from corsguard._adapters.asgi import cors_exempt, cors_policy
from testprojects import contract

api = APIRouter(prefix="/api")

# Every method, OPTIONS included, reaches these views (contract: "any method").
ANY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def require_login(request: Request) -> None:
    """The auth layer: a dependency that refuses before the view runs."""
    if request.cookies.get(contract.LOGIN_COOKIE) != "1":
        raise HTTPException(status_code=401, detail="login required")


@api.api_route("/items", methods=ANY_METHOD)
def items() -> Response:
    contract.record("items")
    return Response(contract.ITEMS_JSON, media_type="application/json", headers={"X-Total-Count": contract.TOTAL_COUNT})


@api.get("/vary")
def vary() -> Response:
    contract.record("vary")
    return PlainTextResponse("vary", headers={"Vary": "Accept-Encoding"})


@api.get("/own-cors")
def own_cors() -> Response:
    contract.record("own-cors")
    return PlainTextResponse("own", headers={"Access-Control-Allow-Origin": contract.OWN_ACAO})


@api.get("/own-expose")
def own_expose() -> Response:
    contract.record("own-expose")
    return PlainTextResponse("own", headers={"Access-Control-Expose-Headers": contract.OWN_EXPOSE})


@api.get("/stream")
def stream() -> StreamingResponse:
    contract.record("stream")

    def chunks() -> Iterator[bytes]:
        yield from contract.STREAM_CHUNKS

    return StreamingResponse(chunks(), media_type="text/plain")


@api.get("/cookies")
def cookies() -> Response:
    contract.record("cookies")
    response = PlainTextResponse("cookies")
    for cookie in contract.COOKIES:
        response.headers.append("Set-Cookie", cookie)
    return response


@api.get("/missing")
def missing() -> None:
    contract.record("missing")
    raise HTTPException(status_code=404, detail="not found")


@api.get("/forbidden")
def forbidden() -> None:
    contract.record("forbidden")
    raise HTTPException(status_code=403, detail="forbidden")


@api.get("/boom")
def boom() -> None:
    contract.record("boom")
    raise RuntimeError("boom")


@api.get("/private", dependencies=[Depends(require_login)])
def private() -> dict[str, str]:
    contract.record("private")
    return {"user": "alice"}


@api.get("/slash/")
def slash() -> Response:
    contract.record("slash")
    return PlainTextResponse("slash")


@api.get("/slash")
def slash_redirect() -> Response:
    """The contract's permanent redirect to the slashed path. Starlette's own
    ``redirect_slashes`` answers 307 (the contract names 301/308); that one
    is tested in tests/asgi, with the same result for CORS."""
    return RedirectResponse("/api/slash/", status_code=308)


@api.get("/v1/users/{user_id}")
def user(user_id: str) -> dict[str, str]:
    contract.record("user")
    return {"id": user_id}


@api.get("/custom")
@cors_policy(allowed_origins=[contract.CUSTOM_ORIGIN], expose_headers=["x-custom"], max_age=0)
def custom() -> Response:
    contract.record("custom")
    return PlainTextResponse("custom", headers={"X-Custom": "1"})


@api.api_route("/exempt", methods=ANY_METHOD)
@cors_exempt
def exempt() -> Response:
    contract.record("exempt")
    return PlainTextResponse("exempt")


class Login(BaseModel):
    user: str


@api.post("/login")
def login(payload: Login) -> Response:
    """Start a session of sorts: the cookie ``require_login`` looks for. JSON
    only, so a cross-origin login needs a preflight an allowed origin passes."""
    contract.record("login")
    response = JSONResponse({"user": payload.user})
    response.set_cookie(contract.LOGIN_COOKIE, "1", path="/", httponly=True, samesite="lax")
    return response
