"""OpenAI's chat-completions shapes as tradebot speaks them (`/v1/models`, `/v1/chat/completions`).

A request's last user message is the question; the user/assistant messages before it are
the conversation, rebuilt into `Turn`s (assistant text in `plain_answer` form loses its Sources
list). System and developer messages are accepted and not used for retrieval.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.api.errors import ApiError
from bot.models import MAX_QUESTION_CHARS, Answer, Citation, Turn
from bot.plain_answer import plain_answer, read_plain_answer

MODEL_ID = "tradebot"
Role = Literal["system", "developer", "user", "assistant"]


class ChatMessage(BaseModel):
    """One message; `content` is text or a list of text parts."""

    model_config = ConfigDict(extra="allow")  # e.g. `name`: accepted, not used

    role: Role
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        """Return the message's text (text parts joined); other parts are refused."""
        if self.content is None or isinstance(self.content, str):
            return self.content or ""
        pieces = []
        for part in self.content:
            if part.get("type") != "text" or not isinstance(part.get("text"), str):
                raise _unsupported("messages", "only text content parts are supported")
            pieces.append(part["text"])
        return "".join(pieces)


class ChatCompletionRequest(BaseModel):
    """A chat-completions request; parameters tradebot cannot honour get a 400."""

    # Other OpenAI parameters (stop, seed, top_p, presence_penalty...) are accepted and ignored.
    model_config = ConfigDict(extra="allow")

    model: str = Field(description=f"Must be `{MODEL_ID}` (see GET /v1/models)")
    messages: list[ChatMessage] = Field(min_length=1, max_length=200)
    stream: bool = False
    temperature: float | None = Field(default=None, ge=0.0, le=2.0, description="Ignored")
    max_tokens: int | None = Field(default=None, ge=1, description="Ignored")
    max_completion_tokens: int | None = Field(default=None, ge=1, description="Ignored")
    user: str | None = Field(default=None, description="Ignored")
    n: int | None = Field(default=None, description="Only 1")
    tools: list[Any] | None = Field(default=None, description="Not supported")
    tool_choice: Any = Field(default=None, description="Not supported")
    functions: list[Any] | None = Field(default=None, description="Not supported")
    function_call: Any = Field(default=None, description="Not supported")
    logprobs: bool | None = Field(default=None, description="Not supported")
    top_logprobs: int | None = Field(default=None, description="Not supported")
    response_format: dict[str, Any] | None = Field(default=None, description="Only text")

    def check_supported(self) -> None:
        """Refuse parameters whose meaning tradebot cannot deliver.

        Raises:
            ApiError: 400 `unsupported_parameter` naming the parameter, or 404 for another model.
        """
        refused = {
            "tools": bool(self.tools),
            "tool_choice": self.tool_choice not in (None, "none"),
            "functions": bool(self.functions),
            "function_call": self.function_call not in (None, "none"),
            "n": self.n not in (None, 1),
            "logprobs": bool(self.logprobs),
            "top_logprobs": bool(self.top_logprobs),
            "response_format": (self.response_format or {}).get("type", "text") != "text",
        }
        for name, refuse in refused.items():
            if refuse:
                raise _unsupported(name, f"'{name}' is not supported by {MODEL_ID}")
        if self.model != MODEL_ID:
            raise ApiError(
                404,
                "model_not_found",
                f"The model {self.model!r} does not exist; use {MODEL_ID!r}.",
            )

    def conversation(self) -> tuple[str, list[Turn]]:
        """Return the question (the last user message) and the earlier turns, oldest first.

        Raises:
            ApiError: 400 when the last message is not a user's question of 1-2000 characters.
        """
        *earlier, last = self.messages
        question = last.text().strip()
        if last.role != "user" or not question:
            raise _unsupported("messages", "the last message must be a non-empty user message")
        if len(question) > MAX_QUESTION_CHARS:
            too_long = f"the question must be at most {MAX_QUESTION_CHARS} characters"
            raise _unsupported("messages", too_long, code="invalid_request")
        turns: list[Turn] = []
        asked: str | None = None
        for message in earlier:
            if message.role == "user":
                asked = message.text().strip()
            elif message.role == "assistant" and asked:
                turns.append(read_plain_answer(asked, message.text()))
                asked = None
        return question, turns


def _unsupported(param: str, message: str, code: str = "unsupported_parameter") -> ApiError:
    return ApiError(400, code, message, details=[{"loc": ["body", param], "message": message}])


class ModelCard(BaseModel):
    """One model as `GET /v1/models` lists it."""

    id: str
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "tradebot"


class ModelList(BaseModel):
    """What `GET /v1/models` returns."""

    object: Literal["list"] = "list"
    data: list[ModelCard]


class AssistantMessage(BaseModel):
    """The answer with its `[n]` markers and a Sources list."""

    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    """The one choice of a completion."""

    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class ChatCompletion(BaseModel):
    """A completion, plus tradebot's `citations`, `grounded` and `as_of`."""

    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str = MODEL_ID
    choices: list[Choice]
    usage: None = None
    citations: list[Citation]
    grounded: bool
    as_of: str | None = Field(default=None, description="Date the answer's evidence runs to")

    @classmethod
    def of(cls, answer: Answer, completion_id: str) -> ChatCompletion:
        """Wrap an engine Answer."""
        return cls(
            id=completion_id,
            created=int(time.time()),
            choices=[Choice(message=AssistantMessage(content=plain_answer(answer)))],
            citations=answer.citations,
            grounded=answer.grounded,
            as_of=as_of(answer),
        )


class ChunkDelta(BaseModel):
    """What one chunk adds to the message."""

    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoice(BaseModel):
    """The one choice of a chunk; `finish_reason` is set on the last."""

    index: int = 0
    delta: ChunkDelta
    finish_reason: Literal["stop"] | None = None
    logprobs: None = None


class ChatCompletionChunk(BaseModel):
    """One streamed chunk; the last carries `citations`, `grounded` and `as_of`."""

    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str = MODEL_ID
    choices: list[ChunkChoice]
    citations: list[Citation] | None = None
    grounded: bool | None = None
    as_of: str | None = None


def new_completion_id() -> str:
    """Return a fresh completion id in OpenAI's style."""
    return f"chatcmpl-{uuid.uuid4().hex}"


def as_of(answer: Answer) -> str | None:
    """Return the answer's `as_of` once `Answer` carries one (null until then)."""
    value = answer.model_dump().get("as_of")
    return str(value) if value else None
