"""Persist conversations (bounded history), feedback and claimed event ids in SQLite.

Several API worker processes share one file, so every call opens its own short-lived
connection; WAL mode lets readers run while one writer commits.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from bot.models import Answer, Turn

Rating = Literal["up", "down"]

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
CREATE INDEX IF NOT EXISTS turns_by_conversation ON turns (conversation_id, id);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_by_conversation ON feedback (conversation_id);
CREATE TABLE IF NOT EXISTS claimed_events (
    event_id TEXT PRIMARY KEY,
    claimed_at TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Feedback:
    """One thumbs up or down on a conversation, with an optional comment."""

    id: int
    conversation_id: str
    rating: Rating
    comment: str | None
    created_at: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def enable_wal(conn: sqlite3.Connection) -> None:
    """Put the database file in WAL mode (a property of the file, kept by later connections).

    Switching needs a lock that busy connections elsewhere may hold, so a file already in
    WAL mode is left alone.
    """
    if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
        conn.execute("PRAGMA journal_mode=WAL")


class ConversationStore:
    """Conversations, feedback and event-id claims in one SQLite file."""

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

        Each thread keeps its connection (opening one costs more than a small transaction);
        one that failed is closed and replaced on the next call.
        """
        self._ensure_schema()
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=self._busy_timeout_s)
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
        try:
            with conn:
                yield conn
        except sqlite3.Error:
            self._local.conn = None
            conn.close()
            raise

    def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        with self._schema_lock:
            if self._schema_ready:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=self._busy_timeout_s)
            try:
                enable_wal(conn)
                conn.executescript(_SCHEMA)
            finally:
                conn.close()
            self._schema_ready = True

    # -- conversations ---------------------------------------------------------------
    def exists(self, conversation_id: str) -> bool:
        """Say whether a conversation with this id has been started."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
        return row is not None

    def history(self, conversation_id: str, turns: int | None = None) -> list[Turn]:
        """Return the last `turns` (default: the configured bound) turns, oldest first."""
        limit = self.history_turns if turns is None else turns
        if limit <= 0:
            return []
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT question, answer, cited_titles FROM turns WHERE conversation_id = ?"
                " ORDER BY id DESC LIMIT ?",
                (conversation_id, limit),
            ).fetchall()
        return [
            Turn(question=q, answer=a, cited_titles=tuple(json.loads(titles)))
            for q, a, titles in reversed(rows)
        ]

    def record_turn(self, conversation_id: str, question: str, answer: Answer) -> None:
        """Append one turn and prune the conversation to the configured bound."""
        titles = list(dict.fromkeys(c.title for c in answer.citations if c.title))
        now = _now()
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO conversations (id, created_at, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at",
                (conversation_id, now, now),
            )
            conn.execute(
                "INSERT INTO turns (conversation_id, question, answer, cited_titles, grounded,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    conversation_id,
                    question,
                    answer.answer,
                    json.dumps(titles),
                    answer.grounded,
                    now,
                ),
            )
            conn.execute(
                "DELETE FROM turns WHERE conversation_id = ? AND id NOT IN ("
                " SELECT id FROM turns WHERE conversation_id = ? ORDER BY id DESC LIMIT ?)",
                (conversation_id, conversation_id, max(self.history_turns, 1)),
            )

    def count_turns(self, conversation_id: str) -> int:
        """Count the turns kept for a conversation (after pruning)."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT COUNT(*) FROM turns WHERE conversation_id = ?", (conversation_id,)
            ).fetchone()
        return int(row[0])

    # -- feedback --------------------------------------------------------------------
    def add_feedback(
        self, conversation_id: str, rating: Rating, comment: str | None = None
    ) -> Feedback:
        """Store one rating of a conversation and return it."""
        if rating not in ("up", "down"):
            raise ValueError(f"rating must be 'up' or 'down', not {rating!r}")
        created_at = _now()
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT INTO feedback (conversation_id, rating, comment, created_at)"
                " VALUES (?, ?, ?, ?)",
                (conversation_id, rating, comment, created_at),
            )
            feedback_id = int(cursor.lastrowid or 0)
        return Feedback(feedback_id, conversation_id, rating, comment, created_at)

    def list_feedback(self, conversation_id: str | None = None) -> list[Feedback]:
        """Return stored feedback (of one conversation, or all), oldest first."""
        query = "SELECT id, conversation_id, rating, comment, created_at FROM feedback"
        params: Sequence[str] = ()
        if conversation_id is not None:
            query += " WHERE conversation_id = ?"
            params = (conversation_id,)
        with self._connect() as conn:
            rows = conn.execute(query + " ORDER BY id", params).fetchall()
        return [Feedback(*row) for row in rows]

    # -- event dedupe ----------------------------------------------------------------
    def claim_event(self, event_id: str) -> bool:
        """Claim an external event id; True only for the first claim in any process."""
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO claimed_events (event_id, claimed_at) VALUES (?, ?)",
                (event_id, _now()),
            )
            return cursor.rowcount == 1

    def ping(self) -> None:
        """Raise sqlite3.Error unless the database can be read."""
        with self._connect() as conn:
            conn.execute("SELECT 1").fetchone()
