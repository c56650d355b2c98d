"""App configuration for editions."""

from django.apps import AppConfig


class EditionsConfig(AppConfig):
    name = "techissue.editions"
    label = "editions"
    default_auto_field = "django.db.models.BigAutoField"
