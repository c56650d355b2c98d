"""App configuration for site."""

from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "techissue.site"
    label = "site"
    default_auto_field = "django.db.models.BigAutoField"
