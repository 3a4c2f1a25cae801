"""POST /v1/chat and POST /v1/chat/stream (Server-Sent Events)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from fastapi.sse import format_sse_event
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from bot.api.deps import EngineDep
from bot.api.errors import ERROR_RESPONSES, ErrorDetail
from bot.engine import StreamEvent
from bot.models import Answer
from ingest.store import SearchFilters

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1", tags=["chat"], responses=ERROR_RESPONSES)

MAX_QUESTION_CHARS = 2000
ConversationId = Annotated[
    str, StringConstraints(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9._:-]+$")
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
        description="Continue this conversation; an unknown id starts a new one under that id",
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


_SSE_EVENT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "event": {"type": "string", "enum": ["citations", "delta", "done", "error"]},
        "data": {"type": "string", "description": "JSON"},
    },
    "required": ["event", "data"],
}
_SSE_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "`event: citations` (retrieved passages), `event: delta` `{text}` "
        "repeated, then `event: done` with the full Answer (or `event: error`)",
        # Before OpenAPI 3.2, an event stream's `schema` describes one event.
        "content": {"text/event-stream": {"schema": _SSE_EVENT}},
    }
}


@router.post("/chat", response_model=Answer, summary="Answer a question with citations")
def chat(body: ChatRequest, engine: EngineDep) -> Answer:
    """Answer one question."""
    return engine.answer(body.question, body.conversation_id, body.search_filters(), body.top_k)


@router.post(
    "/chat/stream",
    response_class=StreamingResponse,
    responses=_SSE_DOC,
    summary="Answer a question as Server-Sent Events",
)
def chat_stream(body: ChatRequest, engine: EngineDep) -> StreamingResponse:
    """Stream one answer; retrieval errors still come back as JSON errors."""
    events = engine.stream(body.question, body.conversation_id, body.search_filters(), body.top_k)
    first = next(events)  # runs retrieval now, before the 200 is committed
    return StreamingResponse(
        _sse(first, events),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _sse(first: StreamEvent, rest: Iterator[StreamEvent]) -> Iterator[bytes]:
    yield _frame(first)
    try:
        for event in rest:
            yield _frame(event)
    except Exception:  # the status line is gone: report the failure in-band
        log.exception("answer stream failed")
        error = ErrorDetail(code="stream_failed", message="The answer could not be completed.")
        yield format_sse_event(
            event="error", data_str=json.dumps({"error": error.model_dump(exclude_none=True)})
        )


def _frame(event: StreamEvent) -> bytes:
    if isinstance(event.data, Answer):
        data = event.data.model_dump_json()
    else:
        data = json.dumps(event.data, ensure_ascii=False)
    return format_sse_event(event=event.kind, data_str=data)
