"""corsguard_django.origins.store (docs/behaviour.md B14) on SQLite: every
change path bumps the version through the triggers of migration 0002, and
the poller of this process sees it within the poll interval; the checks
say when the table is read by nobody.

``transaction=True``: the poller reads on a thread of its own, whose
connection sees committed rows only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from django.db import connection
from django.test import Client, override_settings

from corsguard_django.origins import store
from corsguard_django.origins.checks import check_origins
from corsguard_django.origins.models import AllowedOrigin, OriginsVersion

TENANT = "https://tenant.example.com"
ACAO = "Access-Control-Allow-Origin"
LIMIT = store.listed.poll + 0.5

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _listed(transactional_db: None) -> Iterator[None]:
    from django.conf import settings  # noqa: PLC0415

    # The flush between tests empties the table; a real version never goes
    # back, so the row comes back with one no earlier test has used.
    OriginsVersion.objects.update_or_create(id=1, defaults={"version": time.time_ns()})
    config = {**settings.CORSGUARD, "ORIGIN_RESOLVER": "corsguard_django.origins.store.listed"}
    with override_settings(CORSGUARD=config):
        yield


@pytest.fixture(autouse=True, scope="module")
def _stop_polling_afterwards() -> Iterator[None]:
    """Other modules run with the database blocked: no poller left to log about it."""
    yield
    store.listed.stop()


def acao(origin: str) -> str | None:
    return Client().get("/api/items", headers={"origin": origin}).get(ACAO)  # type: ignore[no-any-return]


def seen_within(condition: Callable[[], bool]) -> float:
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < LIMIT, f"not seen within {LIMIT:g} s"
        time.sleep(0.01)
    return time.monotonic() - start


def version() -> int:
    return OriginsVersion.objects.get(id=1).version


@pytest.mark.parametrize("path", ["save", "update", "bulk_create", "raw_sql", "delete"])
def test_every_change_path_bumps_the_version_and_is_seen(path: str) -> None:
    AllowedOrigin.objects.create(origin="https://other.example.com")
    before = version()
    if path == "save":
        AllowedOrigin.objects.create(origin=TENANT)
    elif path == "bulk_create":
        AllowedOrigin.objects.bulk_create([AllowedOrigin(origin=TENANT)])
    elif path == "raw_sql":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO corsguard_origins_allowedorigin (origin, is_active, note, created) "
                "VALUES (%s, %s, '', CURRENT_TIMESTAMP)",
                [TENANT, True],
            )
    else:
        AllowedOrigin.objects.create(origin=TENANT, is_active=path != "update")
        seen_within(lambda: acao(TENANT) == (TENANT if path == "delete" else None))
        before = version()
        if path == "update":
            AllowedOrigin.objects.filter(origin=TENANT).update(is_active=True)
        else:
            AllowedOrigin.objects.filter(origin=TENANT).delete()
    assert version() > before
    expected = None if path == "delete" else TENANT
    seen_within(lambda: acao(TENANT) == expected)


def test_a_revocation_by_update_is_seen_and_random_origins_cost_no_query() -> None:
    AllowedOrigin.objects.create(origin=TENANT)
    seen_within(lambda: acao(TENANT) == TENANT)
    polls, loads = store.listed.polls, store.listed.loads
    for index in range(300):
        assert acao(f"https://random{index}.example.org") is None
    assert store.listed.loads == loads
    assert store.listed.polls - polls < 20  # the poll interval, not the requests
    AllowedOrigin.objects.filter(origin=TENANT).update(is_active=False)
    seen_within(lambda: acao(TENANT) is None)


def test_checks_name_a_table_nobody_reads_and_a_per_origin_resolver() -> None:
    from django.conf import settings  # noqa: PLC0415

    assert check_origins() == []
    with override_settings(CORSGUARD={**settings.CORSGUARD, "ORIGIN_RESOLVER": None}):
        assert [message.id for message in check_origins()] == ["corsguard_origins.W001"]
    per_origin = {**settings.CORSGUARD, "ORIGIN_RESOLVER": "corsguard_django.origins.resolver.allowed"}
    with override_settings(CORSGUARD=per_origin):
        assert [message.id for message in check_origins()] == ["corsguard_origins.W003"]


ADMIN_ADD = "/admin/corsguard_origins/allowedorigin/add/"


def test_the_admin_and_bulk_create_refuse_a_row_the_settings_could_never_allow() -> None:
    from django.conf import settings  # noqa: PLC0415
    from django.contrib.auth.models import User  # noqa: PLC0415
    from django.core.exceptions import ValidationError  # noqa: PLC0415

    assert settings.CORSGUARD.get("ALLOW_CREDENTIALS") is True  # the test project's
    client = Client()
    user = User.objects.create_superuser("root", "root@example.com", "unused-password")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    for bad, reason in [
        ("http://plain.example.com", "can never be allowed under the current CORSGUARD settings"),
        ("null", "is not one exact origin"),
        ("https://*.example.com", "is not one exact origin"),
        ("https://tenant.example.com/", "is not a serialized origin"),
    ]:
        page = client.post(ADMIN_ADD, {"origin": bad, "is_active": "on", "note": ""})
        assert page.status_code == 200 and reason in page.content.decode(), bad
    with pytest.raises(ValidationError, match="plain http://"):
        AllowedOrigin.objects.bulk_create([AllowedOrigin(origin=TENANT), AllowedOrigin(origin="http://x.example.com")])
    assert not AllowedOrigin.objects.exists()
    page = client.post(ADMIN_ADD, {"origin": TENANT, "is_active": "on", "note": ""})
    assert page.status_code == 302
    seen_within(lambda: acao(TENANT) == TENANT)
