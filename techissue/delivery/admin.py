"""Admin for sends (numbers, chart, pause/resume/cancel) and deliveries."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from techissue.delivery.models import Delivery, ReturnReport, Send
from techissue.delivery.stats import edition_numbers, sent_over_time_svg
from techissue.editions import lifecycle
from techissue.editions.models import Edition


@admin.register(Send)
class SendAdmin(admin.ModelAdmin):
    list_display = ["edition", "state", "started_at", "finished_at", "numbers"]
    list_filter = ["state"]
    readonly_fields = ["edition", "state", "started_at", "finished_at", "numbers", "chart"]
    actions = ["pause", "resume", "cancel"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("numbers"))
    def numbers(self, send: Send) -> SafeString:
        numbers = edition_numbers(send.edition)
        return format_html(
            "{} {} · {} {} · {} {} · {} {} · {} {} · {} {}",
            _("total"), numbers["total"], _("sent"), numbers["sent"], _("deferred"), numbers["deferred"],
            _("failed"), numbers["failed"], _("bounced"), numbers["bounced"], _("unsubscribed after it"), numbers["unsubscribed"],
        )  # fmt: skip

    @admin.display(description=_("sent over time"))
    def chart(self, send: Send) -> SafeString:
        return sent_over_time_svg(send.edition)

    def _act(self, request: HttpRequest, action: Callable[[Edition], object], send: Send) -> None:
        """The editions app's own action (one rule for the admin, the editor's pages and the CLI)."""
        try:
            action(send.edition)
        except lifecycle.EditionError as error:
            self.message_user(request, str(error), messages.ERROR)

    @admin.action(description=_("Pause the selected sends"), permissions=["change"])
    def pause(self, request: HttpRequest, queryset: QuerySet[Send]) -> None:
        for send in queryset:
            self._act(request, lifecycle.pause_sending, send)
        self.message_user(request, _("Paused."), messages.SUCCESS)

    @admin.action(description=_("Resume the selected sends"), permissions=["change"])
    def resume(self, request: HttpRequest, queryset: QuerySet[Send]) -> None:
        for send in queryset:
            self._act(request, lifecycle.resume_sending, send)
        self.message_user(request, _("Resumed."), messages.SUCCESS)

    @admin.action(description=_("Cancel the selected sends"), permissions=["change"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[Send]) -> None:
        for send in queryset:
            self._act(request, lifecycle.cancel_edition, send)
        self.message_user(request, _("Cancelled."), messages.WARNING)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["edition", "subscriber", "status", "attempts", "sent_at", "next_attempt_at", "last_reply"]
    list_filter = ["status", "edition"]
    search_fields = ["subscriber__email"]
    list_select_related = ["edition", "subscriber"]
    raw_id_fields = ["subscriber"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ReturnReport)
class ReturnReportAdmin(admin.ModelAdmin):
    """Every bounce, complaint and unsubscribe mail received; filter on *matched: No* for the ones ignored."""

    list_display = ["received_at", "source", "kind", "matched", "outcome", "subscriber", "addresses"]
    list_filter = ["matched", "kind", "outcome", "source"]
    search_fields = ["addresses", "subscriber__email", "detail"]
    readonly_fields = [field.name for field in ReturnReport._meta.fields]
    date_hierarchy = "received_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
