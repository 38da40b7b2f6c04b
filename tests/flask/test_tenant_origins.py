"""The Flask + SQLAlchemy recipe for origins in a database (testprojects/flask_tenants.py)."""

from __future__ import annotations

from pathlib import Path

from testprojects.flask_tenants import create_app

CUSTOMER = "https://customer.example.com"
ACAO = "Access-Control-Allow-Origin"


def test_a_tenant_added_is_allowed_at_once(tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'tenants.db'}")
    client = app.test_client()
    assert client.get("/api/items", headers={"Origin": CUSTOMER}).headers.get(ACAO) is None  # refusal cached
    assert client.post("/tenants", json={"origin": CUSTOMER}).status_code == 201
    assert client.get("/api/items", headers={"Origin": CUSTOMER}).headers.get(ACAO) == CUSTOMER
    preflight = client.options("/api/items", headers={"Origin": CUSTOMER, "Access-Control-Request-Method": "PUT"})
    assert (preflight.status_code, preflight.headers.get(ACAO)) == (204, CUSTOMER)


def test_the_recipe_validates_with_corsguards_grammar(tmp_path: Path) -> None:
    client = create_app(f"sqlite:///{tmp_path / 'tenants.db'}").test_client()
    for bad in ("https://customer.example.com/", "*", "null", "https://*.example.com"):
        assert client.post("/tenants", json={"origin": bad}).status_code == 400
