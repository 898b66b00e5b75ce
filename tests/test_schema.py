"""The migrations build exactly the schema the models describe, up and down, on both engines."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from bot.storage.metadata import metadata
from services_catalog.db import SchemaNotCurrent, alembic_config, ensure_current, make_engine


def test_upgrade_matches_models_and_downgrade_removes_everything(empty_database_url: str) -> None:
    config = alembic_config(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        command.upgrade(config, "head")
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), metadata)
        assert differences == []
        ensure_current(engine)

        command.downgrade(config, "base")
        remaining = set(inspect(engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
    finally:
        engine.dispose()


def test_unmigrated_database_is_refused_with_the_command_to_run(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    try:
        try:
            ensure_current(engine)
        except SchemaNotCurrent as error:
            assert "wegweiser db upgrade" in str(error)
        else:
            raise AssertionError("an empty database was accepted")
    finally:
        engine.dispose()
