"""A throwaway Synapse homeserver on loopback, started from its own virtualenv.

SQLite, no federation listener, shared-secret registration and rate limits high enough that only
a test that asks for throttling (``override_ratelimit``) ever meets one. Nothing here needs the
internet: the signing key is generated locally and no key server is trusted.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tests.servers.postgres import free_port

SERVER_NAME = "localhost"
REPO_ROOT = Path(__file__).resolve().parents[2]
_GENEROUS = {"per_second": 10_000, "burst_count": 10_000}


def synapse_python() -> Path:
    """Synapse's own interpreter: ``WEGWEISER_SYNAPSE_VENV``, else ``.venv-synapse``."""
    venv = Path(os.environ.get("WEGWEISER_SYNAPSE_VENV") or REPO_ROOT / ".venv-synapse")
    python = venv / "bin" / "python"
    if not python.exists():
        raise RuntimeError(
            f"Synapse is not installed in {venv}; run `make synapse` "
            "or set WEGWEISER_SYNAPSE_VENV to a virtualenv with matrix-synapse"
        )
    return python


def _config(directory: Path, port: int, shared_secret: str) -> dict:
    return {
        "server_name": SERVER_NAME,
        "public_baseurl": f"http://127.0.0.1:{port}/",
        "pid_file": str(directory / "homeserver.pid"),
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": str(directory / "homeserver.db")}},
        "media_store_path": str(directory / "media"),
        "signing_key_path": str(directory / "signing.key"),
        "log_config": str(directory / "log.yaml"),
        "registration_shared_secret": shared_secret,
        "enable_registration": False,
        "macaroon_secret_key": secrets.token_hex(32),
        "form_secret": secrets.token_hex(32),
        "report_stats": False,
        "enable_metrics": False,
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "federation_domain_whitelist": [],
        "url_preview_enabled": False,
        "presence": {"enabled": False},
        "rc_message": _GENEROUS,
        "rc_registration": _GENEROUS,
        "rc_registration_token_validity": _GENEROUS,
        "rc_login": {"address": _GENEROUS, "account": _GENEROUS, "failed_attempts": _GENEROUS},
        "rc_admin_redaction": _GENEROUS,
        "rc_joins": {"local": _GENEROUS, "remote": _GENEROUS},
        "rc_joins_per_room": _GENEROUS,
        "rc_3pid_validation": _GENEROUS,
        "rc_invites": {"per_room": _GENEROUS, "per_user": _GENEROUS, "per_issuer": _GENEROUS},
        "rc_third_party_invite": _GENEROUS,
        "rc_media_create": _GENEROUS,
        "rc_key_requests": _GENEROUS,
        "rc_room_creation": _GENEROUS,
        "rc_delayed_event_mgmt": _GENEROUS,
        "rc_reports": _GENEROUS,
    }


_LOG_CONFIG = {
    "version": 1,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "file": {"class": "logging.FileHandler", "formatter": "plain", "filename": "PLACEHOLDER"}
    },
    "root": {"level": "WARNING", "handlers": ["file"]},
    "disable_existing_loggers": False,
}


@dataclass
class SynapseServer:
    """One running homeserver; ``url`` is what clients use as homeserver address."""

    port: int
    directory: Path
    shared_secret: str
    python: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def config_path(self) -> Path:
        return self.directory / "homeserver.yaml"

    @classmethod
    def start(cls) -> SynapseServer:
        python = synapse_python()
        directory = Path(tempfile.mkdtemp(prefix="wegweiser-synapse-"))
        server = cls(
            port=free_port(),
            directory=directory,
            shared_secret=secrets.token_hex(16),
            python=python,
        )
        log_config = dict(_LOG_CONFIG)
        log_config["handlers"] = {
            "file": {**_LOG_CONFIG["handlers"]["file"], "filename": str(directory / "synapse.log")}
        }
        (directory / "log.yaml").write_text(yaml.safe_dump(log_config))
        config = _config(directory, server.port, server.shared_secret)
        server.config_path.write_text(yaml.safe_dump(config))
        server.resume()
        return server

    def resume(self) -> None:
        """Start (again) on the same port and data; the first start makes the signing key."""
        output = (self.directory / "stdout.log").open("ab")
        self.process = subprocess.Popen(
            [str(self.python), "-m", "synapse.app.homeserver", "-c", str(self.config_path)],
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=self.directory,
        )
        output.close()
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.url}/_matrix/client/versions", timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        log = (self.directory / "stdout.log").read_text(errors="replace")[-3000:]
        raise RuntimeError(f"Synapse did not start in {self.directory}:\n{log}")

    def halt(self) -> None:
        """Stop the process but keep its data, as an outage would."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def stop(self) -> None:
        self.halt()
        shutil.rmtree(self.directory, ignore_errors=True)

    def _request(
        self, method: str, path: str, body: dict | None = None, token: str | None = None
    ) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"{}")

    def register(self, localpart: str, password: str, admin: bool = False) -> dict:
        """Create a user through the shared-secret admin API; returns user_id and access_token."""
        nonce = self._request("GET", "/_synapse/admin/v1/register")["nonce"]
        mac = hmac.new(self.shared_secret.encode(), digestmod=hashlib.sha1)
        for part in (nonce, localpart, password):
            mac.update(part.encode())
            mac.update(b"\x00")
        mac.update(b"admin" if admin else b"notadmin")
        return self._request(
            "POST",
            "/_synapse/admin/v1/register",
            {
                "nonce": nonce,
                "username": localpart,
                "password": password,
                "admin": admin,
                "mac": mac.hexdigest(),
            },
        )

    def client_request(self, token: str, method: str, path: str, body: dict | None = None) -> dict:
        """Call a client-server API endpoint as the user the access token belongs to."""
        return self._request(method, path, body, token=token)

    def admin_request(
        self, admin_token: str, method: str, path: str, body: dict | None = None
    ) -> dict:
        """Call an admin API (``/_synapse/admin/...``) as an admin user."""
        return self._request(method, path, body, token=admin_token)
