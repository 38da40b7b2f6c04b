"""The public surface, pinned (issue 23): a refactor cannot drop or rename a
name users import.

Every module here is a documented import path; every name is one the docs
show. The implementation behind them lives in private layer packages
(``corsguard._engine`` and its siblings), which may move freely. A public
module's ``__all__`` must equal its pinned list, so growing the surface is
a decision made here, not a side effect.
"""

from __future__ import annotations

import importlib
import importlib.resources

import pytest

PUBLIC: dict[str, tuple[str, ...]] = {
    "corsguard": (
        "DEFAULT_HEADERS",
        "DEFAULT_METHODS",
        "EXEMPT",
        "Decision",
        "Declaration",
        "Kind",
        "PathRules",
        "Pipeline",
        "Policy",
        "PolicyError",
        "Problem",
        "RequestFacts",
        "Settings",
        "classify",
        "declare",
    ),
    "corsguard.wsgi": ("CorsMiddleware",),
    "corsguard.asgi": ("CorsMiddleware", "cors_exempt", "cors_policy", "routed_path"),
    "corsguard.config": ("Configuration", "load"),
    "corsguard.dynamic": ("Limits", "ResolverFunction", "forget"),
    "corsguard.log": ("Refusal", "add_hook", "configure", "logger"),
    "corsguard.lint": ("Finding", "findings"),
    "corsguard.origin_sql": ("ORIGINS", "VERSION", "listed", "schema"),
    "corsguard.origin_redis": ("KEY", "add", "listed", "remove"),
    "corsguard_flask": ("EXTENSION_KEY", "AppState", "CorsGuard", "PolicyError", "cors_exempt", "cors_policy"),
}

# Framework modules without an ``__all__``: the names the docs use.
DOCUMENTED: dict[str, tuple[str, ...]] = {
    "corsguard.cli": ("main",),
    "corsguard_django": ("APP_NAME", "MIDDLEWARE_PATH", "reconfigure"),
    "corsguard_django.middleware": ("CorsGuardMiddleware",),
    "corsguard_django.decorators": ("cors_exempt", "cors_policy"),
    "corsguard_django.origins.models": ("AllowedOrigin",),
    "corsguard_django.origins.resolver": ("allowed",),
}


@pytest.mark.parametrize("module", sorted(PUBLIC))
def test_public_module_exports_exactly_its_pinned_names(module: str) -> None:
    imported = importlib.import_module(module)
    assert tuple(sorted(imported.__all__)) == tuple(sorted(PUBLIC[module])), (
        f"{module}.__all__ changed: update the pin in tests/test_public_api.py only if the public API is meant to"
    )
    missing = [name for name in PUBLIC[module] if not hasattr(imported, name)]
    assert not missing, f"{module} lost {missing}"


@pytest.mark.parametrize("module", sorted(DOCUMENTED))
def test_documented_names_stay_importable(module: str) -> None:
    imported = importlib.import_module(module)
    missing = [name for name in DOCUMENTED[module] if not hasattr(imported, name)]
    assert not missing, f"{module} lost {missing}"


def test_facades_are_the_implementation_not_copies() -> None:
    """A public path re-exports the private object itself, so an
    ``isinstance`` or a monkeypatch through either path sees the same thing."""
    from corsguard import asgi, wsgi  # noqa: PLC0415
    from corsguard._adapters import asgi as asgi_impl  # noqa: PLC0415
    from corsguard._adapters import wsgi as wsgi_impl  # noqa: PLC0415

    assert wsgi.CorsMiddleware is wsgi_impl.CorsMiddleware
    assert asgi.CorsMiddleware is asgi_impl.CorsMiddleware


def test_implementation_packages_are_private() -> None:
    """Layers are private packages (a leading underscore, the way httpx and
    pydantic mark theirs); the top level holds the public modules and them."""
    import corsguard  # noqa: PLC0415

    root = importlib.resources.files(corsguard)
    packages = sorted(p.name for p in root.iterdir() if p.is_dir() and (p / "__init__.py").is_file())
    assert packages == ["_adapters", "_engine", "_origins", "_pipeline", "cli"]
    modules = sorted(p.name[:-3] for p in root.iterdir() if p.name.endswith(".py") and not p.name.startswith("__"))
    assert modules == sorted(name.split(".", 1)[1] for name in PUBLIC if name.startswith("corsguard."))
