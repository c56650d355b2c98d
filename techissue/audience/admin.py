"""Admin for subscribers: search by address and name, filter by status, language and consent."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from techissue.audience.models import Subscriber
from techissue.audience.subscribe import unsubscribe


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "status", "language", "paused", "consent_method", "consent_at", "created_at"]
    list_filter = ["status", "language", "paused", "consent_method"]
    search_fields = ["email", "name"]
    readonly_fields = [
        "token_version",
        "soft_bounces",
        "last_bounce",
        "confirmation_sent_at",
        "confirmed_at",
        "left_at",
        "created_at",
        "updated_at",
    ]
    date_hierarchy = "created_at"
    actions = ["unsubscribe_selected"]

    def save_model(self, request: HttpRequest, obj: Subscriber, form: object, change: bool) -> None:
        if not change and not obj.consent_method:
            obj.consent_method = Subscriber.Consent.ADMIN
        super().save_model(request, obj, form, change)  # type: ignore[arg-type]

    @admin.action(description=_("Unsubscribe the selected subscribers"), permissions=["change"])
    def unsubscribe_selected(self, request: HttpRequest, queryset: QuerySet[Subscriber]) -> None:
        for subscriber in queryset:
            unsubscribe(subscriber)
