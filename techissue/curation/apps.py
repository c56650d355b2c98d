"""App configuration for curation."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurationConfig(AppConfig):
    name = "techissue.curation"
    label = "curation"
    verbose_name = _("Curation")
    default_auto_field = "django.db.models.BigAutoField"
