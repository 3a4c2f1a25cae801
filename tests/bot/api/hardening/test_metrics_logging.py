"""GET /metrics (Prometheus text) and the JSON request logs: ids, no secrets, no questions."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from bot.api.observability import configure_logging
from tests.support.logs import captured_json_logs, json_lines

ClientFactory = Callable[..., TestClient]

GROUNDED = "Which magnets need an export licence?"
OFF_TOPIC = "How many goals did the home team score in the cup final?"
SECRET = "query-key-do-not-log-7f3a"


def _samples(client: TestClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def _value(samples: dict[Any, float], name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """Capture what the JSON log handler writes, then take the handler away."""
    with captured_json_logs() as buffer:
        yield buffer


def _lines(buffer: io.StringIO) -> list[dict[str, Any]]:
    return json_lines(buffer)


def test_metrics_count_requests_by_route_template_and_status(make_client: ClientFactory) -> None:
    client = make_client()
    assert client.get("/v1/documents/rare-earth-magnets").status_code == 200
    assert client.get("/v1/documents/no-such-article").status_code == 404
    assert client.get("/v1/nowhere/at-all").status_code == 404
    samples = _samples(client)
    route = "/v1/documents/{doc_id}"
    total = "tradebot_http_requests_total"
    assert _value(samples, total, route=route, method="GET", status="200") == 1
    assert _value(samples, total, route=route, method="GET", status="404") == 1
    assert _value(samples, total, route="unmatched", method="GET", status="404") == 1
    latency = "tradebot_http_request_duration_seconds_count"
    assert _value(samples, latency, route=route, method="GET", status="404") == 1
    assert not any("no-such-article" in str(labels) for _, labels in samples)


def test_metrics_time_retrieval_and_answers_and_count_outcomes(make_client: ClientFactory) -> None:
    client = make_client()
    answers = [client.post("/v1/chat", json={"question": q}).json() for q in (GROUNDED, OFF_TOPIC)]
    streamed = client.post("/v1/chat/stream", json={"question": GROUNDED})
    assert streamed.status_code == 200 and "event: done" in streamed.text
    assert client.get("/v1/search", params={"q": "steel duties"}).status_code == 200
    samples = _samples(client)
    grounded = sum(a["grounded"] for a in answers) + 1  # the streamed one is grounded too
    assert answers[0]["grounded"] and not answers[1]["grounded"]
    count = "tradebot_answers_total"
    assert _value(samples, count, mode="extractive", outcome="grounded") == grounded
    assert _value(samples, count, mode="extractive", outcome="refused") == 3 - grounded
    assert _value(samples, "tradebot_answer_seconds_count", mode="extractive") == 3
    assert _value(samples, "tradebot_answer_seconds_sum", mode="extractive") > 0
    assert _value(samples, "tradebot_retrieval_seconds_count") == 4  # 3 answers + 1 search
    assert _value(samples, "tradebot_llm_fallbacks_total") == 0


def test_metrics_count_ingest_outcomes(make_client: ClientFactory) -> None:
    client = make_client()
    article = {"id": "quota-note", "title": "Quota note", "text": "Mexico set a tomato quota."}
    assert client.post("/v1/documents", json=article).status_code == 201
    assert client.post("/v1/documents", json=article).status_code == 200
    changed = {**article, "text": "Mexico set a tomato quota and a pepper quota."}
    bulk = client.post("/v1/documents/bulk", json=[changed, {"id": "bad"}]).json()
    assert bulk["updated"] == 1 and bulk["failed"] == 1
    samples = _samples(client)
    name = "tradebot_ingest_articles_total"
    assert _value(samples, name, outcome="added") == 1
    assert _value(samples, name, outcome="unchanged") == 1
    assert _value(samples, name, outcome="updated") == 1
    assert _value(samples, name, outcome="failed") == 1
    assert _value(samples, "tradebot_passages_embedded_total") == 2


def test_request_ids_are_echoed_or_made(make_client: ClientFactory) -> None:
    client = make_client()
    given = client.get("/healthz", headers={"X-Request-ID": "trace-42.a"})
    assert given.headers["x-request-id"] == "trace-42.a"
    for hostile in ("x" * 65, "two words", "<script>"):
        made = client.get("/healthz", headers={"X-Request-ID": hostile})
        assert made.headers["x-request-id"] != hostile and len(made.headers["x-request-id"]) == 32
    error = client.get("/v1/documents/missing")
    assert error.status_code == 404 and len(error.headers["x-request-id"]) == 32


def test_logs_are_json_with_request_ids_and_no_keys_or_questions(
    make_client: ClientFactory, log_output: io.StringIO
) -> None:
    client = make_client(api_keys=[SECRET])
    auth = {"Authorization": f"Bearer {SECRET}"}
    answered = client.post("/v1/chat", json={"question": GROUNDED}, headers=auth)
    refused = client.post("/v1/chat", json={"question": GROUNDED}, headers={"Authorization": "x"})
    assert answered.status_code == 200 and refused.status_code == 401
    searched = client.get("/v1/search", params={"q": GROUNDED}, headers=auth)
    assert searched.status_code == 200
    text = log_output.getvalue()
    assert SECRET not in text and GROUNDED not in text
    lines = _lines(log_output)
    requests = {line["request_id"]: line for line in lines if line["msg"] == "request"}
    for response in (answered, refused, searched):
        line = requests[response.headers["x-request-id"]]
        assert line["status"] == response.status_code and line["level"] == "info"
    assert requests[refused.headers["x-request-id"]]["route"] == "/v1/chat"
    answer_lines = [line for line in lines if line["msg"] == "answer"]
    assert len(answer_lines) == 1 and "question" not in answer_lines[0]
    assert answer_lines[0]["question_chars"] == len(GROUNDED)
    assert answer_lines[0]["request_id"] == answered.headers["x-request-id"]


@pytest.mark.parametrize("how", ["log_questions", "debug"])
def test_questions_are_logged_only_when_configured(
    make_client: ClientFactory, log_output: io.StringIO, how: str
) -> None:
    if how == "debug":
        configure_logging("DEBUG", stream=log_output)
        client = make_client()
    else:
        client = make_client(log_questions=True)
    assert client.post("/v1/chat", json={"question": GROUNDED}).status_code == 200
    answer_lines = [line for line in _lines(log_output) if line["msg"] == "answer"]
    assert [line["question"] for line in answer_lines] == [GROUNDED]
