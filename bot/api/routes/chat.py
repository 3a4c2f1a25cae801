"""POST /v1/chat and POST /v1/chat/stream (Server-Sent Events)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from fastapi.sse import format_sse_event

from bot.api.deps import EngineDep, OwnerDep
from bot.api.errors import ERROR_RESPONSES, error_body
from bot.api.schemas import ChatRequest
from bot.engine import StreamEvent
from bot.models import Answer

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1", tags=["chat"], responses=ERROR_RESPONSES)

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
def chat(body: ChatRequest, engine: EngineDep, owner: OwnerDep) -> Answer:
    """Answer one question (a conversation of another key's is 404)."""
    filters = body.search_filters()
    return engine.answer(body.question, body.conversation_id, filters, body.top_k, owner)


@router.post(
    "/chat/stream",
    response_class=StreamingResponse,
    responses=_SSE_DOC,
    summary="Answer a question as Server-Sent Events",
)
def chat_stream(body: ChatRequest, engine: EngineDep, owner: OwnerDep) -> StreamingResponse:
    """Stream one answer; retrieval errors still come back as JSON errors."""
    filters = body.search_filters()
    events = engine.stream(body.question, body.conversation_id, filters, body.top_k, owner)
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
        error = error_body("stream_failed", "The answer could not be completed.")
        yield format_sse_event(event="error", data_str=json.dumps(error))


def _frame(event: StreamEvent) -> bytes:
    if isinstance(event.data, Answer):
        data = event.data.model_dump_json()
    else:
        data = json.dumps(event.data, ensure_ascii=False)
    return format_sse_event(event=event.kind, data_str=data)
