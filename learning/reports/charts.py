"""Charts drawn on the server as inline SVG: a bar chart, a funnel and a trend over time.

No script, no external file. Each chart is an image with a title and a description
(``role="img"``, ``<title>``, ``<desc>``); the page puts the same numbers in a table beside it.
Suppressed numbers get no bar and no point, only their mark ("< 5", "x"), so a chart never shows
more than its table.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from learning.reports.suppression import Cell

WIDTH = 560  # viewBox units; charts scale to their column
# At least 3:1 against white (WCAG 1.4.11); lines also differ by dash and marker.
COLOURS = ["#1d4e89", "#a3114f", "#0f6b3f", "#8a4b00", "#5b2a86", "#22577a"]
DASHES = ["", "6 3", "2 3", "9 3 2 3", "4 2 4 6", "1 2"]
TEXT = "#262626"
GRID = "#c8c8c8"


@dataclass(frozen=True)
class Series:
    label: str
    cells: Sequence[Cell]


def _svg(
    chart_id: str, title: str, description: str, height: float, body: list[str], width: int = WIDTH
) -> SafeString:
    head = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" '
        'aria-labelledby="{0}-title {0}-desc" viewBox="0 0 {1} {2}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" focusable="false">'
        '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>',
        chart_id,
        width,
        _n(height),
        title,
        description,
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every part is escaped above or below


def _n(value: float) -> str:
    """Coordinates with at most one decimal, as short as possible."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _clip(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _text(
    x: float, y: float, content: str, *, anchor: str = "start", size: int = 13, weight: str = "normal"
) -> str:
    return format_html(
        '<text x="{}" y="{}" text-anchor="{}" font-size="{}" font-weight="{}" fill="{}">{}</text>',
        _n(x),
        _n(y),
        anchor,
        size,
        weight,
        TEXT,
        content,
    )


def bar_chart(chart_id: str, title: str, description: str, bars: Sequence[tuple[str, Cell]]) -> SafeString:
    """Horizontal bars, one per row, longest scale at the largest published value."""
    width, label_width, bar_left, bar_space, row = 520, 196, 204, 250, 30
    top = 8
    largest = max((cell.shown_value or 0 for _label, cell in bars), default=0) or 1
    body = []
    for i, (label, cell) in enumerate(bars):
        y = top + i * row
        body.append(_text(label_width, y + 17, _clip(label, 22), anchor="end"))
        bar_width = 0.0
        if cell.shown_value:
            bar_width = max(cell.shown_value / largest * bar_space, 1.5)
            body.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="20" fill="{}"></rect>',
                    bar_left,
                    _n(y + 2),
                    _n(bar_width),
                    COLOURS[0],
                )
            )
        body.append(_text(bar_left + bar_width + 6, y + 17, cell.text(), weight="bold"))
    return _svg(chart_id, title, description, top * 2 + row * max(len(bars), 1), body, width)


def funnel_chart(
    chart_id: str, title: str, description: str, steps: Sequence[tuple[str, Cell]]
) -> SafeString:
    """Centred bars narrowing stage by stage; the label and the number sit above each bar."""
    width = 440
    centre, space, row = width / 2, width - 20, 58
    largest = max((cell.shown_value or 0 for _label, cell in steps), default=0) or 1
    body = []
    for i, (label, cell) in enumerate(steps):
        y = 6 + i * row
        body.append(_text(centre, y + 16, f"{label}: {cell.text()}", anchor="middle", size=16, weight="bold"))
        if cell.shown_value:
            bar = max(cell.shown_value / largest * space, 2)
            body.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="28" rx="3" fill="{}"></rect>',
                    _n(centre - bar / 2),
                    _n(y + 22),
                    _n(bar),
                    COLOURS[i % len(COLOURS)],
                )
            )
    return _svg(chart_id, title, description, 8 + row * max(len(steps), 1), body, width)


def nice_ceiling(value: int) -> int:
    """The axis top: 1, 2 or 5 times a power of ten, at least the value."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def _marker(kind: int, x: float, y: float, colour: str) -> str:
    shape = kind % 4
    if shape == 0:
        return format_html('<circle cx="{}" cy="{}" r="4" fill="{}"></circle>', _n(x), _n(y), colour)
    if shape == 1:
        return format_html(
            '<rect x="{}" y="{}" width="8" height="8" fill="{}"></rect>', _n(x - 4), _n(y - 4), colour
        )
    if shape == 2:
        points = f"{_n(x)},{_n(y - 5)} {_n(x + 5)},{_n(y + 4)} {_n(x - 5)},{_n(y + 4)}"
        return format_html('<polygon points="{}" fill="{}"></polygon>', points, colour)
    points = f"{_n(x)},{_n(y - 5)} {_n(x + 5)},{_n(y)} {_n(x)},{_n(y + 5)} {_n(x - 5)},{_n(y)}"
    return format_html('<polygon points="{}" fill="{}"></polygon>', points, colour)


def trend_chart(
    chart_id: str, title: str, description: str, labels: Sequence[str], series: Sequence[Series]
) -> SafeString:
    """Lines over time; a suppressed month breaks the line and gets no marker."""
    width = 560
    left, right, top, plot_height = 52, width - 34, 14, 200
    bottom = top + plot_height
    largest = nice_ceiling(max((cell.shown_value or 0 for s in series for cell in s.cells), default=0))
    step = (right - left) / max(len(labels) - 1, 1)

    def x_at(i: int) -> float:
        return left + i * step if len(labels) > 1 else (left + right) / 2

    def y_at(value: int) -> float:
        return bottom - value / largest * plot_height

    body = []
    for tick in range(5):
        value = largest * tick / 4
        y = y_at(value)
        body.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"></line>',
                left,
                _n(y),
                right,
                _n(y),
                GRID,
            )
        )
        body.append(_text(left - 6, y + 5, _n(value), anchor="end", size=13))
    every = max(1, math.ceil(len(labels) / 6))
    for i, label in enumerate(labels):
        if (len(labels) - 1 - i) % every == 0:  # counted from the latest month, which is always shown
            body.append(_text(x_at(i), bottom + 20, label, anchor="middle", size=13))
    for number, line in enumerate(series):
        colour, dash = COLOURS[number % len(COLOURS)], DASHES[number % len(DASHES)]
        segments: list[list[tuple[float, float]]] = [[]]
        for i, cell in enumerate(line.cells):
            if cell.shown_value is None:
                segments.append([])
                continue
            point = (x_at(i), y_at(cell.shown_value))
            segments[-1].append(point)
            body.append(_marker(number, *point, colour))
        for segment in segments:
            if len(segment) > 1:
                body.append(
                    format_html(
                        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5" stroke-dasharray="{}"></polyline>',
                        " ".join(f"{_n(x)},{_n(y)}" for x, y in segment),
                        colour,
                        dash or "none",
                    )
                )
    legend_top = bottom + 40
    for number, line in enumerate(series):
        colour, dash = COLOURS[number % len(COLOURS)], DASHES[number % len(DASHES)]
        x = 12 + (number % 2) * 270
        y = legend_top + (number // 2) * 24
        body.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2.5" stroke-dasharray="{}"></line>',
                x,
                y,
                x + 28,
                y,
                colour,
                dash or "none",
            )
        )
        body.append(_marker(number, x + 14, y, colour))
        body.append(_text(x + 36, y + 5, _clip(line.label, 26)))
    height = legend_top + 24 * math.ceil(max(len(series), 1) / 2)
    return _svg(chart_id, title, description, height, body, width)


def describe(items: Sequence[tuple[str, Cell]]) -> str:
    """A one-line text description for a chart's <desc>: "Hà Nội 120; Huế < 5; …"."""
    return "; ".join(f"{label} {cell.text()}" for label, cell in items) if items else ""
