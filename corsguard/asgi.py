"""The ASGI middleware and its per-route decorators, for Starlette, FastAPI and any ASGI app.

Public entry point; the implementation lives in ``corsguard._adapters.asgi``.
"""

from corsguard._adapters.asgi import CorsMiddleware, cors_exempt, cors_policy, routed_path

__all__ = ["CorsMiddleware", "cors_exempt", "cors_policy", "routed_path"]
