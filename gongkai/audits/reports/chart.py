"""A small bar chart of broken counts per month as inline SVG: no inline styles (classes only), a
title and description for screen readers, and the same numbers in a table beside it."""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD, LABEL = 600, 200, 30, 40


def trend_svg(points: list[tuple[str, int]], title: str, description: str) -> Markup:
    if not points:
        return Markup("")
    top = max(value for _, value in points) or 1
    step = (WIDTH - 2 * PAD) / len(points)
    bar = step * 0.6
    parts = [f'<svg class="trend" viewBox="0 0 {WIDTH} {HEIGHT + LABEL}" role="img" aria-labelledby="trend-title trend-desc" '
             f'focusable="false" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="trend-title">{escape(title)}</title><desc id="trend-desc">{escape(description)}</desc>',
             f'<line class="axis" x1="{PAD}" y1="{HEIGHT}" x2="{WIDTH - PAD}" y2="{HEIGHT}"/>']
    for index, (month, value) in enumerate(points):
        height = (HEIGHT - PAD) * value / top
        x = PAD + index * step + (step - bar) / 2
        parts.append(f'<rect class="bar" x="{x:.1f}" y="{HEIGHT - height:.1f}" width="{bar:.1f}" height="{height:.1f}"/>')
        parts.append(f'<text class="value" x="{x + bar / 2:.1f}" y="{HEIGHT - height - 6:.1f}" text-anchor="middle">{value}</text>')
        parts.append(f'<text class="month" x="{x + bar / 2:.1f}" y="{HEIGHT + 24}" text-anchor="middle">{escape(month)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
