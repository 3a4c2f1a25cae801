"""Who may call what: API keys by scope, origin-bound widget keys, and CORS.

Keys come from `Settings` (`TRADEBOT_API_KEYS`, `TRADEBOT_ADMIN_API_KEYS`, `TRADEBOT_WIDGET_KEYS`).
With no keys configured the API is open (local use). With any key configured, every `/v1/*`
route needs `Authorization: Bearer KEY`:

- admin keys reach everything;
- query keys reach chat, search, feedback and every read (GET) route;
- widget keys are public (they sit in a web page), so they reach only the chat endpoints, and
  only from a browser origin listed in `TRADEBOT_CORS_ORIGINS` (or the app's own origin).

The MCP endpoint `/mcp` takes the same keys: query and admin keys, not widget keys.
Everything outside `/v1/` and `/mcp` (`/`, `/widget.js`, `/healthz`, `/readyz`, `/metrics`, Slack's
signed routes) stays open. Keys are compared in constant time and never logged or echoed.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.api.errors import error_response
from bot.api.identity import (
    IdentifyClientMiddleware,
    KeyRing,
    KeyScope,
    client_identity,
    is_api_path,
)
from bot.api.limits import install_rate_limit
from bot.mcp_server import MCP_PATH
from bot.settings import Settings

WIDGET_PATHS = frozenset({"/v1/chat", "/v1/chat/stream", "/v1/feedback"})
QUERY_POST_PATHS = WIDGET_PATHS | {"/v1/search", "/v1/chat/completions"}
_READ_METHODS = frozenset({"GET", "HEAD"})


def scope_allows(scope: KeyScope, method: str, path: str) -> bool:
    """Say whether a key of `scope` may call `method path` (path without a trailing slash)."""
    if scope == "admin":
        return True
    if scope == "widget":
        return method == "POST" and path in WIDGET_PATHS
    if path == MCP_PATH:  # the protocol's own POST, GET and DELETE
        return True
    return method in _READ_METHODS or (method == "POST" and path in QUERY_POST_PATHS)


def _error(status: int, code: str, message: str) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return error_response(status, code, message, headers=headers)


class AccessGuard:
    """ASGI middleware that enforces key scopes and widget origins on `/v1/*` and `/mcp`."""

    def __init__(self, app: ASGIApp, keys: KeyRing, cors_origins: Sequence[str]) -> None:
        self.app = app
        self.keys = keys
        self.cors_origins = frozenset(cors_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass allowed requests through; answer the rest with a JSON 401 or 403."""
        path = scope.get("path", "")
        if scope["type"] != "http" or not self.keys.configured or not is_api_path(path):
            await self.app(scope, receive, send)
            return
        denial = self._deny(scope, Headers(scope=scope), path.rstrip("/"))
        if denial is None:
            await self.app(scope, receive, send)
        else:
            await denial(scope, receive, send)

    def _deny(self, scope: Scope, headers: Headers, path: str) -> JSONResponse | None:
        identity = client_identity(scope)
        if not identity.presented_key:
            return _error(401, "unauthorized", "Send an API key as 'Authorization: Bearer KEY'.")
        key_scope = identity.key_scope
        if key_scope is None:
            return _error(401, "unauthorized", "The API key is not valid.")
        method = scope["method"]
        if not scope_allows(key_scope, method, path):
            return _error(403, "forbidden", f"This {key_scope} key cannot call {method} {path}.")
        if key_scope == "widget" and not self._origin_allowed(scope, headers):
            return _error(403, "origin_not_allowed", "This widget key is not allowed on this site.")
        return None

    def _origin_allowed(self, scope: Scope, headers: Headers) -> bool:
        origin = headers.get("origin")
        if not origin:
            return False
        if "*" in self.cors_origins or origin in self.cors_origins:
            return True
        # The app's own pages (the demo at `/`) are same-origin and need no CORS entry.
        return origin == f"{scope.get('scheme', 'http')}://{headers.get('host', '')}"


def install_access(app: FastAPI, settings: Settings) -> None:
    """Add identification, the rate limit, key checks and CORS; call it after `install_limits`.

    From the outside in: CORS, `IdentifyClientMiddleware`, the rate limit, `AccessGuard`. The
    rate limit sits outside the key check, so refused keys (401) are counted too, against the
    address that sent them.

    Args:
        app: the FastAPI application being built.
        settings: supplies the key lists, the allowed browser origins and the rate limit.
    """
    keys = KeyRing.from_settings(settings)
    app.add_middleware(AccessGuard, keys=keys, cors_origins=settings.cors_origins)
    install_rate_limit(app, settings)
    app.add_middleware(IdentifyClientMiddleware, keys=keys)
    if settings.cors_origins:
        # Added last, so it runs first: preflights are answered before any key check, and
        # 400/401/403/429 answers carry CORS headers the widget can read.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
            expose_headers=["Retry-After", "X-Request-ID"],
            max_age=600,
        )
