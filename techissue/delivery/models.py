"""Delivery state: one row per (edition, subscriber), and the control of each edition's send."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Send(models.Model):
    """One edition's send as a whole: started once, pausable, resumable, cancellable."""

    class State(models.TextChoices):
        RUNNING = "running", _("running")
        PAUSED = "paused", _("paused")
        CANCELLED = "cancelled", _("cancelled")
        DONE = "done", _("done")

    edition = models.OneToOneField(
        "editions.Edition", on_delete=models.CASCADE, related_name="send", verbose_name=_("edition")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.RUNNING, db_index=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("send")
        verbose_name_plural = _("sends")

    def __str__(self) -> str:
        return f"{self.edition} ({self.state})"


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        DEFERRED = "deferred", _("deferred")
        FAILED = "failed", _("failed")

    edition = models.ForeignKey(
        "editions.Edition", on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("edition")
    )
    subscriber = models.ForeignKey(
        "audience.Subscriber", on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("subscriber")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_reply = models.TextField(_("last SMTP reply"), blank=True)
    # The lease: a worker owns a `sending` row until claimed_until (the database's clock); after that the row is
    # back in the pool. Each claim draws a new lease_token, and only its holder may write the row's outcome.
    claimed_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    lease_token = models.CharField(max_length=32, blank=True, db_index=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["edition", "subscriber"], name="delivery_one_per_edition_subscriber")
        ]
        indexes = [models.Index(fields=["edition", "status"]), models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.edition_id} → {self.subscriber_id}: {self.status}"


class ReturnReport(models.Model):
    """One bounce, complaint or unsubscribe mail (or provider event) received, whether it matched a delivery or not."""

    class Kind(models.TextChoices):
        BOUNCE = "bounce", _("bounce")
        COMPLAINT = "complaint", _("complaint")
        UNSUBSCRIBE = "unsubscribe", _("unsubscribe")

    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    source = models.CharField(_("source"), max_length=40)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # Matched: it named a message we sent (or carried a valid unsubscribe token). Unmatched reports change nobody.
    matched = models.BooleanField(_("matched"), db_index=True)
    delivery = models.ForeignKey(
        Delivery, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports", verbose_name=_("delivery")
    )
    subscriber = models.ForeignKey(
        "audience.Subscriber",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("subscriber"),
    )
    addresses = models.TextField(_("addresses it named"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=40)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("returned report")
        verbose_name_plural = _("returned reports")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.outcome} ({self.received_at:%Y-%m-%d %H:%M})"
