"""Service cards and course dates as text: what, for whom, where, when, how to reach, languages,
cost. A fact the catalogue does not have is left out, never filled in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.core.dialogue import hours, open_now
from bot.core.dialogue.bidi import ltr
from bot.core.dialogue.languages import name_in
from bot.core.dialogue.reach import NextSteps, reachable
from bot.core.messages import Span, Style
from bot.i18n import Translator
from services_catalog.views import Address, CourseView, ServiceView


def address_line(address: Address, lang: str) -> str | None:
    """ "Street, postcode city (district)", from the parts the catalogue has."""
    town = " ".join(part for part in (address.postcode, address.city) if part)
    line = ", ".join(part for part in (address.street, town) if part)
    if address.district:
        line = f"{line} ({address.district})" if line else address.district
    return ltr(line, lang) if line else None


def title(view: ServiceView | CourseView, lang: str) -> str:
    """The title; one shown in German inside Arabic or Persian text is kept left to right."""
    return ltr(view.title, lang) if "title" in view.fallback_fields else view.title


def target_group(view: ServiceView, t: Translator) -> str | None:
    parts = []
    if view.women_only:
        parts.append(t.gettext("for women"))
    if view.min_age is not None and view.max_age is not None:
        parts.append(t.gettext("aged {low} to {high}").format(low=view.min_age, high=view.max_age))
    elif view.min_age is not None:
        parts.append(t.gettext("aged {low} and older").format(low=view.min_age))
    elif view.max_age is not None:
        parts.append(t.gettext("up to age {high}").format(high=view.max_age))
    if view.target_notes:
        parts.append(view.target_notes)
    return "; ".join(parts) if parts else None


def _online_line(view: ServiceView, t: Translator) -> str | None:
    if not view.online_counselling:
        return None
    return "💬 " + t.gettext("Online counselling: {link}").format(
        link=ltr(view.online_counselling, t.lang)
    )


def _contact_lines(view: ServiceView, t: Translator) -> list[str]:
    lang = t.lang
    online = _online_line(view, t)
    lines = []
    if view.phone:
        lines.append(f"☎️ {ltr(view.phone, lang)}")
    if view.email:
        lines.append(f"✉️ {ltr(view.email, lang)}")
    if view.website:
        lines.append(f"🌐 {ltr(view.website, lang)}")
    if online:
        lines.append(online)
    if view.appointment_url:
        lines.append(
            "📅 "
            + t.gettext("Book an appointment: {link}").format(link=ltr(view.appointment_url, lang))
        )
    return lines


def main_contact(view: ServiceView, lang: str) -> str | None:
    """The one contact a line in a list shows: the quickest way to a person first."""
    found = (
        view.phone,
        view.online_counselling,
        view.website,
        view.email,
        view.appointment_url,
    )
    contact = next((item for item in found if item), None)
    return ltr(contact, lang) if contact else None


def offer_line(view: ServiceView, t: Translator) -> str:
    """An offer of another service in one line: its title and its quickest contact."""
    contact = main_contact(view, t.lang)
    line = title(view, t.lang)
    target = target_group(view, t) if view.nationwide else None
    if target:
        line += f" ({target})"
    return f"{line}: {contact}" if contact else line


def nationwide_lines(views: Sequence[ServiceView], t: Translator) -> list[str]:
    """The nationwide offers after the local ones, labelled so nobody takes them for local."""
    if not views:
        return []
    heading = "🌐 " + t.gettext("Nationwide, by phone or online:")
    return [heading] + [f"   • {offer_line(view, t)}" for view in views]


def next_step_lines(steps: NextSteps, t: Translator) -> list[str]:
    """For a card that leads to nobody: say so plainly, then who can be reached instead."""
    lines = ["ℹ️ " + t.gettext("No contact details are known for this offer.")]
    others = []
    if steps.provider_website:
        others.append(
            t.gettext("Website of the provider: {link}").format(
                link=ltr(steps.provider_website, t.lang)
            )
        )
    others += [
        t.gettext("General counselling here: {offer}").format(offer=offer_line(view, t))
        for view in steps.general
    ]
    if others or steps.nationwide:
        lines.append(t.gettext("You can reach these instead:"))
    lines += [f"   ➡️ {line}" for line in others]
    return lines


def closed_line(view: ServiceView, t: Translator) -> str:
    if view.closed_until:
        return "⛔ " + t.gettext("Temporarily closed until {date}.").format(
            date=t.date(view.closed_until, "long")
        )
    return "⛔ " + t.gettext("Temporarily closed.")


def _labelled(label: str, value: str | None) -> list[str]:
    return [f"{label} {value}"] if value else []


def service_card(
    view: ServiceView,
    t: Translator,
    now: datetime | None = None,
    steps: NextSteps | None = None,
) -> list[Span]:
    """The card's text: the title in bold, then one fact per line; with ``now``, whether the
    service is open at this moment (a card shared into another chat leaves that out: it would
    soon be wrong); with ``steps``, who else can be reached."""
    lang = t.lang
    lines: list[str] = []
    if view.nationwide:
        lines.append("🌐 " + t.gettext("Nationwide offer, by phone or online"))
    today = now.date() if now else None
    closed = today is not None and view.closed_on(today)
    if closed:
        lines.append(closed_line(view, t))
    if view.description:
        lines.append(view.description)
    if view.provider_name:
        lines.append(t.gettext("Provider: {name}").format(name=ltr(view.provider_name, lang)))
    lines += _labelled("👥 " + t.gettext("For whom:"), target_group(view, t))
    lines += _labelled("📍 " + t.gettext("Where:"), address_line(view.address, lang))
    opening = hours.render(view.opening_hours, t)
    if view.opening_hours_note:
        opening.append(view.opening_hours_note)
    if opening:
        lines.append("🕘 " + t.gettext("Opening hours:"))
        lines += [f"   {line}" for line in opening]
    current = (
        open_now.status(view.opening_hours, now, view.timezone, view.state, t)
        if now and not closed
        else None
    )
    if current:
        lines.append(f"   {current}")
    if view.appointment_needed:
        lines.append(t.gettext("Please make an appointment first."))
    elif view.appointment_needed is False:
        lines.append(t.gettext("You can come without an appointment."))
    contact = _contact_lines(view, t)
    if contact:
        lines.append(t.gettext("How to reach them:"))
        lines += [f"   {line}" for line in contact]
    if view.languages:
        names = t.list([name_in(code, lang) for code in view.languages])
        lines.append("🗣️ " + t.gettext("Languages spoken: {languages}").format(languages=names))
    lines += _labelled("💶 " + t.gettext("Cost:"), view.cost)
    if view.barrier_free:
        lines.append("♿ " + t.gettext("Barrier-free access"))
    elif view.barrier_free is False:
        lines.append(t.gettext("Not barrier-free"))
    if view.valid_until:
        lines.append(
            t.gettext("This offer runs until {date}.").format(date=t.date(view.valid_until, "long"))
        )
    if view.verified:
        lines.append(t.gettext("Last checked: {date}").format(date=t.date(view.verified, "long")))
    if steps is not None and today is not None and not reachable(view, today):
        lines += next_step_lines(steps, t)
    if steps is not None:
        lines += nationwide_lines(steps.nationwide, t)
    spans = [Span(title(view, lang), Style.BOLD), Span("\n" + "\n".join(lines))]
    if view.fallback_fields and lang != "de":
        spans.append(Span("\n" + german_note(t), Style.ITALIC))
    return spans


def german_note(t: Translator) -> str:
    return t.gettext("Some text is shown in German because there is no translation yet.")


def _weekdays(course: CourseView, t: Translator) -> str | None:
    names = t.locale.days["format"]["abbreviated"]
    days = [names[hours.DAYS.index(day)] for day in course.weekdays if day in hours.DAYS]
    if not days:
        return None
    when = t.list(days)
    if course.session_start and course.session_end:
        when += f" {t.time(course.session_start)}–{t.time(course.session_end)}"
    return when


def marked_example(name: str, example: bool, t: Translator) -> str:
    """``name`` marked as an invented example wherever it appears: cards, reminders, calendars."""
    return t.gettext("Example: {course}").format(course=name) if example else name


def course_name(course: CourseView, t: Translator) -> str:
    """The course's title as every message and calendar shows it, marked when it is an example."""
    return marked_example(course.title, course.example, t)


def course_heading(course: CourseView, t: Translator) -> str:
    """Title and level, marked when the course is an invented example."""
    heading = title(course, t.lang)
    if course.level and course.level not in heading:
        heading = f"{heading} ({course.level})"
    return marked_example(heading, course.example, t)


def course_dates(course: CourseView, t: Translator) -> str | None:
    if course.start_date and course.end_date:
        return t.gettext("{start} to {end}").format(
            start=t.date(course.start_date, "medium"), end=t.date(course.end_date, "medium")
        )
    if course.start_date:
        return t.gettext("starts {start}").format(start=t.date(course.start_date, "medium"))
    return None


def course_text(course: CourseView, t: Translator) -> str:
    """Everything known about one course, one fact per line."""
    lang = t.lang
    lines = [course_heading(course, t)]
    lines += _labelled("📅", course_dates(course, t))
    lines += _labelled("🕘", _weekdays(course, t))
    if course.location:
        lines += _labelled("📍", address_line(course.location, lang))
    if course.seats_free is not None:
        lines.append(
            t.ngettext("{count} seat free", "{count} seats free", course.seats_free).format(
                count=course.seats_free
            )
        )
    if course.registration_deadline:
        lines.append(
            t.gettext("Register by {date}").format(
                date=t.date(course.registration_deadline, "medium")
            )
        )
    if course.childcare:
        lines.append(t.gettext("Childcare available"))
    if course.instruction_language and course.instruction_language != "de":
        lines.append(
            t.gettext("Language of teaching: {language}").format(
                language=name_in(course.instruction_language, lang)
            )
        )
    lines += _labelled("💶", course.cost)
    return "\n".join(lines)


def course_summary(course: CourseView, t: Translator) -> str:
    """One line for a course in a list of services."""
    dates = course_dates(course, t)
    heading = course_heading(course, t)
    return f"{heading}, {dates}" if dates else heading
