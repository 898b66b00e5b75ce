"""The bot's cross-signing identity: three ed25519 keys and the signatures the spec asks for.

Current clients (Element with "exclude insecure devices", MSC4153) talk only to devices their
owner has signed. matrix-nio has no cross-signing, so the bot keeps its own: a master key (its
identity, what people may verify), a self-signing key (signs the bot's devices) and a
user-signing key (required by the spec; the bot signs no other users). The private seeds live in
the store, readable only by the bot; a recovery file with the same seeds lets a new store carry
on with the same identity.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from canonicaljson import encode_canonical_json
from Crypto.PublicKey import ECC
from Crypto.Signature import eddsa
from unpaddedbase64 import decode_base64, encode_base64

IDENTITY_FILE = "cross-signing.json"
RECOVERY_FORMAT = "wegweiser-matrix-recovery-v1"
_ROLES = ("master", "self_signing", "user_signing")


class IdentityFileError(ValueError):
    """A key or recovery file that cannot be used; the message names the file and the field."""


def fingerprint(public: str) -> str:
    """A public key in groups of four, as clients show it for comparison."""
    return " ".join(public[i : i + 4] for i in range(0, len(public), 4))


@dataclass(frozen=True)
class SigningKey:
    """One ed25519 key pair, kept as its 32-byte seed."""

    seed: bytes

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(secrets.token_bytes(32))

    @property
    def public(self) -> str:
        """The public key in unpadded base64, as Matrix names keys."""
        key = ECC.construct(curve="Ed25519", seed=self.seed)
        return encode_base64(key.public_key().export_key(format="raw"))

    @property
    def key_id(self) -> str:
        return f"ed25519:{self.public}"

    def signature(self, payload: dict[str, Any]) -> str:
        """Sign the canonical JSON of ``payload`` without ``signatures`` and ``unsigned``."""
        signed = {k: v for k, v in payload.items() if k not in ("signatures", "unsigned")}
        key = ECC.construct(curve="Ed25519", seed=self.seed)
        return encode_base64(eddsa.new(key, "rfc8032").sign(encode_canonical_json(signed)))

    def sign(self, user_id: str, payload: dict[str, Any]) -> dict[str, Any]:
        """``payload`` with this key's signature added to the ones it already has."""
        signatures = {owner: dict(sigs) for owner, sigs in payload.get("signatures", {}).items()}
        signatures.setdefault(user_id, {})[self.key_id] = self.signature(payload)
        return {**payload, "signatures": signatures}


@dataclass(frozen=True)
class Identity:
    user_id: str
    master: SigningKey
    self_signing: SigningKey
    user_signing: SigningKey

    @classmethod
    def generate(cls, user_id: str) -> Identity:
        return cls(user_id, SigningKey.generate(), SigningKey.generate(), SigningKey.generate())

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.master.public)

    def _public(self, key: SigningKey, usage: str) -> dict[str, Any]:
        return {"user_id": self.user_id, "usage": [usage], "keys": {key.key_id: key.public}}

    def published_keys(self) -> dict[str, Any]:
        """The body of ``/keys/device_signing/upload``: the public keys, the sub-keys signed by
        the master key."""
        return {
            "master_key": self._public(self.master, "master"),
            "self_signing_key": self.master.sign(
                self.user_id, self._public(self.self_signing, "self_signing")
            ),
            "user_signing_key": self.master.sign(
                self.user_id, self._public(self.user_signing, "user_signing")
            ),
        }

    def sign_device(self, device_keys: dict[str, Any]) -> dict[str, Any]:
        """The device's keys as the server holds them, signed by the self-signing key."""
        return self.self_signing.sign(self.user_id, device_keys)

    # -- files -------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "format": RECOVERY_FORMAT,
            "user_id": self.user_id,
            **{role: encode_base64(getattr(self, role).seed) for role in _ROLES},
            "master_public": self.master.public,
        }

    @classmethod
    def from_json(cls, raw: Any, source: Path) -> Identity:
        """Read keys written by ``to_json``; refuse anything else with file and field named."""
        if not isinstance(raw, dict) or raw.get("format") != RECOVERY_FORMAT:
            raise IdentityFileError(f"{source}: field 'format': not a {RECOVERY_FORMAT} file")
        user_id = raw.get("user_id")
        if not isinstance(user_id, str) or not user_id.startswith("@") or ":" not in user_id:
            raise IdentityFileError(f"{source}: field 'user_id': not a Matrix user id")
        seeds = {}
        for role in _ROLES:
            try:
                seed = decode_base64(str(raw.get(role, "")))
            except ValueError:
                seed = b""
            if len(seed) != 32:
                raise IdentityFileError(f"{source}: field '{role}': not a 32-byte ed25519 seed")
            seeds[role] = SigningKey(seed)
        identity = cls(user_id, **seeds)
        if raw.get("master_public") not in (None, identity.master.public):
            raise IdentityFileError(f"{source}: field 'master_public': does not match 'master'")
        return identity

    @classmethod
    def read(cls, path: Path) -> Identity:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise IdentityFileError(f"{path}: cannot be read as JSON ({error})") from error
        return cls.from_json(raw, path)

    def write(self, path: Path) -> None:
        """Write atomically, readable by the bot's user only: these keys are the bot's identity."""
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_name(path.name + ".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(self.to_json(), handle, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)


def identity_path(store: Path) -> Path:
    return store / IDENTITY_FILE


def stored_identity(store: Path) -> Identity | None:
    path = identity_path(store)
    return Identity.read(path) if path.exists() else None
