"""URLs of the site app."""

from django.urls import URLPattern, URLResolver

app_name = "site"
urlpatterns: list[URLPattern | URLResolver] = []
