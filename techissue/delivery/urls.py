"""URLs of the delivery app: the configured email provider's webhooks (bounces, complaints) under /anymail/."""

from django.urls import URLPattern, URLResolver, path

from techissue.delivery.provider_hooks import provider_webhook

app_name = "delivery"
urlpatterns: list[URLPattern | URLResolver] = [
    # One route for all providers: which one answers is decided per request from EMAIL_URL (see provider_hooks).
    path("anymail/<path:route>", provider_webhook, name="provider-webhook"),
]
