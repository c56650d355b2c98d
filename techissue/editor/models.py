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


class FetchRun(models.Model):
    """One "fetch now" from the feeds page: which feeds, and how far the worker has got."""

    class Phase(models.TextChoices):
        QUEUED = "queued", _("waiting for the worker")
        FETCHING = "fetching", _("fetching")
        CURATING = "curating", _("curating into stories")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    feed_ids = models.JSONField(default=list)
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices, default=Phase.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    ok = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    busy = models.PositiveIntegerField(default=0)
    new_articles = models.PositiveIntegerField(default=0)
    current = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("fetch run")
        verbose_name_plural = _("fetch runs")

    def __str__(self) -> str:
        return f"fetch run {self.pk} ({self.phase})"

    @property
    def finished(self) -> bool:
        return self.phase in (self.Phase.DONE, self.Phase.FAILED)

    @property
    def percent(self) -> int:
        return 100 if self.finished else int(100 * self.done / self.total) if self.total else 0
