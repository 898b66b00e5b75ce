"""Wegweiser on Telegram: python-telegram-bot's Application between the Bot API and the core.

Long polling by default; a webhook when ``WEGWEISER_TELEGRAM_WEBHOOK_URL`` is set. The API URL is
``WEGWEISER_TELEGRAM_API_URL`` (a self-hosted Bot API server, or the tests' fake one).
Logs name update kinds and chat ids at most — never texts or names.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from telegram import (
    ChatMember,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputFile,
    KeyboardButton,
    LinkPreviewOptions,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.adapters.telegram import inline, menus
from bot.adapters.telegram.limiter import ChatRateLimiter
from bot.adapters.telegram.ordering import PerChatUpdateProcessor
from bot.adapters.telegram.render import html_pieces, keyboard
from bot.adapters.telegram.updates import PLATFORM, from_callback, from_message, language_of
from bot.core import sanitise
from bot.core.dialogue import users
from bot.core.messages import Incoming, Reply
from bot.core.ports import DeliveryError
from bot.i18n import translator
from bot.interpreter.coordination import is_coordination_chat
from bot.lotsen.payload import build_payload
from services_catalog.db import session_scope

if TYPE_CHECKING:
    from bot.app import Wegweiser

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.CALLBACK_QUERY,
    Update.INLINE_QUERY,
    Update.MY_CHAT_MEMBER,
]
_GONE = ("chat not found", "user is deactivated", "peer_id_invalid")


class TelegramAdapter:
    """Hands Telegram updates to the core and delivers its replies (``Adapter``, ``Transport``)."""

    platform = PLATFORM

    def __init__(
        self,
        app: Wegweiser,
        *,
        overall_per_second: float = 30.0,
        per_chat_per_second: float = 1.0,
    ) -> None:
        settings = app.settings
        if not settings.telegram_token:
            raise ValueError("WEGWEISER_TELEGRAM_TOKEN is not set")
        self.app = app
        self.bot_username: str | None = None
        # httpx logs every request URL at INFO, and Bot API URLs contain the token.
        httpx_log = logging.getLogger("httpx")
        httpx_log.setLevel(max(httpx_log.getEffectiveLevel(), logging.WARNING))
        self._routers = app.router_index
        self.application: Application = (
            ApplicationBuilder()
            .token(settings.telegram_token)
            .base_url(settings.telegram_api_url)
            .rate_limiter(ChatRateLimiter(overall_per_second, per_chat_per_second))
            .concurrent_updates(PerChatUpdateProcessor())
            # A generous read timeout: a send that times out may or may not have arrived, so it
            # is not repeated (see limiter.py); waiting longer makes that rare.
            .read_timeout(30)
            .write_timeout(30)
            .get_updates_read_timeout(40)
            .job_queue(None)
            .build()
        )
        self.application.add_handler(
            MessageHandler(
                filters.UpdateType.MESSAGE & (filters.ChatType.PRIVATE | filters.ChatType.GROUPS),
                self._on_message,
            )
        )
        self.application.add_handler(CallbackQueryHandler(self._on_callback))
        self.application.add_handler(InlineQueryHandler(self._on_inline_query))
        self.application.add_handler(
            ChatMemberHandler(self._on_membership, ChatMemberHandler.MY_CHAT_MEMBER)
        )
        self.application.add_error_handler(self._on_error)

    # -- Adapter ------------------------------------------------------------------------------

    async def start(self) -> None:
        application = self.application
        await application.initialize()
        self.bot_username = application.bot.username
        await menus.publish(application.bot, [c for f in self.app.features for c in f.commands])
        await application.start()
        settings = self.app.settings
        if settings.telegram_webhook_url:
            await application.updater.start_webhook(
                listen=settings.telegram_webhook_listen,
                port=settings.telegram_webhook_port,
                url_path=urlsplit(settings.telegram_webhook_url).path.lstrip("/"),
                webhook_url=settings.telegram_webhook_url,
                secret_token=self._webhook_secret(),
                allowed_updates=ALLOWED_UPDATES,
            )
            log.info("receiving Telegram updates by webhook")
        else:
            await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
            log.info("receiving Telegram updates by long polling")

    async def stop(self) -> None:
        application = self.application
        if application.updater and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()

    def _webhook_secret(self) -> str:
        """Derived from the token, so only Telegram (which we tell) and we know it."""
        token = self.app.settings.telegram_token or ""
        return hashlib.sha256(f"wegweiser-webhook:{token}".encode()).hexdigest()

    # -- Transport ----------------------------------------------------------------------------

    async def send(self, chat_id: str, reply: Reply) -> None:
        """Deliver one reply: text pieces (buttons under the last), then a place, then a file.

        Raises ``DeliveryError`` when the user blocked the bot or the chat is gone; the user is
        then marked ``blocked`` so nobody tries again and again.
        """
        try:
            await self._send(chat_id, reply)
        except Forbidden as error:
            await self._mark_blocked(chat_id)
            raise DeliveryError(f"telegram chat {chat_id}: {error.message}") from error
        except BadRequest as error:
            if not any(reason in error.message.lower() for reason in _GONE):
                raise
            await self._mark_blocked(chat_id)
            raise DeliveryError(f"telegram chat {chat_id}: {error.message}") from error

    async def _send(self, chat_id: str, reply: Reply) -> None:
        bot = self.application.bot
        pieces = html_pieces(reply.spans)
        markup = keyboard(reply.options)
        if markup and not pieces:
            pieces = [escape(translator(reply.lang).gettext("Please choose:"), quote=False)]
        for number, piece in enumerate(pieces, start=1):
            await bot.send_message(
                chat_id,
                piece,
                parse_mode=ParseMode.HTML,
                reply_markup=markup if number == len(pieces) else None,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        if reply.location_hint:
            await self._offer_location(chat_id, reply.lang)
        if reply.venue is not None:
            venue = reply.venue
            if venue.address and venue.title:
                await bot.send_venue(
                    chat_id, venue.latitude, venue.longitude, venue.title, venue.address
                )
            else:
                await bot.send_location(chat_id, venue.latitude, venue.longitude)
        if reply.attachment is not None:
            attachment = reply.attachment
            await bot.send_document(
                chat_id, InputFile(attachment.data, filename=attachment.filename)
            )

    async def _offer_location(self, chat_id: str, lang: str) -> None:
        """Telegram's own "share my location" button: a reply keyboard, so it goes in a message
        of its own (a message has either inline buttons or a reply keyboard)."""
        t = translator(lang)
        button = KeyboardButton("📍 " + t.gettext("Share my location"), request_location=True)
        await self.application.bot.send_message(
            chat_id,
            escape(t.gettext("Or share where you are with the button below."), quote=False),
            parse_mode=ParseMode.HTML,
            reply_markup=ReplyKeyboardMarkup(
                [[button]], resize_keyboard=True, one_time_keyboard=True
            ),
        )

    async def _mark_blocked(self, chat_id: str) -> None:
        await asyncio.to_thread(self._set_blocked, chat_id, True)
        log.info("a telegram chat cannot be reached any more; marked blocked")

    def _set_blocked(self, chat_id: str, blocked: bool) -> None:
        """A short write of its own; callers run it off the event loop."""
        with session_scope(self.app.engine) as session:
            users.set_blocked(session, PLATFORM, chat_id, blocked)

    # -- updates ------------------------------------------------------------------------------

    async def _converse(self, message: Incoming) -> None:
        replies = await self.app.conversation.handle(message)
        for reply in replies:
            try:
                await self.send(message.chat_id, reply)
            except DeliveryError:
                return

    async def _on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.message is None:
            return
        chat = update.message.chat
        if chat.type != ChatType.PRIVATE and not await asyncio.to_thread(
            is_coordination_chat, self.app.engine, self.app.settings, PLATFORM, str(chat.id)
        ):
            return  # groups only for an interpreter pool's coordination
        message = from_message(update.message, self.bot_username)
        if message is None:
            return
        log.debug("telegram %s message in chat %s", message.kind, message.chat_id)
        await self._converse(message)

    async def _on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        try:
            await query.answer()  # first, so the spinner on the button stops at once
        except TelegramError as error:
            log.info("callback query not answered: %s", type(error).__name__)
        message = from_callback(query)
        if message is not None:
            await self._converse(message)

    async def _on_inline_query(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.inline_query
        if query is None:
            return
        results, lang = await asyncio.to_thread(
            self._inline_results,
            query.query,
            str(query.from_user.id),
            query.from_user.language_code,
        )
        button = None
        if not results:
            t = translator(lang)
            button = InlineQueryResultsButton(
                text=t.gettext("Nothing found. Try a topic and a town, or open the bot"),
                start_parameter=build_payload(lang=lang),
            )
        await query.answer(results, cache_time=30, is_personal=True, button=button)

    def _inline_results(
        self, text: str, user_id: str, language_code: str | None
    ) -> tuple[list[InlineQueryResultArticle], str]:
        """The cards for an inline query, read in a short transaction off the event loop."""
        with session_scope(self.app.engine) as session:
            return inline.answer(
                session,
                self._routers.router,
                sanitise.text(text),
                user_id=user_id,
                language_code=language_code,
                default_region=self.app.settings.default_region,
                bot_username=self.bot_username,
                today=self.app.clock.now().date(),
            )

    async def _on_membership(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Telegram says when a person blocks or unblocks the bot; keep ``User.blocked`` true."""
        change = update.my_chat_member
        if change is None or change.chat.type != "private":
            return
        status = change.new_chat_member.status
        if status in (ChatMember.BANNED, ChatMember.LEFT):
            await asyncio.to_thread(self._set_blocked, str(change.chat.id), True)
        elif status == ChatMember.MEMBER:
            await asyncio.to_thread(self._set_blocked, str(change.chat.id), False)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log without content, and tell the person something went wrong rather than go silent."""
        error = context.error
        log.error("handling a telegram update failed: %s", type(error).__name__, exc_info=error)
        if not isinstance(update, Update) or update.inline_query is not None:
            return
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None or chat.type != "private":
            return
        t = translator(language_of(user.language_code))
        sorry = t.gettext("Sorry, something went wrong on my side. Please try again in a moment.")
        try:
            await self.send(str(chat.id), Reply.text(sorry, lang=t.lang))
        except (TelegramError, DeliveryError):
            log.warning("could not tell the chat about the failure")
