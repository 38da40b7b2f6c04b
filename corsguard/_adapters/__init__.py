"""The adapters: WSGI and ASGI, translating a server's request and response.

Each reads the request once into ``RequestFacts``, asks the pipeline for a
``Decision`` and puts it on the response; no CORS rule lives here
(``asgi_messages``, ``asgi_routes`` and ``asgi_reports`` are the ASGI
adapter's parts). Framework packages (``corsguard_django``,
``corsguard_flask``) are adapters of the same kind, in their own packages.

They may import the pipeline and the engine; they import no command-line
module (``.importlinter``).
"""
