"""Two replicas that share only a Chroma server and PostgreSQL behave as one service.

Replica a runs one worker, replica b two, each with a data dir of its own: conversations,
feedback, Slack event ids and rate limits live in PostgreSQL, so either replica continues what
the other started, a Slack retry sent to both is answered once, the rate limit holds across
both, a replica killed with SIGKILL loses nothing, a database outage is a 503 that ends by
itself, and `--workers 2` serves one set of metrics.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.settings import Settings
from bot.wiring import open_state
from tests.support.articles import RICE, VANILLA
from tests.support.cluster import RATE_LIMIT_PER_MINUTE, Cluster, bearer
from tests.support.processes import ApiProcess
from tests.support.servers import wait_until

pytestmark = [pytest.mark.chroma_server, pytest.mark.postgres]

FIRST = "Which rice exports did India allow?"
FOLLOW_UP = "Who said farmers would gain?"


@pytest.fixture(scope="module")
def seeded(cluster: Cluster) -> Cluster:
    """The cluster with two articles ingested through replica a and visible through b."""
    for article in (RICE, VANILLA):
        assert cluster.article_post(cluster.a, article) == 201
    admin = bearer("scale-admin-key")

    def b_has_them() -> bool:
        found = cluster.b.client.get("/v1/documents", headers=admin).json()["documents"]
        return {doc["doc_id"] for doc in found} >= {"rice-export-ban", "vanilla-quota"}

    wait_until(b_has_them, 30, "b lists what a ingested")
    return cluster


def _chat(replica: ApiProcess, key: str, question: str, cid: str | None = None) -> httpx.Response:
    body = {"question": question, **({"conversation_id": cid} if cid else {})}
    return replica.client.post("/v1/chat", json=body, headers=bearer(key))


def _rate(replica: ApiProcess, key: str, cid: str, rating: str) -> httpx.Response:
    body = {"conversation_id": cid, "rating": rating}
    return replica.client.post("/v1/feedback", json=body, headers=bearer(key))


def _settings(cluster: Cluster) -> Settings:
    return Settings(database_url=cluster.database_url)  # type: ignore[arg-type]


def test_a_conversation_continues_on_the_other_replica(seeded: Cluster) -> None:
    a, b = seeded.a, seeded.b
    first = _chat(a, "alice-key", FIRST)
    assert first.status_code == 200, first.text
    cid = first.json()["conversation_id"]
    second = _chat(b, "alice-key", FOLLOW_UP, cid)
    assert second.status_code == 200, second.text
    # "Who said farmers would gain?" alone names nobody: b found Chouhan through a's turn.
    assert second.json()["conversation_id"] == cid and "Chouhan" in second.json()["answer"]
    for replica, rating in ((a, "up"), (b, "down")):
        assert _rate(replica, "alice-key", cid, rating).status_code == 201

    # Another key gets 404 from either replica, and changes nothing.
    assert _chat(b, "mallory-key", FOLLOW_UP, cid).status_code == 404
    assert _rate(a, "mallory-key", cid, "down").json()["error"]["code"] == "conversation_not_found"
    state = open_state(_settings(seeded))
    try:
        assert [t.question for t in state.history(cid)] == [FIRST, FOLLOW_UP]
        assert [f.rating for f in state.list_feedback(cid)] == ["up", "down"]
    finally:
        state.close()


def test_one_slack_event_delivered_to_both_replicas_is_answered_once(seeded: Cluster) -> None:
    ts, event_id = "1700000300.000100", "EvScale1"
    deliveries = [(seeded.a, None), (seeded.b, 1)]  # the original, and Slack's retry

    def deliver(delivery: tuple[ApiProcess, int | None]) -> httpx.Response:
        replica, retry_num = delivery
        return seeded.slack(replica).mention(FIRST, ts=ts, event_id=event_id, retry_num=retry_num)

    with ThreadPoolExecutor(max_workers=2) as pool:  # at the same moment
        acks = list(pool.map(deliver, deliveries))
    assert [ack.status_code for ack in acks] == [200, 200]
    seeded.recorder.wait_for("chat.postMessage")
    # Both replicas have handled it once the one that lost the claim says so.
    wait_until(
        lambda: _dropped(seeded.a, event_id) + _dropped(seeded.b, event_id) == 1,
        60,
        "one replica dropped the event",
    )
    posts = [c for c in seeded.recorder.calls_to("chat.postMessage") if c.body["thread_ts"] == ts]
    assert len(posts) == 1 and "Chouhan" not in posts[0].body["text"]
    # The thread's conversation belongs to the channel: an API key cannot continue it.
    cid = f"slack:C0TRADE:{ts}"
    assert _chat(seeded.b, "alice-key", FOLLOW_UP, cid).status_code == 404


def _dropped(replica: ApiProcess, event_id: str) -> int:
    """Count the times `replica` logged that another process had already taken `event_id`."""
    return sum(
        1
        for line in replica.log_lines()
        if line["msg"] == "slack event already taken" and line.get("event_id") == event_id
    )


def test_the_rate_limit_holds_across_both_replicas(seeded: Cluster) -> None:
    replicas = (seeded.a, seeded.b)
    key = bearer("erin-key")
    for n in range(RATE_LIMIT_PER_MINUTE):
        response = replicas[n % 2].client.get("/v1/documents", headers=key)
        assert response.status_code == 200, (n, response.text)
    for replica in replicas:
        limited = replica.client.get("/v1/documents", headers=key)
        assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limited"
        assert int(limited.headers["retry-after"]) >= 1


def test_a_replica_killed_and_restarted_loses_nothing(seeded: Cluster) -> None:
    first = _chat(seeded.a, "carol-key", FIRST)
    cid = first.json()["conversation_id"]
    assert _rate(seeded.a, "carol-key", cid, "up").status_code == 201

    a = seeded.kill_and_restart_a()
    second = _chat(a, "carol-key", FOLLOW_UP, cid)
    assert second.status_code == 200 and "Chouhan" in second.json()["answer"]
    assert _rate(a, "carol-key", cid, "down").status_code == 201
    # Slack's late retry of an event answered before the kill is still recognised.
    assert seeded.slack(a).mention(FIRST, ts="1700000300.000100", event_id="EvScale1").is_success
    wait_until(lambda: _dropped(a, "EvScale1") == 1, 60, "the restarted a drops the retry")
    state = open_state(_settings(seeded))
    try:
        assert [t.question for t in state.history(cid)] == [FIRST, FOLLOW_UP]
        assert [f.rating for f in state.list_feedback(cid)] == ["up", "down"]
    finally:
        state.close()


def test_postgres_down_is_503_then_recovers_without_restarts(seeded: Cluster) -> None:
    a, b = seeded.a, seeded.b
    cid = _chat(a, "dave-key", FIRST).json()["conversation_id"]
    seeded.postgres.stop()
    try:
        # Each answer comes within the database timeout (2 s), well before the request
        # timeout's 504 (30 s): a 503 here means nothing hung.
        for replica in (a, b):
            follow_up = _chat(replica, "dave-key", FOLLOW_UP, cid)
            assert follow_up.status_code == 503, follow_up.text
            assert follow_up.json()["error"]["code"] == "state_unavailable"
            assert follow_up.headers["retry-after"]
            ready = replica.client.get("/readyz")
            assert ready.status_code == 503 and ready.json()["error"]["code"] == "state_unavailable"
        assert _rate(b, "dave-key", cid, "up").status_code == 503
        assert b.client.get("/healthz").status_code == 200  # alive, just not ready
    finally:
        seeded.postgres.start()
    for replica in (a, b):
        wait_until(lambda r=replica: r.client.get("/readyz").status_code == 200, 60, "ready")
    recovered = _chat(b, "dave-key", FOLLOW_UP, cid)
    assert recovered.status_code == 200 and "Chouhan" in recovered.json()["answer"]


def test_metrics_of_two_workers_add_up(seeded: Cluster) -> None:
    b = seeded.b
    before = _count(httpx.get(f"{b.base}/metrics", timeout=30).text, "/healthz")
    sent = 0

    def pids_seen() -> int:
        nonlocal sent
        for _ in range(10):  # a new connection each: the kernel picks the worker
            assert httpx.get(f"{b.base}/healthz", timeout=30).status_code == 200
            sent += 1
        lines = [ln for ln in b.log_lines() if ln["msg"] == "request"]
        return len({ln["pid"] for ln in lines if ln.get("route") == "/healthz"})

    wait_until(lambda: pids_seen() == 2, 120, "both workers of b served /healthz")
    # Per-process metrics would show one worker's share; these hold every worker's.
    after = _count(httpx.get(f"{b.base}/metrics", timeout=30).text, "/healthz")
    assert after - before == sent


def _count(exposition: str, route: str) -> float:
    total = 0.0
    for family in text_string_to_metric_families(exposition):
        if family.name == "tradebot_http_requests":
            for sample in family.samples:
                if sample.name.endswith("_total") and sample.labels.get("route") == route:
                    total += sample.value
    return total
