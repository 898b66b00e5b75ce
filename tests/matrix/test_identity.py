"""The cross-signing keys on disk: what the recovery commands accept, refuse and protect, without
a homeserver (the published side is in test_cross_signing.py)."""

from __future__ import annotations

import json
from pathlib import Path

import nacl.signing
import pytest
from nacl.encoding import Base64Encoder
from typer.testing import CliRunner, Result

from bot.adapters.matrix.cross_signing import Published
from bot.adapters.matrix.identity import Identity
from bot.cli import app as cli
from tests.matrix.trust import signed_by

USER = "@wegweiser:stadt.de"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WEGWEISER_MATRIX_HOMESERVER", "http://127.0.0.1:9")
    monkeypatch.setenv("WEGWEISER_MATRIX_USER", USER)
    monkeypatch.setenv("WEGWEISER_MATRIX_STORE", str(tmp_path / "store"))
    return tmp_path / "store"


def matrix(*args: str) -> Result:
    return CliRunner().invoke(cli, ["matrix", *args])


def test_published_keys_are_signed_as_the_spec_says() -> None:
    identity = Identity.generate(USER)
    published = identity.published_keys()
    master = published["master_key"]
    assert master["usage"] == ["master"] and master["user_id"] == USER
    (master_public,) = master["keys"].values()
    nacl_public = nacl.signing.SigningKey(identity.master.seed).verify_key.encode(Base64Encoder)
    assert nacl_public.decode().rstrip("=") == master_public  # the seed gives this public key
    for name, usage in (("self_signing_key", "self_signing"), ("user_signing_key", "user_signing")):
        assert published[name]["usage"] == [usage]
        assert signed_by(published[name], USER, master_public)
    device = {"user_id": USER, "device_id": "DEV", "keys": {"ed25519:DEV": "x"}, "unsigned": {}}
    signed = identity.sign_device(device)
    assert signed_by(signed, USER, identity.self_signing.public)
    assert not signed_by(signed, USER, identity.user_signing.public)


def test_export_restore_round_trip_keeps_the_identity_and_protects_the_files(
    store: Path, tmp_path: Path
) -> None:
    identity = Identity.generate(USER)
    identity.write(store / "cross-signing.json")
    recovery = tmp_path / "recovery.json"
    assert matrix("export-recovery", str(recovery)).exit_code == 0
    assert recovery.stat().st_mode & 0o777 == 0o600
    again = matrix("export-recovery", str(recovery))
    assert again.exit_code == 1 and "exists already" in again.output  # never overwritten

    (store / "cross-signing.json").unlink()
    restored = matrix("restore", str(recovery))
    assert restored.exit_code == 0, restored.output
    assert Identity.read(store / "cross-signing.json") == identity
    assert (store / "cross-signing.json").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"format": "something-else"}, "field 'format'"),
        ({"user_id": "wegweiser"}, "field 'user_id'"),
        ({"self_signing": "AAAA"}, "field 'self_signing'"),
        ({"master": "!!not base64!!"}, "field 'master'"),
        ({"master_public": "AAAA"}, "field 'master_public'"),
    ],
)
def test_a_malformed_recovery_file_changes_nothing_and_names_file_and_field(
    store: Path, tmp_path: Path, change: dict, named: str
) -> None:
    raw = {**Identity.generate(USER).to_json(), **change}
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(raw))
    refused = matrix("restore", str(broken))
    assert refused.exit_code == 1
    assert "broken.json" in refused.output and named in refused.output
    assert not (store / "cross-signing.json").exists()


def test_restore_refuses_keys_of_another_account_and_never_replaces_other_keys(
    store: Path, tmp_path: Path
) -> None:
    foreign = tmp_path / "foreign.json"
    Identity.generate("@someone:else.org").write(foreign)
    refused = matrix("restore", str(foreign))
    assert refused.exit_code == 1 and "@someone:else.org" in refused.output

    current = Identity.generate(USER)
    current.write(store / "cross-signing.json")
    other = tmp_path / "other.json"
    Identity.generate(USER).write(other)
    kept = matrix("restore", str(other))
    assert kept.exit_code == 1 and "other cross-signing keys" in kept.output
    assert Identity.read(store / "cross-signing.json") == current


def test_status_without_a_homeserver_says_what_it_knows(store: Path) -> None:
    shown = matrix("status")
    assert shown.exit_code == 0
    assert f"User:          {USER}" in shown.output
    assert "Cross-signed:  unknown" in shown.output
    assert "no keys in the store" in shown.output


def test_keys_a_homeserver_mangles_count_as_not_cross_signed() -> None:
    identity = Identity.generate(USER)
    published = identity.published_keys()
    device = identity.sign_device({"user_id": USER, "device_id": "DEV", "keys": {}})
    good = Published(published["master_key"], published["self_signing_key"], device)
    assert good.device_cross_signed(USER)
    forged = {**device, "keys": {"ed25519:DEV": "another key"}}  # signature no longer covers it
    keys = (published["master_key"], published["self_signing_key"])
    assert not Published(*keys, forged).device_cross_signed(USER)
    mangled = {**published["self_signing_key"], "signatures": ["not", "an", "object"]}
    assert not Published(published["master_key"], mangled, device).device_cross_signed(USER)
    assert not Published({"keys": "x"}, None, device).device_cross_signed(USER)
