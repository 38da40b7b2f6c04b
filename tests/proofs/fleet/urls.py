"""One view that names the worker that answered, and touches no database."""

import os

from django.http import HttpRequest, HttpResponse
from django.urls import path


def whoami(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(os.getpid()), content_type="text/plain")


urlpatterns = [path("", whoami)]
