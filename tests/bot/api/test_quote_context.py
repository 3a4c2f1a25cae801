"""A quoted sentence carries the neighbour it needs: "These goods include ..." after the
sentence that names the goods, through the real app."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from ingest.embedder import Embedder
from tests.support.api import ask

if TYPE_CHECKING:
    from tests.support.fixtures import SeedArticles

Invariants = Callable[[TestClient, dict[str, Any]], None]

ARTICLES: list[dict[str, Any]] = [
    {
        "id": "annex-revision",
        "title": "President modifies the scope of reciprocal tariffs",
        "text": (
            "The President has modified the scope of the articles exempt from reciprocal "
            "tariffs.\n\n"
            "- Some goods have been removed from Annex II, meaning they are now subject to "
            "reciprocal tariffs. These goods include certain aluminum hydroxide, resin, and "
            "silicone products.\n"
            "- A modified Annex II is attached to the order and takes effect on September 8, "
            "2025."
        ),
        "published_at": "2025-09-05",
        "source": "White House",
    },
    {
        "id": "shipbuilding-notice",
        "title": "Proposed suspension of the shipbuilding actions",
        "text": (
            "The Trade Representative proposes to suspend the port fees on Chinese-built "
            "vessels for one year, beginning on November 10, 2025. This notice opens a public "
            "docket for written comments until December 1."
        ),
        "published_at": "2025-11-10",
        "source": "Federal Register",
    },
]


@pytest.fixture
def client(seed_articles: SeedArticles, embedder: Embedder) -> Iterator[TestClient]:
    """The app over a store holding the fixture articles, written by the real pipeline."""
    with TestClient(create_app(seed_articles(ARTICLES), embedder=embedder)) as test_client:
        yield test_client


def test_a_sentence_and_the_one_that_finishes_it_are_quoted_together(
    client: TestClient, answer_invariants: Invariants
) -> None:
    answer = ask(client, "which goods were taken off Annex II and now pay reciprocal tariffs?")

    answer_invariants(client, answer)  # every quote is still the stored text at its offsets
    assert answer["grounded"], answer["answer"]
    quote = next(c["quote"] for c in answer["citations"] if c["doc_id"] == "annex-revision")
    assert "removed from Annex II" in quote
    assert "These goods include certain aluminum hydroxide, resin, and silicone" in quote
    assert "takes effect" not in quote  # the next line is its own point


def test_a_sentence_pointing_at_something_else_is_not_borrowed(
    client: TestClient, answer_invariants: Invariants
) -> None:
    answer = ask(client, "what did USTR propose for the port fees on Chinese-built ships?")

    answer_invariants(client, answer)
    assert answer["grounded"], answer["answer"]
    quote = next(c["quote"] for c in answer["citations"] if c["doc_id"] == "shipbuilding-notice")
    assert "suspend the port fees" in quote
    assert "public docket" not in quote  # "This notice" points at no word of the proposal
