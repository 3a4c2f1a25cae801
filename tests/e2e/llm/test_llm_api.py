"""The real app in LLM mode over the real llama.cpp server: chat, stream, follow-up, LLM down."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.models import Answer
from bot.settings import Settings
from ingest.embedder import Embedder
from ingest.store import PassageStore

pytestmark = pytest.mark.llm

Verified = Callable[[Answer], None]


def app_client(settings: Settings, embedder: Embedder, base_url: str) -> TestClient:
    """Return a client of the app over the test's store, answering through `base_url`."""
    llm_settings = Settings(
        data_dir=settings.data_dir,
        llm_base_url=base_url,
        llm_max_tokens=16,
        llm_temperature=0.0,
        llm_timeout_s=60.0,
    )
    return TestClient(create_app(llm_settings, embedder=embedder))


@pytest.fixture
def llm_client(
    settings: Settings, trade_store: PassageStore, embedder: Embedder, llm_server_url: str
) -> Iterator[TestClient]:
    """The app (lifespan run) in LLM mode over a store holding the fixture articles."""
    with app_client(settings, embedder, llm_server_url) as client:
        yield client


def test_chat_answers_in_llm_mode_with_verified_citations(
    llm_client: TestClient, assert_verified: Verified
) -> None:
    response = llm_client.post(
        "/v1/chat", json={"question": "What is pending presidential approval?", "top_k": 2}
    )
    assert response.status_code == 200
    answer = Answer.model_validate(response.json())
    assert (answer.mode, answer.notice) == ("llm", None)
    assert_verified(answer)
    days = [(c.published_at or "")[:10] for c in answer.citations if c.published_at]
    assert answer.as_of == (max(days) if days else None)


def test_stream_ends_with_the_verified_answer(
    llm_client: TestClient, assert_verified: Verified
) -> None:
    payload = {"question": "Which exports need a licence from August?", "top_k": 2}
    with llm_client.stream("POST", "/v1/chat/stream", json=payload) as response:
        assert response.status_code == 200
        events = _events(response.read().decode("utf-8"))
    kinds = [kind for kind, _ in events]
    assert kinds[0] == "citations" and kinds[-1] == "done"
    assert "delta" in kinds
    answer = Answer.model_validate(events[-1][1])
    assert answer.mode == "llm"
    assert_verified(answer)


def test_follow_up_in_llm_mode_is_answered_and_verified(
    llm_client: TestClient, assert_verified: Verified
) -> None:
    first = llm_client.post(
        "/v1/chat", json={"question": "Who announced the framework?", "top_k": 2}
    )
    conversation_id = first.json()["conversation_id"]
    follow_up = llm_client.post(
        "/v1/chat",
        json={
            "question": "What did he say the next steps depend on?",
            "conversation_id": conversation_id,
            "top_k": 2,
        },
    )
    assert follow_up.status_code == 200
    answer = Answer.model_validate(follow_up.json())
    assert answer.conversation_id == conversation_id
    assert_verified(answer)


def test_llm_down_still_answers_extractively_with_a_notice(
    settings: Settings,
    trade_store: PassageStore,
    embedder: Embedder,
    unreachable_url: str,
    assert_verified: Verified,
) -> None:
    with app_client(settings, embedder, unreachable_url) as client:
        assert client.get("/readyz").status_code == 200
        response = client.post(
            "/v1/chat", json={"question": "What is pending presidential approval?", "top_k": 2}
        )
    assert response.status_code == 200
    answer = Answer.model_validate(response.json())
    assert answer.mode == "extractive"
    assert answer.notice is not None and "be reached" in answer.notice
    assert answer.grounded
    assert_verified(answer)


def _events(body: str) -> list[tuple[str, Any]]:
    """Parse an SSE body into (event, data) pairs."""
    events = []
    for block in body.strip("\n").split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def test_a_question_past_the_newest_article_is_refused_with_related_in_llm_mode(
    llm_client: TestClient,
) -> None:
    response = llm_client.post(
        "/v1/chat",
        json={
            "question": "What will the US-China trade framework on rare earth magnets say in 2031?"
        },
    )
    assert response.status_code == 200
    answer = Answer.model_validate(response.json())
    assert answer.mode == "llm" and not answer.grounded and answer.as_of is None
    assert answer.answer.startswith("The newest article I have is from ")
    assert "london-framework" in [article.doc_id for article in answer.related]
