"""App configuration for audience."""

from django.apps import AppConfig


class AudienceConfig(AppConfig):
    name = "techissue.audience"
    label = "audience"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "audience"

    def ready(self) -> None:
        from techissue.audience import webhooks

        webhooks.connect()
