"""What every state backend offers: conversations, feedback, event claims, rate counts, retention.

The API, Slack and the engine see only `StateStore`; `bot.wiring.open_state` picks SQLite (one
machine) or PostgreSQL (many replicas) behind it.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from bot.models import Answer, Turn

Rating = Literal["up", "down"]
# The owner of conversations stored before owners existed (the next caller binds them), and
# the owner a trusted caller passes to use any conversation.
UNBOUND_OWNER = ""


class StateUnavailableError(Exception):
    """The state database cannot be reached, or did not answer within its timeout."""


class ConversationNotFoundError(LookupError):
    """No conversation with this id belongs to the caller (it may belong to someone else)."""

    def __init__(self, conversation_id: str) -> None:
        super().__init__(f"No conversation with id {conversation_id!r}.")
        self.conversation_id = conversation_id


@dataclass(frozen=True)
class Feedback:
    """One thumbs up or down on a conversation, with an optional comment."""

    id: int
    conversation_id: str
    rating: Rating
    comment: str | None
    created_at: str


@dataclass(frozen=True)
class PurgeReport:
    """How many rows one retention purge deleted, by kind."""

    conversations: int
    feedback: int
    events: int

    @property
    def total(self) -> int:
        """Return the number of rows deleted."""
        return self.conversations + self.feedback + self.events


class StateStore(ABC):
    """Conversations (bounded history, bound to an owner), feedback, event claims, rate counts.

    `owner` names who created a conversation (an API key's hash, a Slack channel); a call
    that passes an owner sees only its own conversations and gets ConversationNotFoundError
    for anyone else's. Every method raises StateUnavailableError when the database fails.

    The queries both SQL backends share live here, written with `?` parameters; a backend
    gives its transactions, its parameter style, how it stores times and titles, and the
    rate counts (whose best query differs by database).
    """

    history_turns: int
    _param = "?"  # how the driver writes a parameter: "?" (sqlite3) or "%s" (psycopg)

    @abstractmethod
    def _transaction(self) -> AbstractContextManager[Any]:
        """Run one transaction: commit, or roll back and raise (outages: StateUnavailableError)."""

    @abstractmethod
    def count_request(self, client: str, minute: int) -> tuple[int, int]:
        """Add one request to `client`'s count for `minute`; return (previous, this) minute's."""

    @abstractmethod
    def close(self) -> None:
        """Release connections (the store is not used again)."""

    def _stored_time(self, moment: datetime) -> Any:
        """A time as the database stores it (default: the driver's own datetime type)."""
        return moment

    def _read_time(self, stored: Any) -> str:
        """A stored time as the API returns it."""
        return timestamp(stored)

    def _read_titles(self, stored: Any) -> tuple[str, ...]:
        """A turn's stored cited titles (default: the driver decoded the JSON)."""
        return tuple(stored)

    def _run(self, conn: Any, query: str, params: Sequence[Any] = ()) -> Any:
        """Execute `query` (written with `?`) in this backend's parameter style."""
        return conn.execute(query.replace("?", self._param), params)

    def _owner(self, conn: Any, conversation_id: str) -> str | None:
        row = self._run(
            conn, "SELECT owner FROM conversations WHERE id = ?", (conversation_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    # -- conversations ---------------------------------------------------------------
    def exists(self, conversation_id: str) -> bool:
        """Say whether a conversation with this id has been started (by anyone)."""
        with self._transaction() as conn:
            return self._owner(conn, conversation_id) is not None

    def history(
        self, conversation_id: str, turns: int | None = None, owner: str | None = None
    ) -> list[Turn]:
        """Return the last `turns` (default: the configured bound) turns, oldest first.

        Raises:
            ConversationNotFoundError: the conversation belongs to another owner.
        """
        limit = self.history_turns if turns is None else turns
        with self._transaction() as conn:
            if owner and not may_use(self._owner(conn, conversation_id), owner):
                raise ConversationNotFoundError(conversation_id)
            if limit <= 0:
                return []
            rows = self._run(
                conn,
                "SELECT question, answer, cited_titles FROM turns WHERE conversation_id = ?"
                " ORDER BY id DESC LIMIT ?",
                (conversation_id, limit),
            ).fetchall()
        return [Turn(q, a, self._read_titles(titles)) for q, a, titles in reversed(rows)]

    def record_turn(
        self, conversation_id: str, question: str, answer: Answer, owner: str = UNBOUND_OWNER
    ) -> None:
        """Append one turn (starting the conversation for `owner`) and prune to the bound.

        Raises:
            ConversationNotFoundError: the conversation belongs to another owner.
        """
        now = self._stored_time(now_utc())
        with self._transaction() as conn:
            # The upsert locks the conversation's row until commit: concurrent turns of one
            # conversation (in any process or replica) append and prune one after the other.
            claimed = self._run(
                conn,
                "INSERT INTO conversations (id, owner, created_at, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at,"
                " owner = CASE WHEN conversations.owner = '' THEN excluded.owner"
                " ELSE conversations.owner END"
                " WHERE conversations.owner IN ('', excluded.owner) OR excluded.owner = ''"
                " RETURNING 1",
                (conversation_id, owner, now, now),
            ).fetchone()
            if claimed is None:
                raise ConversationNotFoundError(conversation_id)
            self._run(
                conn,
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
            self._run(
                conn,
                "DELETE FROM turns WHERE conversation_id = ? AND id NOT IN ("
                " SELECT id FROM turns WHERE conversation_id = ? ORDER BY id DESC LIMIT ?)",
                (conversation_id, conversation_id, max(self.history_turns, 1)),
            )

    def count_turns(self, conversation_id: str) -> int:
        """Count the turns kept for a conversation (after pruning)."""
        with self._transaction() as conn:
            row = self._run(
                conn, "SELECT count(*) FROM turns WHERE conversation_id = ?", (conversation_id,)
            ).fetchone()
        return int(row[0]) if row else 0

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
        created_at = now_utc()
        with self._transaction() as conn:
            if owner:
                stored = self._owner(conn, conversation_id)
                if stored is None or not may_use(stored, owner):
                    raise ConversationNotFoundError(conversation_id)
            row = self._run(
                conn,
                "INSERT INTO feedback (conversation_id, rating, comment, created_at)"
                " VALUES (?, ?, ?, ?) RETURNING id",
                (conversation_id, rating, comment, self._stored_time(created_at)),
            ).fetchone()
        return Feedback(int(row[0]), conversation_id, rating, comment, timestamp(created_at))

    def list_feedback(self, conversation_id: str | None = None) -> list[Feedback]:
        """Return stored feedback (of one conversation, or all), oldest first."""
        query = "SELECT id, conversation_id, rating, comment, created_at FROM feedback"
        params: tuple[str, ...] = ()
        if conversation_id is not None:
            query += " WHERE conversation_id = ?"
            params = (conversation_id,)
        with self._transaction() as conn:
            rows = self._run(conn, query + " ORDER BY id", params).fetchall()
        return [Feedback(int(i), c, r, m, self._read_time(at)) for i, c, r, m, at in rows]

    # -- event dedupe ----------------------------------------------------------------
    def claim_event(self, event_id: str) -> bool:
        """Claim an external event id; True only for the first claim by any process."""
        with self._transaction() as conn:
            cursor = self._run(
                conn,
                "INSERT INTO claimed_events (event_id, claimed_at) VALUES (?, ?)"
                " ON CONFLICT DO NOTHING",
                (event_id, self._stored_time(now_utc())),
            )
            return bool(cursor.rowcount == 1)

    # -- upkeep ----------------------------------------------------------------------
    def purge(self, before: datetime) -> PurgeReport:
        """Delete conversations idle since, and feedback and event claims made before, `before`."""
        cutoff = self._stored_time(before)
        with self._transaction() as conn:
            counts = [
                self._run(conn, f"DELETE FROM {table} WHERE {column} < ?", (cutoff,)).rowcount
                for table, column in (
                    ("conversations", "updated_at"),
                    ("feedback", "created_at"),
                    ("claimed_events", "claimed_at"),
                )
            ]
        return PurgeReport(*counts)

    def ping(self) -> None:
        """Raise StateUnavailableError unless the database answers."""
        with self._transaction() as conn:
            self._run(conn, "SELECT 1").fetchone()


def now_utc() -> datetime:
    """Return the current time, timezone-aware, to the millisecond."""
    current = datetime.now(UTC)
    return current.replace(microsecond=current.microsecond // 1000 * 1000)


def timestamp(moment: datetime) -> str:
    """Format a time as stored and returned (ISO 8601, UTC, milliseconds)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def check_rating(rating: str) -> None:
    """Raise ValueError unless `rating` is "up" or "down"."""
    if rating not in ("up", "down"):
        raise ValueError(f"rating must be 'up' or 'down', not {rating!r}")


def cited_titles(answer: Answer) -> list[str]:
    """Return the distinct titles an answer cites, in order (kept for follow-up questions)."""
    return list(dict.fromkeys(c.title for c in answer.citations if c.title))


def may_use(stored_owner: str | None, owner: str | None) -> bool:
    """Say whether `owner` may use a conversation owned by `stored_owner` (None: not started).

    No owner (None or UNBOUND_OWNER: the CLI, benchmarks) may use any conversation; a
    conversation stored before owners existed may be used, and is then bound, by anyone.
    """
    return not owner or stored_owner in (None, UNBOUND_OWNER, owner)
