"""Inline SVG charts for the static report: stacked bars with a readable axis, gaps and an honest legend.

No scripts and no libraries: the report must open from disk anywhere. Three rules a reader relies on:
a category with nothing to draw keeps its slot and says why (a year without reports is a gap, not a
vanished year); the value axis has round ticks with grid lines, not only 0 and the maximum; the legend lists
only series that have a visible bar, and names the ones left out.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 240, 56, 30, 14


@dataclass(frozen=True)
class Series:
    """One stacked layer: its name, colour and a value per category (None: not stated)."""

    name: str
    colour: str
    values: Sequence[float | None]


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def nice_ticks(peak: float, target: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``peak``: steps of 1, 2 or 5 times a power of ten.

    >>> nice_ticks(154)
    [0, 50, 100, 150, 200]
    """
    if peak <= 0:
        return [0, 1]
    raw = peak / max(target - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(step, 1)
    count = math.ceil(peak / step)
    return [step * i for i in range(count + 1)]


def _label(value: float, percent: bool) -> str:
    return f"{value:.0%}" if percent else f"{value:,.0f}"


def stacked_bars(
    title: str,
    categories: Sequence[object],
    series: Sequence[Series],
    *,
    percent: bool = False,
    missing: dict[object, str] | None = None,
) -> str:
    """A figure with one stacked bar per category (share of the bar's total when ``percent``).

    Args:
        title: the caption.
        categories: the x axis, in order; every one keeps its slot.
        series: the stacked layers; a None or zero value draws nothing.
        percent: each bar is its category's total split into shares, on a 0–100 % axis.
        missing: why a category has no bar (e.g. "no report"); drawn as a dashed empty slot with that text.

    Returns:
        ``<figure>`` HTML; bars carry ``data-category``, ``data-series`` and ``data-value``, empty slots
        ``data-missing``, ticks ``data-tick``.
    """
    missing = missing or {}
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    ticks = [0, 0.25, 0.5, 0.75, 1.0] if percent else nice_ticks(max(totals, default=0))
    scale = ticks[-1] or 1
    slot = (WIDTH - LEFT - 8) / max(len(categories), 1)
    bar = max(min(slot * 0.7, 48), 2)
    label_every = max(1, math.ceil(len(categories) / 24))
    parts = [
        f'<svg role="img" aria-label="{_e(title)}" viewBox="0 0 {WIDTH} {HEIGHT + BOTTOM + TOP}" '
        f'width="{WIDTH}" height="{HEIGHT + BOTTOM + TOP}" class="chart">'
    ]
    for tick in ticks:
        y = TOP + HEIGHT - HEIGHT * tick / scale
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH}" y2="{y:.1f}" '
            f'stroke="{"#444" if tick == 0 else "#e3e3e3"}"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="axis" data-tick="{tick}">'
            f"{_label(tick, percent)}</text>"
        )
    drawn: set[str] = set()
    for i, category in enumerate(categories):
        x = LEFT + i * slot + (slot - bar) / 2
        y = TOP + HEIGHT
        denominator = totals[i] if percent else scale
        if category in missing:
            parts.append(
                f'<rect x="{x:.1f}" y="{TOP}" width="{bar:.1f}" height="{HEIGHT}" '
                f'class="gap" data-missing="{_e(missing[category])}" data-category="{_e(category)}">'
                f"<title>{_e(category)}: {_e(missing[category])}</title></rect>"
            )
        elif not totals[i]:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{TOP + HEIGHT - 4}" text-anchor="middle" class="axis">0</text>'
            )
        for layer in series:
            value = layer.values[i]
            if not value or not denominator:
                continue
            h = HEIGHT * value / denominator
            y -= h
            drawn.add(layer.name)
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{layer.colour}" '
                f'data-category="{_e(category)}" data-series="{_e(layer.name)}" data-value="{value}">'
                f"<title>{_e(category)} · {_e(layer.name)}: {value:,}</title></rect>"
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{TOP + HEIGHT + 16}" text-anchor="middle" class="axis">'
                f"{_e(category)}</text>"
            )
    parts.append("</svg>")
    legend = "".join(
        f'<span class="key" data-legend="{_e(s.name)}"><i style="background:{s.colour}"></i>{_e(s.name)}</span>'
        for s in series
        if s.name in drawn
    )
    if any(missing.get(c) for c in categories):
        legend += '<span class="key"><i class="gap"></i>shaded: nothing to draw (hover for why)</span>'
    hidden = [s.name for s in series if s.name not in drawn]
    note = f'<div class="note">not drawn (no non-zero value): {_e(", ".join(hidden))}</div>' if hidden else ""
    caption = f"<figcaption>{_e(title)}</figcaption>"
    return f'<figure>{caption}{"".join(parts)}<div class="legend">{legend}</div>{note}</figure>'
