"""A FastAPI app whose module declares a route function no route reaches (B13.2)."""

from __future__ import annotations

from fastapi import FastAPI

from corsguard._adapters.asgi import cors_policy

app = FastAPI()


@app.get("/routed")
@cors_policy(allowed_origins=["https://partner.example.com"])
def routed() -> str:
    return "routed"


@cors_policy(allowed_origins=["https://partner.example.com"])
def forgotten() -> str:
    return "never routed"
