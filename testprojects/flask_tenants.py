"""The Flask recipe for origins kept in a database, with SQLAlchemy (docs/behaviour.md B9).

A multi-tenant Flask app keeps its customers' front-end origins in a table;
corsguard asks ``tenant_origin_allowed`` about origins its static list does
not allow, caches the answers and bounds the calls. Saving a tenant calls
``corsguard._engine.dynamic.forget`` so the change applies at once in this process.

    app = create_app("sqlite:////var/lib/myapp/tenants.db")
"""

from __future__ import annotations

from flask import Flask, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import String, create_engine, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from corsguard._engine import dynamic
from corsguard._engine.entries import Entry, Form, parse_entry
from corsguard_flask import CorsGuard


class Base(DeclarativeBase):
    pass


class TenantOrigin(Base):
    __tablename__ = "tenant_origins"

    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[str] = mapped_column(String(300), unique=True)


_engine: list[Engine] = []


def tenant_origin_allowed(origin: str) -> bool:
    """The resolver: one indexed lookup; corsguard does the rest."""
    with Session(_engine[0]) as session:
        return session.scalar(select(TenantOrigin.id).where(TenantOrigin.origin == origin)) is not None


def create_app(database_url: str) -> Flask:
    engine = create_engine(database_url)
    Base.metadata.create_all(engine)
    _engine[:] = [engine]
    app = Flask(__name__)

    @app.get("/api/items")
    def items() -> ResponseReturnValue:
        return jsonify(items=[1, 2, 3])

    @app.post("/tenants")
    def add_tenant() -> ResponseReturnValue:
        origin = str((request.get_json(silent=True) or {}).get("origin", ""))
        entry = parse_entry(origin)  # corsguard's grammar: one exact origin
        if not isinstance(entry, Entry) or entry.form is not Form.EXACT:
            return jsonify(error=f"{origin!r} is not one exact origin, e.g. 'https://customer.example.com'"), 400
        with Session(engine) as session:
            session.add(TenantOrigin(origin=origin))
            session.commit()
        dynamic.forget(tenant_origin_allowed)  # a cached refusal must not outlive the change
        return jsonify(added=origin), 201

    CorsGuard(
        app,
        env={},
        allowed_origins=["https://app.example.com"],
        origin_resolver=tenant_origin_allowed,
        resolver_ttl=300,
        resolver_negative_ttl=30,
    )
    return app
