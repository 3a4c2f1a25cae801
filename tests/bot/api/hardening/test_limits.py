"""Limits: body size (413), question and top_k bounds (422), timeouts (504), rate limits (429)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from fastapi.testclient import TestClient
from starlette.types import Receive, Scope, Send

from bot.api.limits import BodySizeLimitMiddleware, RequestTimeoutMiddleware

ErrorOf = Callable[..., dict[str, Any]]
ClientFactory = Callable[..., TestClient]

ADMIN = {"Authorization": "Bearer admin-key-123"}
QUERY = {"Authorization": "Bearer query-key-456"}
KEYS = {"api_keys": ["query-key-456"], "admin_api_keys": ["admin-key-123"]}


GOODS = [
    "bicycles",
    "umbrellas",
    "kettles",
    "tractors",
    "violins",
    "lanterns",
    "anchors",
    "saddles",
    "pianos",
    "kayaks",
    "helmets",
    "mirrors",
    "ladders",
    "compasses",
    "blankets",
    "trumpets",
    "scooters",
    "teapots",
    "hammocks",
    "sleds",
]


def _article(n: int, sentences: int = 30) -> dict[str, str]:
    goods = GOODS[n % len(GOODS)]
    body = " ".join(
        f"Schedule {n} sets duty band {i} on imported {goods} from port {i * n}."
        for i in range(sentences)
    )
    return {"id": f"bulk-{n}", "title": f"Tariff schedule for {goods}", "text": body}


def _chunks(data: bytes, size: int = 1024) -> Iterator[bytes]:
    for lo in range(0, len(data), size):
        yield data[lo : lo + size]


def test_body_over_the_limit_is_413_declared_or_streamed(
    make_client: ClientFactory, error_of: ErrorOf
) -> None:
    client = make_client(max_body_bytes=2048)
    big = json.dumps({"question": "Tariffs? " + "x" * 4000}).encode()
    headers = {"content-type": "application/json"}
    error = error_of(client.post("/v1/chat", content=big, headers=headers), 413)
    assert error["code"] == "payload_too_large" and "2048" in error["message"]
    # No Content-Length: the bytes are counted as they arrive.
    streamed = client.post("/v1/chat", content=_chunks(big), headers=headers)
    error_of(streamed, 413, "payload_too_large")
    ok = client.post("/v1/chat", json={"question": "Which magnets need an export licence?"})
    assert ok.status_code == 200 and ok.json()["grounded"]


def test_bulk_ingest_has_its_own_limit_and_admin_scope(
    make_client: ClientFactory, error_of: ErrorOf
) -> None:
    client = make_client(max_body_bytes=2048, max_bulk_body_bytes=20_000, **KEYS)
    articles = [_article(1), _article(2)]
    body = json.dumps(articles).encode()
    assert 2048 < len(body) < 20_000
    error_of(client.post("/v1/documents", content=body, headers=ADMIN), 413)
    error_of(client.post("/v1/documents/bulk", json=articles, headers=QUERY), 403, "forbidden")
    error_of(client.post("/v1/documents/bulk", json=articles), 401, "unauthorized")
    stored = client.post("/v1/documents/bulk", json=articles, headers=ADMIN)
    assert stored.status_code == 200, stored.text
    assert stored.json()["added"] == 2 and stored.json()["failed"] == 0
    again = client.post("/v1/documents/bulk", json=articles, headers=ADMIN).json()
    assert again["unchanged"] == 2 and again["passages_embedded"] == 0
    too_big = json.dumps([_article(n) for n in range(3, 20)]).encode()
    assert len(too_big) > 20_000
    response = client.post(
        "/v1/documents/bulk",
        content=too_big,
        headers={**ADMIN, "content-type": "application/json"},
    )
    error_of(response, 413, "payload_too_large")
    assert client.get("/v1/documents/bulk-3", headers=QUERY).status_code == 404
    hits = client.get("/v1/search", params={"q": "duty on imported kettles"}, headers=QUERY)
    assert "bulk-2" in {hit["doc_id"] for hit in hits.json()["results"]}


def test_bulk_json_lines_store_the_good_lines_and_report_the_bad(
    make_client: ClientFactory, error_of: ErrorOf
) -> None:
    client = make_client()
    lines = [
        json.dumps(_article(7)),
        "{not json",
        json.dumps({"id": "no-text", "title": "Empty"}),
        "",
        json.dumps(_article(8)),
    ]
    response = client.post(
        "/v1/documents/bulk",
        content="\n".join(lines).encode(),
        headers={"content-type": "application/x-ndjson"},
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["added"] == 2 and result["failed"] == 2
    assert [e["path"] for e in result["errors"]] == ["line 2", "line 3"]
    assert "invalid JSON" in result["errors"][0]["reason"]
    assert "text" in result["errors"][1]["reason"]
    assert client.get("/v1/documents/bulk-8").json()["title"] == _article(8)["title"]

    post = client.post
    error_of(post("/v1/documents/bulk", content=b"[{", headers=_json()), 400, "malformed_json")
    error_of(post("/v1/documents/bulk", json={"text": "one object"}), 422, "invalid_request")
    error_of(post("/v1/documents/bulk", json=[]), 422, "invalid_request")
    xml = {"content-type": "application/xml"}
    error_of(post("/v1/documents/bulk", content=b"<a/>", headers=xml), 415)


def _json() -> dict[str, str]:
    return {"content-type": "application/json"}


def test_question_length_and_top_k_bounds_are_422(
    make_client: ClientFactory, error_of: ErrorOf
) -> None:
    client = make_client()
    for payload in (
        {"question": "x" * 2001},
        {"question": "Magnets?", "top_k": 0},
        {"question": "Magnets?", "top_k": 21},
    ):
        error_of(client.post("/v1/chat", json=payload), 422, "invalid_request")
        error_of(client.post("/v1/chat/stream", json=payload), 422, "invalid_request")
    error_of(client.get("/v1/search", params={"q": "steel", "k": 51}), 422, "invalid_request")
    error_of(client.get("/v1/search", params={"q": "s" * 2001}), 422, "invalid_request")
    assert client.post("/v1/chat", json={"question": "x" * 2000, "top_k": 20}).status_code == 200


def test_a_request_past_the_timeout_is_504(
    make_client: ClientFactory, error_of: ErrorOf, silent_llm: str
) -> None:
    # The LLM server accepts the connection and never answers: only the timeout can end it.
    client = make_client(request_timeout_s=0.3, llm_base_url=silent_llm, llm_timeout_s=3)
    response = client.post("/v1/chat", json={"question": "Which magnets need a licence?"})
    error = error_of(response, 504, "timeout")
    assert "0.3 s" in error["message"] and response.headers["x-request-id"]
    assert client.get("/healthz").status_code == 200


def test_rate_limit_is_429_with_retry_after_per_key(
    make_client: ClientFactory, error_of: ErrorOf
) -> None:
    client = make_client(rate_limit_per_minute=3, **KEYS)
    for _ in range(3):
        assert client.get("/v1/documents", headers=QUERY).status_code == 200
    limited = client.get("/v1/documents", headers=QUERY)
    error = error_of(limited, 429, "rate_limited")
    wait = int(limited.headers["retry-after"])
    assert 1 <= wait <= 120 and str(wait) in error["message"]
    assert client.get("/v1/documents", headers=ADMIN).status_code == 200  # its own budget
    assert client.get("/healthz").status_code == 200  # outside /v1: never limited
    assert client.get("/metrics").status_code == 200


def test_rate_limit_counts_are_shared_by_every_process_on_the_data_dir(
    make_client: ClientFactory, error_of: ErrorOf
) -> None:
    # Two apps over one data dir stand for two worker processes of one machine.
    first = make_client(rate_limit_per_minute=4)
    second = make_client(rate_limit_per_minute=4)
    for client in (first, second, first, second):
        assert client.get("/v1/documents").status_code == 200
    error_of(first.get("/v1/documents"), 429, "rate_limited")
    error_of(second.get("/v1/documents"), 429, "rate_limited")


def test_widget_key_is_limited_per_visitor_address(
    make_client: ClientFactory, error_of: ErrorOf
) -> None:
    origin = "https://shop.example"
    client = make_client(rate_limit_per_minute=2, widget_keys=["wk-public"], cors_origins=[origin])
    headers = {"Authorization": "Bearer wk-public", "Origin": origin}
    question = {"question": "Which magnets need a licence?"}
    for _ in range(2):
        assert client.post("/v1/chat", json=question, headers=headers).status_code == 200
    limited = client.post("/v1/chat", json=question, headers=headers)
    error_of(limited, 429, "rate_limited")
    assert limited.headers["access-control-allow-origin"] == origin  # the widget can read it
    # Another visitor of the same site (same public key, another address) is not limited.
    visitor = TestClient(client.app, client=("203.0.113.9", 40000))
    assert visitor.post("/v1/chat", json=question, headers=headers).status_code == 200


async def _read_raw_body(scope: Scope, receive: Receive, send: Send) -> None:
    """A route that reads its body itself, as bulk ingest and Slack's routes do."""
    size, more = 0, True
    while more:
        message = await receive()
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(size).encode()})


def test_streamed_oversized_body_is_413_through_the_timeout_layer(error_of: ErrorOf) -> None:
    app = BodySizeLimitMiddleware(RequestTimeoutMiddleware(_read_raw_body, 30), max_bytes=2048)
    client = TestClient(app)
    assert client.post("/raw", content=_chunks(b"x" * 2000)).text == "2000"
    error_of(client.post("/raw", content=_chunks(b"x" * 5000)), 413, "payload_too_large")
