"""`wegweiser lotse`: referral links and QR codes for integration guides (Lotsen)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine

from bot.cli.common import fail, open_engine, writing
from bot.clock import SystemClock
from bot.lotsen import codes
from bot.lotsen.links import links_for
from bot.lotsen.payload import PayloadError, build_payload
from bot.lotsen.qr import QrError, captions, write_qr
from bot.settings import LANGUAGES, Settings
from services_catalog.db import session_scope

app = typer.Typer(help="Links and QR codes for integration guides (Lotsen).", no_args_is_help=True)

Region = Annotated[str | None, typer.Option("--region", help="Region slug, e.g. rostock.")]
Lang = Annotated[str | None, typer.Option("--lang", help=f"One of {', '.join(LANGUAGES)}.")]
Topic = Annotated[str | None, typer.Option("--topic", help="Topic slug, e.g. housing.")]
ServiceOption = Annotated[
    str | None, typer.Option("--service", help="Service id: the link opens this service's card.")
]


def _presets(code: codes.ReferralCode) -> str:
    parts = [
        f"{name} {value}"
        for name, value in (
            ("language", code.lang),
            ("region", code.region),
            ("topic", code.topic),
            ("service", code.service_id),
        )
        if value
    ]
    return ", ".join(parts) or "no presets"


def _live_code(engine: Engine, code_text: str, service: str | None) -> tuple[str, str | None]:
    """(payload, the code's language) for a code that is not retired, with an extra service."""
    try:
        with session_scope(engine) as session:
            code = codes.get_code(session, code_text)
            if code.retired_at is not None:
                fail(f"The code {code.code} is retired: its links open a normal start.")
            codes.check_presets(session, region=code.region, service_id=service)
            return build_payload(referral_code=code.code, service_id=service), code.lang
    except (codes.LotseError, PayloadError) as error:
        fail(str(error))


def _print_links(settings: Settings, payload: str) -> None:
    links = links_for(settings, payload)
    if links.telegram is None and links.matrix is None:
        fail("Set WEGWEISER_TELEGRAM_USERNAME and/or WEGWEISER_MATRIX_USER to make links.")
    if links.telegram:
        typer.echo(f"Telegram: {links.telegram}")
    if links.matrix:
        typer.echo(f"Matrix:   {links.matrix}")
        typer.echo(f"          then send this as the first message: {links.matrix_message}")
        typer.echo("          (a Matrix link cannot carry the code, so the first message does)")


@app.command()
def add(
    label: Annotated[str, typer.Argument(help="Where or by whom the link is used.")],
    region: Region = None,
    lang: Lang = None,
    topic: Topic = None,
    service: ServiceOption = None,
) -> None:
    """Create a referral code; its links open the bot with these presets."""
    with open_engine() as engine:
        try:
            with session_scope(engine) as session:
                code = codes.add_code(
                    session,
                    label,
                    SystemClock().now(),
                    region=region,
                    lang=lang,
                    topic=topic,
                    service_id=service,
                )
                typer.echo(f"Created code {code.code} for {code.label!r} ({_presets(code)}).")
                payload = build_payload(referral_code=code.code)
        except codes.LotseError as error:
            fail(str(error))
    settings = Settings()
    if settings.telegram_username or settings.matrix_user:
        _print_links(settings, payload)


@app.command("list")
def list_codes() -> None:
    """All referral codes, newest first."""
    with open_engine() as engine, session_scope(engine) as session:
        found = codes.list_codes(session)
        if not found:
            typer.echo("No referral codes yet. Create one with `wegweiser lotse add LABEL`.")
            return
        for code in found:
            status = (
                f"retired {code.retired_at.date().isoformat()}"
                if code.retired_at
                else f"since {code.created_at.date().isoformat()}"
            )
            typer.echo(f"{code.code}  {code.label}  [{_presets(code)}]  {status}")


@app.command()
def retire(code: Annotated[str, typer.Argument(help="The code to retire.")]) -> None:
    """Retire a code: its links and QR codes then open a normal start."""
    with open_engine() as engine:
        try:
            with session_scope(engine) as session:
                found = codes.retire_code(session, code, SystemClock().now())
                typer.echo(
                    f"Retired {found.code} ({found.label}); its links now open a normal start."
                )
        except codes.LotseError as error:
            fail(str(error))


@app.command()
def link(
    code: Annotated[str, typer.Argument(help="The referral code.")],
    service: ServiceOption = None,
) -> None:
    """Print the Telegram and Matrix links of a code."""
    with open_engine() as engine:
        payload, _ = _live_code(engine, code, service)
    _print_links(Settings(), payload)


@app.command()
def qr(
    code: Annotated[str, typer.Argument(help="The referral code.")],
    out: Annotated[Path, typer.Option("--out", help="FILE.png or FILE.svg.")],
    caption_lang: Annotated[
        list[str] | None,
        typer.Option("--caption-lang", help="A caption language; repeat for more."),
    ] = None,
    service: ServiceOption = None,
    platform: Annotated[
        str | None, typer.Option("--platform", help="telegram or matrix (default: Telegram).")
    ] = None,
    font: Annotated[
        Path | None, typer.Option("--font", help="A TrueType font for the PNG caption.")
    ] = None,
) -> None:
    """Make a printable QR code with a short caption in the chosen languages."""
    if font is not None and not font.is_file():
        fail(f"{font}: no such font file.")
    with open_engine() as engine:
        payload, code_lang = _live_code(engine, code, service)
    langs = caption_lang or ([code_lang, "de"] if code_lang else ["de", "en"])
    unknown = [lang for lang in langs if lang not in LANGUAGES]
    if unknown:
        fail(f"Unknown caption language {unknown[0]!r}; use one of {', '.join(LANGUAGES)}.")
    links = links_for(Settings(), payload)
    chosen = platform or ("telegram" if links.telegram else "matrix")
    if chosen == "telegram" and links.telegram:
        data, lines, footer = links.telegram, captions(langs), [links.telegram]
    elif chosen == "matrix" and links.matrix:
        lines = captions(langs, start_message=links.matrix_message)
        data, footer = links.matrix, [links.matrix, links.matrix_message]
    elif chosen in ("telegram", "matrix"):
        setting = "WEGWEISER_TELEGRAM_USERNAME" if chosen == "telegram" else "WEGWEISER_MATRIX_USER"
        fail(f"Set {setting} to make a {chosen} QR code.")
    else:
        fail("--platform is telegram or matrix.")
    try:
        with writing(out):
            write_qr(data, out, lines, footer, font=font)
    except QrError as error:
        fail(str(error))
    typer.echo(f"Wrote {out} ({data}).")
