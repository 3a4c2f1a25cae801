"""tradebot as an MCP server: the answer engine's tools for agents, over stdio or streamable HTTP.

Tools: `ask` (answer text with `[n]` markers and a Sources list; the citations as structured
content), `search` (ranked passages) and `get_document` (an article's full stored text, which
citations' offsets index). `tradebot mcp` serves them over stdio; the API server mounts them at
`/mcp` (streamable HTTP, stateless, so any replica answers; same API keys as `/v1`).
A channel: it calls the engine and the store, never the API or the CLI.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.transport_security import TransportSecuritySettings
from mcp.types import CallToolResult, TextContent
from pydantic import BaseModel, Field

from bot.engine import AnswerEngine
from bot.models import (
    CONVERSATION_ID_MAX_CHARS,
    CONVERSATION_ID_PATTERN,
    MAX_QUESTION_CHARS,
    Citation,
    SearchResults,
)
from bot.plain_answer import plain_answer
from bot.settings import Settings
from ingest.store import PassageStore, SearchFilters, StoreUnavailableError

MCP_PATH = "/mcp"
_INSTRUCTIONS = (
    "Answers questions about trade disputes (tariffs, export controls, negotiations) from news "
    "articles and government documents. Every claim in an `ask` answer cites a verbatim quote "
    "[n]; `get_document` returns the full text that a citation's start/end offsets index."
)
_STORE_DOWN = "The document store is unreachable right now; try again shortly."

Question = Annotated[str, Field(min_length=1, max_length=MAX_QUESTION_CHARS)]
ConversationId = Annotated[
    str | None,
    Field(
        max_length=CONVERSATION_ID_MAX_CHARS,
        pattern=CONVERSATION_ID_PATTERN,
        description="Continue this conversation (returned by an earlier ask)",
    ),
]


@dataclass(frozen=True)
class Backend:
    """Where the tools find the engine and the store (built at start, or read from app state)."""

    engine: Callable[[], AnswerEngine]
    store: Callable[[], PassageStore]


class AskResult(BaseModel):
    """An answer: text with `[n]` markers, the citations behind them, and the conversation."""

    answer: str
    citations: list[Citation]
    grounded: bool
    conversation_id: str | None
    as_of: str | None = None


class Document(BaseModel):
    """One stored article with its full text."""

    doc_id: str
    title: str
    text: str
    published_at: str | None = None
    source: str | None = None
    url: str | None = None


def build_mcp_server(backend: Backend) -> MCPServer:
    """Return an MCP server exposing tradebot's tools over `backend`."""
    server: MCPServer = MCPServer("tradebot", instructions=_INSTRUCTIONS, version="0.1.0")
    # Each entry registers one tool; the timeline tool joins this list once the engine has it.
    for register in (_register_ask, _register_search, _register_get_document):
        register(server, backend)
    return server


def _register_ask(server: MCPServer, backend: Backend) -> None:
    @server.tool(name="ask", title="Ask tradebot")
    def ask(
        question: Question, conversation_id: ConversationId = None
    ) -> Annotated[CallToolResult, AskResult]:
        """Answer a trade-dispute question from the stored articles, citing verbatim quotes."""
        if not question.strip():
            raise ToolError("question must not be blank")
        with _store_errors():
            answer = backend.engine().answer(question.strip(), conversation_id)
        result = AskResult(
            answer=answer.answer,
            citations=answer.citations,
            grounded=answer.grounded,
            conversation_id=answer.conversation_id,
            as_of=answer.as_of,
        )
        return CallToolResult(
            content=[TextContent(type="text", text=plain_answer(answer))],
            structured_content=result.model_dump(mode="json"),
        )


def _register_search(server: MCPServer, backend: Backend) -> None:
    @server.tool(name="search", title="Search passages")
    def search(
        query: Question,
        k: Annotated[int, Field(ge=1, le=50, description="Passages to return")] = 10,
        since: Annotated[date | None, Field(description="Published on or after")] = None,
        until: Annotated[date | None, Field(description="Published on or before")] = None,
        conversation_id: ConversationId = None,
    ) -> SearchResults:
        """Return the stored passages that best match `query`, best first, with their scores
        (with `conversation_id`, `query` is searched as a follow-up in that conversation)."""
        if not query.strip():
            raise ToolError("query must not be blank")
        if since and until and since > until:
            raise ToolError("since must not be later than until")
        filters = SearchFilters(published_after=since, published_before=until)
        with _store_errors():
            return backend.engine().find(query.strip(), k, filters, conversation_id)


def _register_get_document(server: MCPServer, backend: Backend) -> None:
    @server.tool(name="get_document", title="Read an article")
    def get_document(doc_id: Annotated[str, Field(min_length=1, max_length=2048)]) -> Document:
        """Return one stored article with its full text (citations' start/end index into it)."""
        with _store_errors():
            article = backend.store().get_article(doc_id)
        if article is None:
            raise ToolError(f"no document with doc_id {doc_id!r}")
        return Document.model_validate(dataclasses.asdict(article))


@contextmanager
def _store_errors() -> Iterator[None]:
    """Turn an unreachable store into a tool error the client can read."""
    try:
        yield
    except StoreUnavailableError as exc:
        raise ToolError(_STORE_DOWN) from exc


def mount_mcp(app: FastAPI, settings: Settings) -> None:
    """Serve the tools at `/mcp` (streamable HTTP), reading the engine from `app.state`.

    Keys are checked by the API's access guard like on `/v1`. Without keys the service is
    open, so the SDK's DNS-rebinding protection (localhost hosts only) stays on.
    """
    backend = Backend(engine=lambda: _ready(app, "engine"), store=lambda: _ready(app, "store"))
    server = build_mcp_server(backend)
    keyed = bool(settings.api_keys or settings.admin_api_keys)
    security = TransportSecuritySettings(enable_dns_rebinding_protection=False) if keyed else None
    http_app = server.streamable_http_app(
        streamable_http_path=MCP_PATH,
        stateless_http=True,  # no session state: any replica or worker answers any request
        json_response=True,
        transport_security=security,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with server.session_manager.run():
            yield

    # Routes added as they are (an ASGI endpoint for every method), the manager run beside
    # the app's lifespan: mounting the sub-app would answer `/mcp` with a redirect to `/mcp/`.
    app.router.routes.extend(http_app.routes)
    app.include_router(APIRouter(lifespan=lifespan))


def _ready(app: FastAPI, name: str) -> Any:
    value = getattr(app.state, name, None)
    if value is None:
        raise ToolError("The service is still starting; try again shortly.")
    return value
