"""Serve the test project for a browser: ``python -m testprojects.flask_project``."""

from __future__ import annotations

import os

from testprojects.flask_project.app import create_app


def main() -> None:
    host, port = "127.0.0.1", int(os.environ.get("PORT", "8000"))
    create_app().run(host=host, port=port)


if __name__ == "__main__":
    main()
