"""Feeds that the editor follows and the articles stored from them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FeedQuerySet(models.QuerySet["Feed"]):
    def due(self, now: object = None) -> FeedQuerySet:
        """Feeds whose next fetch has come and that no worker holds right now."""
        now = now or timezone.now()
        return self.filter(active=True, next_fetch_at__lte=now).exclude(claimed_until__gt=now)


class Feed(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("new")
        OK = "ok", _("ok")
        ERROR = "error", _("error")

    url = models.URLField(_("feed URL"), max_length=2000, unique=True)
    title = models.CharField(_("outlet"), max_length=300, blank=True)
    site_url = models.URLField(_("site"), max_length=2000, blank=True)
    lang = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        help_text=_("ko, en, or empty to detect"),
    )
    weight = models.FloatField(
        _("weight"),
        default=1.0,
        help_text=_("How much the editor trusts this outlet (0.1–3)."),
    )
    active = models.BooleanField(_("active"), default=True)

    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.NEW)
    last_error = models.TextField(_("last error"), blank=True)
    error_kind = models.CharField(_("error kind"), max_length=32, blank=True)
    error_count = models.PositiveIntegerField(_("errors in a row"), default=0)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    next_fetch_at = models.DateTimeField(_("next fetch"), default=timezone.now, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["title", "url"]
        verbose_name = _("feed")
        verbose_name_plural = _("feeds")

    def __str__(self) -> str:
        return self.title or self.url


class Article(models.Model):
    class Source(models.TextChoices):
        FEED = "feed", _("full text in the feed")
        PAGE = "page", _("extracted from the page")
        SUMMARY = "summary", _("summary only")

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="articles", verbose_name=_("feed"))
    outlet = models.CharField(_("outlet"), max_length=300)
    guid = models.CharField(max_length=2000)
    url = models.URLField(max_length=2000)
    canonical_url = models.URLField(_("canonical URL"), max_length=2000, unique=True)
    title = models.CharField(_("title"), max_length=1000)
    author = models.CharField(_("author"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    fetched_at = models.DateTimeField(_("fetched"), auto_now_add=True, db_index=True)
    summary = models.TextField(_("summary"), blank=True)
    text = models.TextField(_("text"), blank=True)
    html = models.TextField(_("sanitised HTML"), blank=True)
    lead_image = models.URLField(_("lead image"), max_length=2000, blank=True)
    lang = models.CharField(_("language"), max_length=8, blank=True, db_index=True)
    full_text_source = models.CharField(max_length=8, choices=Source.choices, default=Source.SUMMARY)
    page_error = models.TextField(blank=True)
    decoding_note = models.CharField(_("decoding note"), max_length=300, blank=True)
    times_seen = models.PositiveIntegerField(default=1)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copy of"),
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [models.UniqueConstraint(fields=["feed", "guid"], name="article_unique_guid_per_feed")]

    def __str__(self) -> str:
        return self.title

    @property
    def when(self) -> object:
        """The article's date: published when the feed said, else when we fetched it."""
        return self.published_at or self.fetched_at
