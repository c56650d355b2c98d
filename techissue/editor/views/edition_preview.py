"""The compose page's preview (the real email or web page, for an iframe) and its image uploads."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from techissue.editions import lifecycle
from techissue.editions.models import Edition, EditionImage
from techissue.editions.render import prepare_email
from techissue.editor.access import editor_view
from techissue.editor.views.edition_common import editor_name


@editor_view("editions.view_edition")
@require_GET
@xframe_options_sameorigin
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Exactly what readers get, as last saved: the email's HTML or the archive page; counts as previewed."""
    edition = get_object_or_404(Edition, pk=pk)
    Edition.objects.filter(pk=pk).update(previewed_at=timezone.now())
    if request.GET.get("format") == "web":
        from techissue.site.pages import render_edition_page

        response = HttpResponse(render_edition_page(edition))
    else:
        with translation.override(edition.language):
            name = editor_name(request) or str(_("Reader"))
        html = prepare_email(edition).personalize(name, "#unsubscribe", "#preferences")[2]
        response = HttpResponse(html)
    response["Cache-Control"] = "no-store"
    # django-csp's per-response override: only the compose page (same origin) may frame the preview.
    response._csp_replace = {"frame-ancestors": ["'self'"]}  # type: ignore[attr-defined]
    return response


class ImageForm(forms.ModelForm):
    class Meta:
        model = EditionImage
        fields = ["file", "alt", "caption"]

    def clean_alt(self) -> str:
        alt = " ".join((self.cleaned_data.get("alt") or "").split())
        if not alt:
            raise forms.ValidationError(_("Describe the image for readers who cannot see it (alt text)."))
        return alt


@editor_view("editions.add_editionimage")
@require_POST
def upload_image(request: HttpRequest, pk: int) -> HttpResponse:
    """Store an image checked by its content; answers the Markdown to insert, or the reasons it was refused."""
    edition = get_object_or_404(Edition, pk=pk)
    form = ImageForm(request.POST, request.FILES)
    if not request.FILES.get("file"):
        return JsonResponse({"error": _("Choose an image file.")}, status=400)
    if not form.is_valid():
        reasons = [str(error) for errors in form.errors.values() for error in errors]
        return JsonResponse({"error": " ".join(reasons)}, status=400)
    image = form.save(commit=False)
    image.edition = edition
    image.save()
    lifecycle.content_changed(edition)
    return JsonResponse(
        {"markdown": image.markdown(), "url": image.file.url, "alt": image.alt, "message": _("Image uploaded.")},
        json_dumps_params={"ensure_ascii": False},
    )
