"""Serve the test project: ``python -m testprojects.fastapi_app`` (uvicorn, loopback)."""

from __future__ import annotations

import os
import sys

import uvicorn

from testprojects.fastapi_app.app import create_app


def main() -> None:
    host, port = "127.0.0.1", int(os.environ.get("PORT", "8000"))
    print(f"corsguard FastAPI example on http://{host}:{port}/api/items", file=sys.stderr)
    uvicorn.run(create_app(environ=os.environ), host=host, port=port, log_level="info")


if __name__ == "__main__":
    main()
