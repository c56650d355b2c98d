"""The back office for the magazine's posts: an edition's editorial title and cover, or a standalone essay."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from techissue.site.models import Post


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "edition", "language", "published_at"]
    list_filter = ["language", ("edition", admin.EmptyFieldListFilter)]
    search_fields = ["title", "subtitle", "body_md"]
    raw_id_fields = ["edition"]
    readonly_fields = ["slug", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["edition", "title", "subtitle", "byline", "language"]}),
        (_("Cover"), {"fields": ["cover_image", "cover_alt"]}),
        (_("Essay"), {"fields": ["body_md", "published_at"]}),
        (_("Record"), {"fields": ["slug", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]
