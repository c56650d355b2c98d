"""The admin's login page, landing on the editor's home unless the editor came from somewhere else."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse
from django.urls import reverse


def admin_login(request: HttpRequest) -> HttpResponse:
    if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
        query = request.GET.copy()
        query[REDIRECT_FIELD_NAME] = reverse("editor:home")
        request.GET = query  # type: ignore[assignment]
    return admin.site.login(request)
