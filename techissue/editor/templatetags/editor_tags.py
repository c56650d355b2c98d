"""Template filters of the editor's area: score parts and language lists."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def get_part(parts: object, key: str) -> str:
    """One score part, two decimals; a missing part reads 0.00."""
    value = parts.get(key, 0) if isinstance(parts, dict) else 0
    try:
        return f"{float(value):.2f}"
    except (TypeError, ValueError):
        return "0.00"


@register.filter
def langs(value: str) -> list[str]:
    return [lang for lang in (value or "").split(",") if lang]


@register.filter
def clean_article(html: str) -> str:
    """An article's stored HTML, sanitised again on the way out (allow-list, no scripts, no handlers)."""
    from django.utils.safestring import mark_safe

    from techissue.sources.sanitize import clean_html

    return mark_safe(clean_html(html or ""))  # clean_html is nh3's allow-list
