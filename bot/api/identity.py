"""Who is calling `/v1/*`: one client identity per request, for the key check and the rate limit.

The identity is derived once, by `IdentifyClientMiddleware`, and kept in the ASGI scope; the
rate limit (bot.api.limits) and the key check (bot.api.access) both read it from there, so they
can never disagree about which key a request carries. A request with more than one
`Authorization` header is refused with 400 before either runs.

A request is counted under a valid key's hash (a public widget key: the hash and the client
address) and under its client address otherwise, so unknown, missing or refused keys all
count against the address that sent them.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import SecretStr
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.api.errors import error_response
from bot.mcp_server import MCP_PATH
from bot.settings import Settings

KeyScope = Literal["widget", "query", "admin"]

API_PREFIX = "/v1/"


def is_api_path(path: str) -> bool:
    """Say whether keys and rate limits apply to `path` (`/v1/*` and the MCP endpoint)."""
    return path.startswith(API_PREFIX) or path.rstrip("/") == MCP_PATH


_SCOPE_KEY = "tradebot.client"
_RANK: dict[KeyScope | None, int] = {None: 0, "widget": 1, "query": 2, "admin": 3}


@dataclass(frozen=True)
class KeyRing:
    """The configured keys, each with the scope it grants."""

    entries: tuple[tuple[bytes, KeyScope], ...]

    @classmethod
    def from_settings(cls, settings: Settings) -> KeyRing:
        """Collect the three key lists; a key in several lists gets its widest scope."""
        groups: tuple[tuple[Sequence[SecretStr], KeyScope], ...] = (
            (settings.widget_keys, "widget"),
            (settings.api_keys, "query"),
            (settings.admin_api_keys, "admin"),
        )
        entries = tuple(
            (key.get_secret_value().encode("utf-8"), scope)
            for keys, scope in groups
            for key in keys
            if key.get_secret_value()
        )
        return cls(entries)

    @property
    def configured(self) -> bool:
        """Say whether any key is configured, which turns authentication on."""
        return bool(self.entries)

    def scope_of(self, presented: str) -> KeyScope | None:
        """Return the widest scope `presented` grants, comparing with every key in constant time."""
        candidate = presented.encode("utf-8")
        found: KeyScope | None = None
        for key, scope in self.entries:
            # No early exit: the time taken does not depend on which key matched.
            if hmac.compare_digest(candidate, key) and _RANK[scope] > _RANK[found]:
                found = scope
        return found


@dataclass(frozen=True)
class ClientIdentity:
    """The client behind one request: its address, and the key it presented if that key is valid."""

    address: str
    presented_key: bool  # an `Authorization: Bearer ...` header was sent
    key_scope: KeyScope | None = None  # None: no key, or not a configured one
    key_digest: str | None = None  # a hash of the valid key, never the key itself

    @property
    def rate_key(self) -> str:
        """Name the rate-limit bucket: a valid key (widget keys: per address), else the address."""
        address = f"ip:{self.address}"
        if self.key_digest is None:
            return address
        if self.key_scope == "widget":  # public: shared by every visitor of a site
            return f"key:{self.key_digest}:{address}"
        return f"key:{self.key_digest}"


def identify(scope: Scope, keys: KeyRing) -> ClientIdentity:
    """Derive the identity of the request in `scope` (it has at most one Authorization header)."""
    client = scope.get("client")
    address = str(client[0]) if client else "unknown"
    token = _bearer_token(_authorization_headers(scope))
    if token is None:
        return ClientIdentity(address, presented_key=False)
    key_scope = keys.scope_of(token) if keys.configured else None
    if key_scope is None:
        return ClientIdentity(address, presented_key=True)
    digest = hashlib.sha256(token.encode("utf-8")).hexdigest()[:24]
    return ClientIdentity(address, presented_key=True, key_scope=key_scope, key_digest=digest)


def client_identity(scope: Scope) -> ClientIdentity:
    """Return the identity `IdentifyClientMiddleware` stored for this request.

    Raises:
        LookupError: the middleware did not run (a wiring mistake, never a client's fault).
    """
    identity = scope.get(_SCOPE_KEY)
    if not isinstance(identity, ClientIdentity):
        raise LookupError("IdentifyClientMiddleware must wrap the rate limit and the key check")
    return identity


def _authorization_headers(scope: Scope) -> list[bytes]:
    return [value for name, value in scope.get("headers") or [] if name.lower() == b"authorization"]


def _bearer_token(values: list[bytes]) -> str | None:
    if not values:
        return None
    scheme, _, token = values[0].decode("latin-1").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


class IdentifyClientMiddleware:
    """Derive each `/v1/*` request's identity once; refuse several Authorization headers (400)."""

    def __init__(self, app: ASGIApp, keys: KeyRing) -> None:
        self.app = app
        self.keys = keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Store the identity in the scope, then pass the request on."""
        if scope["type"] != "http" or not is_api_path(str(scope.get("path", ""))):
            await self.app(scope, receive, send)
            return
        count = len(_authorization_headers(scope))
        if count > 1:
            message = f"Send one Authorization header, not {count}."
            await error_response(400, "bad_request", message)(scope, receive, send)
            return
        scope[_SCOPE_KEY] = identify(scope, self.keys)
        await self.app(scope, receive, send)
