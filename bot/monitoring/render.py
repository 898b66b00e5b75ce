"""The report as Markdown (to paste into a council paper), CSV (for spreadsheets) and HTML."""

from __future__ import annotations

import csv
import io

from jinja2 import Environment, PackageLoader, select_autoescape

from bot.i18n import translator
from bot.monitoring.charts import bar_chart
from bot.monitoring.escaping import markdown, spreadsheet_cell
from bot.monitoring.report import Report

FORMATS = ("md", "csv", "html")

_environment = Environment(
    loader=PackageLoader("bot.monitoring", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_environment.filters["md"] = markdown
_environment.globals["bar_chart"] = bar_chart


def render(report: Report, fmt: str) -> str:
    if fmt == "csv":
        return render_csv(report)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    template = _environment.get_template(f"report.{fmt}.j2")
    return template.render(report=report, t=translator(report.lang))


def render_csv(report: Report) -> str:
    """One count per line (section, row, column, value): easy to filter and pivot."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    t = translator(report.lang)

    def write(*cells: object) -> None:
        writer.writerow([spreadsheet_cell(cell) for cell in cells])

    write(t.gettext("Section"), t.gettext("Row"), t.gettext("Column"), t.gettext("Value"))
    for label, shown in report.summary:
        write(t.gettext("Summary"), label, "", shown)
    for table in report.tables:
        rows = [*table.rows, table.total] if table.total else list(table.rows)
        for row in rows:
            for column, shown in zip(table.columns, row.cells, strict=True):
                write(table.title, row.label, column, shown)
    for entry in report.entries_to_check:
        write(t.gettext("Entries to check"), entry.id, entry.title, entry.reason)
    return buffer.getvalue()
