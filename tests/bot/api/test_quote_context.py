"""A quoted sentence carries the neighbours it needs, through the real app: the next sentence
of its paragraph ("These goods include ..." after the sentence that names the goods; "USTR is
canceling the public hearing ..." after the one that sets the scene), and the one before only
when it opens by pointing back."""

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
        "id": "compliance-hearing",
        "title": "China WTO compliance report: hearing",
        "text": (
            "SUMMARY: The interagency Trade Policy Staff Committee sought public comments to "
            "assist USTR in preparing its annual report to Congress on China's compliance with "
            "its WTO commitments. USTR is canceling the public hearing that was scheduled to "
            "take place on October 4, 2023, because no requests to appear were received.\n\n"
            "Written comments remain on the public docket."
        ),
        "published_at": "2023-09-29",
        "source": "Federal Register",
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


@pytest.mark.parametrize(
    ("question", "doc_id", "quoted", "left_out"),
    [
        # "These goods include ..." points back at the goods; the next line is its own point.
        (
            "which goods were taken off Annex II and now pay reciprocal tariffs?",
            "annex-revision",
            ["removed from Annex II", "These goods include certain aluminum hydroxide, resin"],
            "takes effect",
        ),
        # What was done follows the sentence that sets the scene; the next paragraph is apart.
        (
            "what happened with the China WTO compliance report hearing in 2023?",
            "compliance-hearing",
            ["China's compliance", "USTR is canceling the public hearing"],
            "public docket",
        ),
        # "This notice" points at no word of the sentence before it, which stays out.
        (
            "until when does the shipbuilding notice's docket take written comments?",
            "shipbuilding-notice",
            ["public docket for written comments until December 1"],
            "suspend the port fees",
        ),
    ],
)
def test_a_quote_carries_the_neighbours_it_needs_and_no_other(
    client: TestClient,
    answer_invariants: Invariants,
    question: str,
    doc_id: str,
    quoted: list[str],
    left_out: str,
) -> None:
    answer = ask(client, question)

    answer_invariants(client, answer)  # every quote is still the stored text at its offsets
    assert answer["grounded"], answer["answer"]
    quote = next(c["quote"] for c in answer["citations"] if c["doc_id"] == doc_id)
    assert all(words in quote for words in quoted), quote
    assert left_out not in quote
