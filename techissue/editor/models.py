"""The editor's own preferences, kept per user (the language of the editor's pages)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EditorPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="editor_preference", verbose_name=_("user")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)

    class Meta:
        verbose_name = _("editor preference")
        verbose_name_plural = _("editor preferences")

    def __str__(self) -> str:
        return f"{self.user} ({self.language or '-'})"
