"""OpenAI-compatible routes: GET /v1/models and POST /v1/chat/completions (plain and streamed).

Thin handlers over the same engine as /v1/chat; conversations are stateless (the client
sends the earlier messages), so nothing is stored per call. Errors take OpenAI's shape
(bot.api.openai_errors).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from bot.api.deps import EngineDep
from bot.api.errors import error_body
from bot.api.openai_errors import OPENAI_ERROR_RESPONSES, openai_error
from bot.api.openai_schemas import (
    MODEL_ID,
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionRequest,
    ChunkChoice,
    ChunkDelta,
    ModelCard,
    ModelList,
    as_of,
    new_completion_id,
)
from bot.engine import StreamEvent
from bot.models import Answer
from bot.plain_answer import plain_answer

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1", tags=["openai"], responses=OPENAI_ERROR_RESPONSES)
_FINAL_FIELDS = {"citations", "grounded", "as_of"}
_SSE_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A ChatCompletion, or with `stream: true` `data:` lines of "
        "chat.completion.chunk (the last with citations, grounded, as_of), then `data: [DONE]`",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}


@router.get("/models", response_model=ModelList, summary="List models (OpenAI-compatible)")
def list_models() -> ModelList:
    """List the one model, `tradebot`."""
    return ModelList(data=[ModelCard(id=MODEL_ID)])


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    responses=_SSE_DOC,
    summary="Answer the last user message (OpenAI-compatible)",
)
def chat_completions(
    body: ChatCompletionRequest, engine: EngineDep
) -> ChatCompletion | StreamingResponse:
    """Answer the conversation's last question, with citations."""
    body.check_supported()
    question, history = body.conversation()
    completion_id = new_completion_id()
    if not body.stream:
        return ChatCompletion.of(engine.answer(question, history=history), completion_id)
    events = engine.stream(question, history=history)
    next(events)  # retrieval runs now, so a store failure is still a proper error response
    return StreamingResponse(
        _chunks(completion_id, events),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _chunks(completion_id: str, events: Iterator[StreamEvent]) -> Iterator[bytes]:
    created = int(time.time())

    def chunk(delta: ChunkDelta, answer: Answer | None = None) -> bytes:
        final = answer is not None
        item = ChatCompletionChunk(
            id=completion_id,
            created=created,
            choices=[ChunkChoice(delta=delta, finish_reason="stop" if final else None)],
            citations=answer.citations if answer else None,
            grounded=answer.grounded if answer else None,
            as_of=as_of(answer) if answer else None,
        )
        body = item.model_dump(mode="json", exclude=None if final else _FINAL_FIELDS)
        body["choices"][0]["delta"] = delta.model_dump(exclude_none=True)  # as OpenAI sends it
        return _data(json.dumps(body, ensure_ascii=False))

    yield chunk(ChunkDelta(role="assistant", content=""))
    streamed = ""
    try:
        for event in events:
            if isinstance(event.data, Answer):
                yield chunk(ChunkDelta(content=_closing_text(streamed, event.data)))
                yield chunk(ChunkDelta(), event.data)
            elif event.kind == "delta" and isinstance(event.data, dict):
                streamed += event.data["text"]
                yield chunk(ChunkDelta(content=event.data["text"]))
    except Exception:  # the 200 is gone: report the failure in-band, as OpenAI does
        log.exception("chat completion stream failed")
        failure = error_body("stream_failed", "The answer could not be completed.")["error"]
        yield _data(json.dumps(openai_error(500, failure)[1]))
    yield _data("[DONE]")


def _closing_text(streamed: str, answer: Answer) -> str:
    """Return what completes the streamed text: the rest of the answer, then its Sources."""
    full = plain_answer(answer)
    if full.startswith(streamed):
        return full[len(streamed) :]
    # The LLM answerer's verified text differs from what it streamed: send the verified one.
    return f"\n\nVerified answer: {full}"


def _data(payload: str) -> bytes:
    return f"data: {payload}\n\n".encode()
