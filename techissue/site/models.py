"""Posts of the magazine: an edition's editorial shown on its own (title, subtitle, cover), or a standalone essay."""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from techissue.editions.images import generated_cover_name, validate_image
from techissue.editions.models import Edition


class PostQuerySet(models.QuerySet["Post"]):
    def standalone_published(self) -> PostQuerySet:
        """Essays that belong to no edition and are public now."""
        return self.filter(edition__isnull=True, published_at__isnull=False, published_at__lte=timezone.now())


class Post(models.Model):
    """A magazine post. With an edition it names and presents that edition's editorial; without, it is an essay."""

    edition = models.OneToOneField(
        Edition,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="post",
        verbose_name=_("edition"),
        help_text=_("Leave empty for an essay that belongs to no edition."),
    )
    title = models.CharField(_("title"), max_length=300)
    subtitle = models.CharField(_("subtitle"), max_length=500, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    byline = models.CharField(_("byline"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Edition.Language.choices, default=Edition.Language.KOREAN
    )
    # Checked by content and stored under a generated name, as an edition's cover is.
    cover_image = models.FileField(
        _("cover image"), upload_to=generated_cover_name, blank=True, validators=[validate_image]
    )
    cover_alt = models.CharField(_("cover description"), max_length=300, blank=True)
    body_md = models.TextField(
        _("text (Markdown)"), blank=True, help_text=_("For an edition's post the edition's editorial is the text.")
    )
    published_at = models.DateTimeField(
        _("published"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("An essay is public from this time on; an edition's post when its edition is."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.CheckConstraint(
                condition=Q(edition__isnull=False) | ~Q(body_md=""), name="site_post_essay_has_text"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.slug:
            super().save(*args, **kwargs)
            return
        # An ASCII slug keeps shared links readable. A title without Latin words, or one already taken,
        # is told apart by the primary key, which exists only after the first save.
        base = slugify(self.title)[:100]
        readable = bool(re.search("[a-z]", base))
        if readable and not Post.objects.filter(slug=base).exists():
            self.slug = base
            super().save(*args, **kwargs)
            return
        self.slug = f"draft-{timezone.now().timestamp()}"
        super().save(*args, **kwargs)
        self.slug = f"{base}-{self.pk}" if readable else f"post-{self.pk}"
        super().save(update_fields=["slug"])

    def get_absolute_url(self) -> str:
        if self.edition_id is not None:
            edition = self.edition
            assert edition is not None
            return reverse("site:editorial", kwargs={"number": edition.number, "slug": edition.slug})
        return reverse("site:post", kwargs={"slug": self.slug})


class SearchEntry(models.Model):
    """One searchable document of the public archive: an edition with its picks, or a post.

    The text is kept here once more, normalised, so that the search backends (an FTS5 trigram table on
    SQLite, a trigram index on PostgreSQL: see `site/search.py`) index what readers see, not raw rows.
    """

    class Kind(models.TextChoices):
        EDITION = "edition", _("edition")
        POST = "post", _("post")

    source = models.CharField(_("source"), max_length=40, unique=True)  # "edition:12", "editorial:12", "post:5"
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    url = models.CharField(_("address"), max_length=500)
    title = models.CharField(_("title"), max_length=500)
    body = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=2)
    date = models.DateTimeField(_("date"), db_index=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return self.title
