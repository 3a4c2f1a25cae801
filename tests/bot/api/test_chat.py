"""POST /v1/chat over the real app: invariants, refusal, follow-ups, filters, restarts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.settings import Settings
from ingest.embedder import Embedder
from tests.support.api import ask

Invariants = Callable[[TestClient, dict[str, Any]], None]

ON_CORPUS = [
    "What is pending presidential approval?",
    "Who announced the framework?",
    "Which equipment did Japan add to its export control list?",
    "When do gallium exporters need a licence?",
]
OFF_CORPUS = [
    "What did the EU decide about steel tariffs?",
    "How many goals did the home team score in the cup final?",
]


def test_on_corpus_answers_hold_the_invariants(
    client: TestClient, answer_invariants: Invariants
) -> None:
    for question in ON_CORPUS:
        answer = ask(client, question)
        answer_invariants(client, answer)
        assert answer["grounded"] is True, question
        assert answer["mode"] == "extractive"
        assert len(answer["conversation_id"]) == 32


def test_off_corpus_questions_are_refused(
    client: TestClient, answer_invariants: Invariants
) -> None:
    for question in OFF_CORPUS:
        answer = ask(client, question)
        answer_invariants(client, answer)
        assert answer["grounded"] is False, question
        assert answer["citations"] == []


def test_follow_up_is_answered_in_context(
    client: TestClient, answer_invariants: Invariants
) -> None:
    first = ask(client, "Who announced the framework?")
    assert first["grounded"]
    follow_up = ask(
        client,
        "What did he say the next steps depend on?",
        conversation_id=first["conversation_id"],
    )
    answer_invariants(client, follow_up)
    assert follow_up["conversation_id"] == first["conversation_id"]
    assert "next steps depend on presidential approval" in follow_up["answer"]
    assert follow_up["citations"][0]["doc_id"] == "london-framework"
    # Alone, "What did he say?" names nothing; in the conversation it is about the framework.
    in_context = ask(client, "What did he say?", conversation_id=first["conversation_id"])
    assert in_context["grounded"]
    assert in_context["citations"][0]["doc_id"] == "london-framework"


def test_search_in_a_conversation_resolves_the_follow_up_as_chat_does(client: TestClient) -> None:
    follow_up = "What did he say the next steps depend on?"  # both articles have a "he"
    for first, doc_id in (
        ("Who announced the framework?", "london-framework"),
        ("Who is Japan's trade minister?", "japan-chip-controls"),
    ):
        cid = ask(client, first)["conversation_id"]
        params = {"q": follow_up, "k": 3, "conversation_id": cid}
        found = client.get("/v1/search", params=params)
        assert found.status_code == 200, found.text
        assert found.json()["results"][0]["doc_id"] == doc_id
        assert found.json()["query"] == follow_up
    assert client.app.state.conversations.count_turns(cid) == 1  # type: ignore[attr-defined]
    bad = client.get("/v1/search", params={"q": follow_up, "conversation_id": "no spaces"})
    assert bad.status_code == 422


def test_unknown_conversation_id_starts_a_conversation_under_that_id(client: TestClient) -> None:
    answer = ask(client, "Who announced the framework?", conversation_id="slack:T1:1700.42")
    assert answer["conversation_id"] == "slack:T1:1700.42"
    again = ask(
        client, "What did he say the next steps depend on?", conversation_id="slack:T1:1700.42"
    )
    assert "next steps" in again["answer"]


def test_filters_restrict_the_sources_and_dates_cited(client: TestClient) -> None:
    question = "Which export licences are required?"
    by_source = ask(client, question, filters={"sources": ["Pacific Ledger"]})
    assert by_source["citations"]
    assert {c["source"] for c in by_source["citations"]} == {"Pacific Ledger"}
    window = {"published_after": "2023-06-01", "published_before": "2023-12-31"}
    by_date = ask(client, question, filters=window)
    assert by_date["citations"]
    assert {c["doc_id"] for c in by_date["citations"]} == {"gallium-licences"}
    nothing = ask(client, question, filters={"published_after": "2030-01-01"})
    assert nothing["grounded"] is False and nothing["citations"] == []


def test_top_k_bounds_the_passages_offered(client: TestClient) -> None:
    answer = ask(client, "What is pending presidential approval?", top_k=1)
    assert len({c["chunk_id"] for c in answer["citations"]}) == 1


def test_conversation_survives_an_app_restart(ingested: Settings, embedder: Embedder) -> None:
    with TestClient(create_app(ingested, embedder=embedder)) as client:
        first = ask(client, "Who announced the framework?")
    with TestClient(create_app(ingested, embedder=embedder)) as restarted:
        follow_up = ask(
            restarted,
            "What did he say the next steps depend on?",
            conversation_id=first["conversation_id"],
        )
        history = restarted.app.state.conversations.history(first["conversation_id"])  # type: ignore[attr-defined]
    assert [t.question for t in history] == [
        "Who announced the framework?",
        "What did he say the next steps depend on?",
    ]
    assert "next steps depend on presidential approval" in follow_up["answer"]
