"""App configuration for ops."""

from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "techissue.ops"
    label = "ops"
    default_auto_field = "django.db.models.BigAutoField"
