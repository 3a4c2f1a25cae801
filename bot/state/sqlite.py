"""The state in one SQLite file under the data dir: every process of one machine shares it.

Each thread keeps its own connection (opening one costs more than a small transaction); WAL
mode lets readers run while one writer commits.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.state.base import StateStore, StateUnavailableError, timestamp

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    cited_titles TEXT NOT NULL DEFAULT '[]',
    grounded INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_by_update ON conversations (updated_at);
CREATE INDEX IF NOT EXISTS turns_by_conversation ON turns (conversation_id, id);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_by_conversation ON feedback (conversation_id);
CREATE INDEX IF NOT EXISTS feedback_by_time ON feedback (created_at);
CREATE TABLE IF NOT EXISTS claimed_events (
    event_id TEXT PRIMARY KEY,
    claimed_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS claimed_events_by_time ON claimed_events (claimed_at);
CREATE TABLE IF NOT EXISTS rate_limits (
    client TEXT NOT NULL,
    window INTEGER NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (client, window)
);
"""
# Added after the first release: files written before get them at start.
_ADDED_COLUMNS = {("conversations", "owner"): "TEXT NOT NULL DEFAULT ''"}


# Errors in how we use the database (a bug), as opposed to the database failing.
_OUR_MISTAKES = (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError)


def enable_wal(conn: sqlite3.Connection, timeout_s: float = 10.0) -> None:
    """Put the database file in WAL mode (a property of the file, kept by later connections).

    Switching needs a lock that busy connections elsewhere may hold, so a file already in
    WAL mode is left alone. SQLite answers "database is locked" at once, without its busy
    handler, when another connection holds the file (several processes or threads opening a
    new file together): the switch is retried until one of them has made it or `timeout_s`
    has passed.
    """
    deadline = time.monotonic() + timeout_s
    pause = 0.005
    while str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
        try:
            conn.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.2)


class SqliteState(StateStore):
    """Conversations, feedback, event claims and rate counts in one SQLite file."""

    def __init__(self, path: Path, history_turns: int = 6, busy_timeout_s: float = 10.0) -> None:
        self.path = path
        self.history_turns = history_turns
        self._busy_timeout_s = busy_timeout_s
        self._schema_lock = threading.Lock()
        self._schema_ready = False
        self._local = threading.local()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """Run one transaction on this thread's connection: commit, or roll back and raise.

        A connection that failed is closed and replaced on the next call; a locked, full or
        unreadable database is StateUnavailableError.
        """
        try:
            self._ensure_schema()
            conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
            if conn is None:
                conn = sqlite3.connect(self.path, timeout=self._busy_timeout_s)
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute("PRAGMA foreign_keys=ON")
                self._local.conn = conn
        except (sqlite3.Error, OSError) as exc:
            raise StateUnavailableError(f"state database {self.path}: {exc}") from exc
        try:
            with conn:
                yield conn
        except sqlite3.Error as exc:
            self._local.conn = None
            conn.close()
            if isinstance(exc, _OUR_MISTAKES):
                raise
            raise StateUnavailableError(f"state database {self.path}: {exc}") from exc

    def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        with self._schema_lock:
            if self._schema_ready:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=self._busy_timeout_s)
            try:
                enable_wal(conn, self._busy_timeout_s)
                conn.executescript(_SCHEMA)
                for (table, column), decl in _ADDED_COLUMNS.items():
                    names = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
                    if column not in names:
                        _add_column(conn, f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
            finally:
                conn.close()
            self._schema_ready = True

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._connect()

    def _stored_time(self, moment: datetime) -> str:
        """Times are stored as ISO 8601 text (UTC, milliseconds), which sorts as time does."""
        return timestamp(moment)

    def _read_time(self, stored: Any) -> str:
        return str(stored)

    def _read_titles(self, stored: Any) -> tuple[str, ...]:
        return tuple(json.loads(stored))

    def count_request(self, client: str, minute: int) -> tuple[int, int]:
        """Add one request to `client`'s count for `minute`; return (previous, this) minute's."""
        with self._connect() as conn:
            current = conn.execute(
                "INSERT INTO rate_limits (client, window, hits) VALUES (?, ?, 1)"
                " ON CONFLICT (client, window) DO UPDATE SET hits = hits + 1 RETURNING hits",
                (client, minute),
            ).fetchone()
            previous = conn.execute(
                "SELECT hits FROM rate_limits WHERE client = ? AND window = ?",
                (client, minute - 1),
            ).fetchone()
            if getattr(self._local, "pruned", None) != minute:  # once a minute per thread
                conn.execute("DELETE FROM rate_limits WHERE window < ?", (minute - 1,))
                self._local.pruned = minute
        return (int(previous[0]) if previous else 0), int(current[0])

    def close(self) -> None:
        """Close this thread's connection (others close with their threads)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            conn.close()


def _add_column(conn: sqlite3.Connection, statement: str) -> None:
    """Add a column; another process starting at the same moment may have added it first."""
    try:
        conn.execute(statement)
    except sqlite3.OperationalError as exc:
        if "duplicate column" not in str(exc):
            raise
