"""``/api/orders/{id}``: an ``APIRouter(dependencies=...)`` whose DELETE
route declares its own policy (B13.1); GET follows the settings."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from corsguard._adapters.asgi import cors_policy
from testprojects import contract


def audited() -> None:
    """A router-level dependency, as APIs add for auth or auditing."""


orders = APIRouter(prefix="/api/orders", dependencies=[Depends(audited)])


@orders.get("/{number}")
def retrieve(number: str) -> dict[str, str]:
    contract.record("orders")
    return {"order": number}


@orders.delete("/{number}")
@cors_policy(allowed_origins=[contract.CUSTOM_ORIGIN], allow_credentials=False, max_age=0)
def destroy(number: str) -> dict[str, str]:
    contract.record("orders.delete")
    return {"deleted": number}
