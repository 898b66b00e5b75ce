"""Every table of the project in one metadata, for Alembic and for tests."""

from sqlmodel import SQLModel

# Imported for their tables: every model module must be listed here.
import bot.feedback.models
import bot.interpreter.models
import bot.lotsen.models
import bot.monitoring.models
import bot.reminders.models
import bot.storage.models
import services_catalog.integreat.models
import services_catalog.models

metadata = SQLModel.metadata
