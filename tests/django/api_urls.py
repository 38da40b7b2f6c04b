"""A URLconf of Django REST Framework and Django Ninja views in every
declaration form the issue lists, for tests/django/test_apis.py (B13.1)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import HttpRequest
from django.urls import path
from ninja import NinjaAPI, Router
from rest_framework import generics, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter, SimpleRouter
from rest_framework.views import APIView

from corsguard_django.decorators import cors_exempt, cors_policy

PARTNER = "https://partner.example"
OTHER = "https://other.example"


@cors_policy(allowed_origins=[PARTNER], allow_credentials=False)
class PartnerViewSet(viewsets.ViewSet):
    def list(self, request: Request) -> Response:
        return Response({"orders": []})

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response({"order": pk})

    @cors_policy(allowed_origins=[OTHER], allow_credentials=False)
    def destroy(self, request: Request, pk: str) -> Response:
        return Response(status=204)


@cors_exempt
class ExemptViewSet(viewsets.ViewSet):
    def list(self, request: Request) -> Response:
        return Response({"internal": True})


class AttributeViewSet(viewsets.ViewSet):
    """The class-attribute form, next to DRF's own ``permission_classes``."""

    corsguard_policy: ClassVar[dict[str, Any]] = {"allowed_origins": [PARTNER], "allow_credentials": False}

    def list(self, request: Request) -> Response:
        return Response([])


class ActionViewSet(viewsets.ViewSet):
    def list(self, request: Request) -> Response:
        return Response([])

    @action(detail=False, methods=["put"])
    @cors_policy(allowed_origins=[PARTNER])
    def publish(self, request: Request) -> Response:
        return Response({"published": True})


class ItemView(APIView):
    def get(self, request: Request) -> Response:
        return Response({"item": 1})

    @cors_policy(allowed_origins=[PARTNER])
    def put(self, request: Request) -> Response:
        return Response({"item": 1})


@cors_policy(allowed_origins=[PARTNER])
class GenericItem(generics.GenericAPIView):  # type: ignore[type-arg]
    def get(self, request: Request) -> Response:
        return Response({"generic": 1})


@api_view(["GET", "PUT"])
@cors_policy(allowed_origins=[PARTNER])
def api_view_outer(request: Request) -> Response:
    return Response({"api_view": "outer"})


@cors_policy(allowed_origins=[PARTNER])
@api_view(["GET", "PUT"])
def api_view_inner(request: Request) -> Response:
    return Response({"api_view": "inner"})


api = NinjaAPI(urls_namespace="corsguard-tests")


@api.get("/below")
@cors_policy(allowed_origins=[PARTNER])
def ninja_below(request: HttpRequest) -> dict[str, Any]:
    return {"ninja": "below"}


@cors_policy(allowed_origins=[PARTNER])
@api.get("/above")
def ninja_above(request: HttpRequest) -> dict[str, Any]:
    return {"ninja": "above"}


@api.put("/above")
@cors_policy(allowed_origins=[OTHER])
def ninja_above_put(request: HttpRequest) -> dict[str, Any]:
    return {"ninja": "put"}


partners = Router()
partners.add_decorator(cors_policy(allowed_origins=[PARTNER], allow_credentials=False))


@partners.get("/feed")
def ninja_router_feed(request: HttpRequest) -> dict[str, Any]:
    return {"ninja": "router"}


api.add_router("/partners", partners)

router = DefaultRouter()
router.register("orders", PartnerViewSet, basename="orders")
router.register("internal", ExemptViewSet, basename="internal")
router.register("attributes", AttributeViewSet, basename="attributes")
simple = SimpleRouter()
simple.register("actions", ActionViewSet, basename="actions")

urlpatterns = [
    path("item/", ItemView.as_view()),
    path("generic/", GenericItem.as_view()),
    path("api-view-outer/", api_view_outer),
    path("api-view-inner/", api_view_inner),
    path("ninja/", api.urls),
    *router.urls,
    *simple.urls,
]
