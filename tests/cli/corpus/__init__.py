"""A labelled corpus of CORS servers for ``corsguard scan`` and its peers.

Each entry is a real process on loopback (ports 18700-18789, issue 17's
range): hand-made holes in plain WSGI, and correct and wrong configurations
of the real middlewares (django-cors-headers, flask-cors, Starlette's
CORSMiddleware, expressjs/cors under Node, nginx, corsguard). Each entry
names the finding codes it must produce; a correct entry names none and must
scan clean at ``--fail-on low``. ``entries`` is the label, ``fleet`` starts
and stops the processes, ``peers`` runs the scanners side by side.
"""
