"""Admin pages where the editor sees each feed's health and the stored articles."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from techissue.sources.models import Article, Feed


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "health",
        "lang",
        "weight",
        "article_total",
        "error_count",
        "last_fetched_at",
        "next_fetch_at",
    ]
    list_filter = ["status", "lang", "active"]
    search_fields = ["title", "url", "site_url"]
    readonly_fields = [
        "status",
        "last_error",
        "error_kind",
        "error_count",
        "etag",
        "last_modified",
        "last_fetched_at",
        "last_success_at",
        "added_at",
    ]
    actions = ["fetch_soon"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Feed]:
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description=_("articles"), ordering="article_total")
    def article_total(self, feed: Feed) -> int:
        return getattr(feed, "article_total", 0)

    @admin.display(description=_("health"), ordering="status")
    def health(self, feed: Feed) -> str:
        colour = {"ok": "#1a7f37", "error": "#cf222e"}.get(feed.status, "#6e7781")
        label = feed.get_status_display()
        if feed.status == Feed.Status.ERROR and feed.last_error:
            return format_html(
                '<span style="color:{}" title="{}">● {}</span>',
                colour,
                feed.last_error,
                label,
            )
        return format_html('<span style="color:{}">● {}</span>', colour, label)

    @admin.action(description=_("Fetch at the next round"), permissions=["change"])
    def fetch_soon(self, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
        count = queryset.update(next_fetch_at=timezone.now())
        self.message_user(
            request,
            _("%(count)d feeds will be fetched at the next round.") % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "outlet",
        "lang",
        "published_at",
        "full_text_source",
        "duplicate_of",
    ]
    list_filter = ["lang", "full_text_source", "feed"]
    search_fields = ["title", "url", "canonical_url", "text"]
    date_hierarchy = "published_at"
    raw_id_fields = ["feed", "duplicate_of"]
    readonly_fields = ["fetched_at", "times_seen", "page_error", "decoding_note"]
