"""The real app over a real store holding a few fixture articles ingested by the real pipeline."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.settings import Settings

if TYPE_CHECKING:  # the fixture type lives in tests/conftest.py
    from tests.support.fixtures import SeedArticles
from ingest.embedder import Embedder
from tests.support.api import AskOver, ask
from tests.support.articles import GALLIUM

SEED_ID = "london-framework"
SEED_TEXT = (
    "US and China Reach Trade Framework Ahead of Presidential Approval\n"
    "Top officials from the United States and China concluded two days of negotiations in "
    "London with a proposed framework for reducing trade tensions. US Commerce Secretary "
    "Howard Lutnick announced that the deal aims to resolve ongoing disputes over rare earth "
    "minerals and magnets, which are vital components in modern technology. The framework "
    "will now be presented to Presidents Donald Trump and Xi Jinping for final approval.\n"
    "China has faced criticism from the US for allegedly delaying the release of vital mineral "
    "exports, while the US has imposed restrictions on technology sales, particularly "
    'semiconductors. "We have reached a framework to implement the Geneva consensus," Lutnick '
    "told the press. He emphasized that the next steps depend on presidential approval before "
    "moving to implementation.\n"
    "China's retaliatory tariffs on US imports had soared to 145% earlier in the year."
)

ARTICLES: list[dict[str, Any]] = [
    {
        "id": SEED_ID,
        "title": "US and China Reach Trade Framework Ahead of Presidential Approval",
        "text": SEED_TEXT,
        "published_at": "2025-06-11",
        "source": "Harbour Times",
        "url": "https://news.example/london-framework",
    },
    {
        "id": "japan-chip-controls",
        "title": "Japan tightens export controls on chipmaking equipment",
        "text": (
            "Japan's trade ministry added 23 types of semiconductor manufacturing equipment to "
            "its export control list. Exporters of the listed lithography and etching tools "
            "must now obtain a licence for every shipment to most destinations. Trade minister "
            "Yasutoshi Nishimura said the next steps depend on talks with the Netherlands. The "
            "ministry said the rules take effect in July after a consultation with industry."
        ),
        "published_at": "2023-05-23",
        "source": "Pacific Ledger",
    },
    GALLIUM,
]

MARKER = re.compile(r"\[(\d+)\]")


@pytest.fixture
def ingested(seed_articles: SeedArticles) -> Settings:
    """Settings whose store holds the fixture articles, written by the real pipeline."""
    return seed_articles(ARTICLES)


@pytest.fixture
def client(ingested: Settings, embedder: Embedder) -> Iterator[TestClient]:
    """The app (lifespan run) over a store holding the fixture articles."""
    with TestClient(create_app(ingested, embedder=embedder)) as test_client:
        yield test_client


def _assert_answer_invariants(client: TestClient, answer: dict[str, Any]) -> None:
    """Check the Answer contract: markers, verbatim quotes, grounded vs refusal."""
    numbers = {int(n) for n in MARKER.findall(answer["answer"])}
    cited = [c["n"] for c in answer["citations"]]
    assert sorted(cited) == list(range(1, len(cited) + 1))
    assert numbers <= set(cited), "a marker points at no citation"
    assert answer["grounded"] == bool(answer["citations"])
    if not answer["grounded"]:
        assert "do not cover" in answer["answer"]
        assert not numbers
    for citation in answer["citations"]:
        doc = client.get(f"/v1/documents/{citation['doc_id']}")
        assert doc.status_code == 200
        assert doc.json()["text"][citation["start"] : citation["end"]] == citation["quote"]


def _assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """Check a response is the JSON error envelope with this status (and code)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert isinstance(error["code"], str) and isinstance(error["message"], str)
    assert error["message"]
    if code is not None:
        assert error["code"] == code
    return dict(error)


@pytest.fixture
def answer_invariants() -> Callable[[TestClient, dict[str, Any]], None]:
    """Return a checker of the Answer contract."""
    return _assert_answer_invariants


@pytest.fixture
def error_of() -> Callable[..., dict[str, Any]]:
    """Return a checker of the error envelope: `error_of(response, status, code=None)`."""
    return _assert_error


@pytest.fixture
def ask_over(
    seed_articles: SeedArticles,
    embedder: Embedder,
    answer_invariants: Callable[[TestClient, dict[str, Any]], None],
) -> AskOver:
    """Ask each question, in turn, of the app over a store holding just `articles` (in one
    conversation when `conversation`); every answer is checked for the invariants (markers,
    verbatim quotes, dates)."""

    def asked(
        articles: list[dict[str, Any]], *questions: str, conversation: bool = False
    ) -> list[dict[str, Any]]:
        answers: list[dict[str, Any]] = []
        with TestClient(create_app(seed_articles(articles), embedder=embedder)) as client:
            for question in questions:
                cid = answers[0]["conversation_id"] if conversation and answers else None
                answers.append(ask(client, question, conversation_id=cid))
                answer_invariants(client, answers[-1])
        return answers

    return asked
