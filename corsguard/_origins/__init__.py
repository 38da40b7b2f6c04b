"""Back-ends for listed origins: a SQL table and a Redis set (B14).

Each is a loader the engine's ``origin_store`` polls; these are the only
modules in the core that speak to a server (through a connection the
application passes in, never one they open themselves).

They may import the engine; nothing in the engine or the pipeline imports
them (``.importlinter``).
"""
