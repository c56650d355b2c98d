"""Editions (one issue of the newsletter), their ordered picks and the images the editor uploads."""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from techissue.editions.images import generated_cover_name, generated_name, validate_image


class EditionQuerySet(models.QuerySet["Edition"]):
    def published(self) -> EditionQuerySet:
        """Editions readable on the web: published and not cancelled, newest first."""
        return self.filter(published_at__isnull=False).exclude(status="cancelled").order_by("-number")

    def due(self, now: object) -> EditionQuerySet:
        """Scheduled editions whose time has come, oldest first."""
        return self.filter(status="scheduled", scheduled_at__lte=now).order_by("scheduled_at", "number")


class Edition(models.Model):
    class Language(models.TextChoices):
        KOREAN = "ko", _("Korean")
        ENGLISH = "en", _("English")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SCHEDULED = "scheduled", _("scheduled")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        CANCELLED = "cancelled", _("cancelled")

    number = models.PositiveIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=300)
    subtitle = models.CharField(_("subtitle"), max_length=500, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=True, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.KOREAN)
    cover_image = models.FileField(
        _("cover image"),
        upload_to=generated_cover_name,
        blank=True,
        validators=[validate_image],
    )
    cover_alt = models.CharField(_("cover description"), max_length=300, blank=True)
    editorial_md = models.TextField(_("editorial (Markdown)"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    scheduled_at = models.DateTimeField(_("scheduled for"), null=True, blank=True, db_index=True)
    send_by = models.DateTimeField(
        _("send by"), null=True, blank=True, help_text=_("Past this time the worker does not send it on its own.")
    )
    hold_reason = models.TextField(_("held because"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # For the pre-flight warnings "never previewed" and "no test mail sent".
    # 정보통신망법 제50조: an edition that carries a sponsor's message is advertising (see `carries_advertising`).
    is_advertising = models.BooleanField(
        _("advertising"),
        default=False,
        help_text=_("The whole edition is advertising: its subject starts with (광고) and it names the sender."),
    )
    previewed_at = models.DateTimeField(_("last previewed"), null=True, blank=True)
    tested_at = models.DateTimeField(_("last test mail"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")

    def __str__(self) -> str:
        return f"#{self.number} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            # An ASCII slug keeps shared links readable; a title without Latin words gets "issue-N".
            ascii_slug = slugify(self.title)[:100]
            self.slug = ascii_slug if re.search("[a-z]", ascii_slug) else f"issue-{self.number}"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("site:edition", kwargs={"number": self.number, "slug": self.slug})

    def carries_advertising(self, picks: list[Pick] | None = None) -> bool:
        """Advertising as a whole, or with at least one sponsored pick (the law's marks then apply)."""
        if picks is not None:
            return self.is_advertising or any(pick.is_sponsored for pick in picks)
        return self.is_advertising or self.picks.filter(is_sponsored=True).exists()

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.status != self.Status.CANCELLED


class Pick(models.Model):
    """One story chosen for an edition, as the editor wants it shown."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="picks", verbose_name=_("edition"))
    story = models.ForeignKey(
        "curation.Story",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="picks",
        verbose_name=_("story"),
    )
    position = models.PositiveIntegerField(_("position"), default=0, db_index=True)
    headline = models.CharField(_("headline"), max_length=500)
    url = models.URLField(_("link"), max_length=2000, blank=True)
    outlets = models.CharField(_("outlets"), max_length=500, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    is_sponsored = models.BooleanField(
        _("sponsored"),
        default=False,
        help_text=_("A sponsor's slot: labelled as advertising in the email and on the web."),
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("pick")
        verbose_name_plural = _("picks")

    def __str__(self) -> str:
        return self.headline


class EditionImage(models.Model):
    """An image uploaded for an editorial; the admin shows the Markdown that embeds it."""

    edition = models.ForeignKey(
        Edition, on_delete=models.SET_NULL, null=True, blank=True, related_name="images", verbose_name=_("edition")
    )
    file = models.FileField(_("image"), upload_to=generated_name, validators=[validate_image])
    alt = models.CharField(_("description (alt text)"), max_length=300)
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self) -> str:
        return self.alt

    def markdown(self) -> str:
        """The Markdown that places this image in an editorial, with its caption as the title."""
        caption = self.caption.replace('"', "'")
        return f'![{self.alt}]({self.file.url} "{caption}")' if caption else f"![{self.alt}]({self.file.url})"
