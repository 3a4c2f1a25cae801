"""A real PostgreSQL server for tests: Debian's `initdb` and `pg_ctl` in a temp dir, on a free port.

PostgreSQL refuses to run as root, so when the tests run as root the cluster belongs to the
`postgres` user (Debian's package creates it) and every command runs through `runuser`.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tests.support.servers import free_port, wait_until

SUPERUSER = "tradebot_test"
INSTALL_HINT = (
    "PostgreSQL's server programs (initdb, pg_ctl) were not found under "
    "/usr/lib/postgresql/*/bin: install Debian's `postgresql` package "
    "(apt-get install -y postgresql)"
)


def server_bin_dir() -> Path:
    """Return the newest /usr/lib/postgresql/N/bin holding initdb, or fail with how to get it."""
    found = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    if not found:
        on_path = shutil.which("initdb")
        if on_path is None:
            raise RuntimeError(INSTALL_HINT)
        return Path(on_path).resolve().parent
    return found[-1]


@dataclass
class PostgresServer:
    """One PostgreSQL cluster that a test session starts, stops and restarts."""

    root: Path
    port: int
    bin_dir: Path
    run_as: str | None  # the OS user that owns the cluster when the tests run as root

    @property
    def data_dir(self) -> Path:
        """The cluster's data directory."""
        return self.root / "data"

    @property
    def log_path(self) -> Path:
        """The server's log file."""
        return self.root / "postgres.log"

    def url(self, database: str = "postgres") -> str:
        """A connection URL for `database` (what TRADEBOT_DATABASE_URL holds)."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> None:
        argv = [str(self.bin_dir / command[0]), *command[1:]]
        if self.run_as is not None:
            argv = ["runuser", "-u", self.run_as, "--", *argv]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stdout}\n{done.stderr}")

    def init(self) -> None:
        """Create the cluster: trust authentication on 127.0.0.1, no fsync (test data)."""
        self.root.mkdir(parents=True, exist_ok=True)
        if self.run_as is not None:
            account = pwd.getpwnam(self.run_as)
            os.chown(self.root, account.pw_uid, account.pw_gid)
        self._run(
            "initdb",
            "-D",
            str(self.data_dir),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-instructions",
        )

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        data, log = str(self.data_dir), str(self.log_path)
        self._run("pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "start")
        wait_until(self.accepts_connections, 60, f"PostgreSQL on port {self.port} accepts")

    def stop(self) -> None:
        """Stop the server (fast: open sessions are ended); its data stays."""
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop")

    def accepts_connections(self) -> bool:
        """Say whether a connection succeeds now."""
        try:
            with psycopg.connect(self.url(), connect_timeout=2):
                return True
        except psycopg.OperationalError:
            return False

    def create_database(self, name: str) -> str:
        """Create an empty database and return its URL."""
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # a name the tests chose, not input
        return self.url(name)


@contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """Create and start a throwaway cluster; stop it and delete its files at the end.

    Its directory is a fresh one under the system temp dir, not pytest's (which only root
    may enter), because the `postgres` user must be able to reach it.
    """
    bin_dir = server_bin_dir()
    run_as = None
    if os.geteuid() == 0:
        try:
            run_as = pwd.getpwnam("postgres").pw_name
        except KeyError as exc:
            message = f"running as root needs the `postgres` user: {INSTALL_HINT}"
            raise RuntimeError(message) from exc
    root = Path(tempfile.mkdtemp(prefix="tradebot-pg-"))
    server = PostgresServer(root, free_port(), bin_dir, run_as)
    try:
        server.init()
        server.start()
        yield server
    finally:
        if (server.data_dir / "postmaster.pid").exists():
            server.stop()
        shutil.rmtree(root, ignore_errors=True)
