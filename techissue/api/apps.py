"""App configuration for api: the HTTP API under /api/v1/, its personal tokens and the outgoing webhooks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "techissue.api"
    label = "api"
    verbose_name = _("HTTP API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from techissue.api import webhooks  # noqa: F401  (follows the events that become webhooks)
