"""Small inline-SVG bar charts for the review index (rendered at build time, no JS, no CDN)."""
from __future__ import annotations

import html

PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1"]


def _human(v: float) -> str:
    for div, suffix in ((1e9, " mrd"), (1e6, " mill"), (1e3, " k")):
        if abs(v) >= div:
            return f"{v / div:.1f}{suffix}"
    return f"{v:g}"


def bar_chart(items: list[tuple[str, float]], width: int = 460, bar_h: int = 18) -> str:
    """Horizontal bars, one per (label, value)."""
    if not items:
        return '<svg width="460" height="24" role="img"><text x="4" y="16" font-size="12">no data</text></svg>'
    top = max(v for _, v in items) or 1
    label_w, h = 180, bar_h * len(items) + 8
    parts = [f'<svg width="{width}" height="{h}" role="img" font-size="11">']
    for i, (label, v) in enumerate(items):
        y = 4 + i * bar_h
        w = (width - label_w - 50) * v / top
        parts.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{html.escape(str(label)[:30])}</text>'
                     f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{bar_h - 5}" fill="{PALETTE[0]}"/>'
                     f'<text x="{label_w + w + 4:.1f}" y="{y + 13}">{_human(v)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def grouped_bar_chart(values: dict[tuple[str, str], float], width: int = 460) -> str:
    """Vertical bars per (group, series): here (year, currency) -> total."""
    if not values:
        return bar_chart([])
    groups = sorted({g for g, _ in values})
    series = sorted({s for _, s in values})
    top = max(values.values()) or 1
    height, base, left = 220, 190, 10
    slot = (width - left) / len(groups)
    bw = max(4.0, (slot - 10) / len(series))
    parts = [f'<svg width="{width}" height="{height + 20 * ((len(series) + 3) // 4)}" role="img" font-size="11">']
    for gi, g in enumerate(groups):
        x0 = left + gi * slot
        for si, s in enumerate(series):
            v = values.get((g, s))
            if not v:
                continue
            h = (base - 30) * v / top
            x = x0 + si * bw
            parts.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bw - 1:.1f}" height="{h:.1f}" '
                         f'fill="{PALETTE[si % len(PALETTE)]}"><title>{html.escape(g)} {html.escape(s)}: {_human(v)}</title></rect>')
        parts.append(f'<text x="{x0 + slot / 2 - 5:.1f}" y="{base + 14}" text-anchor="middle">{html.escape(g)}</text>')
    for si, s in enumerate(series):
        x, y = left + (si % 4) * 110, height + 4 + 20 * (si // 4)
        parts.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{PALETTE[si % len(PALETTE)]}"/>'
                     f'<text x="{x + 14}" y="{y}">{html.escape(s)}</text>')
    parts.append("</svg>")
    return "".join(parts)
