"""App configuration for delivery."""

from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "techissue.delivery"
    label = "delivery"
    default_auto_field = "django.db.models.BigAutoField"
