"""The WSGI middleware: ``CorsMiddleware(app, policy)`` around any WSGI application.

Public entry point; the implementation lives in ``corsguard._adapters.wsgi``.
"""

from corsguard._adapters.wsgi import CorsMiddleware

__all__ = ["CorsMiddleware"]
