"""App configuration for audience."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AudienceConfig(AppConfig):
    name = "techissue.audience"
    label = "audience"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Audience")

    def ready(self) -> None:
        from techissue.audience import webhooks

        webhooks.connect()
