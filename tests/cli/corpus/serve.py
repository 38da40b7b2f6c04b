"""``python -m tests.cli.corpus.serve NAME PORT``: one Python corpus entry,
alone in this process, on 127.0.0.1:PORT until SIGTERM."""

from __future__ import annotations

import sys
from typing import Any

from tests.cli.corpus import handmade, stacks
from tests.cli.corpus.entries import by_name

FACTORIES = {
    "django-cors-headers": stacks.django_cors_headers,
    "flask-cors": stacks.flask_cors,
    "starlette": stacks.starlette,
    "corsguard": stacks.corsguard_wsgi,
    "corsguard-flask": stacks.corsguard_flask,
}


def application(name: str) -> tuple[Any, bool]:
    """The app and whether it is ASGI."""
    entry = by_name()[name]
    if entry.stack == "handmade":
        return handmade.app(handmade.behaviours(entry.trusted)[entry.variant]), False
    return FACTORIES[entry.stack](entry.trusted, entry.variant), entry.stack == "starlette"


def main(name: str, port: int) -> None:
    app, asgi = application(name)
    if asgi:
        import uvicorn  # noqa: PLC0415

        uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
        return
    from testprojects import serve  # noqa: PLC0415

    running = serve.serve_wsgi(name, app, port=port)
    try:
        import signal  # noqa: PLC0415

        signal.sigwait({signal.SIGTERM, signal.SIGINT})
    finally:
        running.stop()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
