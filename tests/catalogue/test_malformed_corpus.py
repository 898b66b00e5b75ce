"""The malformed-catalogue corpus: files an unlucky admin or an attacker could hand to `import`.

Every case must be refused before anything is written, with a message that names the file, the
record and the field (or the line, when the file is not even YAML), and must never crash, hang or
flood the terminal with the value it refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from services_catalog.importer import import_path
from services_catalog.records import InvalidCatalogue
from services_catalog.snapshot import read_stored
from tests.catalogue.conftest import dump

Edit = Callable[[Path], Path]

ALIAS_BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)


def _replace(old: str, new: str, name: str = "testburg.yaml") -> Edit:
    def edit(directory: Path) -> Path:
        path = directory / name
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return directory

    return edit


def _under_mbe(lines: str) -> Edit:
    """Extra lines inside the first service of testburg.yaml."""
    return _replace("    appointment_needed: true\n", f"    appointment_needed: true\n{lines}")


def _extra_file(text: str, name: str = "zusatz.yaml") -> Edit:
    def edit(directory: Path) -> Path:
        (directory / name).write_text(text, encoding="utf-8")
        return directory

    return edit


def _raw_file(data: bytes, name: str = "zusatz.yaml") -> Edit:
    def edit(directory: Path) -> Path:
        (directory / name).write_bytes(data)
        return directory

    return edit


def _extra_service(fields: str) -> Edit:
    return _extra_file(
        "region: {slug: extra, name: Extra}\n"
        "services:\n"
        "  - id: extra-beratung\n"
        "    topics: [housing]\n"
        "    title: {de: Wohnberatung}\n"
        "    source: test\n" + fields
    )


def _deep_nesting(directory: Path) -> Path:
    depth = 5000
    return _under_mbe("    cost: " + "{de: " * depth + "x" + "}" * depth + "\n")(directory)


MBE = "testburg.yaml: service testburg-mbe-awo"
COURSE = "testburg.yaml: course testburg-ik-beispiel"

CASES: dict[str, tuple[Edit, list[str]]] = {
    # Numbers no database column holds (#17.3).
    "seats beyond any integer": (
        _replace("seats_total: 20", "seats_total: 99999999999999999999999"),
        [f"{COURSE}: seats_total:"],
    ),
    "free seats beyond the limit": (
        _replace("seats_free: 4", "seats_free: 2147483648"),
        [f"{COURSE}: seats_free:"],
    ),
    "an age beyond any integer": (
        _replace("min_age: 27", "min_age: 99999999999999999999999"),
        [f"{MBE}: target_group.min_age:"],
    ),
    "an infinite latitude": (
        _replace("latitude: 54.09", "latitude: 1e999"),
        [f"{MBE}: address.latitude:", "WGS84"],
    ),
    # Texts PostgreSQL refuses, and lengths no card can show.
    "NUL in a title": (
        _replace("de: Migrationsberatung für Erwachsene (MBE)", 'de: "Migrations\\0beratung"'),
        [f"{MBE}: title: de: contains a control character"],
    ),
    "NUL in a street": (
        _replace("street: Musterstraße 1", 'street: "Muster\\0straße 1"'),
        [f"{MBE}: address.street: contains a control character"],
    ),
    "NUL in a region name": (
        _replace("name: Hansestadt Testburg", 'name: "Hansestadt\\0Testburg"'),
        ["testburg.yaml: region testburg: name: contains a control character"],
    ),
    "a lone surrogate in a text": (
        _replace("de: Beratung zu Aufenthalt, Arbeit und Familie.", 'de: "\\ud800 Beratung"'),
        [f"{MBE}: description: de: contains a control character"],
    ),
    "a description of 300,000 characters": (
        _replace("de: Beratung zu Aufenthalt, Arbeit und Familie.", "de: " + "Beratung " * 35_000),
        [f"{MBE}: description: de: is 314999 characters long; at most 6000"],
    ),
    "a 30 MB description": (
        _extra_service("    description: {de: '" + "Beratung " * 3_400_000 + "'}\n"),
        ["zusatz.yaml: larger than 5 MB"],
    ),
    "a title too long for a card": (
        _replace("de: Migrationsberatung für Erwachsene (MBE)", "de: " + "MBE " * 100),
        [f"{MBE}: title: de:", "at most 200"],
    ),
    "a street of 10,000 characters": (
        _replace("street: Musterstraße 1", "street: " + "x" * 10_000),
        [f"{MBE}: address.street: is 10000 characters long; at most 500"],
    ),
    "an id of 1,000 characters": (
        _replace("  - id: testburg-jmd\n", "  - id: " + "a" * 1000 + "\n"),
        ["testburg.yaml: service", ": id:", "at most 100"],
    ),
    # Expansion and recursion (#17.4).
    "an alias bomb under opening_hours": (
        _extra_service(
            "    opening_hours:\n" + "".join(f"      {line}\n" for line in ALIAS_BOMB.splitlines())
        ),
        ["zusatz.yaml", "anchors and aliases", "line 8"],
    ),
    "an anchor alone": (
        _replace("tue: closed", "tue: &day closed"),
        ["testburg.yaml", "anchors and aliases", "line 45"],
    ),
    "very deep nesting": (_deep_nesting, ["testburg.yaml", "nested deeper than 20 levels"]),
    # Unsafe links and contacts (#17.8).
    "a javascript: link": (
        _replace(
            "email: mbe@awo.example.org",
            "email: mbe@awo.example.org\n      website: javascript:alert(1)",
        ),
        [f"{MBE}: contact.website: 'javascript:alert(1)' is not a web address"],
    ),
    "a file: link for online counselling": (
        _replace(
            "email: mbe@awo.example.org",
            "email: mbe@awo.example.org\n      online_counselling: file:///etc/passwd",
        ),
        [f"{MBE}: contact.online_counselling:", "is not a web address"],
    ),
    "a provider website without a scheme": (
        _replace("website: https://awo.example.org", "website: awo.example.org"),
        ["testburg.yaml: provider awo-testburg: website:", "is not a web address"],
    ),
    "a phone number with too few digits": (
        _replace('phone: "+49 381 000000"', 'phone: "0381 1"'),
        [f"{MBE}: contact.phone: '0381 1' is not a phone number"],
    ),
    "a phone number of letters": (
        _replace('phone: "+49 381 000000"', "phone: call us"),
        [f"{MBE}: contact.phone: 'call us' is not a phone number"],
    ),
    "an e-mail without a domain": (
        _replace("email: mbe@awo.example.org", "email: mbe@"),
        [f"{MBE}: contact.email: 'mbe@' is not an e-mail address"],
    ),
    "a coordination chat with a typo": (
        _replace(
            "languages: [ar, fa, ru]",
            'languages: [ar, fa, ru]\n      coordination_chat: "telegram -100123"',
        ),
        [
            "testburg.yaml: service testburg-sprachmittler: interpreter_pool.coordination_chat: "
            "'telegram -100123' is not a chat address"
        ],
    ),
    "a Matrix coordination room without a server": (
        _replace(
            "languages: [ar, fa, ru]",
            'languages: [ar, fa, ru]\n      coordination_chat: "matrix:!room"',
        ),
        [
            "service testburg-sprachmittler: interpreter_pool.coordination_chat:",
            "matrix:!room:server",
        ],
    ),
    # YAML that is not YAML, or not the catalogue's YAML.
    "a YAML syntax error": (
        _replace("  - id: testburg-jmd\n", "  - id: testburg-jmd\n   oops: [\n"),
        ["testburg.yaml: not valid YAML: line"],
    ),
    "a tab for indentation": (
        _replace(
            "    provider: awo-testburg\n    topics: [migration_counselling]",
            "    provider: awo-testburg\n\ttopics: [migration_counselling]",
        ),
        ["testburg.yaml: not valid YAML: line 21"],
    ),
    "a key used twice": (
        _replace(
            "    provider: awo-testburg\n    topics: [migration_counselling]",
            "    provider: awo-testburg\n    provider: verein-testburg\n"
            "    topics: [migration_counselling]",
        ),
        ["testburg.yaml: not valid YAML: line 21", "the key 'provider' appears twice"],
    ),
    "a list as a key": (
        _replace("    barrier_free: false\n", "    barrier_free: false\n    [a, b]: c\n"),
        ["testburg.yaml: not valid YAML", "a key must be a plain name"],
    ),
    "a Python object tag": (
        _replace("barrier_free: false", "barrier_free: !!python/object/apply:os.system [ls]"),
        ["testburg.yaml: not valid YAML", "python/object/apply"],
    ),
    "a file that is a list": (
        _extra_file("- just\n- a list\n"),
        ["zusatz.yaml: expected the sections"],
    ),
    "an unknown section": (
        _extra_file("region: {slug: extra, name: Extra}\nservice: []\n"),
        ["zusatz.yaml: service: unknown section; did you mean 'services'?"],
    ),
    # Wrong types and unknown names, with the valid choices.
    "topics as text instead of a list": (
        _replace("topics: [migration_counselling]", "topics: migration_counselling"),
        [f"{MBE}: topics:"],
    ),
    "an age in words": (
        _replace("min_age: 27", "min_age: siebenundzwanzig"),
        [f"{MBE}: target_group.min_age:"],
    ),
    "a title as a number": (
        _replace(
            "title: {de: Jugendmigrationsdienst (JMD), en: Youth migration service (JMD)}",
            "title: 5",
        ),
        ["testburg.yaml: service testburg-jmd: title: needs a text per language"],
    ),
    "a misspelt topic": (
        _replace("[migration_counselling]", "[migraton_counselling]"),
        [
            f"{MBE}: topics[0]: unknown topic 'migraton_counselling'; "
            "did you mean 'migration_counselling'?"
        ],
    ),
    "a misspelt field": (
        _replace("    address:\n      street", "    adress:\n      street"),
        [f"{MBE}: adress: unknown field; did you mean 'address'?"],
    ),
    "a misspelt nested field": (
        _replace("      street: Musterstraße 1", "      stret: Musterstraße 1"),
        [f"{MBE}: address.stret: unknown field; did you mean 'street'?"],
    ),
    "a misspelt provider": (
        _replace(
            "provider: awo-testburg\n    topics: [youth",
            "provider: awo-testbrg\n    topics: [youth",
        ),
        [
            "testburg.yaml: service testburg-jmd: provider: unknown provider 'awo-testbrg'; "
            "did you mean 'awo-testburg'?"
        ],
    ),
    "a text in a language the catalogue lacks": (
        _replace(
            "en: Youth migration service (JMD)}", "en: Youth migration service (JMD), xx: JMD}"
        ),
        [
            "testburg.yaml: service testburg-jmd: title:",
            "'xx' is not a catalogue language; use one of de, en, ar, fa, uk, ru, tr, pl",
        ],
    ),
    "a date in no known format": (
        _replace(
            "verified: 2026-01-15\n  - id: testburg-mbe-verein",
            "verified: 15/01/2026\n  - id: testburg-mbe-verein",
        ),
        [f"{MBE}: verified: '15/01/2026' is not a date: write 2027-12-31 or 31.12.2027"],
    ),
    "a German date that is no day": (
        _replace("valid_until: 2026-12-31", "valid_until: 31.02.2026"),
        ["testburg.yaml: service testburg-mbe-verein: valid_until: '31.02.2026' is not a day"],
    ),
    "a date as a number": (
        _replace("valid_until: 2026-12-31", "valid_until: 20261231"),
        ["testburg.yaml: service testburg-mbe-verein: valid_until:", "is not a date"],
    ),
    "a huge unknown topic is quoted short": (
        _replace("[migration_counselling]", "[" + "x" * 100_000 + "]"),
        [f"{MBE}: topics[0]: unknown topic 'xxxxxxxx"],
    ),
    # Encodings.
    "Latin-1 instead of UTF-8": (
        _raw_file("region: {slug: extra, name: Göttingen}\n".encode("latin-1")),
        ["zusatz.yaml: not UTF-8 text (byte 0xf6 on line 1)"],
    ),
    "UTF-16": (
        _raw_file("region: {slug: extra, name: Extra}\n".encode("utf-16")),
        ["zusatz.yaml: not UTF-8 text"],
    ),
    # Ids used twice, reported with the other errors.
    "an id used twice in one file": (
        _replace("  - id: testburg-vhs\n", "  - id: testburg-jmd\n"),
        ["testburg.yaml: service testburg-jmd: id: duplicate id, also used in testburg.yaml"],
    ),
    "a course with a service's id": (
        _replace("  - id: testburg-ik-beispiel\n", "  - id: testburg-vhs\n"),
        ["testburg.yaml: course testburg-vhs: id: duplicate id, also used in testburg.yaml"],
    ),
    "a duplicate id in a broken record": (
        _extra_file(
            "region: {slug: extra, name: Extra}\n"
            "services:\n"
            "  - id: testburg-jmd\n"
            "    topics: [nonsense]\n"
            "    title: {de: Noch ein JMD}\n"
            "    source: test\n"
        ),
        [
            "zusatz.yaml: service testburg-jmd: id: duplicate id, also used in testburg.yaml",
            "zusatz.yaml: service testburg-jmd: topics[0]: unknown topic 'nonsense'",
        ],
    ),
    "a region slug used twice": (
        _extra_file("region: {slug: testburg, name: Noch einmal}\n"),
        ["zusatz.yaml: region testburg: slug: duplicate id, also used in testburg.yaml"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_malformed_catalogue_is_refused_and_nothing_changes(
    loaded: Engine, catalogue_copy: Path, case: str
) -> None:
    # A valid change alongside the broken one must not be written either.
    _replace("[de, tr]", "[de, tr, ar]", "nordhausen.yaml")(catalogue_copy)
    edit, expected = CASES[case]
    edit(catalogue_copy)
    before = dump(loaded)

    with pytest.raises(InvalidCatalogue) as raised:
        import_path(loaded, catalogue_copy, dry_run=True)
    with pytest.raises(InvalidCatalogue):
        import_path(loaded, catalogue_copy, retire_missing=True)

    message = str(raised.value)
    for part in expected:
        assert part in message
    assert max(len(line) for line in message.splitlines()) < 1000
    assert dump(loaded) == before


MINIMAL_HEADER = "id,region,topics,title_de,source\n"
CSV_CASES: dict[str, tuple[bytes, list[str]]] = {
    "a required column missing": (
        b"id,region,topics,source\nneu,testburg,housing,test\n",
        ["services.csv: title_de: missing column"],
    ),
    "a misspelt column": (
        b"id,region,topics,title_de,source,phnoe\nneu,testburg,housing,Neu,test,0381 123456\n",
        ["services.csv: phnoe: unknown column; did you mean 'phone'?"],
    ),
    "a column twice": (
        b"id,region,topics,title_de,source,city,city\nneu,testburg,housing,Neu,test,A,B\n",
        ["services.csv: city: the column appears twice"],
    ),
    "a row with a cell too many": (
        (MINIMAL_HEADER + "neu,testburg,housing,Neu,test,extra\n").encode(),
        ["services.csv: row 2 (neu): the row has a different number of cells"],
    ),
    "a quote that is never closed": (
        (
            MINIMAL_HEADER + 'neu,testburg,housing,"Neu,test\nzwei,testburg,work,Zwei,test\n'
        ).encode(),
        ["services.csv: row 2 (neu): the row has a different number of cells"],
    ),
    "a bad phone number in a cell": (
        b"id,region,topics,title_de,source,phone\nneu,testburg,housing,Neu,test,12\n",
        ["services.csv: row 2 (neu): phone: '12' is not a phone number"],
    ),
    "a javascript: link in a cell": (
        b"id,region,topics,title_de,source,website\nneu,testburg,housing,Neu,test,javascript:x\n",
        ["services.csv: row 2 (neu): website: 'javascript:x' is not a web address"],
    ),
    "NUL in a cell": (
        (MINIMAL_HEADER + "neu,testburg,housing,Neu\0,test\n").encode(),
        ["services.csv: row 2 (neu): title_de: contains a control character"],
    ),
    "an unknown region with a suggestion": (
        (MINIMAL_HEADER + "neu,testbrg,housing,Neu,test\n").encode(),
        ["services.csv: service neu: region: unknown region 'testbrg'; did you mean 'testburg'?"],
    ),
    "an id used twice": (
        (MINIMAL_HEADER + "neu,testburg,housing,Neu,test\nneu,testburg,work,Neu 2,test\n").encode(),
        ["services.csv: service neu: id: duplicate id, also used in services.csv"],
    ),
    "Latin-1 from an old spreadsheet": (
        (MINIMAL_HEADER + "neu,testburg,housing,Wohnungshilfe Göttingen,test\n").encode("latin-1"),
        ["services.csv: not UTF-8 text (byte 0xf6 on line 2)"],
    ),
    "a cell of 200,000 characters": (
        (MINIMAL_HEADER + "neu,testburg,housing," + "Neu" * 70_000 + ",test\n").encode(),
        ["services.csv: line 2: not valid CSV: field larger than field limit"],
    ),
    "a date in no known format": (
        b"id,region,topics,title_de,source,verified\nneu,testburg,housing,Neu,test,2026/01/15\n",
        ["services.csv: row 2 (neu): verified: '2026/01/15' is not a date"],
    ),
}


@pytest.mark.parametrize("case", list(CSV_CASES))
def test_a_malformed_csv_is_refused_and_nothing_changes(
    loaded: Engine, tmp_path: Path, case: str
) -> None:
    data, expected = CSV_CASES[case]
    csv_file = tmp_path / "services.csv"
    csv_file.write_bytes(data)
    before = dump(loaded)

    with pytest.raises(InvalidCatalogue) as raised:
        import_path(loaded, csv_file, dry_run=True)
    with pytest.raises(InvalidCatalogue):
        import_path(loaded, csv_file)

    for part in expected:
        assert part in str(raised.value)
    assert dump(loaded) == before


def test_a_minimal_csv_adds_a_service_and_keeps_the_others(loaded: Engine, tmp_path: Path) -> None:
    csv_file = tmp_path / "services.csv"
    csv_file.write_text(
        MINIMAL_HEADER
        + 'testburg-wohnen,testburg,housing,Wohnberatung,"Flyer, Seite 2"\n'
        + "testburg-mbe-awo,testburg,migration_counselling,MBE Testburg,test fixture\n",
        encoding="utf-8",
    )

    plan = import_path(loaded, csv_file)

    assert [change.id for change in plan.added] == ["testburg-wohnen"]
    assert [(change.id, change.fields) for change in plan.changed] == [
        ("testburg-mbe-awo", ("source", "title"))
    ]
    assert not plan.retired and "testburg-jmd" in {change.id for change in plan.left_out}
    with Session(loaded) as session:
        stored = read_stored(session).catalogue.services
    mbe = stored["testburg-mbe-awo"]
    # The columns the file leaves out keep what was stored, translations of other languages too.
    assert mbe.contact.phone == "+49 381 000000" and mbe.address.latitude == 54.09
    assert mbe.title["de"].text == "MBE Testburg" and "en" in mbe.title
    assert stored["testburg-wohnen"].source == "Flyer, Seite 2"
    assert "testburg-jmd" in stored


def test_a_semicolon_csv_with_a_bom_from_a_german_spreadsheet_is_read(
    loaded: Engine, tmp_path: Path
) -> None:
    csv_file = tmp_path / "services.csv"
    csv_file.write_bytes(
        "\ufeffid;region;topics;title_de;source;verified;phone\n"
        "testburg-wohnen;testburg;housing;Wohnberatung;Flyer;31.12.2025;0381 123456\n".encode()
    )

    plan = import_path(loaded, csv_file)

    assert [change.id for change in plan.added] == ["testburg-wohnen"]
    with Session(loaded) as session:
        service = read_stored(session).catalogue.services["testburg-wohnen"]
    assert service.verified == date(2025, 12, 31) and service.contact.phone == "0381 123456"


def test_a_yaml_file_with_a_bom_and_german_dates_is_read(
    loaded: Engine, catalogue_copy: Path
) -> None:
    path = catalogue_copy / "testburg.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "valid_until: 2026-12-31", "valid_until: 1.7.2027"
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))

    plan = import_path(loaded, catalogue_copy)

    assert [(change.id, change.fields) for change in plan.changed] == [
        ("testburg-mbe-verein", ("valid_until",))
    ]
    with Session(loaded) as session:
        service = read_stored(session).catalogue.services["testburg-mbe-verein"]
    assert service.valid_until == date(2027, 7, 1)
