"""Through the HTTP API, on SQLite and PostgreSQL: a conversation is its key's alone, old state is
purged by the retention thread, and a database that fails is a 503 `state_unavailable`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from pydantic import SecretStr

from bot.api.app import create_app
from bot.settings import Settings
from ingest.embedder import Embedder
from tests.support.servers import free_port, wait_until

ErrorOf = Callable[..., dict[str, Any]]
ALICE = {"Authorization": "Bearer alice-key"}
MALLORY = {"Authorization": "Bearer mallory-key"}
QUESTION = "Who announced the trade framework?"


def _served(ingested: Settings, state_settings: Settings, **overrides: Any) -> Settings:
    """The seeded store, on the state backend under test."""
    return ingested.model_copy(update={"database_url": state_settings.database_url, **overrides})


def test_only_the_key_that_started_a_conversation_may_use_it(
    ingested: Settings, state_settings: Settings, embedder: Embedder, error_of: ErrorOf
) -> None:
    served = _served(
        ingested, state_settings, api_keys=[SecretStr("alice-key"), SecretStr("mallory-key")]
    )
    with TestClient(create_app(served, embedder=embedder)) as client:
        cid = client.post("/v1/chat", json={"question": QUESTION}, headers=ALICE).json()[
            "conversation_id"
        ]
        follow_up = {"question": "When did he say it?", "conversation_id": cid}
        for path in ("/v1/chat", "/v1/chat/stream"):
            error = error_of(client.post(path, json=follow_up, headers=MALLORY), 404)
            assert error["code"] == "conversation_not_found" and cid in error["message"]
        searched = {"q": "When did he say it?", "conversation_id": cid}
        error_of(
            client.get("/v1/search", params=searched, headers=MALLORY),
            404,
            "conversation_not_found",
        )
        assert client.get("/v1/search", params=searched, headers=ALICE).status_code == 200
        rating = {"conversation_id": cid, "rating": "down"}
        error_of(
            client.post("/v1/feedback", json=rating, headers=MALLORY), 404, "conversation_not_found"
        )

        state = client.app.state.conversations  # type: ignore[attr-defined]
        assert state.count_turns(cid) == 1 and state.list_feedback(cid) == []
        assert client.post("/v1/chat", json=follow_up, headers=ALICE).status_code == 200
        assert client.post("/v1/feedback", json=rating, headers=ALICE).status_code == 201
        assert state.count_turns(cid) == 2
        # An id nobody used yet still starts a conversation, now Mallory's own.
        mine = {"question": QUESTION, "conversation_id": "mallory-thread"}
        assert client.post("/v1/chat", json=mine, headers=MALLORY).status_code == 200
        error_of(client.post("/v1/chat", json=mine, headers=ALICE), 404, "conversation_not_found")


def test_the_retention_thread_purges_old_conversations(
    ingested: Settings, state_settings: Settings, embedder: Embedder, error_of: ErrorOf
) -> None:
    # Two seconds of retention, checked five times a second: the periodic purge, sped up.
    served = _served(ingested, state_settings, retention_days=2 / 86400, retention_interval_s=0.2)
    with TestClient(create_app(served, embedder=embedder)) as client:
        cid = client.post("/v1/chat", json={"question": QUESTION}).json()["conversation_id"]
        state = client.app.state.conversations  # type: ignore[attr-defined]
        wait_until(lambda: not state.exists(cid), 30, "the conversation is purged")
        rating = {"conversation_id": cid, "rating": "up"}
        error_of(client.post("/v1/feedback", json=rating), 404, "conversation_not_found")


def test_a_database_that_cannot_be_reached_is_503_state_unavailable(
    ingested: Settings, embedder: Embedder, error_of: ErrorOf
) -> None:
    url = SecretStr(f"postgresql://nobody@127.0.0.1:{free_port()}/tradebot")  # nothing there
    served = ingested.model_copy(update={"database_url": url, "database_timeout_s": 1.0})
    with TestClient(create_app(served, embedder=embedder)) as client:  # starts all the same
        ready = error_of(client.get("/readyz"), 503, "state_unavailable")
        assert "conversation database" in ready["message"]
        chat = client.post("/v1/chat", json={"question": QUESTION})
        error_of(chat, 503, "state_unavailable")
        assert chat.headers["retry-after"]
        rating = {"conversation_id": "c1", "rating": "up"}
        error_of(client.post("/v1/feedback", json=rating), 503, "state_unavailable")
        assert client.get("/v1/search", params={"q": "framework"}).status_code == 200
        assert client.get("/healthz").status_code == 200
