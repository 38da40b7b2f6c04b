"""Whatever cannot be decided is refused, and said (B3.6), on every install.

These run on a plain ``pip install corsguard`` too (the no-extras tox
environment): nothing here may need Django, Flask or a test-only package.
"""

from __future__ import annotations

import copy
import logging
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from corsguard import Declaration, PathRules, Pipeline, Policy, PolicyError, RequestFacts
from corsguard._adapters.wsgi import CorsMiddleware
from corsguard._engine import lint, suffixes
from corsguard._engine.decision import Kind
from testprojects import wsgi_app
from tests.matrix.model import Request
from tests.matrix.wsgi_adapter import call, environ_for

TRUSTED = "https://app.example.com"
PSL_REFUSED = ["https://*.co.uk", "https://*.github.io", "https://*.vercel.app", "https://*.herokuapp.com"]


def test_public_suffix_patterns_are_refused_with_credentials_on_a_plain_install() -> None:
    with pytest.raises(PolicyError) as info:
        Policy(allowed_origins=[*PSL_REFUSED, "https://*.pages.dev"], allow_credentials=True)
    assert [problem.setting for problem in info.value.problems] == [f"ALLOWED_ORIGINS[{i}]" for i in range(5)]
    assert all("public suffix" in problem.message for problem in info.value.problems)


def test_without_credentials_they_are_allowed_and_linted() -> None:
    policy = Policy(allowed_origins=PSL_REFUSED)
    codes = {finding.code for finding in lint.findings(policy, production=False)}
    assert codes == {lint.PUBLIC_SUFFIX}


@pytest.fixture
def no_suffix_list(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def unavailable(path: str | None = None) -> object:
        raise suffixes.SuffixListError("no list for this test")

    monkeypatch.setattr(suffixes, "load", unavailable)
    yield


@pytest.mark.usefixtures("no_suffix_list")
def test_a_list_that_cannot_load_refuses_what_it_would_have_checked() -> None:
    with pytest.raises(PolicyError, match="cannot be checked against the Public Suffix List"):
        Policy(allowed_origins=["https://*.example.com"], allow_credentials=True)
    # Exact origins need no list; neither does a policy without credentials.
    Policy(allowed_origins=[TRUSTED], allow_credentials=True)
    policy = Policy(allowed_origins=["https://*.example.com"])
    assert [finding.code for finding in lint.findings(policy, production=False)] == [lint.PUBLIC_SUFFIX]


def test_a_newer_list_file_is_used_and_a_bad_one_refused(tmp_path: Path) -> None:
    newer = tmp_path / "public_suffix_list.dat"
    newer.write_text("// a tiny list\ncom\nco.uk\nexample-hosting.net\n")
    with pytest.raises(PolicyError, match=r"example-hosting\.net"):
        Policy(allowed_origins=["https://*.example-hosting.net"], allow_credentials=True, public_suffix_list=str(newer))
    empty = tmp_path / "empty.dat"
    empty.write_text("// nothing here\n")
    with pytest.raises(PolicyError, match="holds no public-suffix rules"):
        Policy(public_suffix_list=str(empty))
    with pytest.raises(PolicyError, match="cannot read"):
        Policy(public_suffix_list=str(tmp_path / "missing.dat"))


def test_a_lookup_that_raises_refuses(caplog: pytest.LogCaptureFixture) -> None:
    def broken(facts: RequestFacts) -> Declaration | None:
        raise LookupError("the URLconf exploded")

    pipeline = Pipeline(PathRules(Policy(allowed_origins=[TRUSTED])))
    with caplog.at_level(logging.WARNING, logger="corsguard"):
        actual = pipeline.decide(RequestFacts("GET", TRUSTED, path="/x"), broken)
        preflight = pipeline.decide(RequestFacts("OPTIONS", TRUSTED, "PUT", path="/x"), broken)
    assert (actual.kind, actual.allowed, actual.headers, actual.vary) == (Kind.ACTUAL, False, (), ("Origin",))
    assert (preflight.kind, preflight.status, preflight.headers) == (Kind.PREFLIGHT, 403, ())
    tracebacks = [record for record in caplog.records if record.exc_info]
    assert len(tracebacks) == 1 and "LookupError" in tracebacks[0].getMessage()


@pytest.mark.parametrize("origin", [b"https://app.example.com", 42, ["https://app.example.com"]])
def test_input_of_an_unexpected_type_is_refused_not_a_500(origin: object) -> None:
    app = wsgi_app.create_app({"ALLOWED_ORIGINS": [TRUSTED]})
    environ = environ_for(Request(path="/api/items"))
    environ["HTTP_ORIGIN"] = origin
    result = call(app, environ)
    assert result.status == 200 and not result.values("Access-Control-Allow-Origin")
    assert "origin" in ", ".join(result.values("Vary")).lower()


def test_policy_is_immutable_copyable_and_picklable() -> None:
    policy = Policy(allowed_origins=[TRUSTED, "https://*.example.org"], max_age=600)
    assert copy.copy(policy) is policy and copy.deepcopy(policy) is policy
    restored = pickle.loads(pickle.dumps(policy))
    assert restored == policy and restored.settings == policy.settings and restored is not policy
    assert restored.allows_origin("https://a.example.org")
    with pytest.raises(AttributeError, match="immutable"):
        policy.settings = policy.settings  # type: ignore[misc]


def test_a_middleware_without_a_policy_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORSGUARD_ALLOWED_ORIGINS", TRUSTED)
    monkeypatch.setenv("CORSGUARD_MAX_AGE", "60")
    middleware = CorsMiddleware(wsgi_app.application)
    assert middleware.pipeline.policy.settings.allowed_origins == (TRUSTED,)
    assert middleware.pipeline.policy.settings.max_age == 60
    # A policy built in code is used as it is: the environment never changes it.
    explicit = CorsMiddleware(wsgi_app.application, Policy(allowed_origins=["https://other.example.com"]))
    assert explicit.pipeline.policy.settings.allowed_origins == ("https://other.example.com",)
