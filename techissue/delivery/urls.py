"""URLs of the delivery app: django-anymail's provider webhooks (bounces, complaints) under /anymail/."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "delivery"
urlpatterns: list[URLPattern | URLResolver] = [
    path("anymail/", include("anymail.urls")),
]
