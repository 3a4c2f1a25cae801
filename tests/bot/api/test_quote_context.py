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


def test_what_was_done_is_quoted_with_the_sentence_that_sets_the_scene(
    client: TestClient, answer_invariants: Invariants
) -> None:
    answer = ask(client, "what happened with the China WTO compliance report hearing in 2023?")

    answer_invariants(client, answer)
    assert answer["grounded"], answer["answer"]
    quote = next(c["quote"] for c in answer["citations"] if c["doc_id"] == "compliance-hearing")
    assert "China's compliance" in quote
    assert "USTR is canceling the public hearing" in quote
    assert "public docket" not in quote  # the next paragraph is its own point


def test_a_sentence_pointing_at_something_else_does_not_borrow_the_one_before(
    client: TestClient, answer_invariants: Invariants
) -> None:
    answer = ask(client, "until when does the shipbuilding notice's docket take written comments?")

    answer_invariants(client, answer)
    assert answer["grounded"], answer["answer"]
    quote = next(c["quote"] for c in answer["citations"] if c["doc_id"] == "shipbuilding-notice")
    assert "public docket for written comments until December 1" in quote
    assert "suspend the port fees" not in quote  # "This notice" points at no word of it
