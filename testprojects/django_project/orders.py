"""``/api/orders/<id>``: a Django REST Framework ``ViewSet`` on a ``SimpleRouter``, whose DELETE
declares its own policy (B13.1); GET follows the settings."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from corsguard_django.decorators import cors_policy
from testprojects import contract


class OrderViewSet(viewsets.ViewSet):
    authentication_classes: list[type] = []  # noqa: RUF012 - DRF's own attribute style
    permission_classes: list[type] = []  # noqa: RUF012

    def retrieve(self, request: Request, pk: str) -> Response:
        contract.record("orders")
        return Response({"order": pk})

    @cors_policy(allowed_origins=[contract.CUSTOM_ORIGIN], allow_credentials=False, max_age=0)
    def destroy(self, request: Request, pk: str) -> Response:
        contract.record("orders.delete")
        return Response({"deleted": pk})


router = SimpleRouter(trailing_slash=False)
router.register("api/orders", OrderViewSet, basename="orders")
# The project requires a login everywhere unless a view says otherwise.
urlpatterns = router.urls
for pattern in urlpatterns:
    login_not_required(pattern.callback)  # marks the view in place
