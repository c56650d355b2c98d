"""Charts drawn as SVG on the server: no chart library, nothing to run in the browser."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.html import format_html
from django.utils.safestring import SafeString


def line_chart_svg(
    points: Sequence[tuple[date, int]], label: str, width: int = 640, height: int = 180, pad: int = 30
) -> SafeString:
    """A line with a shaded area, its first, middle and last dates, and its top and bottom values."""
    if not points:
        return format_html('<svg role="img" aria-label="{}" viewBox="0 0 {} {}"></svg>', label, width, height)
    values = [value for _day, value in points]
    low, high = min(values), max(values)
    span = (high - low) or 1
    step = (width - 2 * pad) / max(1, len(points) - 1)

    def xy(index: int, value: int) -> tuple[float, float]:
        return pad + index * step, height - pad - (value - low) / span * (height - 2 * pad)

    coords = [xy(i, v) for i, v in enumerate(values)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    base = height - pad
    area = f"{coords[0][0]:.1f},{base} {line} {coords[-1][0]:.1f},{base}"
    ticks = sorted({0, len(points) // 2, len(points) - 1})
    labels = "".join(
        str(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle">{}</text>',
                f"{coords[i][0]:.1f}",
                height - 8,
                points[i][0].strftime("%m-%d"),
            )
        )
        for i in ticks
    )
    return format_html(
        '<svg role="img" aria-label="{label}" viewBox="0 0 {w} {h}" preserveAspectRatio="none">'
        "<title>{label}</title>"
        '<line class="axis" x1="{pad}" y1="{base}" x2="{right}" y2="{base}"/>'
        '<polygon class="area" points="{area}"/><polyline class="line" points="{line}"/>'
        '<text x="{pad}" y="{top}" text-anchor="start">{high}</text>'
        '<text x="{pad}" y="{lowy}" text-anchor="start">{low}</text>{labels}</svg>',
        label=label,
        w=width,
        h=height,
        pad=pad,
        base=base,
        right=width - pad,
        area=area,
        line=line,
        top=pad - 10,
        high=high,
        lowy=base - 4,
        low=low,
        labels=SafeString(labels),
    )
