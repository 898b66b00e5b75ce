"""Bad input gets a clear error naming file, record and field, and the database stays as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from services_catalog.exporter import csv_text
from services_catalog.importer import import_path
from services_catalog.records import InvalidCatalogue
from tests.catalogue.conftest import dump


def _replace(name: str, old: str, new: str) -> Callable[[Path], Path]:
    def edit(directory: Path) -> Path:
        path = directory / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return directory

    return edit


def _not_utf8(directory: Path) -> Path:
    path = directory / "nordhausen.yaml"
    path.write_bytes(
        path.read_text(encoding="utf-8").replace("Landkreis", "Kreis Gö").encode("latin-1")
    )
    return directory


def _duplicate_id(directory: Path) -> Path:
    (directory / "zusatz.yaml").write_text(
        "region: {slug: extra, name: Extra}\n"
        "services:\n"
        "  - id: testburg-jmd\n"
        "    topics: [youth_migration]\n"
        "    title: {de: Noch ein JMD}\n"
        "    source: test\n",
        encoding="utf-8",
    )
    return directory


CASES = {
    "malformed YAML": (
        _replace("testburg.yaml", "  - id: testburg-jmd\n", "  - id: testburg-jmd\n   oops: [\n"),
        ["testburg.yaml", "not valid YAML", "line"],
    ),
    "unknown topic slug": (
        _replace("testburg.yaml", "[migration_counselling]", "[migraton_counselling]"),
        [
            "testburg.yaml: service testburg-mbe-awo: topics[0]: "
            "unknown topic 'migraton_counselling'"
        ],
    ),
    "invalid coordinates": (
        _replace("testburg.yaml", "latitude: 54.09", "latitude: 154.09"),
        ["testburg.yaml: service testburg-mbe-awo: address.latitude:", "90"],
    ),
    "duplicate ids": (
        _duplicate_id,
        ["zusatz.yaml: service testburg-jmd: id: duplicate id, also used in testburg.yaml"],
    ),
    "not UTF-8": (_not_utf8, ["nordhausen.yaml", "not UTF-8", "line 3"]),
    "missing German text": (
        _replace("nordhausen.yaml", "title: {de: Migrationsberatung Nordhausen}", "title: {en: X}"),
        ["nordhausen.yaml: service nordhausen-mbe: title:", "German text (de) is missing"],
    ),
    "aliases not a list": (
        _replace("testburg.yaml", "aliases: [Testburg, Тестбург, تستبورغ, TB]", "aliases: TB"),
        ["testburg.yaml: region testburg: aliases: write a list of names, like [Росток, Rostok]"],
    ),
    "an empty alias": (
        _replace("testburg.yaml", "[Testburg, Тестбург, تستبورغ, TB]", "[TB, '']"),
        ["testburg.yaml: region testburg: aliases: [1] is not a name"],
    ),
    "unknown provider": (
        _replace("nordhausen.yaml", "provider: awo-testburg", "provider: awo-nowhere"),
        ["nordhausen.yaml: service nordhausen-mbe: provider: unknown provider 'awo-nowhere'"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_yaml_is_refused_and_nothing_changes(
    loaded: Engine, catalogue_copy: Path, case: str
) -> None:
    # A valid change alongside the broken one must not be written either.
    _replace("nordhausen.yaml", "[de, tr]", "[de, tr, ar]")(catalogue_copy)
    edit, expected = CASES[case]
    edit(catalogue_copy)
    before = dump(loaded)

    with pytest.raises(InvalidCatalogue) as raised:
        import_path(loaded, catalogue_copy)

    message = str(raised.value)
    for part in expected:
        assert part in message
    assert dump(loaded) == before


def test_a_csv_without_a_required_column_is_refused_and_nothing_changes(
    loaded: Engine, tmp_path: Path
) -> None:
    with Session(loaded) as session:
        lines = csv_text(session).splitlines()
    header = lines[0].split(",")
    column = header.index("source")
    rows = [line.split(",") for line in lines]
    csv_file = tmp_path / "services.csv"
    # Dropping a column the simple way only works on rows without quoted commas.
    kept = [",".join(r[:column] + r[column + 1 :]) for r in rows if len(r) == len(header)]
    csv_file.write_text("\n".join(kept) + "\n", encoding="utf-8")
    before = dump(loaded)

    with pytest.raises(InvalidCatalogue) as raised:
        import_path(loaded, csv_file)

    assert "services.csv: source: missing column" in str(raised.value)
    assert dump(loaded) == before


def test_a_bad_csv_cell_names_the_row_and_column(loaded: Engine, tmp_path: Path) -> None:
    with Session(loaded) as session:
        text = csv_text(session)
    csv_file = tmp_path / "services.csv"
    csv_file.write_text(text.replace("54.09", "north"), encoding="utf-8")
    before = dump(loaded)

    with pytest.raises(InvalidCatalogue) as raised:
        import_path(loaded, csv_file)

    assert "services.csv: row 4 (testburg-mbe-awo): latitude:" in str(raised.value)
    assert dump(loaded) == before


def test_every_error_in_the_input_is_reported_at_once(loaded: Engine, catalogue_copy: Path) -> None:
    _replace("testburg.yaml", "latitude: 54.09", "latitude: 154.09")(catalogue_copy)
    _replace("nordhausen.yaml", "[migration_counselling]", "[nonsense]")(catalogue_copy)

    with pytest.raises(InvalidCatalogue) as raised:
        import_path(loaded, catalogue_copy)

    assert [error.file for error in raised.value.errors] == ["nordhausen.yaml", "testburg.yaml"]
