"""The FastAPI test project: every route of ``testprojects.contract`` behind
``corsguard._adapters.asgi.CorsMiddleware``, plus WebSocket routes (B10)."""
