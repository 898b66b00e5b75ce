"""What an integration office reports to its council, built from the anonymous daily counters.

Following the monitoring chapters of the Rostock and Koblenz integration concepts: demand per
topic and language, needs the region has no service for, the reach of the Lotsen links, the
services people were shown, interpreter requests per language and region, trends by week, and the
catalogue entries that need checking. Every count goes through ``Suppression`` so that the report
can be published.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from babel import Locale, UnknownLocaleError
from sqlmodel import Session, col, select

from bot.i18n import Translator, translator
from bot.lotsen.models import ReferralCode
from bot.monitoring.attention import entries_to_check, why_text
from bot.monitoring.models import DailyCount, Metric
from bot.monitoring.suppression import Key, Suppression
from bot.settings import LANGUAGES
from services_catalog.models import OwnerKind, Region
from services_catalog.queries import topic_names
from services_catalog.texts import Localizer, load_texts

ALL = "*"
STALE_AFTER_DAYS = 180


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[str, ...]
    values: tuple[int | None, ...]  # None where the count is hidden; for charts


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    total: Row | None = None
    note: str | None = None
    chart_column: int | None = None  # which column the HTML report draws as bars


@dataclass(frozen=True)
class CheckEntry:
    """A catalogue entry to check, as ``wegweiser catalogue stale`` lists it."""

    kind: str
    id: str
    title: str
    region: str  # the region's name
    reason: str  # in the report's language


@dataclass(frozen=True)
class Report:
    lang: str
    title: str
    period: str
    region: str | None
    summary: tuple[tuple[str, str], ...]
    tables: tuple[Table, ...]
    entries_to_check: tuple[CheckEntry, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    region_name: str | None = None
    entries_intro: str = ""

    @property
    def rtl(self) -> bool:
        return translator(self.lang).rtl


class _Counts:
    """The counters of the period summed per key, with the sums the tables print."""

    def __init__(self) -> None:
        self.suppression = Suppression()
        self.raw: dict[Key, int] = defaultdict(int)

    def add(self, key: Key, count: int) -> None:
        self.raw[key] += count

    def freeze(self) -> None:
        for key, value in self.raw.items():
            self.suppression.set(key, value)

    def cell(self, key: Key) -> tuple[str, int | None]:
        shown = self.suppression.show(key)
        return shown, None if self.suppression.is_hidden(key) else self.suppression.value(key)


def build_report(
    session: Session,
    start: date,
    end: date,
    today: date,
    region: str | None = None,
    lang: str = "de",
    stale_days: int = STALE_AFTER_DAYS,
) -> Report:
    """The report for the days ``start``..``end`` (both included), optionally for one region."""
    if end < start:
        raise ValueError("the report period ends before it starts")
    t = translator(lang)
    rows = _load(session, start, end, region)
    counts = _Counts()
    topics_seen: dict[str, None] = {}
    langs_seen: dict[str, None] = {}
    regions_seen: dict[str, None] = {}
    codes_seen: dict[str, None] = {}
    services_seen: dict[str, None] = {}
    interpreter_langs_seen: dict[str, None] = {}
    interpreter_regions_seen: dict[str, None] = {}
    weeks = _weeks(start, end)

    for row in rows:
        week = row.day - timedelta(days=row.day.weekday())
        metric = Metric(row.metric)
        if metric is Metric.QUESTION:
            topics_seen[row.topic] = langs_seen[row.lang] = None
            for key in _grid("q", row.topic, row.lang):
                counts.add(key, row.count)
            counts.add(("week", week, "q"), row.count)
        elif metric is Metric.UNMET_NEED:
            topics_seen[row.topic] = regions_seen[row.region] = None
            for key in _grid("unmet", row.topic, row.region):
                counts.add(key, row.count)
            counts.add(("week", week, "unmet"), row.count)
        elif metric is Metric.START:
            codes_seen[row.referral_code] = None
            counts.add(("start", row.referral_code), row.count)
            counts.add(("start", ALL), row.count)
            counts.add(("week", week, "start"), row.count)
        elif metric is Metric.INTERPRETER_REQUESTED:
            interpreter_langs_seen[row.lang] = interpreter_regions_seen[row.region] = None
            for key in _grid("itp", row.lang, row.region):
                counts.add(key, row.count)
        else:
            short = {
                Metric.CARD_SHOWN: "card",
                Metric.REMINDER_SUBSCRIBED: "rsub",
                Metric.REMINDER_SENT: "rsent",
            }[metric]
            services_seen[row.service_id] = None
            counts.add((short, row.service_id), row.count)
            counts.add((short, ALL), row.count)

    topic_label = topic_names(session, lang)
    topic_order = list(topic_label)
    topics = sorted(topics_seen, key=lambda s: (s not in topic_order, _index(topic_order, s), s))
    langs = sorted(langs_seen, key=lambda s: (_index(list(LANGUAGES), s), s))
    regions = sorted(regions_seen)
    codes = _codes(session, start, end, region, codes_seen, t)
    services = sorted(services_seen)
    locale = Locale.parse(lang)
    interpreter_label = {x: _language_name(x, locale, t) for x in interpreter_langs_seen}
    interpreter_langs = sorted(interpreter_label, key=lambda x: (interpreter_label[x], x))
    interpreter_regions = sorted(interpreter_regions_seen)

    s = counts.suppression
    _cross_sums(s, "q", topics, langs)
    _cross_sums(s, "unmet", topics, regions)
    _cross_sums(s, "itp", interpreter_langs, interpreter_regions)
    s.add_sum([("start", code) for code, _ in codes], ("start", ALL))
    for short in ("card", "rsub", "rsent"):
        s.add_sum([(short, service) for service in services], (short, ALL))
    for short, total in (("start", ("start", ALL)), ("q", ("q", ALL, ALL))):
        s.add_sum([("week", week, short) for week, _ in weeks], total)
    s.add_sum([("week", week, "unmet") for week, _ in weeks], ("unmet", ALL, ALL))
    counts.freeze()

    def row(label: str, keys: list[Key]) -> Row:
        cells = [counts.cell(key) for key in keys]
        return Row(label, tuple(c[0] for c in cells), tuple(c[1] for c in cells))

    def crosstab(
        name: str,
        title: str,
        metric: str,
        rows: list[tuple[str, str]],
        columns: list[tuple[str, str]],
        note: str | None = None,
    ) -> Table:
        """A metric counted per row key × column key, with totals for each row and column."""
        keys = [key for key, _ in columns]
        return Table(
            name=name,
            title=title,
            note=note,
            columns=(*[label for _, label in columns], total_label),
            rows=tuple(
                row(label, [*[(metric, key, c) for c in keys], (metric, key, ALL)])
                for key, label in rows
            ),
            total=row(total_label, [*[(metric, ALL, c) for c in keys], (metric, ALL, ALL)]),
            chart_column=len(keys),
        )

    lang_label = {x: _language_name(x, locale, t) for x in langs}
    region_names = _region_names(session)
    region_label = {
        r: region_names.get(r, r) or t.gettext("no region chosen")
        for r in (*regions, *interpreter_regions)
    }
    topic_text = {topic: topic_label.get(topic, topic) for topic in topics}
    total_label = t.gettext("Total")

    demand = crosstab(
        "demand",
        t.gettext("Questions per topic and language"),
        "q",
        [(topic, topic_text[topic]) for topic in topics],
        [(x, lang_label[x]) for x in langs],
    )
    unmet_topics = [topic for topic in topics if counts.raw.get(("unmet", topic, ALL))]
    unmet = crosstab(
        "unmet",
        t.gettext("Questions without a service in the region"),
        "unmet",
        [(topic, topic_text[topic]) for topic in unmet_topics],
        [(r, region_label[r]) for r in regions],
        note=t.gettext(
            "These topics were asked about, but the catalogue has no service for them in the "
            "region: a hint where offers are missing or not yet listed."
        ),
    )
    reach = Table(
        name="reach",
        title=t.gettext("Conversations started per Lotsen link"),
        note=t.gettext("Links and QR codes of the integration guides; retired links are marked."),
        columns=(t.gettext("Conversations"),),
        rows=tuple(row(label, [("start", code)]) for code, label in codes),
        total=row(total_label, [("start", ALL)]),
        chart_column=0,
    )
    service_title = _titles(session, OwnerKind.SERVICE, services, lang)
    service_table = Table(
        name="services",
        title=t.gettext("Services shown and reminders"),
        columns=(
            t.gettext("Service cards shown"),
            t.gettext("Reminders subscribed"),
            t.gettext("Reminders sent"),
        ),
        rows=tuple(
            row(service_title[service], [("card", service), ("rsub", service), ("rsent", service)])
            for service in services
        ),
        total=row(total_label, [("card", ALL), ("rsub", ALL), ("rsent", ALL)]),
        chart_column=0,
    )
    interpreters = crosstab(
        "interpreters",
        t.gettext("Interpreter requests per language and region"),
        "itp",
        [(x, interpreter_label[x]) for x in interpreter_langs],
        [(r, region_label[r]) for r in interpreter_regions],
        note=t.gettext(
            "Requests sent to the community interpreter pools, by the language an interpreter "
            "was needed for: a hint which languages the pools should find interpreters for."
        ),
    )
    trend = Table(
        name="weeks",
        title=t.gettext("Trend by week"),
        columns=(
            t.gettext("Conversations"),
            t.gettext("Questions"),
            t.gettext("Without a service"),
        ),
        rows=tuple(
            row(label, [("week", week, "start"), ("week", week, "q"), ("week", week, "unmet")])
            for week, label in _week_labels(weeks, t)
        ),
        total=row(total_label, [("start", ALL), ("q", ALL, ALL), ("unmet", ALL, ALL)]),
        chart_column=1,
    )
    summary = tuple(
        (label, counts.cell(key)[0])
        for label, key in (
            (t.gettext("Conversations started"), ("start", ALL)),
            (t.gettext("Questions"), ("q", ALL, ALL)),
            (t.gettext("Questions without a service in the region"), ("unmet", ALL, ALL)),
            (t.gettext("Service cards shown"), ("card", ALL)),
            (t.gettext("Reminders subscribed"), ("rsub", ALL)),
            (t.gettext("Reminders sent"), ("rsent", ALL)),
            (t.gettext("Interpreter requests"), ("itp", ALL, ALL)),
        )
    )
    attention = entries_to_check(session, today, days=stale_days, region=region)
    check_titles = {
        kind: _titles(session, kind, [e.id for e in attention if e.kind == kind], lang)
        for kind in (OwnerKind.SERVICE, OwnerKind.COURSE)
    }
    checks = tuple(
        CheckEntry(
            kind=entry.kind,
            id=entry.id,
            title=check_titles[entry.kind].get(entry.id, entry.title),
            region=region_names.get(entry.region, entry.region),
            reason=why_text(entry, t),
        )
        for entry in attention
    )
    return Report(
        lang=lang,
        title=t.gettext("Wegweiser: monitoring report"),
        period=t.gettext("{start} to {end}").format(
            start=t.date(start, "long"), end=t.date(end, "long")
        ),
        region=region,
        region_name=region_names.get(region, region) if region else None,
        entries_intro=t.ngettext(
            "{count} catalogue entry was reported as wrong, has not been checked for a long "
            "time, or its offer ends soon or has ended:",
            "{count} catalogue entries were reported as wrong, have not been checked for a long "
            "time, or their offers end soon or have ended:",
            len(checks),
        ).format(count=t.number(len(checks))),
        summary=summary,
        tables=(demand, unmet, reach, service_table, interpreters, trend),
        entries_to_check=checks,
        notes=(
            t.gettext(
                "All numbers are anonymous daily counts: the bot stores no names, no user ids and "
                "no message texts for them."
            ),
            t.gettext(
                "Counts from 1 to 4 are shown as “<5” so that no one can be singled out. Where "
                "a small count could be worked out from a total, a larger one is hidden too and "
                "shown as “≥5”."
            ),
        ),
    )


def _load(session: Session, start: date, end: date, region: str | None) -> list[DailyCount]:
    query = select(DailyCount).where(col(DailyCount.day) >= start, col(DailyCount.day) <= end)
    if region is not None:
        query = query.where(DailyCount.region == region)
    return list(session.exec(query))


def _grid(name: str, row: str, column: str) -> list[Key]:
    """A cell of a two-way table and the margins it adds to."""
    return [(name, row, column), (name, row, ALL), (name, ALL, column), (name, ALL, ALL)]


def _index(order: list[str], item: str) -> int:
    return order.index(item) if item in order else len(order)


def _weeks(start: date, end: date) -> list[tuple[date, tuple[date, date]]]:
    """Monday of each week touching the period, with the days of the period inside it."""
    weeks = []
    monday = start - timedelta(days=start.weekday())
    while monday <= end:
        weeks.append((monday, (max(monday, start), min(monday + timedelta(days=6), end))))
        monday += timedelta(days=7)
    return weeks


def _week_labels(
    weeks: list[tuple[date, tuple[date, date]]], t: Translator
) -> list[tuple[date, str]]:
    return [
        (
            monday,
            t.gettext("Week {number} ({first} – {last})").format(
                number=monday.isocalendar().week,
                first=t.date(first, "short"),
                last=t.date(last, "short"),
            ),
        )
        for monday, (first, last) in weeks
    ]


def _language_name(lang: str, locale: Locale, t: Translator) -> str:
    """The language's name in the report's language; the code beside a name CLDR only lists.

    People may ask for any of hundreds of languages, and Babel has locale data for only some
    of them (none for Romani ``rom`` or Egyptian Arabic ``arz``).
    """
    if not lang:
        return t.gettext("language unknown")
    try:
        return Locale.parse(lang).get_display_name(locale) or lang
    except (ValueError, LookupError, UnknownLocaleError):
        name = locale.languages.get(lang)
        return f"{name} ({lang})" if name else lang


def _codes(
    session: Session,
    start: date,
    end: date,
    region: str | None,
    seen: dict[str, None],
    t: Translator,
) -> list[tuple[str, str]]:
    """(code, label) of the codes live in the period (and region), then the starts without one."""
    codes = {code.code: code for code in session.exec(select(ReferralCode))}
    chosen = {
        code.code: code
        for code in codes.values()
        if code.created_at.date() <= end
        and (code.retired_at is None or code.retired_at.date() >= start)
        and (region is None or code.region in (region, None))
    }
    chosen |= {value: codes[value] for value in seen if value in codes}
    ordered = sorted(chosen.values(), key=lambda code: (code.label.casefold(), code.code))
    rows = []
    for code in ordered:
        label = f"{code.label} ({code.code})"
        if code.retired_at is not None:
            label += " – " + t.gettext("retired")
        rows.append((code.code, label))
    return [*rows, ("", t.gettext("Without a Lotsen link"))]


def _titles(session: Session, kind: str, ids: list[str], lang: str) -> dict[str, str]:
    """Titles in the report's language where translated (German otherwise)."""
    texts = load_texts(session, kind, ids)
    localizer = Localizer(lang)
    return {sid: localizer.pick(texts[sid]["title"], "title") or sid for sid in ids}


def _region_names(session: Session) -> dict[str, str]:
    """Each region's proper name by slug, as councils know it."""
    return dict(session.exec(select(Region.slug, Region.name)).all())


def _cross_sums(s: Suppression, metric: str, rows: list[str], columns: list[str]) -> None:
    """Tell suppression which cells add up to which totals, so no small count can be derived."""
    for key in rows:
        s.add_sum([(metric, key, c) for c in columns], (metric, key, ALL))
    for c in columns:
        s.add_sum([(metric, key, c) for key in rows], (metric, ALL, c))
    s.add_sum([(metric, ALL, c) for c in columns], (metric, ALL, ALL))
    s.add_sum([(metric, key, ALL) for key in rows], (metric, ALL, ALL))
