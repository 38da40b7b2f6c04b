"""Routes of the test project: the contract's, then the session endpoints."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path, re_path

from testprojects.django_project import orders, views

urlpatterns = [
    path("api/items", views.items),
    path("api/vary", views.vary),
    path("api/own-cors", views.own_cors),
    path("api/own-expose", views.own_expose),
    path("api/stream", views.stream),
    path("api/cookies", views.cookies),
    path("api/missing", views.missing),
    path("api/forbidden", views.forbidden),
    path("api/boom", views.boom),
    path("api/private", views.private),
    # Only the slashed form routes; CommonMiddleware redirects /api/slash.
    path("api/slash/", views.slash),
    re_path(r"^public/.+\Z", views.public),
    path("api/v1/users/<str:user_id>", views.user),
    path("api/custom", views.CustomView.as_view()),
    path("api/exempt", views.exempt),
    path("api/csrf", views.csrf),
    path("api/login", views.login_view),
    path("api/logout", views.logout_view),
    path("admin/", admin.site.urls),
    *orders.urlpatterns,
]
