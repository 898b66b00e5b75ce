"""The reminders feature in the dialogue: "Remind me" under a course, and ``/reminders``.

Every step lives in the button value itself (``rem:pick:<choice>:<course>``), so no flow state
is stored and an old message's buttons keep working on every platform, pressed or answered by
number.
"""

from __future__ import annotations

from sqlmodel import Session

from bot.core.dialogue.cards import course_name
from bot.core.events import ReminderSubscribed
from bot.core.features import Turn
from bot.core.messages import Option, Reply
from bot.reminders import planner
from bot.reminders.ics import calendar_attachment, has_dates
from bot.reminders.schedule import EVERYTHING, What, available
from bot.reminders.texts import BUTTON_PREFIX, LIST, button, course_title, what_items, when
from bot.storage.models import User
from services_catalog.queries import course_view
from services_catalog.views import CourseView, ServiceView

DEFAULT_CHOICE = What.DEADLINE | What.START | What.DAY_BEFORE
FALLBACK_ZONE = "Europe/Berlin"
NO = f"{BUTTON_PREFIX}:no"
ALL = f"{BUTTON_PREFIX}:all"
ALL_YES = f"{BUTTON_PREFIX}:all:yes"


class RemindersFeature:
    name = BUTTON_PREFIX
    commands = ("reminders",)

    def service_options(self, turn: Turn, service: ServiceView) -> list[Option]:
        return []

    def course_options(self, turn: Turn, course: CourseView) -> list[Option]:
        t = turn.t
        options = []
        remind = button("sub", course.id)
        if remind and available(course, turn.clock.now()):
            options.append(Option(t.gettext("Remind me"), remind))
        ics = button("ics", course.id)
        if ics and has_dates(course):
            options.append(Option(t.gettext("Add to calendar (.ics)"), ics))
        return options

    async def on_command(self, turn: Turn, command: str, args: str) -> list[Reply]:
        return [self._list(turn)]

    async def on_text(self, turn: Turn, text: str) -> list[Reply] | None:
        return None

    def forget_user(self, session: Session, user: User) -> None:
        if user.id is not None:
            planner.forget_user(session, user.id)

    async def on_button(self, turn: Turn, value: str) -> list[Reply]:
        parts = value.removeprefix(f"{BUTTON_PREFIX}:").split(":")
        match parts:
            case ["sub", course_id]:
                return [self._choose(turn, course_id, None)]
            case ["pick", choice, course_id] if _choice(choice) is not None:
                return [self._choose(turn, course_id, _choice(choice))]
            case ["save", choice, course_id] if _choice(choice) is not None:
                return [self._save(turn, course_id, _choice(choice) or What(0))]
            case ["ics", course_id]:
                return [self._calendar(turn, course_id)]
            case ["list"]:
                return [self._list(turn)]
            case ["del", course_id]:
                return [self._cancel(turn, course_id)]
            case ["all"]:
                return [self._confirm_cancel_all(turn)]
            case ["all", "yes"]:
                return [self._cancel_all(turn)]
            case ["no"]:
                return [Reply.text(turn.t.gettext("Okay, nothing was changed."), turn.lang)]
        return [
            Reply.text(turn.t.gettext("Sorry, that button no longer works."), turn.lang),
            self._list(turn),
        ]

    # --- choosing and saving ----------------------------------------------------------------

    def _course(self, turn: Turn, course_id: str) -> CourseView | None:
        return course_view(turn.session, course_id, turn.lang)

    def _gone(self, turn: Turn) -> Reply:
        return Reply.text(turn.t.gettext("Sorry, this course is no longer offered."), turn.lang)

    def _choose(self, turn: Turn, course_id: str, choice: What | None) -> Reply:
        """The chooser: each kind of reminder as a button that ticks or unticks it."""
        t = turn.t
        course = self._course(turn, course_id)
        if course is None:
            return self._gone(turn)
        offered = available(course, turn.clock.now())
        if not offered:
            return Reply.text(
                t.gettext("There is nothing left to remind you of for this course."), turn.lang
            )
        if choice is None:
            subscription = planner.subscription_for(turn.session, turn.user_id(), course_id)
            choice = planner.what_of(subscription) if subscription else DEFAULT_CHOICE
        choice &= offered
        labels = {
            What.DEADLINE: t.gettext("Registration deadline ({date})").format(
                date=t.date(course.registration_deadline, "medium")
            )
            if course.registration_deadline
            else "",
            What.START: t.gettext("Course start ({date})").format(
                date=t.date(course.start_date, "medium")
            )
            if course.start_date
            else "",
            What.DAY_BEFORE: t.gettext("The evening before each session"),
            What.HOUR_BEFORE: t.gettext("One hour before each session"),
        }
        options = []
        for flag, label in labels.items():
            value = button("pick", str(int(choice ^ flag)), course.id)
            if flag in offered and value:
                mark = "✅" if flag in choice else "⬜"
                options.append(Option(f"{mark} {label}", value))
        save = button("save", str(int(choice)), course.id)
        if save:
            options.append(Option(t.gettext("Save"), save))
        options.append(Option(t.gettext("Cancel"), NO))
        text = t.gettext(
            "Which reminders would you like for “{title}”? Tap to choose or unchoose, then save."
        ).format(title=course_name(course, t))
        return Reply.text(text, turn.lang, options)

    def _save(self, turn: Turn, course_id: str, choice: What) -> Reply:
        t = turn.t
        course = self._course(turn, course_id)
        if course is None:
            return self._gone(turn)
        now = turn.clock.now()
        user_id = turn.user_id()
        existing = planner.subscription_for(turn.session, user_id, course_id)
        choice &= available(course, now)
        if not choice:
            if existing is None:
                return Reply.text(
                    t.gettext("Nothing was chosen, so I set no reminders."), turn.lang
                )
            planner.unsubscribe(turn.session, existing)
            return self._cancelled(turn, course_name(course, t))
        subscription = planner.subscribe(turn.session, turn.user, course, choice, now)
        turn.session.flush()
        if existing is None:
            turn.events.publish(ReminderSubscribed(course.id, course.region_slug))
        lines = [
            t.gettext("Done. I will remind you about “{title}”: {items}.").format(
                title=course_name(course, t), items=what_items(t, choice)
            )
        ]
        assert subscription.id is not None
        upcoming = planner.next_reminder(turn.session, subscription.id)
        if upcoming:
            lines.append(
                t.gettext("Next reminder: {when}.").format(when=when(t, upcoming, course.timezone))
            )
        options = [Option(t.gettext("My reminders"), LIST)]
        ics = button("ics", course.id)
        if ics:
            options.append(Option(t.gettext("Add to calendar (.ics)"), ics))
        return Reply.text("\n".join(lines), turn.lang, options)

    def _calendar(self, turn: Turn, course_id: str) -> Reply:
        t = turn.t
        course = self._course(turn, course_id)
        if course is None:
            return self._gone(turn)
        if not has_dates(course):
            return Reply.text(t.gettext("This course has no dates yet."), turn.lang)
        reply = Reply.text(
            t.gettext("Here are the dates of “{title}” for your calendar.").format(
                title=course_name(course, t)
            ),
            turn.lang,
        )
        reply.attachment = calendar_attachment(course, t, turn.clock.now())
        return reply

    # --- listing and cancelling -------------------------------------------------------------

    def _list(self, turn: Turn) -> Reply:
        t = turn.t
        subscriptions = planner.subscriptions_of(turn.session, turn.user_id())
        if not subscriptions:
            return Reply.text(
                t.gettext("You have no reminders yet. On a course's card, choose “Remind me”."),
                turn.lang,
            )
        lines = [t.gettext("Your reminders:")]
        options = []
        for subscription in subscriptions:
            assert subscription.id is not None
            course = self._course(turn, subscription.course_id)
            title = course_name(course, t) if course else self._title(turn, subscription.course_id)
            lines.append(
                "• "
                + t.gettext("“{title}”: {items}").format(
                    title=title, items=what_items(t, planner.what_of(subscription))
                )
            )
            upcoming = planner.next_reminder(turn.session, subscription.id)
            if upcoming:
                zone = course.timezone if course else FALLBACK_ZONE
                lines.append("  " + t.gettext("Next: {when}").format(when=when(t, upcoming, zone)))
            cancel = button("del", subscription.course_id)
            if cancel:
                options.append(Option(t.gettext("Cancel “{title}”").format(title=title), cancel))
        if len(subscriptions) > 1:
            options.append(Option(t.gettext("Cancel all"), ALL))
        return Reply.text("\n".join(lines), turn.lang, options)

    def _title(self, turn: Turn, course_id: str) -> str:
        return course_title(turn.session, course_id, turn.t) or course_id

    def _cancelled(self, turn: Turn, title: str) -> Reply:
        return Reply.text(
            turn.t.gettext("Your reminders for “{title}” are cancelled.").format(title=title),
            turn.lang,
            [Option(turn.t.gettext("My reminders"), LIST)],
        )

    def _cancel(self, turn: Turn, course_id: str) -> Reply:
        subscription = planner.subscription_for(turn.session, turn.user_id(), course_id)
        if subscription is None:
            return Reply.text(turn.t.gettext("You have no reminders for this course."), turn.lang)
        planner.unsubscribe(turn.session, subscription)
        return self._cancelled(turn, self._title(turn, course_id))

    def _confirm_cancel_all(self, turn: Turn) -> Reply:
        t = turn.t
        if not planner.subscriptions_of(turn.session, turn.user_id()):
            return self._list(turn)
        return Reply.text(
            t.gettext("Do you really want to cancel all your reminders?"),
            turn.lang,
            [
                Option(t.gettext("Yes, cancel all"), ALL_YES),
                Option(t.gettext("No"), NO),
            ],
        )

    def _cancel_all(self, turn: Turn) -> Reply:
        for subscription in planner.subscriptions_of(turn.session, turn.user_id()):
            planner.unsubscribe(turn.session, subscription)
        return Reply.text(turn.t.gettext("All your reminders are cancelled."), turn.lang)


def _choice(text: str) -> What | None:
    """A choice from a button value, or None when the value was tampered with."""
    if not text.isdigit() or int(text) > int(EVERYTHING):
        return None
    return What(int(text))
