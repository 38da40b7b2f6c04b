"""A Flask app that starts cleanly and still will not work: said at start-up and by lint.

Two mistakes load without a ``PolicyError`` and only show up later, as
browser console errors: an app whose CORS settings are still flask-cors'
``CORS_*`` keys, so corsguard allows no origin (B2.1), and credentials that
the browser will not send (``corsguard_flask.cookies``). ``advice`` lists
them for the finished app; ``init_app`` logs them, the first request logs
what views and extensions set up since then added, and ``flask corsguard
lint`` reports them as findings.
"""

from __future__ import annotations

from flask import Flask

from corsguard._engine import log
from corsguard._engine.sources import PREFIX
from corsguard._pipeline import unconfigured
from corsguard._pipeline.pipeline import Pipeline
from corsguard_flask import cookies
from corsguard_flask.notice import Advice

# flask-cors' config keys and the corsguard settings closest to them; the
# values need translating too (flask-cors reads "a,b" strings and regexes).
FLASK_CORS_KEYS = {
    "CORS_ORIGINS": "ALLOWED_ORIGINS",
    "CORS_SUPPORTS_CREDENTIALS": "ALLOW_CREDENTIALS",
    "CORS_METHODS": "ALLOW_METHODS",
    "CORS_ALLOW_HEADERS": "ALLOW_HEADERS",
    "CORS_EXPOSE_HEADERS": "EXPOSE_HEADERS",
    "CORS_MAX_AGE": "MAX_AGE",
    "CORS_ALLOW_PRIVATE_NETWORK": "ALLOW_PRIVATE_NETWORK",
    "CORS_RESOURCES": "PATHS",
}
LOOKED_FOR = f"{PREFIX}* keys in app.config ({PREFIX}ALLOWED_ORIGINS ...) and {PREFIX}* environment variables"


def advice(app: Flask, pipeline: Pipeline, *, settled: bool = True) -> list[Advice]:
    """Everything to warn ``app``'s developer about, as the app stands now;
    ``settled=False`` while a factory may still add views and blueprints."""
    return [*nothing_allowed(app, pipeline, settled=settled), *cookies.advice(app, pipeline)]


def nothing_allowed(app: Flask, pipeline: Pipeline, *, settled: bool = True) -> list[Advice]:
    """W005: no policy in force allows an origin; flask-cors' keys are named.

    Before the app is settled only look-alike keys are certain: a factory
    may still register a blueprint or view with its own allowed origins."""
    if not unconfigured.allows_nothing(pipeline):
        return []
    found = unconfigured.lookalikes(app.config, f"{PREFIX}ALLOWED_ORIGINS")
    if not found and not settled:
        return []
    peers = [name for name in found if name.startswith("CORS_")]
    if peers:
        renames = ", ".join(f"{name} -> {PREFIX}{FLASK_CORS_KEYS[name]}" for name in peers if name in FLASK_CORS_KEYS)
        hint = (
            f"{', '.join(peers)} {'is a flask-cors key' if len(peers) == 1 else 'are flask-cors keys'}: "
            "`corsguard migrate --from flask-cors --flask-app MODULE:APP` translates them, values included"
            + (f"; or rename them ({renames}) and check their values." if renames else ".")
        )
    else:
        hint = (
            f"List your front-end's origin in app.config['{PREFIX}ALLOWED_ORIGINS'] (or allowed_origins= in "
            f"init_app), or set the environment variable {PREFIX}ALLOWED_ORIGINS (e.g. http://localhost:3000 in "
            "development)."
        )
    return [Advice("corsguard_flask.W005", unconfigured.message(LOOKED_FOR, found, fix=""), hint)]


def report(app: Flask, pipeline: Pipeline, said: set[str], *, settled: bool = True) -> None:
    """Log each piece of advice not in ``said`` yet, once: at ``init_app``
    (``settled=False``), and at the first request for what later views,
    blueprints and extensions (Flask-Login, Flask-WTF's ``CSRFProtect``) changed."""
    try:
        found_now = advice(app, pipeline, settled=settled)
    except Exception:  # advice must never stop an app or fail a request
        log.warn_once("flask-advice", "corsguard could not check the app's cookie settings", exc_info=True)
        return
    for found in found_now:
        text = str(found)
        if text not in said:
            said.add(text)
            log.logger.warning("corsguard (%s) on app %r: %s", found.id, app.name, text)
