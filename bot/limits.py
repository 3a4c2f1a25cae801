"""Request body size limits and per-client rate limits, shared by every API process."""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
import threading
import time
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send


async def _send_error(
    send: Send, status: int, code: str, message: str, headers: dict[str, str]
) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    raw_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    raw_headers += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
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
        limit = self.overrides.get(scope.get("path", ""), self.max_bytes)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _send_error(
                send, 413, "payload_too_large", f"request body over {limit} bytes", {}
            )
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLargeError
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLargeError:
            if not started:
                await _send_error(
                    send, 413, "payload_too_large", f"request body over {limit} bytes", {}
                )


class RateLimiter:
    """Fixed-window request counts per client, in SQLite so all workers share them."""

    def __init__(self, path: Path, per_minute: int) -> None:
        self.path = path
        self.per_minute = per_minute
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=5, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS rate_limits ("
                " client TEXT NOT NULL, window INTEGER NOT NULL, hits INTEGER NOT NULL,"
                " PRIMARY KEY (client, window))"
            )
            self._local.conn = conn
        return conn

    def hit(self, client: str, now: float | None = None) -> float | None:
        """Count one request; return seconds to wait when over the limit, else None."""
        if self.per_minute <= 0:
            return None
        moment = time.time() if now is None else now
        window = int(moment // 60)
        conn = self._connection()
        row = conn.execute(
            "INSERT INTO rate_limits (client, window, hits) VALUES (?, ?, 1) "
            "ON CONFLICT (client, window) DO UPDATE SET hits = hits + 1 RETURNING hits",
            (client, window),
        ).fetchone()
        if window % 10 == 0:
            conn.execute("DELETE FROM rate_limits WHERE window < ?", (window - 1,))
        if int(row[0]) <= self.per_minute:
            return None
        return max(1.0, (window + 1) * 60 - moment)


class RateLimitMiddleware:
    """Apply the rate limit to `/v1/*`, keyed by API key (hashed) or client IP."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Reject with 429 and Retry-After when the client is over its limit."""
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        if scope.get("method") == "OPTIONS":
            await self.app(scope, receive, send)
            return
        wait = self.limiter.hit(_client_identity(scope))
        if wait is not None:
            await _send_error(
                send,
                429,
                "rate_limited",
                "too many requests; retry later",
                {"retry-after": str(math.ceil(wait))},
            )
            return
        await self.app(scope, receive, send)


def _client_identity(scope: Scope) -> str:
    """Name the client by a hash of its bearer key, else by its address."""
    auth = dict(scope.get("headers") or []).get(b"authorization", b"")
    if auth.lower().startswith(b"bearer "):
        return "key:" + hashlib.sha256(auth[7:].strip()).hexdigest()[:24]
    client = scope.get("client")
    return "ip:" + (client[0] if client else "unknown")
