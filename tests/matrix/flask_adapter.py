"""The matrix's Flask adapter: scenario settings become ``CORSGUARD_*``
config keys of the Flask test project, and each request is the PEP 3333
environ a server would build (``wsgi_adapter.environ_for``), called on the
app as a WSGI server calls it (``Flask.__call__`` -> ``app.wsgi_app``)."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask

from testprojects.flask_project.app import create_app
from tests.matrix import wsgi_adapter
from tests.matrix.model import Request, Result

FEATURES = ("view-policies", "werkzeug-routing")


def flask_config(settings: Mapping[str, object]) -> dict[str, object]:
    return {f"CORSGUARD_{key}": value for key, value in settings.items()}


def build(config: object) -> Flask:
    assert isinstance(config, Mapping)
    # env={}: the scenario's settings only, whatever CORSGUARD_* variables the shell has.
    return create_app(flask_config(config), env={})


def send(app: Flask, request: Request) -> Result:
    # The test client would refuse or re-encode some of the matrix's requests
    # (CR/LF, non-ASCII, repeated headers); a raw environ delivers them as sent.
    return wsgi_adapter.call(app, wsgi_adapter.environ_for(request))
