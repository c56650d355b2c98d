"""App configuration for site: connects the receivers that keep the static archive in step with editions."""

from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "techissue.site"
    label = "site"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from techissue.site import receivers  # noqa: F401  (connects the signal receivers)
