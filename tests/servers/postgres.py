"""A throwaway PostgreSQL server on loopback, started from the installed server binaries.

Runs as the ``postgres`` system user when the tests run as root (PostgreSQL refuses root).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_bindir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for directory in candidates:
        if Path(directory, "initdb").exists():
            return Path(directory)
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise RuntimeError(
        "PostgreSQL server binaries not found; install them (Debian: apt-get install postgresql)"
    )


@dataclass
class PostgresServer:
    port: int
    datadir: Path
    bindir: Path
    as_user: str | None

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_user:
            command = ["runuser", "-u", self.as_user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True)

    @classmethod
    def start(cls) -> PostgresServer:
        as_user = "postgres" if os.geteuid() == 0 else None
        datadir = Path(tempfile.mkdtemp(prefix="wegweiser-pg-"))
        if as_user:
            shutil.chown(datadir, user=as_user)
        server = cls(port=free_port(), datadir=datadir, bindir=server_bindir(), as_user=as_user)
        server._run(
            "initdb", "-D", str(datadir), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"
        )
        options = f"-p {server.port} -k {datadir} -c listen_addresses=127.0.0.1 -c fsync=off"
        server._run(
            "pg_ctl", "-D", str(datadir), "-o", options, "-l", str(datadir / "log"), "-w", "start"
        )
        server._wait()
        return server

    def _wait(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"PostgreSQL did not start; see {self.datadir / 'log'}")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "stop")
        shutil.rmtree(self.datadir, ignore_errors=True)
