"""Subscribers: who receives editions, in which language, and the record of their consent."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class SubscriberQuerySet(models.QuerySet["Subscriber"]):
    def receiving(self) -> SubscriberQuerySet:
        """Active, not paused: the only people any send may go to (everyone else is suppressed)."""
        return self.filter(status=Subscriber.Status.ACTIVE, paused=False)

    def with_email(self, email: str) -> SubscriberQuerySet:
        """The subscriber with this address in any case: `LOWER(email) = …`, which the unique index serves
        (`email__iexact` compiles to `UPPER(…)` on PostgreSQL and `LIKE` on SQLite, and scans the table)."""
        return self.alias(email_lower=Lower("email")).filter(email_lower=email.strip().lower())

    def with_any_email(self, emails: list[str]) -> SubscriberQuerySet:
        """Subscribers with any of these addresses, in any case, through the same index."""
        return self.alias(email_lower=Lower("email")).filter(email_lower__in=[e.strip().lower() for e in emails])


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACTIVE = "active", _("active")
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
        BOUNCED = "bounced", _("bounced")
        COMPLAINED = "complained", _("complained")

    class Consent(models.TextChoices):
        FORM = "form", _("subscribe form")
        IMPORT = "import", _("import")
        ADMIN = "admin", _("admin")

    SUPPRESSED = (Status.UNSUBSCRIBED, Status.BOUNCED, Status.COMPLAINED)

    email = models.EmailField(_("email"), max_length=254)
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, default="ko")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    paused = models.BooleanField(_("paused"), default=False)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_ip = models.GenericIPAddressField(_("consent given from"), null=True, blank=True)
    consent_method = models.CharField(_("consent given through"), max_length=16, choices=Consent.choices, blank=True)
    # Bumped on every (re-)subscription: tokens carry it, so old links stop working.
    token_version = models.PositiveIntegerField(default=1)
    soft_bounces = models.PositiveIntegerField(_("soft bounces"), default=0)
    last_bounce = models.TextField(_("last bounce"), blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [models.UniqueConstraint(Lower("email"), name="audience_subscriber_email_ci_unique")]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.email

    @property
    def is_suppressed(self) -> bool:
        return self.status in self.SUPPRESSED

    @property
    def domain(self) -> str:
        return self.email.rpartition("@")[2].lower()
