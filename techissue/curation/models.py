"""Stories (one real-world event each), their member articles, and the editor's alias table."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from techissue.sources.models import Article

# What the editor made or used: a rebuild keeps these stories, and an empty one is not deleted.
KEPT_BY_EDITOR = Q(locked=True) | ~Q(decision="") | Q(sent_at__isnull=False) | Q(merged_into__isnull=False)


class StoryQuerySet(models.QuerySet["Story"]):
    def kept_by_editor(self) -> StoryQuerySet:
        """Stories the editor locked, decided on, merged away, or that an edition sent."""
        return self.filter(KEPT_BY_EDITOR)

    def ranked(self) -> StoryQuerySet:
        """Live stories, best first."""
        return self.filter(merged_into__isnull=True).order_by("-score", "-last_article_at", "id")

    def open_for_edition(self) -> StoryQuerySet:
        """Ranked stories that the editor has not skipped and no edition has sent yet."""
        return self.ranked().exclude(decision=Story.Decision.SKIPPED).filter(sent_at__isnull=True)


class Story(models.Model):
    class Decision(models.TextChoices):
        NONE = "", _("undecided")
        PICKED = "picked", _("picked")
        SKIPPED = "skipped", _("skipped")

    title = models.CharField(_("title"), max_length=1000)
    summary = models.TextField(_("summary"), blank=True)
    summary_lang = models.CharField(max_length=8, blank=True)
    # The English edition's summary when the story has an English article (`summary` is Korean
    # whenever a Korean article exists).
    summary_en = models.TextField(_("English summary"), blank=True)
    languages = models.CharField(_("languages"), max_length=32, blank=True, help_text=_("e.g. ko,en"))
    representative = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("best article")
    )
    score = models.FloatField(_("score"), default=0.0, db_index=True)
    score_parts = models.JSONField(_("score parts"), default=dict, blank=True)
    first_article_at = models.DateTimeField(null=True, blank=True)
    last_article_at = models.DateTimeField(null=True, blank=True, db_index=True)
    outlet_count = models.PositiveIntegerField(_("outlets"), default=0)
    article_count = models.PositiveIntegerField(_("articles"), default=0)
    locked = models.BooleanField(
        _("kept by the editor"),
        default=False,
        help_text=_("Merged, split or edited by the editor: later runs keep it."),
    )
    title_edited = models.BooleanField(default=False)
    merged_into = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices, default="", blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent in an edition"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")

    def __str__(self) -> str:
        return self.title

    @property
    def is_kept_by_editor(self) -> bool:
        """The KEPT_BY_EDITOR rule for one story in memory."""
        return bool(self.locked or self.decision or self.sent_at or self.merged_into_id)


class StoryMember(models.Model):
    """An article's place in a story; an article belongs to at most one story."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="members")
    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="story_member")
    pinned = models.BooleanField(default=False, help_text=_("Placed here by the editor: never moved by a later run."))
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("story member")
        verbose_name_plural = _("story members")

    def __str__(self) -> str:
        return f"{self.article_id} in {self.story_id}"


class Alias(models.Model):
    """A surface form (엔비디아, Nvidia Corp.) that means the same entity as a canonical key (nvidia)."""

    surface = models.CharField(_("written as"), max_length=200, unique=True)
    key = models.CharField(_("means"), max_length=200, db_index=True)

    class Meta:
        ordering = ["key", "surface"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")

    def __str__(self) -> str:
        return f"{self.surface} → {self.key}"


class ArticleFeatures(models.Model):
    """What curation computed from an article's text, kept so that later runs need not analyse it again.

    Korean morphology and shingling are the costly steps; an incremental run finds the window's
    existing articles here. `version` fingerprints the alias table and the analysis settings: a
    row of another version is computed afresh.
    """

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="features")
    version = models.CharField(max_length=16)
    tokens = models.JSONField(default=list)
    entities = models.JSONField(default=list)
    numbers = models.JSONField(default=list)
    signature = models.BinaryField(null=True)
    # The meaning vector of title and lead (embedding.py), float16.
    embedding = models.BinaryField(null=True)

    class Meta:
        verbose_name = _("article features")
        verbose_name_plural = _("article features")

    def __str__(self) -> str:
        return f"features of {self.article_id}"


class AliasProposal(models.Model):
    """A name pair (코어위브 ↔ CoreWeave) that a cross-language story revealed, for the editor to accept."""

    class Status(models.TextChoices):
        PENDING = "", _("waiting")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    hangul = models.CharField(_("Korean"), max_length=200)
    latin = models.CharField(_("Latin"), max_length=200)
    key = models.CharField(_("means"), max_length=200)
    likeness = models.FloatField(_("likeness"), default=0.0)
    story = models.ForeignKey(Story, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    from_merge = models.BooleanField(_("from the editor's merge"), default=False)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default="", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "-likeness", "id"]
        constraints = [models.UniqueConstraint(fields=["hangul", "latin"], name="alias_proposal_pair")]
        verbose_name = _("alias proposal")
        verbose_name_plural = _("alias proposals")

    def __str__(self) -> str:
        return f"{self.hangul} ↔ {self.latin}"
