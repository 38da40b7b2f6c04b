"""The FastAPI test project: every route of ``testprojects.contract`` behind
``corsguard.asgi.CorsMiddleware``, plus WebSocket routes (B10)."""
