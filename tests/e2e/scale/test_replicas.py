"""Two `tradebot serve` replicas over one Chroma server and one data dir agree on everything.

Replica A runs one worker, replica B runs `--workers 2`: documents, deletes (BM25 included),
conversations and feedback written through one are seen through the other, without restarts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.state.sqlite import SqliteState
from tests.support.articles import RICE, VANILLA
from tests.support.processes import ApiProcess, ChromaServer, tradebot_env, wait_until

pytestmark = pytest.mark.chroma_server

Replicas = Callable[..., ApiProcess]
VANILLA_QUERY = {"q": "vanilla beans Sava growers minimum export price"}


def _found(replica: ApiProcess, doc_id: str) -> bool:
    response = replica.client.get("/v1/search", params=VANILLA_QUERY)
    assert response.status_code == 200, response.text
    return doc_id in {hit["doc_id"] for hit in response.json()["results"]}


def test_replicas_share_documents_conversations_and_feedback(
    chroma_server: ChromaServer, settings: Settings, replicas: Replicas, tmp_path: Path
) -> None:
    env = tradebot_env(settings.data_dir, chroma_server.url, TRADEBOT_LOG_LEVEL="INFO")
    a = replicas(env)
    b = replicas(env, workers=2)
    assert a.client.post("/v1/documents", json=RICE).status_code == 201

    # A document posted through A is answerable through B within seconds.
    assert a.client.post("/v1/documents", json=VANILLA).status_code == 201
    wait_until(lambda: _found(b, "vanilla-quota"), 20, "B finds what A ingested")
    question = {"question": "What minimum price did Madagascar set for vanilla?"}
    answer = b.client.post("/v1/chat", json=question).json()
    assert answer["grounded"] and answer["citations"][0]["doc_id"] == "vanilla-quota"

    # A delete through B disappears from A, dense and BM25 sides alike.
    assert b.client.delete("/v1/documents/vanilla-quota").status_code == 200
    wait_until(lambda: not _found(a, "vanilla-quota"), 20, "A forgets what B deleted")
    bm25_only = a.client.get("/v1/search", params={"q": "Marseille vanillin Sava"}).json()
    assert all(hit["doc_id"] != "vanilla-quota" for hit in bm25_only["results"])
    assert a.client.get("/v1/documents/vanilla-quota").status_code == 404

    # A conversation started on A continues on B; feedback from both lands.
    first = a.client.post("/v1/chat", json={"question": "Which rice exports did India allow?"})
    cid = first.json()["conversation_id"]
    follow_up = {"question": "Who said farmers would gain?", "conversation_id": cid}
    second = b.client.post("/v1/chat", json=follow_up).json()
    assert second["conversation_id"] == cid and "Chouhan" in second["answer"]
    for replica, rating in ((a, "up"), (b, "down")):
        rated = replica.client.post("/v1/feedback", json={"conversation_id": cid, "rating": rating})
        assert rated.status_code == 201, rated.text
    conversations = SqliteState(settings.sqlite_path)
    assert [t.question for t in conversations.history(cid)] == [
        "Which rice exports did India allow?",
        "Who said farmers would gain?",
    ]
    assert [f.rating for f in conversations.list_feedback(cid)] == ["up", "down"]

    # `--workers 2` really runs two processes, each of which loaded the model and logs JSON.
    def workers_ready() -> int:
        return len({ln["pid"] for ln in b.log_lines() if ln["msg"].startswith("tradebot ready")})

    wait_until(lambda: workers_ready() == 2, 120, "both workers of B loaded the model")
    requests = [line for line in a.log_lines() if line["msg"] == "request"]
    assert requests and all(len(line["request_id"]) == 32 for line in requests)
