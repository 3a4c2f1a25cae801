"""OpenAI's error shape on the OpenAI-compatible routes, derived from tradebot's one error body.

Every layer (keys, limits, validation, handlers) answers with `{"error": {"code", "message"}}`.
On `/v1/models` and `/v1/chat/completions` this middleware rewrites such a body into OpenAI's
`{"error": {"message", "type", "param", "code"}}`, and a 422 into the 400 OpenAI clients expect,
so an SDK raises its usual exception (401 -> `AuthenticationError`, 429 -> `RateLimitError`).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel
from starlette.types import ASGIApp, Message, Receive, Scope, Send

OPENAI_PATHS = frozenset({"/v1/models", "/v1/chat/completions"})
_TYPES = {
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    429: "rate_limit_error",
}


class OpenAIErrorDetail(BaseModel):
    """OpenAI's error object; `code` is tradebot's error code."""

    message: str
    type: str
    param: str | None = None
    code: str | None = None


class OpenAIErrorResponse(BaseModel):
    """The body of every error on the OpenAI-compatible routes."""

    error: OpenAIErrorDetail


# Declared on the OpenAI-compatible routes so the OpenAPI document describes what is sent.
OPENAI_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": OpenAIErrorResponse, "description": "Client error (OpenAI's shape)"},
    "5XX": {"model": OpenAIErrorResponse, "description": "Server error (OpenAI's shape)"},
}


def openai_error(status: int, error: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Return the status and OpenAI-shaped body for one tradebot error object."""
    status = 400 if status == 422 else status
    kind = _TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
    param = None
    for detail in error.get("details") or []:
        names = [str(p) for p in detail.get("loc", ()) if p not in ("body", "query", "path")]
        if names:
            param = ".".join(names)
            break
    detail = OpenAIErrorDetail(message=error["message"], type=kind, param=param, code=error["code"])
    return status, OpenAIErrorResponse(error=detail).model_dump()


class OpenAIErrorShape:
    """ASGI middleware: reshape JSON error responses on the OpenAI-compatible routes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass successes through untouched; buffer and rewrite error bodies."""
        path = str(scope.get("path", "")).rstrip("/")
        if scope["type"] != "http" or path not in OPENAI_PATHS:
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def reshaping_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if message["status"] < 400:
                    await send(message)
                else:
                    start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                await _send_reshaped(send, start, b"".join(chunks))

        await self.app(scope, receive, reshaping_send)


async def _send_reshaped(send: Send, start: Message, body: bytes) -> None:
    status = int(start["status"])
    try:
        error = json.loads(body)["error"]
        if "type" not in error:  # not already OpenAI-shaped
            status, shaped = openai_error(status, error)
            body = json.dumps(shaped).encode()
    except (ValueError, KeyError, TypeError):
        pass  # not our JSON envelope (e.g. a plain-text CORS refusal): leave it as it is
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({**start, "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
