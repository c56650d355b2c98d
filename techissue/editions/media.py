"""Serve the editor's uploads at MEDIA_URL from `techissue serve`, with the headers nginx sends for them too."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.utils._os import safe_join
from django.views.decorators.http import require_safe

from techissue.editions.images import CONTENT_TYPES

# An upload is a picture, never a page: nothing in it may run, load or be read as another type.
MEDIA_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


@require_safe
def serve_media(request: HttpRequest, path: str) -> HttpResponseBase:
    """One uploaded file under MEDIA_ROOT; only the image kinds we store, typed by their extension."""
    try:
        full = Path(safe_join(str(settings.MEDIA_ROOT), path))
    except Exception:  # SuspiciousFileOperation: a path that leaves MEDIA_ROOT
        raise Http404("no such file") from None
    kind = full.suffix.lower().lstrip(".")
    if kind not in CONTENT_TYPES or not full.is_file() or any(part.startswith(".") for part in Path(path).parts):
        raise Http404("no such file")
    response = FileResponse(full.open("rb"), content_type=CONTENT_TYPES[kind])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_CSP
    response["Cross-Origin-Resource-Policy"] = "cross-origin"  # mail clients and feed readers load them
    # Stored under a random name that never changes, so a reader's cache can keep it.
    response["Cache-Control"] = "public, max-age=604800, immutable"
    return response
