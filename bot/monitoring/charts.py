"""Horizontal bar charts as inline SVG, so the HTML report is one file that needs no script.

A hidden count gets a short hatched stub instead of a bar, so its length gives nothing away.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from bot.monitoring.report import Table

WIDTH = 640
LABEL_WIDTH = 240
VALUE_WIDTH = 48
BAR_HEIGHT = 20
GAP = 8
STUB = 10
LABEL_CHARS = 34  # what fits LABEL_WIDTH; the table beside the chart has the full label


def bar_chart(table: Table) -> Markup:
    """The chart of ``table.chart_column``, one bar per row; empty when there is nothing to draw."""
    if table.chart_column is None or not table.rows:
        return Markup("")
    column = table.chart_column
    bars = [(_short(row.label), row.values[column], row.cells[column]) for row in table.rows]
    largest = max((value for _, value, _ in bars if value), default=0)
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    pattern = f"hidden-{table.name}"
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}">',
        f"<title>{escape(table.title)}: {escape(table.columns[column])}</title>",
        f'<defs><pattern id="{pattern}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="3" height="6" fill="#9aa5b1"/>'
        "</pattern></defs>",
    ]
    for index, (label, value, shown) in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        middle = y + BAR_HEIGHT / 2
        if value is None:
            length, fill = STUB, f"url(#{pattern})"
        else:
            length, fill = (room * value / largest if largest else 0), "#2f6f9f"
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" '
            f'dominant-baseline="middle" font-size="13">{escape(label)}</text>'
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{fill}"/>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{middle}" dominant-baseline="middle" '
            f'font-size="13">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
