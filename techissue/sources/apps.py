"""App configuration for sources."""

from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "techissue.sources"
    label = "sources"
    default_auto_field = "django.db.models.BigAutoField"
