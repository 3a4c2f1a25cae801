"""The MCP tools through the official SDK's client: over stdio (`tradebot mcp` spawned) and over
streamable HTTP (`/mcp` on the real app served by uvicorn), keys included."""

from __future__ import annotations

import os
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client, MCPError, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from bot.api.app import create_app
from bot.settings import Settings
from ingest.embedder import Embedder
from tests.support.fixtures import SeedArticles
from tests.support.servers import serve_in_thread

TRADEBOT = str(Path(sys.executable).with_name("tradebot"))
QUERY_KEY = "tb-mcp-query-77a1"
WIDGET_KEY = "tb-mcp-widget-0c3b"
ARTICLES: list[dict[str, Any]] = [
    {
        "id": "london-framework",
        "title": "US and China agree a trade framework in London",
        "text": (
            "US Commerce Secretary Howard Lutnick announced a framework to ease disputes over "
            "rare earth magnets. The framework will now be presented to Presidents Donald Trump "
            "and Xi Jinping for final approval. He emphasized that the next steps depend on "
            "presidential approval before moving to implementation."
        ),
        "published_at": "2025-06-11",
        "source": "Harbour Times",
        "url": "https://news.example/london-framework",
    },
    {
        "id": "gallium-licences",
        "title": "China requires licences for gallium and germanium exports",
        "text": (
            "China's commerce ministry announced that exporters of gallium and germanium "
            "products need a licence from August. Gallium is used in compound semiconductors "
            "and germanium in fibre optics and infrared cameras."
        ),
        "published_at": "2023-07-03",
        "source": "Pacific Ledger",
    },
]

Session = Callable[[Client], Awaitable[None]]


def _run(client: Client, session: Session) -> None:
    async def main() -> None:
        async with client:
            await session(client)

    anyio.run(main)


async def _check_tools(client: Client) -> None:
    """What every transport must do: list the tools, answer, cite verbatim, search, read."""
    assert {tool.name for tool in (await client.list_tools()).tools} == {
        "ask",
        "search",
        "get_document",
    }
    asked = await client.call_tool("ask", {"question": "Who announced the framework?"})
    assert not asked.is_error
    text = asked.content[0].text  # type: ignore[union-attr]
    assert "[1]" in text and "\nSources:\n[1]" in text and "Lutnick" in text
    result = asked.structured_content
    assert result is not None and result["grounded"] is True and "as_of" in result
    for citation in result["citations"]:
        document = await client.call_tool("get_document", {"doc_id": citation["doc_id"]})
        stored = document.structured_content
        assert stored is not None
        assert stored["text"][citation["start"] : citation["end"]] == citation["quote"]

    follow_up = await client.call_tool(
        "ask",
        {
            "question": "What did he say the next steps depend on?",
            "conversation_id": result["conversation_id"],
        },
    )
    assert follow_up.structured_content is not None
    assert follow_up.structured_content["conversation_id"] == result["conversation_id"]
    assert "presidential approval" in follow_up.structured_content["answer"]

    # Alone, "what is it used in?" is about gallium; in the conversation, the framework.
    alone = await client.call_tool("search", {"query": "What is it used in?", "k": 1})
    assert [hit["doc_id"] for hit in (alone.structured_content or {})["results"]] == [
        "gallium-licences"
    ]
    in_conversation = await client.call_tool(
        "search",
        {"query": "What is it used in?", "k": 1, "conversation_id": result["conversation_id"]},
    )
    hits = (in_conversation.structured_content or {})["results"]
    assert [hit["doc_id"] for hit in hits] == ["london-framework"]

    found = await client.call_tool("search", {"query": "gallium licences", "k": 1})
    hits = (found.structured_content or {})["results"]
    assert [hit["doc_id"] for hit in hits] == ["gallium-licences"]
    windowed = await client.call_tool(
        "search", {"query": "gallium licences", "since": "2024-01-01"}
    )
    assert {hit["doc_id"] for hit in (windowed.structured_content or {})["results"]} == {
        "london-framework"
    }

    missing = await client.call_tool("get_document", {"doc_id": "no-such-article"})
    assert missing.is_error and "no-such-article" in missing.content[0].text  # type: ignore[union-attr]


def test_stdio_transport_spawns_tradebot_mcp(seed_articles: SeedArticles) -> None:
    settings = seed_articles(ARTICLES)
    env = {**os.environ, "TRADEBOT_DATA_DIR": str(settings.data_dir)}
    server = StdioServerParameters(command=TRADEBOT, args=["mcp"], env=env)
    _run(Client(server, read_timeout_seconds=300), _check_tools)


@pytest.fixture
def served(seed_articles: SeedArticles, embedder: Embedder) -> Iterator[str]:
    """The real app with keys on, under uvicorn; yields the /mcp URL."""
    seeded = seed_articles(ARTICLES)
    keyed = Settings(
        **{**seeded.model_dump(), "api_keys": [QUERY_KEY], "widget_keys": [WIDGET_KEY]}
    )
    with serve_in_thread(create_app(keyed, embedder=embedder)) as base:
        yield f"{base}/mcp"


def _http_client(url: str, key: str, statuses: list[int]) -> Client:
    async def record(response: httpx2.Response) -> None:
        statuses.append(response.status_code)

    http = httpx2.AsyncClient(
        headers={"Authorization": f"Bearer {key}"}, event_hooks={"response": [record]}
    )
    return Client(streamable_http_client(url, http_client=http))


def test_streamable_http_transport_at_mcp_with_a_query_key(served: str) -> None:
    statuses: list[int] = []
    _run(_http_client(served, QUERY_KEY, statuses), _check_tools)
    assert statuses and set(statuses) <= {200, 202, 204}


@pytest.mark.parametrize(("key", "status"), [("not-a-key", 401), (WIDGET_KEY, 403)])
def test_streamable_http_refuses_wrong_and_widget_keys(served: str, key: str, status: int) -> None:
    statuses: list[int] = []

    async def never(client: Client) -> None:
        raise AssertionError("the session must not open")

    with pytest.raises(BaseException) as caught:
        _run(_http_client(served, key, statuses), never)
    assert any(isinstance(leaf, MCPError) for leaf in _leaves(caught.value))
    assert statuses and set(statuses) == {status}


def _leaves(error: BaseException) -> Iterator[BaseException]:
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            yield from _leaves(inner)
    else:
        yield error
