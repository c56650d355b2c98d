"""The back office for the magazine's posts: an edition's editorial title and cover, or a standalone essay."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from techissue.site import posts
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

    def save_model(self, request: HttpRequest, obj: Post, form: Any, change: bool) -> None:
        posts.save_post(obj)

    def delete_model(self, request: HttpRequest, obj: Post) -> None:
        posts.delete_post(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        for post in queryset:
            posts.delete_post(post)
