"""App configuration for editions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditionsConfig(AppConfig):
    name = "techissue.editions"
    label = "editions"
    verbose_name = _("Editions")
    default_auto_field = "django.db.models.BigAutoField"
