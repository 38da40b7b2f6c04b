"""``CorsGuard``: the Flask extension object, app-factory style.

The object holds only default settings; everything about an app lives in
``app.extensions["corsguard"]`` (an ``AppState``) and in the ``CorsGate``
wrapped around ``app.wsgi_app``, so one ``CorsGuard`` serves any number of
apps in a process.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Flask
from flask.blueprints import BlueprintSetupState

from corsguard import PathRules, Pipeline, Policy, PolicyError, Problem
from corsguard._engine import lint
from corsguard._engine import log as cors_log
from corsguard._pipeline.declarations import declare
from corsguard_flask import advice, coexistence, config, markings, wrappers
from corsguard_flask.gate import CorsGate
from corsguard_flask.state import AppState

EXTENSION_KEY = "corsguard"


class CorsGuard:
    """CORS for a Flask app: ``CorsGuard(app)``, or ``cors = CorsGuard()`` then ``cors.init_app(app)``.

    Keyword arguments are ``Policy`` arguments (``allowed_origins=[...]``,
    ``allow_credentials=True`` ...) plus ``paths=``; given here they are
    defaults for every ``init_app``. ``CORSGUARD_*`` environment variables
    override everything unless ``use_environment=False``; ``env=`` names
    another mapping to read instead of ``os.environ`` (see ``corsguard_flask.config``).
    """

    def __init__(self, app: Flask | None = None, *, env: Mapping[str, str] | None = None, **settings: Any) -> None:
        self._settings: dict[str, Any] = dict(settings)
        self._env = env
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask, *, env: Mapping[str, str] | None = None, **settings: Any) -> None:
        """Compile the app's CORS configuration and put the gate in front of it.

        Raises ``PolicyError`` listing every problem in the ``CORSGUARD_*``
        config keys, the keyword arguments, the environment and the route
        and blueprint overrides registered so far.
        """
        if EXTENSION_KEY in app.extensions:
            raise RuntimeError(f"corsguard is already set up on {app.name!r}; call init_app once per app")
        wrappers.refuse_hiding_wrappers(app)
        configuration = config.load(app.config, {**self._settings, **settings}, env if env is not None else self._env)
        configuration.activate()
        state = AppState(app, configuration.pipeline)
        app.extensions[EXTENSION_KEY] = state
        # Flask's documented middleware slot; see corsguard_flask.gate for why.
        app.wsgi_app = CorsGate(app.wsgi_app, state)  # type: ignore[method-assign]
        wrappers.check_routes_as_added(app, state)
        advice.report(app, configuration.pipeline, state.advised, settled=False)
        _report_findings(state, production=not (app.debug or app.testing))
        _report_other_layers(app)

    def reconfigure(
        self,
        app: Flask,
        policy: Policy | PathRules | None = None,
        *,
        env: Mapping[str, str] | None = None,
        **settings: Any,
    ) -> None:
        """Swap in a new configuration for ``app`` at once (B9.5): ``policy``
        as given, or the app's config, these keyword arguments and the
        environment read again. Requests under way finish under the old one;
        a ``PolicyError`` leaves it in place."""
        state = app.extensions.get(EXTENSION_KEY)
        if not isinstance(state, AppState):
            raise RuntimeError(f"corsguard is not set up on {app.name!r}; call init_app first")
        if isinstance(policy, Policy):
            pipeline = Pipeline(PathRules(policy))
        elif isinstance(policy, PathRules):
            pipeline = Pipeline(policy)
        else:
            merged = {**self._settings, **settings}
            configuration = config.load(app.config, merged, env if env is not None else self._env)
            configuration.activate()
            pipeline = configuration.pipeline
        state.install(pipeline)

    def init_blueprint(self, blueprint: Blueprint, **overrides: Any) -> None:
        """Give every view of ``blueprint`` its own policy: the app's settings with ``overrides``.

        Call it before the blueprint is registered. Overrides are checked on
        their own now, and against each app's settings when the blueprint is
        registered on it. Nested blueprints inherit their parent's policy.
        After registration it raises ``PolicyError`` and changes nothing:
        Flask's blueprint setup is closed by then, and the apps it is on
        already compiled their policies without it.
        """
        declaration = declare("init_blueprint", **overrides)
        if "allowed_origins" in overrides:
            named = f"blueprint {blueprint.name!r}'s ALLOWED_ORIGINS (init_blueprint)"
            declaration = dataclasses.replace(declaration, origins_named=named)
        if getattr(blueprint, "_got_registered_once", False):
            raise PolicyError([_registered_already(blueprint)])
        first = markings.declare_blueprint(blueprint, declaration)
        if first:
            blueprint.record(_compile_on_registration)


def _registered_already(blueprint: Blueprint) -> Problem:
    name = blueprint.name
    return Problem(
        "init_blueprint",
        name,
        "is already registered on an app: Flask records no more setup on a registered blueprint, so the apps it "
        "is on could not pick the policy up consistently. Nothing was changed.",
        f"call cors.init_blueprint({name}, ...) before app.register_blueprint({name}), e.g. where the blueprint "
        "is defined.",
    )


def _compile_on_registration(setup: BlueprintSetupState) -> None:
    """Check a marked blueprint against the app it is being registered on."""
    state = setup.app.extensions.get(EXTENSION_KEY)
    if isinstance(state, AppState):
        state.refresh()


def _report_findings(state: AppState, *, production: bool) -> None:
    """Valid but probably unintended settings (``corsguard._engine.lint``), logged once at start-up."""
    if not cors_log.logger.isEnabledFor(logging.WARNING):
        return
    for policy in state.policies():
        for finding in lint.findings(policy, production=production):
            cors_log.logger.warning("corsguard (%s): %s", finding.code, finding)


def _report_other_layers(app: Flask) -> None:
    """Two CORS layers on one app, the seeds' classic mistake: say which to remove."""
    for layer in coexistence.other_cors_layers(app):
        cors_log.logger.warning(
            "corsguard: %s is on app %r next to corsguard; two CORS layers answer the same requests and "
            "flask-cors' headers win. To fix: %s.",
            layer,
            app.name,
            coexistence.HINT,
        )
