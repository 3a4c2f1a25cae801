"""What every state backend offers: conversations, feedback, event claims, rate counts, retention.

The API, Slack and the engine see only `StateStore`; `bot.wiring.open_state` picks SQLite (one
machine) or PostgreSQL (many replicas) behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, Protocol

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


class StateStore(Protocol):
    """Conversations (bounded history, bound to an owner), feedback, event claims, rate counts.

    `owner` names who created a conversation (an API key's hash, a Slack channel); a call
    that passes an owner sees only its own conversations and gets ConversationNotFoundError
    for anyone else's. Every method raises StateUnavailableError when the database fails.
    """

    history_turns: int

    def exists(self, conversation_id: str) -> bool:
        """Say whether a conversation with this id has been started (by anyone)."""
        ...

    def history(
        self, conversation_id: str, turns: int | None = None, owner: str | None = None
    ) -> list[Turn]:
        """Return the last `turns` (default: the configured bound) turns, oldest first."""
        ...

    def record_turn(
        self, conversation_id: str, question: str, answer: Answer, owner: str = UNBOUND_OWNER
    ) -> None:
        """Append one turn (starting the conversation for `owner`) and prune to the bound."""
        ...

    def count_turns(self, conversation_id: str) -> int:
        """Count the turns kept for a conversation (after pruning)."""
        ...

    def add_feedback(
        self,
        conversation_id: str,
        rating: Rating,
        comment: str | None = None,
        owner: str | None = None,
    ) -> Feedback:
        """Store one rating; with `owner`, only of an existing conversation of that owner."""
        ...

    def list_feedback(self, conversation_id: str | None = None) -> list[Feedback]:
        """Return stored feedback (of one conversation, or all), oldest first."""
        ...

    def claim_event(self, event_id: str) -> bool:
        """Claim an external event id; True only for the first claim by any process."""
        ...

    def count_request(self, client: str, minute: int) -> tuple[int, int]:
        """Add one request to `client`'s count for `minute`; return (previous, this) minute's."""
        ...

    def purge(self, before: datetime) -> PurgeReport:
        """Delete conversations idle since, and feedback and event claims made before, `before`."""
        ...

    def ping(self) -> None:
        """Raise StateUnavailableError unless the database answers."""
        ...

    def close(self) -> None:
        """Release connections (the store is not used again)."""
        ...


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
