"""Questions timed by an event ("before the Geneva talks") or a named document, through the app."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from ingest.embedder import Embedder
from tests.support.api import ask
from tests.support.event_articles import (
    GENEVA_ARTICLES,
    GENEVA_DAY,
    LUCERNE_ARTICLES,
    LUCERNE_DAY,
)
from tests.support.fixtures import SeedArticles

Invariants = Callable[[TestClient, dict[str, Any]], None]


@pytest.fixture
def client(seed_articles: SeedArticles, embedder: Embedder) -> Iterator[TestClient]:
    """The app over articles before, on and after the Geneva talks."""
    with TestClient(create_app(seed_articles(GENEVA_ARTICLES), embedder=embedder)) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("question", "before", "read_as"),
    [
        ("before the Geneva talks, what was the US tariff on Chinese widgets?", True, "before"),
        ("what did the US do to the widget tariff after the Geneva talks?", False, "from"),
        # The event's own month named beside it dates the event, not a month-long window.
        ("after the Geneva talks in May 2025, what happened to the widget tariff?", False, "from"),
        ("before the Geneva talks in May 2025, what was the tariff on widgets?", True, "before"),
    ],
)
def test_an_event_times_the_question_by_its_first_articles_day(
    client: TestClient, answer_invariants: Invariants, question: str, before: bool, read_as: str
) -> None:
    answer = ask(client, question)
    answer_invariants(client, answer)

    assert answer["grounded"], answer["answer"]
    days = [c["published_at"] for c in answer["citations"]]
    assert all((day < GENEVA_DAY) is before for day in days), answer["answer"]
    assert f"as {read_as} {GENEVA_DAY}" in answer["notice"]
    if before:  # the newest word before the talks: April's 125 percent, not 2019's 25
        assert answer["citations"][0]["doc_id"] == "widgets-april", answer["answer"]
        assert "125 percent" in answer["citations"][0]["quote"]


def test_right_after_an_event_asks_about_the_weeks_that_followed(
    client: TestClient, answer_invariants: Invariants
) -> None:
    # "after the Geneva talks" runs to the newest article (November's); "right after" keeps
    # to the month from the talks' first article.
    answer = ask(client, "right after the Geneva talks, what was the widget tariff on China?")
    answer_invariants(client, answer)

    assert answer["grounded"], answer["answer"]
    assert f"as from {GENEVA_DAY} to 2025-06-11" in answer["notice"], answer["notice"]
    days = [c["published_at"] for c in answer["citations"]]
    assert all(GENEVA_DAY <= day <= "2025-06-11" for day in days), answer["answer"]


def test_search_keeps_to_the_time_before_an_event(client: TestClient) -> None:
    response = client.get(
        "/v1/search", params={"q": "tariff on Chinese widgets before the Geneva talks"}
    )

    hits = response.raise_for_status().json()["results"]
    assert hits
    assert all(hit["published_at"] < GENEVA_DAY for hit in hits), hits


def test_an_event_named_only_by_common_names_times_nothing(
    client: TestClient, answer_invariants: Invariants
) -> None:
    answer = ask(client, "what did China buy before the US-China deal?")
    answer_invariants(client, answer)

    assert "Read “before" not in (answer.get("notice") or ""), answer["notice"]


def test_a_question_citing_a_dated_document_keeps_to_its_time(
    client: TestClient, answer_invariants: Invariants
) -> None:
    answer = ask(
        client,
        "what is the reciprocal tariff on widgets from China now, per the April 2025 report?",
    )
    answer_invariants(client, answer)

    assert answer["grounded"], answer["answer"]
    assert answer["citations"][0]["doc_id"] == "widgets-april", answer["answer"]


def test_an_event_announced_ahead_is_dated_by_the_day_the_announcement_names(
    seed_articles: SeedArticles, embedder: Embedder, answer_invariants: Invariants
) -> None:
    # The first article on the Lucerne summit announces it four days ahead: "ahead of" the
    # summit is up to the day it names, and the announcement itself is what was said before.
    app = create_app(seed_articles(LUCERNE_ARTICLES), embedder=embedder)
    with TestClient(app) as lucerne:
        answer = ask(lucerne, "ahead of the Lucerne summit, what did the leaders plan to discuss?")
        answer_invariants(lucerne, answer)

    assert answer["grounded"], answer["answer"]
    assert answer["notice"] == (
        f"Read “ahead of the Lucerne summit” as before {LUCERNE_DAY}: the first article that "
        f"mentions “Lucerne summit”, of 2024-06-14, says it takes place on {LUCERNE_DAY}."
    )
    assert answer["citations"][0]["doc_id"] == "lucerne-announced", answer["answer"]
