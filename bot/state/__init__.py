"""Shared state: conversations, feedback, Slack event ids and rate-limit windows.

SQLite under the data dir (one machine, the default) or PostgreSQL (`TRADEBOT_DATABASE_URL`, any
number of replicas) behind one `StateStore` base class; `bot.wiring.open_state` picks one.
"""

from __future__ import annotations

from bot.state.base import (
    ConversationNotFoundError,
    Feedback,
    PurgeReport,
    Rating,
    StateStore,
    StateUnavailableError,
)

__all__ = [
    "ConversationNotFoundError",
    "Feedback",
    "PurgeReport",
    "Rating",
    "StateStore",
    "StateUnavailableError",
]
