"""corsguard_django.origins: allowed origins in the database, edited in the
admin (docs/behaviour.md B9), in the test project as a user would set it up.

``transaction=True``: corsguard asks the resolver on a thread of its own (so a
timeout can be enforced), whose database connection sees committed rows only.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from corsguard_django.origins.models import AllowedOrigin
from tests.matrix.django_adapter import run_coroutine

CUSTOMER = "https://customer.example.com"
ACAO = "Access-Control-Allow-Origin"
ADMIN_ADD = "/admin/corsguard_origins/allowedorigin/add/"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _tenants_on(transactional_db: None) -> Iterator[None]:
    from django.conf import settings  # noqa: PLC0415

    config = {**settings.CORSGUARD, "ORIGIN_RESOLVER": "corsguard_django.origins.resolver.allowed"}
    with override_settings(CORSGUARD=config):
        yield


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    user = User.objects.create_superuser("root", "root@example.com", "unused-password")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def acao(origin: str) -> str | None:
    return Client().get("/api/items", headers={"origin": origin}).get(ACAO)  # type: ignore[no-any-return]


def test_the_admin_refuses_a_malformed_origin_with_corsguards_message(admin_client: Client) -> None:
    page = admin_client.post(ADMIN_ADD, {"origin": "https://Customer.example.com/", "is_active": "on", "note": ""})
    assert page.status_code == 200
    text = page.content.decode()
    assert "is not a serialized origin" in text and "https://customer.example.com" in text
    page = admin_client.post(ADMIN_ADD, {"origin": "https://*.example.com", "is_active": "on", "note": ""})
    assert "is not one exact origin" in page.content.decode()
    assert not AllowedOrigin.objects.exists()


def test_an_origin_added_in_the_admin_is_allowed_at_once_and_removed_at_once(admin_client: Client) -> None:
    assert acao(CUSTOMER) is None  # refused, and the refusal is cached...
    page = admin_client.post(ADMIN_ADD, {"origin": CUSTOMER, "is_active": "on", "note": "Customer Ltd"})
    assert page.status_code == 302, page.content[:500]
    assert acao(CUSTOMER) == CUSTOMER  # ...until the save drops it
    AllowedOrigin.objects.filter(origin=CUSTOMER).update(is_active=False)  # no signal: the cache still says yes
    assert acao(CUSTOMER) == CUSTOMER
    AllowedOrigin.objects.get(origin=CUSTOMER).delete()
    assert acao(CUSTOMER) is None


def test_inactive_rows_and_ineligible_origins_are_refused() -> None:
    AllowedOrigin.objects.create(origin="https://paused.example.com", is_active=False)
    AllowedOrigin.objects.create(origin="http://plain.example.com")  # the project allows credentials
    assert acao("https://paused.example.com") is None
    assert acao("http://plain.example.com") is None


def test_the_async_stack_asks_the_database_too() -> None:
    from django.test import AsyncClient  # noqa: PLC0415

    AllowedOrigin.objects.create(origin=CUSTOMER)

    async def request() -> str | None:
        response = await AsyncClient().get("/api/items", headers={"origin": CUSTOMER})
        return response.get(ACAO)  # type: ignore[no-any-return]

    assert run_coroutine(request()) == CUSTOMER
