"""The request pipeline: which rule answers one request, before the engine decides.

Owns path rules (``paths``), per-view declarations and how an adapter
reaches them through a framework's router (``declarations``, ``reach``),
two corsguard layers on one request (``layers``), the ``Pipeline`` that
chooses the policy for a request, configuration read from mappings or
the environment (``config``, ``unconfigured``), and which credentialed
front-ends a browser treats as another site than the API (``credentials``).

It may import the engine; it imports no adapter, no framework and no
command-line module (``.importlinter``).
"""
