"""Settings: one order of precedence (config < keyword arguments < environment),
every problem at once; state per app, several apps per process."""

from __future__ import annotations

import pytest
from flask import Flask

from corsguard import PolicyError
from corsguard_flask import EXTENSION_KEY, AppState, CorsGuard
from tests.flask.support import CUSTOM, PARTNER, TRUSTED, acao, guard, new_app

ENV_ORIGIN = "https://env.example.com"


def base_origins(app: Flask) -> tuple[str, ...]:
    state = app.extensions[EXTENSION_KEY]
    assert isinstance(state, AppState)
    origins = state.pipeline.policy.settings.allowed_origins
    assert isinstance(origins, tuple)
    return origins


def test_config_keys_alone() -> None:
    app = guard(new_app({"CORSGUARD_ALLOWED_ORIGINS": [CUSTOM], "CORSGUARD_MAX_AGE": 5}))
    assert base_origins(app) == (CUSTOM,)
    assert app.extensions[EXTENSION_KEY].pipeline.policy.settings.max_age == 5


def test_keyword_arguments_override_config() -> None:
    app = guard(new_app({"CORSGUARD_ALLOWED_ORIGINS": [CUSTOM], "CORSGUARD_MAX_AGE": 5}), allowed_origins=[PARTNER])
    assert base_origins(app) == (PARTNER,)
    # Settings the keywords do not mention still come from the config.
    assert app.extensions[EXTENSION_KEY].pipeline.policy.settings.max_age == 5


def test_init_app_keywords_override_constructor_keywords() -> None:
    cors = CorsGuard(allowed_origins=[PARTNER], max_age=7, env={})
    app = new_app()
    cors.init_app(app, allowed_origins=[CUSTOM])
    assert base_origins(app) == (CUSTOM,)
    assert app.extensions[EXTENSION_KEY].pipeline.policy.settings.max_age == 7


def test_environment_overrides_keywords_and_config() -> None:
    app = new_app({"CORSGUARD_ALLOWED_ORIGINS": [CUSTOM]})
    CorsGuard().init_app(app, env={"CORSGUARD_ALLOWED_ORIGINS": ENV_ORIGIN}, allowed_origins=[PARTNER])
    assert base_origins(app) == (ENV_ORIGIN,)


def test_process_environment_read_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORSGUARD_ALLOWED_ORIGINS", f"{ENV_ORIGIN}, {CUSTOM}")
    app = new_app()
    CorsGuard(app)
    assert base_origins(app) == (ENV_ORIGIN, CUSTOM)
    assert acao(app.test_client().get("/x", headers={"Origin": CUSTOM})) == [CUSTOM]


def test_empty_env_ignores_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORSGUARD_ALLOWED_ORIGINS", ENV_ORIGIN)
    assert base_origins(guard(new_app())) == (TRUSTED,)


def test_every_problem_from_every_source_at_once() -> None:
    app = new_app({"CORSGUARD_ALLOWED_ORIGIN": [TRUSTED], "CORSGUARD_MAX_AGE": -1})
    with pytest.raises(PolicyError) as info:
        CorsGuard().init_app(
            app,
            env={"CORSGUARD_ALLOW_CREDENTIALS": "ture", "CORSGUARD_ALLOWED_ORIGINZ": "x"},
            allow_methods=["TRACE"],
            expose_header=["x"],
        )
    settings = {problem.setting for problem in info.value.problems}
    assert {
        "ALLOWED_ORIGIN",
        "MAX_AGE",
        "ALLOW_METHODS[0]",
        "EXPOSE_HEADER",
        "CORSGUARD_ALLOW_CREDENTIALS",
        "CORSGUARD_ALLOWED_ORIGINZ",
    } <= settings
    # Each suggestion exists where the misspelt name was written.
    assert "did you mean 'CORSGUARD_ALLOWED_ORIGINS'?" in str(info.value)
    assert "did you mean 'expose_headers'?" in str(info.value)
    assert EXTENSION_KEY not in app.extensions


def test_unknown_config_key_refused_even_if_far_from_any_setting() -> None:
    with pytest.raises(PolicyError) as info:
        guard(new_app({"CORSGUARD_ENABLED": True}))
    assert [problem.setting for problem in info.value.problems] == ["ENABLED"]


def test_path_rules_from_config() -> None:
    app = guard(
        new_app({"CORSGUARD_PATHS": [(r"/api/.*", {}), (r"/open/.*", {"ALLOWED_ORIGINS": ["*"]})]}),
    )

    @app.route("/api/x")
    @app.route("/open/x")
    @app.route("/closed")
    def view() -> str:
        return "x"

    client = app.test_client()
    assert acao(client.get("/api/x", headers={"Origin": TRUSTED})) == [TRUSTED]
    assert acao(client.get("/open/x", headers={"Origin": PARTNER})) == ["*"]
    assert acao(client.get("/closed", headers={"Origin": TRUSTED})) == []


def test_several_apps_one_extension_object() -> None:
    cors = CorsGuard()
    first, second = new_app({"CORSGUARD_ALLOWED_ORIGINS": [CUSTOM]}), new_app({"CORSGUARD_ALLOWED_ORIGINS": [PARTNER]})
    for app in (first, second):
        cors.init_app(app, env={})

        @app.route("/x")
        def view() -> str:
            return "x"

    assert acao(first.test_client().get("/x", headers={"Origin": CUSTOM})) == [CUSTOM]
    assert acao(first.test_client().get("/x", headers={"Origin": PARTNER})) == []
    assert acao(second.test_client().get("/x", headers={"Origin": PARTNER})) == [PARTNER]
    assert acao(second.test_client().get("/x", headers={"Origin": CUSTOM})) == []
    # Nothing on the extension object refers to an app.
    assert not any(isinstance(value, Flask) for value in vars(cors).values())
    assert first.extensions[EXTENSION_KEY] is not second.extensions[EXTENSION_KEY]


def test_init_app_twice_refused() -> None:
    app = guard(new_app())
    with pytest.raises(RuntimeError, match="already"):
        guard(app)


def test_lint_findings_logged_at_init_app(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING", logger="corsguard"):
        guard(new_app({"CORSGUARD_ALLOWED_ORIGINS": ["http://localhost:3000"], "CORSGUARD_MAX_AGE": 600}))
    assert any("localhost-origin" in record.getMessage() for record in caplog.records)
    caplog.clear()
    with caplog.at_level("WARNING", logger="corsguard"):
        guard(new_app({"CORSGUARD_ALLOWED_ORIGINS": ["http://localhost:3000"], "DEBUG": True, "CORSGUARD_MAX_AGE": 6}))
    assert not any("localhost-origin" in record.getMessage() for record in caplog.records)
