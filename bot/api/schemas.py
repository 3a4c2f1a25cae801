"""Request schemas shared by several routes and channels (one definition each)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from bot.models import CONVERSATION_ID_MAX_CHARS, CONVERSATION_ID_PATTERN, MAX_QUESTION_CHARS
from ingest.models import SearchFilters

ConversationId = Annotated[
    str,
    StringConstraints(
        min_length=1, max_length=CONVERSATION_ID_MAX_CHARS, pattern=CONVERSATION_ID_PATTERN
    ),
]
SourceName = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class Filters(BaseModel):
    """Restrict retrieval to some sources and a publication window (inclusive ISO dates)."""

    model_config = ConfigDict(extra="forbid")

    sources: list[SourceName] = Field(default_factory=list, max_length=50)
    published_after: date | None = None
    published_before: date | None = None

    @model_validator(mode="after")
    def _window_in_order(self) -> Filters:
        after, before = self.published_after, self.published_before
        if after and before and after > before:
            raise ValueError("published_after must not be later than published_before")
        return self

    def to_search_filters(self) -> SearchFilters:
        """Convert to the store's filter object."""
        return SearchFilters(tuple(self.sources), self.published_after, self.published_before)


class ChatRequest(BaseModel):
    """A question, optionally continuing a conversation and restricted by filters."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    conversation_id: ConversationId | None = Field(
        default=None,
        description="Continue this conversation (one started with the same key; another key's "
        "is 404); an unknown id starts a new one under that id",
    )
    filters: Filters | None = None
    top_k: int = Field(default=5, ge=1, le=20, description="Passages retrieved for the answer")

    @field_validator("question")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("question must not be blank")
        return value.strip()

    def search_filters(self) -> SearchFilters | None:
        """Return the store filters, if any were given."""
        return self.filters.to_search_filters() if self.filters else None


class ArticleIn(BaseModel):
    """One article, in the same shape as a line of a `.jsonl` ingest file."""

    model_config = ConfigDict(extra="allow")

    id: str | None = Field(default=None, min_length=1, max_length=512)
    title: str | None = Field(
        default=None, max_length=1000, description="Found in the text if absent"
    )
    text: str = Field(min_length=1)
    published_at: str | None = Field(default=None, description="ISO date, YYYY-MM-DD")
    source: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, max_length=2000)
