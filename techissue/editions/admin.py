"""The editor's desk: editions with sortable picks, a live editorial preview, images and the send actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from techissue.editions import lifecycle, services
from techissue.editions.markup import render_markdown
from techissue.editions.models import Edition, EditionImage, Pick
from techissue.editions.render import prepare_email


class PickInline(admin.TabularInline):
    model = Pick
    extra = 0
    fields = ["position", "headline", "url", "outlets", "comment", "is_sponsored", "story"]
    raw_id_fields = ["story"]
    classes = ["sortable-picks"]

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "position":
            # The drag-and-drop script keeps these hidden inputs in the order the rows are shown.
            kwargs["widget"] = forms.HiddenInput(attrs={"class": "pick-position"})
        if db_field.name == "comment":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3, "cols": 50})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class EditionImageInline(admin.TabularInline):
    model = EditionImage
    extra = 1
    fields = ["file", "alt", "caption", "markdown_snippet"]
    readonly_fields = ["markdown_snippet"]

    @admin.display(description=_("Markdown to paste"))
    def markdown_snippet(self, image: EditionImage) -> str:
        return format_html("<code>{}</code>", image.markdown()) if image.pk and image.file else "-"


@admin.action(description=_("Schedule for the next slot"), permissions=["change"])
def schedule_action(modeladmin: EditionAdmin, request: HttpRequest, queryset: QuerySet[Edition]) -> None:
    _apply(modeladmin, request, queryset, lifecycle.schedule_edition)


@admin.action(description=_("Publish on the web (no mail)"), permissions=["change"])
def publish_action(modeladmin: EditionAdmin, request: HttpRequest, queryset: QuerySet[Edition]) -> None:
    _apply(modeladmin, request, queryset, lifecycle.publish_edition)


@admin.action(description=_("Take off the web"), permissions=["change"])
def unpublish_action(modeladmin: EditionAdmin, request: HttpRequest, queryset: QuerySet[Edition]) -> None:
    _apply(modeladmin, request, queryset, lifecycle.unpublish_edition)


@admin.action(description=_("Cancel (stops a send in progress)"), permissions=["change"])
def cancel_action(modeladmin: EditionAdmin, request: HttpRequest, queryset: QuerySet[Edition]) -> None:
    def cancel(edition: Edition) -> Edition:
        lifecycle.cancel_edition(edition)
        return edition

    _apply(modeladmin, request, queryset, cancel)


def _apply(
    modeladmin: EditionAdmin, request: HttpRequest, queryset: QuerySet[Edition], action: Callable[[Edition], Edition]
) -> None:
    """Run one action on each chosen edition; a refusal is shown and does not stop the others."""
    for edition in queryset.order_by("number"):
        try:
            edition = action(edition)
        except lifecycle.EditionError as error:
            modeladmin.message_user(request, str(error), messages.ERROR)
            continue
        when = timezone.localtime(edition.scheduled_at).strftime(" %Y-%m-%d %H:%M") if edition.scheduled_at else ""
        state = f"{edition.get_status_display()}{when if edition.status == Edition.Status.SCHEDULED else ''}"
        web = f", {_('on the web')}" if edition.is_published else ""
        modeladmin.message_user(request, f"#{edition.number}: {state}{web}")


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "language", "status", "scheduled_at", "published_at", "held", "web_link"]
    list_filter = ["status", "language"]
    search_fields = ["title", "subtitle", "editorial_md"]
    readonly_fields = ["status", "scheduled_at", "send_by", "hold_reason", "published_at", "sent_at", "previews"]
    fieldsets = [
        (None, {"fields": ["number", "title", "subtitle", "slug", "language", "cover_image", "cover_alt"]}),
        (_("Editorial"), {"fields": ["editorial_md", "is_advertising"]}),
        (
            _("State"),
            {"fields": ["status", "hold_reason", "scheduled_at", "send_by", "published_at", "sent_at", "previews"]},
        ),
    ]
    inlines = [PickInline, EditionImageInline]
    # No "send now" here: sending goes through the editor's confirmation page with its pre-flight checks.
    actions = [schedule_action, publish_action, unpublish_action, cancel_action]

    class Media:
        js = ["editions/admin-edition.js"]
        css = {"all": ["editions/admin-edition.css"]}

    @admin.display(description=_("held"), boolean=True)
    def held(self, edition: Edition) -> bool:
        return bool(edition.hold_reason)

    @admin.display(description=_("on the web"))
    def web_link(self, edition: Edition) -> str:
        return (
            format_html('<a href="{}">{}</a>', edition.get_absolute_url(), _("view")) if edition.is_published else "-"
        )

    @admin.display(description=_("previews"))
    def previews(self, edition: Edition) -> str:
        if not edition.pk:
            return "-"
        base = reverse("admin:editions_edition_preview", args=[edition.pk])
        return format_html(
            '<a class="preview-link" href="{}?format=html" target="_blank">{}</a> · '
            '<a class="preview-link" href="{}?format=text" target="_blank">{}</a> · '
            '<a class="preview-link" href="{}?format=web" target="_blank">{}</a>',
            base,
            _("email"),
            base,
            _("plain text"),
            base,
            _("web page"),
        )

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "editorial_md":
            kwargs["widget"] = forms.Textarea(
                attrs={
                    "rows": 18,
                    "cols": 80,
                    "class": "editorial-source",
                    "data-preview-url": reverse("admin:editions_edition_markdown"),
                }
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Edition, form: Any, change: bool) -> None:
        # Remember the number before the save: a renumbered edition's old page must leave the archive.
        obj._number_before_save = (  # type: ignore[attr-defined]
            Edition.objects.filter(pk=obj.pk).values_list("number", flat=True).first() if change else None
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        lifecycle.content_changed(form.instance, getattr(form.instance, "_number_before_save", None))

    def delete_model(self, request: HttpRequest, obj: Edition) -> None:
        lifecycle.delete_edition(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Edition]) -> None:
        for edition in queryset:
            lifecycle.delete_edition(edition)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial: dict[str, Any] = dict(super().get_changeform_initial_data(request))
        initial.setdefault("number", services.next_edition_number())
        return initial

    def get_urls(self) -> list[URLPattern]:
        own = [
            path("markdown/", self.admin_site.admin_view(self.markdown_view), name="editions_edition_markdown"),
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view), name="editions_edition_preview"),
        ]
        return own + super().get_urls()

    def markdown_view(self, request: HttpRequest) -> HttpResponse:
        """The live preview: the editorial as the archive will show it (sanitised)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request) and not self.has_add_permission(request):
            return HttpResponse(status=403)
        return HttpResponse(render_markdown(request.POST.get("text", "")))

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """What a reader gets: the email (HTML or text) or the web page, as of the last save."""
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        edition = get_object_or_404(Edition, pk=pk)
        kind = request.GET.get("format", "html")
        if kind == "web":
            from techissue.site.pages import render_edition_page

            return HttpResponse(render_edition_page(edition))
        with translation.override(edition.language):
            name = str(_("Reader"))
        subject, text, html = prepare_email(edition).personalize(name, "#unsubscribe", "#preferences")
        if kind == "text":
            return HttpResponse(f"Subject: {subject}\n\n{text}", content_type="text/plain; charset=utf-8")
        return HttpResponse(html)


@admin.register(EditionImage)
class EditionImageAdmin(admin.ModelAdmin):
    list_display = ["alt", "edition", "uploaded_at", "snippet"]
    readonly_fields = ["snippet"]

    @admin.display(description=_("Markdown to paste"))
    def snippet(self, image: EditionImage) -> str:
        return format_html("<code>{}</code>", image.markdown()) if image.pk and image.file else "-"
