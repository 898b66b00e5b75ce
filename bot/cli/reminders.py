"""`wegweiser reminders`: how the reminders went per course, and announcements to subscribers.

An announcement is written into the database as deliveries; the running bot (`wegweiser run`)
picks them up within a minute and sends them, keeping each platform's rate limits. So this
command needs no connection to Telegram or Matrix, and nothing is lost when the bot is down:
the messages go out when it starts again.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from sqlmodel import Session

from bot.cli.common import console, fail, open_engine
from bot.clock import Clock, SystemClock
from bot.reminders import admin
from bot.settings import Settings
from services_catalog.db import session_scope

app = typer.Typer(
    help="Course reminders: statistics and announcements to subscribers.", no_args_is_help=True
)

# The time announcements are due from; tests put a fake clock here.
CLOCK: Clock = SystemClock()


@app.command()
def stats() -> None:
    """Pending reminders, and those sent, failed and missed in the kept days, per course.

    Settled reminders are deleted after WEGWEISER_REMINDER_RETENTION_DAYS (default 30).
    """
    days = Settings().reminder_retention_days
    with open_engine() as engine, Session(engine) as session:
        rows = admin.stats(session)
    if not rows:
        console.print(f"No reminders pending or settled in the last {days} days.")
        return
    table = Table(
        "Course",
        "Title",
        "Pending",
        "Sent",
        "Failed",
        "Missed",
        title=f"Reminders per course: pending, and settled in the last {days} days",
    )
    for row in rows:
        table.add_row(
            escape(row.course_id or "(topic announcements)"),
            escape(row.title or ""),
            str(row.pending),
            str(row.sent),
            str(row.failed),
            str(row.missed),
        )
    console.print(table)


@app.command()
def announce(
    message: Annotated[str, typer.Option("--message", help="The text to send, as written.")],
    course: Annotated[
        str | None, typer.Option("--course", metavar="ID", help="Subscribers of this course.")
    ] = None,
    topic: Annotated[
        str | None, typer.Option("--topic", help="Subscribers of any course of this topic …")
    ] = None,
    region: Annotated[str | None, typer.Option("--region", help="… in this region.")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Send a message to everyone with reminders for a course, or for a topic in a region."""
    text = message.strip()
    if not text:
        fail("The message is empty.")
    if len(text) > admin.MAX_MESSAGE:
        fail(f"The message is {len(text)} characters long; at most {admin.MAX_MESSAGE} fit.")
    if (course is None) == (topic is None and region is None):
        fail("Name either --course ID, or --topic and --region.")
    if course is None and (topic is None or region is None):
        fail("An announcement to a topic needs both --topic and --region.")
    with open_engine() as engine:
        with Session(engine) as session:
            try:
                if course is not None:
                    audience = admin.course_audience(session, course)
                else:
                    audience = admin.topic_audience(session, topic or "", region or "")
            except admin.AudienceError as error:
                fail(str(error))
        target = f"course {course}" if course else f"topic {topic} in {region}"
        if not audience:
            console.print(f"Nobody has reminders for {escape(target)}; nothing was sent.")
            return
        console.print(f"To {len(audience)} subscriber(s) of {escape(target)}:\n")
        console.print(escape(text), highlight=False)
        console.print()
        if not yes and not typer.confirm("Send this message?", default=False):
            console.print("Nothing was sent.")
            raise typer.Exit(1)
        with session_scope(engine) as session:
            queued = admin.queue_announcement(session, audience, course, text, CLOCK.now())
    console.print(
        f"{queued} message(s) queued. The running bot sends them within a minute "
        "(or when it next starts)."
    )
