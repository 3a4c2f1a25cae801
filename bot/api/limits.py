"""Body size limits, request timeouts and per-client rate limits, shared by every API process.

All three are plain ASGI middleware that answer with the JSON error envelope
(`{"error": {"code", "message"}}`) before or instead of the route:

- `BodySizeLimitMiddleware`: 413 above `max_body_bytes` (bulk ingest has its own limit).
- `RequestTimeoutMiddleware`: 504 when no response has started within `request_timeout_s`.
- `RateLimitMiddleware`: 429 with `Retry-After` when a client is over its per-minute budget.
  Counts live in the shared state (SQLite in the data dir, or PostgreSQL), so every worker
  process (and, with PostgreSQL, every replica) shares them; the client is the identity
  `bot.api.identity` derived for the request.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable, Iterable
from typing import Protocol

import anyio
from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.api.errors import error_body
from bot.api.identity import client_identity, is_api_path
from bot.settings import Settings
from bot.state import StateUnavailableError

log = logging.getLogger(__name__)

BULK_DOCUMENTS_PATH = "/v1/documents/bulk"


async def _send_error(
    send: Send, status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> None:
    body = json.dumps(error_body(code, message)).encode()
    raw_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    raw_headers += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


class _BodyTooLargeError(Exception):
    pass


class BodySizeLimitMiddleware:
    """Answer 413 to bodies over the limit, whether declared or streamed."""

    def __init__(
        self, app: ASGIApp, max_bytes: int, overrides: dict[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.overrides = overrides or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check Content-Length, then count the bytes as they arrive."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.overrides.get(str(scope.get("path", "")).rstrip("/"), self.max_bytes)
        text = f"The request body is larger than {limit} bytes."
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _send_error(send, 413, "payload_too_large", text)
            return
        received = 0
        too_large = started = replaced = False

        async def counting_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    too_large = True
                    raise _BodyTooLargeError
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started, replaced
            if replaced:
                return
            if not started and too_large:
                # A body parser caught our exception and answers its own 400: say 413 instead.
                replaced = started = True
                await _send_error(send, 413, "payload_too_large", text)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLargeError:
            if not started:
                await _send_error(send, 413, "payload_too_large", text)


class RequestTimeoutMiddleware:
    """Answer 504 when a request has not started its response within `timeout_s`.

    A sync handler's thread cannot be killed: it runs to its end and its late response is
    dropped. Streams are bounded only until their first byte (the LLM has its own deadline).
    """

    def __init__(self, app: ASGIApp, timeout_s: float, exempt: Iterable[str] = ()) -> None:
        self.app = app
        self.timeout_s = timeout_s
        self.exempt = frozenset(exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Race the request against the deadline."""
        path = str(scope.get("path", "")).rstrip("/")
        if scope["type"] != "http" or path in self.exempt:
            await self.app(scope, receive, send)
            return
        started = timed_out = False
        failure: Exception | None = None

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if timed_out:
                return  # the 504 went out already
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        async with anyio.create_task_group() as group:

            async def watchdog() -> None:
                nonlocal timed_out
                await anyio.sleep(self.timeout_s)
                if not started:
                    timed_out = True
                    log.warning("request timed out after %s s", self.timeout_s)
                    message = f"The request took longer than {self.timeout_s:g} s."
                    await _send_error(send, 504, "timeout", message)
                    group.cancel_scope.cancel()

            group.start_soon(watchdog)
            try:
                await self.app(scope, receive, guarded_send)
            except Exception as exc:
                # Raised outside the task group, which would wrap it in an ExceptionGroup
                # that outer layers (body limit, error handlers) would not recognise.
                failure = None if timed_out else exc
                if timed_out:
                    log.exception("request failed after its timeout")
            group.cancel_scope.cancel()
        if failure is not None:
            raise failure


class RequestCounts(Protocol):
    """Where the per-minute counts live (the shared state: SQLite or PostgreSQL)."""

    def count_request(self, client: str, minute: int) -> tuple[int, int]:
        """Add one request to `client`'s count for `minute`; return (previous, this) minute's."""
        ...


class RateLimiter:
    """Sliding-window request counts per client, in the shared state so all processes agree.

    The estimate is this minute's hits plus last minute's, weighted by how much of last
    minute still lies within the past 60 s, so a client cannot burst twice the limit
    across a minute boundary. `counts` returns the store (None until the app has started).
    """

    def __init__(self, counts: Callable[[], RequestCounts | None], per_minute: int) -> None:
        self.counts = counts
        self.per_minute = per_minute

    def hit(self, client: str, now: float | None = None) -> float | None:
        """Count one request; return seconds to wait when over the limit, else None.

        A database that fails (down, disk full, read-only) lets the request through: rate
        limiting protects the service, it must not take it down.
        """
        counts = self.counts()
        if self.per_minute <= 0 or counts is None:
            return None
        window, elapsed = divmod(time.time() if now is None else now, 60.0)
        try:
            previous, current = counts.count_request(client, int(window))
        except (StateUnavailableError, OSError) as exc:
            log.warning("rate limiter unavailable, request allowed: %s", exc)
            return None
        if previous * (1.0 - elapsed / 60.0) + current <= self.per_minute:
            return None
        return self._wait(previous, current, elapsed)

    def _wait(self, previous: int, current: int, elapsed: float) -> float:
        """Seconds until one more request fits the sliding estimate."""
        room = self.per_minute - 1
        if current <= room and previous > 0:  # later in this minute: last minute fades out
            return max(1.0, 60.0 * (1.0 - (room - current) / previous) - elapsed)
        # next minute: this minute's hits become the fading part
        fade = 60.0 * (1.0 - room / current) if current > 0 else 0.0
        return max(1.0, 60.0 - elapsed + fade)


class RateLimitMiddleware:
    """Apply the rate limit to `/v1/*`, per client identity (see bot.api.identity).

    A valid key is counted by its hash (a public widget key, shared by every visitor of a
    site, by its hash and the client address); anything else, refused keys included, by the
    client address.
    """

    def __init__(self, app: ASGIApp, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Reject with 429 and Retry-After when the client is over its limit."""
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or not is_api_path(path):
            await self.app(scope, receive, send)
            return
        if scope.get("method") == "OPTIONS":
            await self.app(scope, receive, send)
            return
        identity = client_identity(scope)
        wait = await anyio.to_thread.run_sync(self.limiter.hit, identity.rate_key)
        if wait is not None:
            await _send_error(
                send,
                429,
                "rate_limited",
                f"Too many requests; retry in {math.ceil(wait)} s.",
                {"retry-after": str(math.ceil(wait))},
            )
            return
        await self.app(scope, receive, send)


def install_limits(
    app: FastAPI, settings: Settings, body_limits: dict[str, int] | None = None
) -> None:
    """Add the timeout and body-size layers; call before `install_access`.

    Args:
        app: the FastAPI application being built.
        settings: supplies the limits.
        body_limits: body limits of other routes by path (Slack's), beside bulk ingest's.
    """
    app.add_middleware(
        RequestTimeoutMiddleware,
        timeout_s=settings.request_timeout_s,
        exempt=[BULK_DOCUMENTS_PATH],  # bounded by its body size; a 504 would hide its report
    )
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        overrides={**(body_limits or {}), BULK_DOCUMENTS_PATH: settings.max_bulk_body_bytes},
    )


def install_rate_limit(app: FastAPI, settings: Settings) -> None:
    """Add the rate limit; `install_access` calls it, between client identification and keys.

    Args:
        app: the FastAPI application being built.
        settings: supplies the limit; the counts live in the state the lifespan opens.
    """
    limiter = RateLimiter(
        lambda: getattr(app.state, "conversations", None), settings.rate_limit_per_minute
    )
    app.add_middleware(RateLimitMiddleware, limiter=limiter)
