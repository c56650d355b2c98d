"""Uploaded images: checked by their content (Pillow), SVG refused, size capped, stored under a generated name."""

from __future__ import annotations

import uuid
import warnings
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# What a browser and a mail client both show; the stored extension comes from the content, never the name.
FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"}
MAX_PIXELS = 40_000_000  # past this a small file can still take gigabytes to decode (a decompression bomb)


def max_bytes() -> int:
    return int(settings.TECHISSUE_UPLOAD_MAX_BYTES)


def _head(upload: File) -> bytes:
    """The upload's bytes, reading at most one byte past the cap (a 30 MB file is not read to the end)."""
    upload.seek(0)
    data = upload.read(max_bytes() + 1)
    upload.seek(0)
    return data if isinstance(data, bytes) else data.encode()


def image_kind(upload: File) -> str:
    """The stored extension of an acceptable image; raises ValidationError in the editor's language otherwise.

    1. The size is capped by TECHISSUE_UPLOAD_MAX_BYTES (also when the upload claims a smaller size).
    2. SVG is refused: it is a document that can carry script, not a picture.
    3. Pillow must recognise and verify the content as JPEG, PNG, GIF or WebP, whatever the file is called
       (`shell.php.png` holding PHP is refused), within MAX_PIXELS.
    """
    data = _head(upload)
    limit_mb = max_bytes() / (1024 * 1024)
    if len(data) > max_bytes() or (upload.size or 0) > max_bytes():
        raise ValidationError(_("The image is larger than %(limit).0f MB.") % {"limit": limit_mb}, code="too_large")
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head:
        raise ValidationError(_("SVG images are not accepted: upload a PNG, JPEG, GIF or WebP."), code="svg")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as image:
                kind = image.format or ""
                width, height = image.size
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):  # fmt: skip
        raise ValidationError(
            _("This file is not an image that we can show: upload a PNG, JPEG, GIF or WebP."), code="not_image"
        ) from None
    if kind not in FORMATS or width * height > MAX_PIXELS:
        raise ValidationError(
            _("This file is not an image that we can show: upload a PNG, JPEG, GIF or WebP."), code="not_image"
        )
    return FORMATS[kind]


def validate_image(upload: Any) -> None:
    """The model field's validator: the admin's inline and the editor's upload share it."""
    image_kind(upload)


def _stored_kind(upload: Any, filename: str) -> str:
    """The extension to store under: the content's kind; the name's only when the content cannot be read."""
    try:
        return image_kind(upload.file)
    except (ValidationError, ValueError, AttributeError):
        suffix = filename.rpartition(".")[2].lower().replace("jpeg", "jpg")
        return suffix if suffix in CONTENT_TYPES else "bin"  # "bin" is never served (see media.py)


def generated_name(instance: Any, filename: str) -> str:
    """`editions/images/<random>.<kind>`: the uploader's file name never reaches the disk or a URL."""
    return f"editions/images/{uuid.uuid4().hex}.{_stored_kind(getattr(instance, 'file', None), filename)}"


def generated_cover_name(instance: Any, filename: str) -> str:
    return f"editions/covers/{uuid.uuid4().hex}.{_stored_kind(getattr(instance, 'cover_image', None), filename)}"
