"""The settings, declared once: a typed, frozen value and its vocabulary.

``Settings`` is what a ``Policy`` was built from, normalised (tuples,
upper-cased standard methods, lower-cased header names). Its fields are the
``Policy`` keyword arguments; their upper-case names (``ALLOWED_ORIGINS``,
``MAX_AGE`` ...) exist only at the edges: mappings, ``CORSGUARD_*``
environment variables, Django's ``CORSGUARD`` dict and Flask's config, all
read by ``corsguard._engine.sources``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from corsguard._engine.names import DEFAULT_HEADERS, DEFAULT_METHODS

# How an environment variable's text becomes a value (corsguard._engine.sources).
Kind = Literal["list", "bool", "int", "optional_int", "optional_str", "callable", "seconds"]


def _setting(kind: Kind, default: Any) -> Any:
    return field(default=default, metadata={"kind": kind})


@dataclass(frozen=True)
class Settings:
    """A policy's settings; build a ``Policy`` to have them validated."""

    allowed_origins: tuple[str, ...] = _setting("list", ())
    origin_regexes: tuple[str, ...] = _setting("list", ())
    allow_credentials: bool = _setting("bool", False)
    allow_methods: tuple[str, ...] = _setting("list", DEFAULT_METHODS)
    allow_headers: tuple[str, ...] = _setting("list", DEFAULT_HEADERS)
    expose_headers: tuple[str, ...] = _setting("list", ())
    max_age: int | None = _setting("optional_int", 86400)
    allow_private_network: bool = _setting("bool", False)
    preflight_status: int = _setting("int", 204)
    dangerously_allow_insecure_origins_with_credentials: bool = _setting("bool", False)
    # A newer Public Suffix List file than the one shipped (B2.3).
    public_suffix_list: str | None = _setting("optional_str", None)
    # B9: origins decided at run time, and the limits on asking.
    origin_resolver: Callable[[str], Any] | None = field(default=None, metadata={"kind": "callable"})
    resolver_ttl: float = _setting("seconds", 300.0)
    resolver_negative_ttl: float = _setting("seconds", 30.0)
    resolver_cache_size: int = _setting("int", 4096)
    resolver_calls: int = _setting("int", 100)
    resolver_call_interval: float = _setting("seconds", 10.0)
    resolver_timeout: float = _setting("seconds", 2.0)
    # B11: one answer for everyone, for public resources behind a CDN.
    public_resource: bool = _setting("bool", False)

    def arguments(self) -> dict[str, Any]:
        """The settings as ``Policy`` keyword arguments."""
        return {name: getattr(self, name) for name in ARGUMENTS}

    def changed(self) -> dict[str, Any]:
        """Only the settings that differ from the defaults (for repr and reports)."""
        return {name: value for name, value in self.arguments().items() if value != DEFAULTS[name]}


@dataclass(frozen=True)
class Setting:
    """One entry of the vocabulary: the upper-case key and the argument it feeds."""

    key: str
    argument: str
    kind: Kind


def _vocabulary() -> dict[str, Setting]:
    return {
        item.name.upper(): Setting(item.name.upper(), item.name, item.metadata["kind"])
        for item in dataclasses.fields(Settings)
    }


SETTINGS: dict[str, Setting] = _vocabulary()
ARGUMENTS: tuple[str, ...] = tuple(setting.argument for setting in SETTINGS.values())
DEFAULTS: Mapping[str, Any] = {item.name: item.default for item in dataclasses.fields(Settings)}


@dataclass(frozen=True)
class AdapterSetting:
    """A key read by the adapters rather than by one ``Policy``."""

    key: str
    kind: Kind
    default: Any
    meaning: str


# Keys that configure where and how policies apply, not a policy itself.
ADAPTER_SETTINGS: dict[str, AdapterSetting] = {
    item.key: item
    for item in (
        AdapterSetting("PATHS", "list", None, "path rules: (regex, overrides or None) pairs, first match wins"),
        AdapterSetting(
            "USE_ENVIRONMENT", "bool", True, "read CORSGUARD_* environment variables over this configuration"
        ),
        AdapterSetting(
            "LOG_WARNINGS", "int", 20, "refusals logged at WARNING per LOG_INTERVAL, beyond the first of each kind"
        ),
        AdapterSetting("LOG_INTERVAL", "seconds", 60.0, "the window LOG_WARNINGS counts in, in seconds"),
        AdapterSetting(
            "CHECK_WEBSOCKET_ORIGIN",
            "bool",
            False,
            "refuse WebSocket handshakes from origins the policy does not allow (ASGI; CORS does not cover them)",
        ),
    )
}
ADAPTER_KEYS = frozenset(ADAPTER_SETTINGS)
