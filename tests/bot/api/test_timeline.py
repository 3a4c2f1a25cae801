"""GET /v1/timeline and chat's timeline mode through the real app, articles from 2019 to 2025."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from ingest.embedder import Embedder
from tests.support.dated_articles import NEWEST, STEEL_ARTICLES, UNDATED_STEEL_NOTE
from tests.support.fixtures import SeedArticles

Invariants = Callable[[TestClient, dict[str, Any]], None]
STEEL_IDS = {a["id"] for a in STEEL_ARTICLES if "steel" in a["id"]}


@pytest.fixture
def client(seed_articles: SeedArticles, embedder: Embedder) -> Iterator[TestClient]:
    """The app over steel-tariff articles from 2019 to 2025, an undated note, an unrelated memo."""
    settings = seed_articles([*STEEL_ARTICLES, UNDATED_STEEL_NOTE])
    with TestClient(create_app(settings, embedder=embedder)) as test_client:
        yield test_client


def _timeline(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/v1/timeline", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _assert_verified(client: TestClient, citation: dict[str, Any]) -> None:
    stored = client.get(f"/v1/documents/{citation['doc_id']}").json()["text"]
    assert stored[citation["start"] : citation["end"]] == citation["quote"]


def test_a_topic_lists_one_event_per_article_oldest_first_each_quote_verified(
    client: TestClient,
) -> None:
    timeline = _timeline(client, q="Section 232 steel tariffs")

    events = timeline["events"]
    dates = [e["date"] for e in events]
    assert dates == sorted(dates) and len({d[:4] for d in dates}) >= 3
    doc_ids = [e["citation"]["doc_id"] for e in events]
    assert len(doc_ids) == len(set(doc_ids)), "one event per article"
    assert set(doc_ids) <= STEEL_IDS, "the rare-earth memo is not about steel"
    assert [e["citation"]["n"] for e in events] == list(range(1, len(events) + 1))
    for event in events:
        assert event["date"] == event["citation"]["published_at"]
        assert event["text"] == event["citation"]["quote"]
        _assert_verified(client, event["citation"])
    assert timeline["as_of"] == dates[-1] == NEWEST
    assert [c["doc_id"] for c in timeline["undated"]] == [UNDATED_STEEL_NOTE["id"]]
    _assert_verified(client, timeline["undated"][0])
    assert timeline["notice"] is None


def test_a_mistyped_topic_gets_the_same_timeline_and_says_how_it_was_read(
    client: TestClient,
) -> None:
    typed = _timeline(client, q="Section 232 steel tarrifs")
    plain = _timeline(client, q="Section 232 steel tariffs")

    assert typed["events"] == plain["events"] and typed["undated"] == plain["undated"]
    assert typed["query"] == "Section 232 steel tarrifs"
    assert typed["notice"] == "Read “tarrifs” as “tariffs”."


def test_since_until_and_limit_narrow_the_events(client: TestClient) -> None:
    window = _timeline(
        client, q="Section 232 steel tariffs", since="2021-01-01", until="2025-03-01"
    )
    assert {e["citation"]["doc_id"] for e in window["events"]} == {"steel-2021", "steel-2025-feb"}
    assert window["undated"] == [], "a publication window leaves undated articles out"
    two = _timeline(client, q="Section 232 steel tariffs", limit=2)
    assert len(two["events"]) == 2
    named = _timeline(client, q="Section 232 steel tariffs in 2019")
    assert [e["citation"]["doc_id"] for e in named["events"]] == ["steel-2019"]


def test_a_topic_no_article_covers_gives_an_empty_timeline_with_a_notice(
    client: TestClient,
) -> None:
    timeline = _timeline(client, q="banana bread recipes that do not sink")
    assert timeline["events"] == [] and timeline["undated"] == []
    assert timeline["as_of"] is None and timeline["notice"]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "steel", "since": "2025-01-01", "until": "2024-01-01"},
        {"q": "steel", "since": "not-a-date"},
        {"q": "steel", "limit": 0},
        {"q": "steel", "limit": 51},
        {"q": "   "},
        {},
    ],
)
def test_bad_dates_limits_and_queries_are_422(
    client: TestClient, params: dict[str, Any], error_of: Callable[..., dict[str, Any]]
) -> None:
    error_of(client.get("/v1/timeline", params=params), 422, "invalid_request")


@pytest.mark.parametrize(
    "question",
    [
        "2021 US-EU steel deal: does EU steel enter duty free, and on what timeline?",
        "2021 US-EU steel deal: what's the timeline for getting EU steel in duty free?",
        "2021 US-EU steel deal: what is the timeline to let EU steel in duty free?",
    ],
)
def test_asking_on_what_timeline_something_happens_asks_when_not_for_a_history(
    client: TestClient, answer_invariants: Invariants, question: str
) -> None:
    answer = client.post("/v1/chat", json={"question": question}).json()

    answer_invariants(client, answer)
    assert answer["mode"] == "extractive", answer


def test_chat_answers_a_timeline_question_as_a_dated_list_ending_as_of(
    client: TestClient, answer_invariants: Invariants
) -> None:
    response = client.post(
        "/v1/chat", json={"question": "How did the Section 232 steel tariffs evolve?"}
    )
    answer = response.json()

    answer_invariants(client, answer)
    assert answer["mode"] == "timeline" and answer["grounded"]
    lines = answer["answer"].split("\n")
    assert len(lines) == len(answer["citations"]) >= 3
    for line, citation in zip(lines[:-1], answer["citations"], strict=False):
        assert line == f"- {citation['published_at']}: {citation['quote']} [{citation['n']}]"
    last = answer["citations"][-1]
    assert lines[-1] == f"As of {NEWEST}: {last['quote']} [{last['n']}]"
    assert answer["as_of"] == NEWEST
    dates = [c["published_at"] for c in answer["citations"]]
    assert dates == sorted(dates)


def test_a_streamed_timeline_answer_ends_with_the_same_answer(client: TestClient) -> None:
    body = {"question": "timeline of the Section 232 steel tariffs"}
    with client.stream("POST", "/v1/chat/stream", json=body) as response:
        assert response.status_code == 200
        raw = "".join(response.iter_text())
    events = [(k, json.loads(d)) for k, d in re.findall(r"event: (\w+)\r?\ndata: (.*)", raw)]
    assert events[0][0] == "citations" and events[-1][0] == "done"
    done = events[-1][1]
    assert done["mode"] == "timeline"
    assert "".join(d["text"] for k, d in events if k == "delta") == done["answer"]
    assert [c["doc_id"] for c in events[0][1]] == [c["doc_id"] for c in done["citations"]]
