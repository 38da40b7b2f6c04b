"""``request_refused``: every refusal, for the project's own metrics.

Connect a receiver to count refusals instead of parsing logs::

    from django.dispatch import receiver
    from corsguard_django.signals import request_refused

    @receiver(request_refused)
    def count(sender, refusal, **kwargs):
        metrics.increment("cors.refused", tags=[refusal.category])

``refusal`` is a ``corsguard._engine.log.Refusal`` (``kind``, ``category``,
``origin``, ``method``, ``path``, ``reason``, ``detail``). The signal is
sent for every refusal, whatever the log's rate limit; a receiver that
raises is reported once and never fails the request.
"""

from __future__ import annotations

from django.dispatch import Signal

from corsguard._engine import log

request_refused = Signal()

_connected: list[bool] = []


def _send(refusal: log.Refusal) -> None:
    if request_refused.has_listeners():
        request_refused.send(sender=log.Refusal, refusal=refusal)


def connect() -> None:
    """Forward the core's refusal hook to the signal (once per process)."""
    if not _connected:
        _connected.append(True)
        log.add_hook(_send)
