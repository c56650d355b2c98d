"""App configuration for delivery: the transport EMAIL_URL chose is checked once, at start-up."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "techissue.delivery"
    label = "delivery"
    verbose_name = _("Delivery")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from techissue.delivery import provider_hooks  # noqa: F401 (registers the deploy check)
        from techissue.delivery.transport import transport_kind

        transport_kind()  # a scheme or provider the engine cannot serve stops the start-up with a clear message
