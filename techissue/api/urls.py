"""URLs of the HTTP API."""

from django.urls import URLPattern, URLResolver, path

from techissue.api.api import api

urlpatterns: list[URLPattern | URLResolver] = [path("", api.urls)]
