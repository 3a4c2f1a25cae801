"""The state in one SQLite file under the data dir: every process of one machine shares it.

Each thread keeps its own connection (opening one costs more than a small transaction); WAL
mode lets readers run while one writer commits.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from bot.models import Answer, Turn
from bot.state.base import (
    UNBOUND_OWNER,
    ConversationNotFoundError,
    Feedback,
    PurgeReport,
    Rating,
    StateUnavailableError,
    check_rating,
    cited_titles,
    may_use,
    now_utc,
    timestamp,
)

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


def enable_wal(conn: sqlite3.Connection) -> None:
    """Put the database file in WAL mode (a property of the file, kept by later connections).

    Switching needs a lock that busy connections elsewhere may hold, so a file already in
    WAL mode is left alone.
    """
    if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
        conn.execute("PRAGMA journal_mode=WAL")


class SqliteState:
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
                enable_wal(conn)
                conn.executescript(_SCHEMA)
                for (table, column), decl in _ADDED_COLUMNS.items():
                    names = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
                    if column not in names:
                        conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
            finally:
                conn.close()
            self._schema_ready = True

    # -- conversations ---------------------------------------------------------------
    def exists(self, conversation_id: str) -> bool:
        """Say whether a conversation with this id has been started (by anyone)."""
        with self._connect() as conn:
            return _owner(conn, conversation_id) is not None

    def history(
        self, conversation_id: str, turns: int | None = None, owner: str | None = None
    ) -> list[Turn]:
        """Return the last `turns` (default: the configured bound) turns, oldest first.

        Raises:
            ConversationNotFoundError: the conversation belongs to another owner.
        """
        limit = self.history_turns if turns is None else turns
        with self._connect() as conn:
            if owner and not may_use(_owner(conn, conversation_id), owner):
                raise ConversationNotFoundError(conversation_id)
            if limit <= 0:
                return []
            rows = conn.execute(
                "SELECT question, answer, cited_titles FROM turns WHERE conversation_id = ?"
                " ORDER BY id DESC LIMIT ?",
                (conversation_id, limit),
            ).fetchall()
        return [
            Turn(question=q, answer=a, cited_titles=tuple(json.loads(titles)))
            for q, a, titles in reversed(rows)
        ]

    def record_turn(
        self, conversation_id: str, question: str, answer: Answer, owner: str = UNBOUND_OWNER
    ) -> None:
        """Append one turn (starting the conversation for `owner`) and prune to the bound.

        Raises:
            ConversationNotFoundError: the conversation belongs to another owner.
        """
        now = timestamp(now_utc())
        with self._connect() as conn:
            claimed = conn.execute(
                "INSERT INTO conversations (id, owner, created_at, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at,"
                " owner = CASE WHEN conversations.owner = '' THEN excluded.owner"
                " ELSE conversations.owner END"
                " WHERE conversations.owner IN ('', excluded.owner) OR excluded.owner = ''",
                (conversation_id, owner, now, now),
            ).rowcount
            if claimed != 1:
                raise ConversationNotFoundError(conversation_id)
            conn.execute(
                "INSERT INTO turns (conversation_id, question, answer, cited_titles, grounded,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    conversation_id,
                    question,
                    answer.answer,
                    json.dumps(cited_titles(answer)),
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
        self,
        conversation_id: str,
        rating: Rating,
        comment: str | None = None,
        owner: str | None = None,
    ) -> Feedback:
        """Store one rating; with `owner`, only of an existing conversation of that owner.

        Raises:
            ConversationNotFoundError: `owner` was given and owns no such conversation.
        """
        check_rating(rating)
        created_at = timestamp(now_utc())
        with self._connect() as conn:
            if owner:
                stored = _owner(conn, conversation_id)
                if stored is None or not may_use(stored, owner):
                    raise ConversationNotFoundError(conversation_id)
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

    # -- event dedupe and rate counts --------------------------------------------------
    def claim_event(self, event_id: str) -> bool:
        """Claim an external event id; True only for the first claim by any process."""
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO claimed_events (event_id, claimed_at) VALUES (?, ?)",
                (event_id, timestamp(now_utc())),
            )
            return cursor.rowcount == 1

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

    # -- upkeep ----------------------------------------------------------------------
    def purge(self, before: datetime) -> PurgeReport:
        """Delete conversations idle since, and feedback and event claims made before, `before`."""
        cutoff = timestamp(before)
        with self._connect() as conn:
            conversations = conn.execute(
                "DELETE FROM conversations WHERE updated_at < ?", (cutoff,)
            ).rowcount
            feedback = conn.execute("DELETE FROM feedback WHERE created_at < ?", (cutoff,)).rowcount
            events = conn.execute(
                "DELETE FROM claimed_events WHERE claimed_at < ?", (cutoff,)
            ).rowcount
        return PurgeReport(conversations, feedback, events)

    def ping(self) -> None:
        """Raise StateUnavailableError unless the database can be read."""
        with self._connect() as conn:
            conn.execute("SELECT 1").fetchone()

    def close(self) -> None:
        """Close this thread's connection (others close with their threads)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            conn.close()


def _owner(conn: sqlite3.Connection, conversation_id: str) -> str | None:
    query = "SELECT owner FROM conversations WHERE id = ?"
    row = conn.execute(query, (conversation_id,)).fetchone()
    return None if row is None else str(row[0])
