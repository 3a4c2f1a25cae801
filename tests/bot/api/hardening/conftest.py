"""Apps under limits and faults: real store, real model, fixture articles of our own."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.settings import Settings

if TYPE_CHECKING:  # the fixture type lives in tests/conftest.py
    from tests.support.fixtures import SeedArticles
from ingest.embedder import Embedder

ARTICLES: list[dict[str, Any]] = [
    {
        "id": "rare-earth-magnets",
        "title": "China curbs exports of rare earth magnets",
        "text": (
            "China's commerce ministry ordered exporters of rare earth magnets to apply for a "
            "licence for every shipment. Carmakers in Europe warned that production lines could "
            "stop within weeks. The ministry said the licences protect national security."
        ),
        "published_at": "2025-04-04",
        "source": "Harbour Times",
    },
    {
        "id": "steel-tariff-canada",
        "title": "Canada answers US steel tariffs with duties of its own",
        "text": (
            "Canada imposed duties of 25 percent on American steel and aluminium after the "
            "United States raised its tariffs. Ottawa said the duties would stay until "
            "Washington lifted its measures. Steelworkers in Ontario welcomed the decision."
        ),
        "published_at": "2025-03-13",
        "source": "Pacific Ledger",
    },
]

ErrorOf = Callable[..., dict[str, Any]]
ClientFactory = Callable[..., TestClient]


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """Check a response is the JSON error envelope with this status (and code)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert isinstance(error["code"], str) and error["message"]
    if code is not None:
        assert error["code"] == code, error
    return dict(error)


@pytest.fixture
def error_of() -> ErrorOf:
    """Return the envelope checker: `error_of(response, status, code=None)`."""
    return assert_error


@pytest.fixture
def seeded(seed_articles: SeedArticles) -> Settings:
    """Settings whose data dir holds the fixture articles, written by the real pipeline."""
    return seed_articles(ARTICLES)


@pytest.fixture
def make_client(seeded: Settings, embedder: Embedder) -> Iterator[ClientFactory]:
    """Return `make_client(**settings)`: the app over the seeded store, lifespan run."""
    with ExitStack() as stack:

        def make(**overrides: Any) -> TestClient:
            settings = Settings(**{**seeded.model_dump(), **overrides})
            app = create_app(settings, embedder=embedder)
            return stack.enter_context(TestClient(app))

        yield make


@pytest.fixture
def silent_llm() -> Iterator[str]:
    """An OpenAI-style base URL whose server accepts connections and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)  # the kernel completes handshakes; nobody ever reads or replies
        yield f"http://127.0.0.1:{server.getsockname()[1]}/v1"


@pytest.fixture
def closed_port_url() -> str:
    """An http URL on a local port nothing listens on (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"
