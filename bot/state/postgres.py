"""The state in PostgreSQL (psycopg 3 and its pool): every replica of every machine shares it.

Every call is one short transaction on a pooled connection. `timeout_s` bounds connecting
(`connect_timeout`), each statement (`statement_timeout`), unacknowledged writes
(`tcp_user_timeout`) and the wait for a pooled connection, so a database that is down or slow
is StateUnavailableError within that time, never a hang. After a failure, calls fail at once for
`RETRY_AFTER_FAILURE_S` instead of each waiting out the timeout; the pool reconnects by itself.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolClosed, PoolTimeout

from bot.state.base import StateStore, StateUnavailableError
from bot.state.postgres_schema import migrate

log = logging.getLogger(__name__)

RETRY_AFTER_FAILURE_S = 1.0
_OUTAGES = (psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout, PoolClosed)


class PostgresState(StateStore):
    """Conversations, feedback, event claims and rate counts in one PostgreSQL database."""

    _param = "%s"

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
