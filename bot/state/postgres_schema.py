"""The PostgreSQL schema: numbered migrations, applied at start by whichever replica is first.

A migration is appended, never edited: `tradebot_schema` records the versions a database has, and
an advisory lock makes replicas that start together apply each migration exactly once.
"""

from __future__ import annotations

from typing import Any

import psycopg

# Any constant; it names the lock, it is not a table.
_MIGRATION_LOCK = 0x74726164_65626F74 & 0x7FFFFFFFFFFFFFFF

MIGRATIONS: tuple[str, ...] = (
    # 1: conversations (bound to an owner), turns, feedback, Slack event ids, rate windows
    """
    CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL DEFAULT '',
        created_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL
    );
    CREATE INDEX conversations_by_update ON conversations (updated_at);
    CREATE TABLE turns (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        cited_titles JSONB NOT NULL DEFAULT '[]',
        grounded BOOLEAN NOT NULL,
        created_at TIMESTAMPTZ NOT NULL
    );
    CREATE INDEX turns_by_conversation ON turns (conversation_id, id);
    CREATE TABLE feedback (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
        comment TEXT,
        created_at TIMESTAMPTZ NOT NULL
    );
    CREATE INDEX feedback_by_conversation ON feedback (conversation_id);
    CREATE INDEX feedback_by_time ON feedback (created_at);
    CREATE TABLE claimed_events (
        event_id TEXT PRIMARY KEY,
        claimed_at TIMESTAMPTZ NOT NULL
    );
    CREATE INDEX claimed_events_by_time ON claimed_events (claimed_at);
    -- Counts of the last two minutes only: not worth a write-ahead log.
    CREATE UNLOGGED TABLE rate_limits (
        client TEXT NOT NULL,
        minute BIGINT NOT NULL,
        hits INTEGER NOT NULL,
        PRIMARY KEY (client, minute)
    );
    """,
)


def migrate(conn: psycopg.Connection[Any]) -> int:
    """Apply the migrations this database lacks, in one transaction; return its version."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS tradebot_schema ("
            " version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        row = conn.execute("SELECT coalesce(max(version), 0) FROM tradebot_schema").fetchone()
        current = int(row[0]) if row else 0
        for version, sql in enumerate(MIGRATIONS, start=1):
            if version > current:
                conn.execute(sql)  # several statements: psycopg sends them as one simple query
                conn.execute("INSERT INTO tradebot_schema (version) VALUES (%s)", (version,))
    return len(MIGRATIONS)
