"""URLs of the delivery app."""

from django.urls import URLPattern, URLResolver

app_name = "delivery"
urlpatterns: list[URLPattern | URLResolver] = []
