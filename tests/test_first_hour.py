"""What a newcomer types first: misspelt names get a "did you mean", and the
command line says its version (issue: a newcomer's first hour, items 4 and 6)."""

from __future__ import annotations

import logging
import os

import pytest

from corsguard import Policy, PolicyError
from corsguard._pipeline.declarations import declare
from corsguard.cli import main


def test_a_misspelt_policy_argument_names_the_right_one() -> None:
    with pytest.raises(TypeError, match="did you mean 'allowed_origins'"):
        Policy(allowed_origin=["https://app.example.com"])  # type: ignore[call-arg]


def test_a_misspelt_decorator_argument_names_the_right_one_not_all_nineteen() -> None:
    with pytest.raises(PolicyError) as refused:
        declare(alowed_origins=["https://app.example.com"])
    text = str(refused.value)
    assert "did you mean 'allowed_origins'" in text and "resolver_timeout" not in text


def test_an_unrelated_name_still_lists_the_arguments() -> None:
    with pytest.raises(PolicyError, match="known arguments: allow_credentials"):
        Policy().replace(colour="blue")


def test_the_command_line_says_its_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip().startswith("corsguard 0.")


def test_a_misspelt_flask_config_key_suggests_a_flask_config_key() -> None:
    from flask import Flask  # noqa: PLC0415

    from corsguard_flask import CorsGuard  # noqa: PLC0415

    app = Flask(__name__)
    app.config["CORSGUARD_ALLOWED_ORIGIN"] = ["https://app.example.com"]
    with pytest.raises(PolicyError) as refused:
        CorsGuard(app)
    assert "did you mean 'CORSGUARD_ALLOWED_ORIGINS'" in str(refused.value)


def test_a_misspelt_flask_keyword_suggests_the_keyword() -> None:
    from flask import Flask  # noqa: PLC0415

    from corsguard_flask import CorsGuard  # noqa: PLC0415

    with pytest.raises(PolicyError, match="did you mean 'allowed_origins'"):
        CorsGuard(Flask(__name__), allowed_origin=["https://app.example.com"])


def test_a_middleware_with_nothing_in_the_environment_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from corsguard._adapters.wsgi import CorsMiddleware  # noqa: PLC0415
    from corsguard._engine import log  # noqa: PLC0415

    for name in [name for name in os.environ if name.startswith("CORSGUARD_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("CORSGUARD_ALLOWED_ORIGIN", "https://app.example.com")  # the misspelling is refused...
    with pytest.raises(PolicyError, match="did you mean 'CORSGUARD_ALLOWED_ORIGINS'"):
        CorsMiddleware(lambda environ, start: [b""])
    monkeypatch.delenv("CORSGUARD_ALLOWED_ORIGIN")
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "https://app.example.com")  # ...a peer's name is not ours
    log.forget()
    with caplog.at_level(logging.WARNING, logger="corsguard"):
        CorsMiddleware(lambda environ, start: [b""])
    said = caplog.text
    assert "allows no origin" in said and "CORSGUARD_* environment variables" in said
    assert "'CORS_ALLOWED_ORIGINS'" in said


def test_a_flask_app_configured_for_flask_cors_is_told(caplog: pytest.LogCaptureFixture) -> None:
    from flask import Flask  # noqa: PLC0415

    from corsguard_flask import CorsGuard  # noqa: PLC0415

    app = Flask(__name__)
    app.config["CORS_ORIGINS"] = ["https://app.example.com"]
    with caplog.at_level(logging.WARNING):
        CorsGuard(app, env={})
    assert "allows no origin" in caplog.text and "'CORS_ORIGINS'" in caplog.text


def test_a_configured_flask_app_is_not_told(caplog: pytest.LogCaptureFixture) -> None:
    from flask import Flask  # noqa: PLC0415

    from corsguard_flask import CorsGuard  # noqa: PLC0415

    with caplog.at_level(logging.WARNING):
        CorsGuard(Flask(__name__), env={}, allowed_origins=["https://app.example.com"])
    assert "allows no origin" not in caplog.text
