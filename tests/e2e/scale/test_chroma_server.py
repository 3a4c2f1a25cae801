"""With TRADEBOT_CHROMA_URL the CLI and the service use a real `chroma run` server.

Ingest (CLI), chat, search and delete run against it; when the server goes away the API says
so (503) and recovers by itself when it comes back, with no restart.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.settings import Settings
from bot.wiring import build_ingestor, open_store
from ingest.embedder import Embedder
from ingest.loaders import article_from_json
from tests.support.processes import ChromaServer, run_cli, tradebot_env, wait_until

pytestmark = pytest.mark.chroma_server

ARTICLES = [
    {
        "id": "antimony-ban",
        "title": "China bans antimony exports to the United States",
        "text": (
            "China banned exports of antimony, gallium and germanium to the United States. "
            "Antimony is used in ammunition and flame retardants. Prices in Rotterdam doubled "
            "within a week of the announcement."
        ),
        "published_at": "2024-12-03",
        "source": "Harbour Times",
    },
    {
        "id": "solar-duties",
        "title": "EU weighs duties on Chinese solar panels",
        "text": (
            "The European Commission opened an inquiry into subsidies for Chinese solar panels. "
            "Installers warned that duties would slow the rollout of rooftop panels across the "
            "bloc."
        ),
        "published_at": "2024-04-09",
        "source": "Pacific Ledger",
    },
]
ANTIMONY = {"question": "Which metals did China ban from export to the United States?"}


def _doc_ids(response: object) -> set[str]:
    return {hit["doc_id"] for hit in response.json()["results"]}  # type: ignore[attr-defined]


def test_cli_ingest_chat_and_delete_against_a_chroma_server(
    chroma_server: ChromaServer, settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    source = tmp_path / "articles.jsonl"
    source.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n")
    env = tradebot_env(settings.data_dir, chroma_server.url)
    ingested = run_cli(env, "ingest", str(source), "--json")
    assert ingested.returncode == 0, ingested.stderr
    assert json.loads(ingested.stdout.splitlines()[-1])["added"] == 2
    listed = run_cli(env, "documents", "list", "--json")
    assert {row["doc_id"] for row in json.loads(listed.stdout)} == {"antimony-ban", "solar-duties"}
    assert not (settings.data_dir / "chroma").exists()  # nothing went to an embedded store

    served = settings.model_copy(update={"chroma_url": chroma_server.url})
    with TestClient(create_app(served, embedder=embedder)) as client:
        answer = client.post("/v1/chat", json=ANTIMONY).json()
        assert answer["grounded"] and answer["citations"][0]["doc_id"] == "antimony-ban"
        found = client.get("/v1/search", params={"q": "antimony flame retardants"})
        assert "antimony-ban" in _doc_ids(found)

        deleted = run_cli(env, "documents", "delete", "antimony-ban")
        assert deleted.returncode == 0, deleted.stderr
        wait_until(
            lambda: (
                "antimony-ban" not in _doc_ids(client.get("/v1/search", params={"q": "antimony"}))
            ),
            20,
            "a delete by the CLI reaches the running service",
        )
        after = client.post("/v1/chat", json=ANTIMONY).json()
        assert all(c["doc_id"] != "antimony-ban" for c in after["citations"])
        assert client.get("/v1/documents/antimony-ban").status_code == 404

    # The server keeps what it stored across its own restart.
    chroma_server.stop()
    chroma_server.start()
    listed = run_cli(env, "documents", "list", "--json")
    assert [row["doc_id"] for row in json.loads(listed.stdout)] == ["solar-duties"]


def test_chroma_server_down_is_503_and_recovers_without_restart(
    chroma_server: ChromaServer, settings: Settings, embedder: Embedder
) -> None:
    served = settings.model_copy(update={"chroma_url": chroma_server.url})
    report = build_ingestor(served, open_store(served), embedder).ingest_articles(
        article_from_json(a) for a in ARTICLES
    )
    assert report.added == 2
    chroma_server.stop()
    # The service starts while the server is down; it connects once the server is back.
    with TestClient(create_app(served, embedder=embedder)) as client:
        for _ in range(2):
            _assert_unavailable(client)
            chroma_server.start()
            wait_until(lambda: client.get("/readyz").status_code == 200, 60, "the service recovers")
            answer = client.post("/v1/chat", json=ANTIMONY)
            assert answer.status_code == 200 and answer.json()["grounded"]
            chroma_server.stop()
        _assert_unavailable(client)
        assert client.get("/healthz").status_code == 200  # alive, just not ready


def test_hung_chroma_server_is_a_503_after_the_timeout_not_a_stuck_request(
    chroma_server: ChromaServer, settings: Settings, embedder: Embedder
) -> None:
    # chromadb's own HTTP client waits forever; TRADEBOT_CHROMA_TIMEOUT_S bounds every request.
    served = settings.model_copy(update={"chroma_url": chroma_server.url, "chroma_timeout_s": 2.0})
    with TestClient(create_app(served, embedder=embedder)) as client:
        for article in ARTICLES:
            assert client.post("/v1/documents", json=article).status_code == 201
        assert client.post("/v1/chat", json=ANTIMONY).json()["grounded"]
        pool = ThreadPoolExecutor(max_workers=1)
        chroma_server.freeze()
        try:
            time.sleep(0.6)  # past the time a read generation token is trusted
            # A request stuck on the frozen server fails the test here instead of hanging it.
            question = {"question": "Which duties is the EU weighing?"}
            chat = pool.submit(client.post, "/v1/chat", json=question).result(timeout=60)
            ready = pool.submit(client.get, "/readyz").result(timeout=60)
        finally:
            chroma_server.thaw()
            pool.shutdown()
        assert chat.status_code == 503, chat.text
        assert chat.json()["error"]["code"] == "store_unavailable"
        assert ready.status_code == 503
        # Nothing was lost: once the server answers again, so does the service.
        wait_until(lambda: client.get("/readyz").status_code == 200, 60, "the service recovers")
        answer = client.post("/v1/chat", json=ANTIMONY).json()
        assert answer["grounded"] and answer["citations"][0]["doc_id"] == "antimony-ban"


def _assert_unavailable(client: TestClient) -> None:
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json()["error"]["code"] == "store_unavailable"
    chat = client.post("/v1/chat", json=ANTIMONY)
    assert chat.status_code == 503, chat.text
    error = chat.json()["error"]
    assert error["code"] == "store_unavailable" and "unreachable" in error["message"]
    assert chat.headers["retry-after"]
    search = client.get("/v1/search", params={"q": "antimony"})
    assert search.status_code == 503
