"""Every error a client can cause is the JSON envelope with a 4xx, never a 5xx."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

ErrorOf = Callable[..., dict[str, Any]]


INVALID_CHAT_PAYLOADS: list[Any] = [
    {"question": "x" * 2001},
    {"question": ""},
    {"question": "   "},
    {"question": "Tariffs?", "top_k": 0},
    {"question": "Tariffs?", "top_k": 21},
    {"question": "Tariffs?", "top_k": "many"},
    {"question": "Tariffs?", "filters": {"published_after": "2025-02-30"}},
    {"question": "Tariffs?", "filters": {"published_before": "last week"}},
    {
        "question": "Tariffs?",
        "filters": {"published_after": "2025-06-01", "published_before": "2025-01-01"},
    },
    {"question": "Tariffs?", "filters": {"sources": "Harbour Times"}},
    {"question": "Tariffs?", "conversation_id": "has spaces"},
    {"question": "Tariffs?", "unexpected": True},
    {"question": 42},
    ["Tariffs?"],
]


def test_invalid_chat_requests_are_422(client: TestClient, error_of: ErrorOf) -> None:
    for payload in INVALID_CHAT_PAYLOADS:
        error = error_of(client.post("/v1/chat", json=payload), 422, "invalid_request")
        assert error["details"], payload


def test_oversized_question_names_the_field(client: TestClient, error_of: ErrorOf) -> None:
    error = error_of(client.post("/v1/chat", json={"question": "x" * 2001}), 422)
    assert "question" in error["message"] and "2000" in error["message"]


def test_reversed_date_window_is_explained(client: TestClient, error_of: ErrorOf) -> None:
    window = {"published_after": "2025-06-01", "published_before": "2025-01-01"}
    error = error_of(client.post("/v1/chat", json={"question": "Tariffs?", "filters": window}), 422)
    assert "published_after" in error["message"]
    params = {"q": "tariffs", **window}
    error_of(client.get("/v1/search", params=params), 422, "invalid_request")


def test_malformed_json_is_400(client: TestClient, error_of: ErrorOf) -> None:
    headers = {"content-type": "application/json"}
    for path in ("/v1/chat", "/v1/chat/stream", "/v1/feedback", "/v1/documents"):
        response = client.post(path, content=b'{"question": "unterminated', headers=headers)
        error_of(response, 400, "malformed_json")


def test_search_bounds(client: TestClient, error_of: ErrorOf) -> None:
    error_of(client.get("/v1/search"), 422, "invalid_request")
    error_of(client.get("/v1/search", params={"q": ""}), 422)
    error_of(client.get("/v1/search", params={"q": "  "}), 422)
    error_of(client.get("/v1/search", params={"q": "tariffs", "k": 0}), 422)
    error_of(client.get("/v1/search", params={"q": "tariffs", "k": 51}), 422)
    error_of(
        client.get("/v1/search", params={"q": "tariffs", "published_after": "2025-13-01"}), 422
    )
    error_of(client.get("/v1/documents", params={"limit": 0}), 422)


def test_unknown_routes_methods_and_documents(client: TestClient, error_of: ErrorOf) -> None:
    error_of(client.get("/v1/nothing-here"), 404, "not_found")
    response = client.put("/v1/chat", json={"question": "Tariffs?"})
    error_of(response, 405, "method_not_allowed")
    assert "POST" in response.headers["allow"]
    error_of(client.get("/v1/documents/no-such-doc"), 404, "document_not_found")
    error_of(client.delete("/v1/documents/no/such/doc"), 404, "document_not_found")
