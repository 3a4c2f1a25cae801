"""The state in PostgreSQL (psycopg 3 and its pool): every replica of every machine shares it.

Every call is one short transaction on a pooled connection. `timeout_s` bounds connecting
(`connect_timeout`), each statement (`statement_timeout`), unacknowledged writes
(`tcp_user_timeout`) and the wait for a pooled connection, so a database that is down or slow
is StateUnavailableError within that time, never a hang. After a failure, calls fail at once for
`RETRY_AFTER_FAILURE_S` instead of each waiting out the timeout; the pool reconnects by itself.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolClosed, PoolTimeout

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
from bot.state.postgres_schema import migrate

log = logging.getLogger(__name__)

RETRY_AFTER_FAILURE_S = 1.0
_OUTAGES = (psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout, PoolClosed)


class PostgresState:
    """Conversations, feedback, event claims and rate counts in one PostgreSQL database."""

    def __init__(
        self, url: str, history_turns: int = 6, timeout_s: float = 5.0, pool_size: int = 10
    ) -> None:
        self.history_turns = history_turns
        self._timeout_s = timeout_s
        self._schema_ready = False
        self._schema_lock = threading.Lock()
        self._retry_at = 0.0
        self._pruned_minute: int | None = None
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            timeout=timeout_s,
            # A pool that failed to reconnect for this long stops retrying on its own; the
            # next request starts a fresh attempt, so recovery never waits on a long backoff.
            reconnect_timeout=max(5.0, 2 * timeout_s),
            check=ConnectionPool.check_connection,  # drop connections a restart killed
            kwargs=_connect_options(timeout_s),
            name="tradebot-state",
            open=False,
        )
        self._pool.open(wait=False)  # connects in the background; a database down is no error

    @contextmanager
    def _transaction(self) -> Iterator[psycopg.Connection[Any]]:
        """Run one transaction on a pooled connection: commit, or roll back and raise."""
        if time.monotonic() < self._retry_at:
            raise StateUnavailableError("the state database failed a moment ago")
        try:
            self._ensure_schema()
            with self._pool.connection() as conn:
                yield conn
        except _OUTAGES as exc:
            self._retry_at = time.monotonic() + RETRY_AFTER_FAILURE_S
            log.warning("state database unavailable: %s", exc)
            raise StateUnavailableError(f"state database: {exc}") from exc

    def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        with self._schema_lock:
            if not self._schema_ready:
                with self._pool.connection() as conn:
                    migrate(conn)
                self._schema_ready = True

    # -- conversations ---------------------------------------------------------------
    def exists(self, conversation_id: str) -> bool:
        """Say whether a conversation with this id has been started (by anyone)."""
        with self._transaction() as conn:
            return _owner(conn, conversation_id) is not None

    def history(
        self, conversation_id: str, turns: int | None = None, owner: str | None = None
    ) -> list[Turn]:
        """Return the last `turns` (default: the configured bound) turns, oldest first.

        Raises:
            ConversationNotFoundError: the conversation belongs to another owner.
        """
        limit = self.history_turns if turns is None else turns
        with self._transaction() as conn:
            if owner and not may_use(_owner(conn, conversation_id), owner):
                raise ConversationNotFoundError(conversation_id)
            if limit <= 0:
                return []
            rows = conn.execute(
                "SELECT question, answer, cited_titles FROM turns WHERE conversation_id = %s"
                " ORDER BY id DESC LIMIT %s",
                (conversation_id, limit),
            ).fetchall()
        return [Turn(q, a, tuple(titles)) for q, a, titles in reversed(rows)]

    def record_turn(
        self, conversation_id: str, question: str, answer: Answer, owner: str = UNBOUND_OWNER
    ) -> None:
        """Append one turn (starting the conversation for `owner`) and prune to the bound.

        Raises:
            ConversationNotFoundError: the conversation belongs to another owner.
        """
        now = now_utc()
        with self._transaction() as conn:
            # The upsert locks the conversation's row until commit: concurrent turns of one
            # conversation (on any replica) append and prune one after the other.
            claimed = conn.execute(
                "INSERT INTO conversations (id, owner, created_at, updated_at)"
                " VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (id) DO UPDATE SET updated_at = EXCLUDED.updated_at,"
                " owner = CASE WHEN conversations.owner = '' THEN EXCLUDED.owner"
                " ELSE conversations.owner END"
                " WHERE conversations.owner IN ('', EXCLUDED.owner) OR EXCLUDED.owner = ''"
                " RETURNING 1",
                (conversation_id, owner, now, now),
            ).fetchone()
            if claimed is None:
                raise ConversationNotFoundError(conversation_id)
            conn.execute(
                "INSERT INTO turns (conversation_id, question, answer, cited_titles, grounded,"
                " created_at) VALUES (%s, %s, %s, %s, %s, %s)",
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
                "DELETE FROM turns WHERE conversation_id = %s AND id NOT IN ("
                " SELECT id FROM turns WHERE conversation_id = %s ORDER BY id DESC LIMIT %s)",
                (conversation_id, conversation_id, max(self.history_turns, 1)),
            )

    def count_turns(self, conversation_id: str) -> int:
        """Count the turns kept for a conversation (after pruning)."""
        with self._transaction() as conn:
            row = conn.execute(
                "SELECT count(*) FROM turns WHERE conversation_id = %s", (conversation_id,)
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
                stored = _owner(conn, conversation_id)
                if stored is None or not may_use(stored, owner):
                    raise ConversationNotFoundError(conversation_id)
            row = conn.execute(
                "INSERT INTO feedback (conversation_id, rating, comment, created_at)"
                " VALUES (%s, %s, %s, %s) RETURNING id",
                (conversation_id, rating, comment, created_at),
            ).fetchone()
        assert row is not None
        return Feedback(int(row[0]), conversation_id, rating, comment, timestamp(created_at))

    def list_feedback(self, conversation_id: str | None = None) -> list[Feedback]:
        """Return stored feedback (of one conversation, or all), oldest first."""
        query = "SELECT id, conversation_id, rating, comment, created_at FROM feedback"
        params: tuple[str, ...] = ()
        if conversation_id is not None:
            query += " WHERE conversation_id = %s"
            params = (conversation_id,)
        with self._transaction() as conn:
            rows = conn.execute(query + " ORDER BY id", params).fetchall()
        return [Feedback(int(i), c, r, m, timestamp(at)) for i, c, r, m, at in rows]

    # -- event dedupe and rate counts --------------------------------------------------
    def claim_event(self, event_id: str) -> bool:
        """Claim an external event id; True only for the first claim by any replica."""
        with self._transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO claimed_events (event_id, claimed_at) VALUES (%s, %s)"
                " ON CONFLICT DO NOTHING",
                (event_id, now_utc()),
            )
            return cursor.rowcount == 1

    def count_request(self, client: str, minute: int) -> tuple[int, int]:
        """Add one request to `client`'s count for `minute`; return (previous, this) minute's."""
        with self._transaction() as conn:
            row = conn.execute(
                "WITH hit AS (INSERT INTO rate_limits (client, minute, hits)"
                " VALUES (%(client)s, %(minute)s, 1) ON CONFLICT (client, minute)"
                " DO UPDATE SET hits = rate_limits.hits + 1 RETURNING hits)"
                " SELECT (SELECT hits FROM hit), coalesce((SELECT hits FROM rate_limits"
                " WHERE client = %(client)s AND minute = %(minute)s - 1), 0)",
                {"client": client, "minute": minute},
            ).fetchone()
            if self._pruned_minute != minute:  # once a minute per process
                self._pruned_minute = minute
                conn.execute("DELETE FROM rate_limits WHERE minute < %s", (minute - 1,))
        assert row is not None
        return int(row[1]), int(row[0])

    # -- upkeep ----------------------------------------------------------------------
    def purge(self, before: datetime) -> PurgeReport:
        """Delete conversations idle since, and feedback and event claims made before, `before`."""
        with self._transaction() as conn:
            counts = [
                conn.execute(f"DELETE FROM {table} WHERE {column} < %s", (before,)).rowcount
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
            conn.execute("SELECT 1").fetchone()

    def close(self) -> None:
        """Close the pool and its connections."""
        self._pool.close(timeout=self._timeout_s)


def _connect_options(timeout_s: float) -> dict[str, Any]:
    millis = max(1, round(timeout_s * 1000))
    return {
        "connect_timeout": max(2, math.ceil(timeout_s)),  # libpq: whole seconds, at least 2
        "options": f"-c statement_timeout={millis} -c lock_timeout={millis}",
        "tcp_user_timeout": millis,  # a peer that vanished mid-request
        "keepalives": 1,
        "application_name": "tradebot",
    }


def _owner(conn: psycopg.Connection[Any], conversation_id: str) -> str | None:
    row = conn.execute(
        "SELECT owner FROM conversations WHERE id = %s", (conversation_id,)
    ).fetchone()
    return None if row is None else str(row[0])
