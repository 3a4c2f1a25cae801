"""API keys by scope, origin-bound widget keys and CORS, through the real app."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.api.access import scope_allows
from bot.api.app import create_app
from bot.api.identity import KeyRing
from bot.settings import Settings
from ingest.embedder import Embedder

QUERY_KEY = "tb-query-3f9a1c"
ADMIN_KEY = "tb-admin-77d0e2"
WIDGET_KEY = "tb-widget-public-51b8"
ALLOWED = "https://news.example"
DISALLOWED = "https://evil.example"

ARTICLE = {
    "id": "eu-ev-tariffs",
    "title": "EU sets tariffs on Chinese electric vehicles",
    "text": (
        "The European Commission imposed tariffs of up to 35.3% on electric vehicles made in "
        "China, after an anti-subsidy investigation found unfair state support. Beijing called "
        "the duties protectionist and opened its own probe into European brandy imports."
    ),
    "published_at": "2024-10-29",
    "source": "Example Wire",
    "url": "https://news.example/eu-ev-tariffs",
}

ClientFactory = Callable[..., TestClient]


@pytest.fixture
def make_client(tmp_path: Path, embedder: Embedder) -> Iterator[ClientFactory]:
    """Build real apps (lifespan run) with the given settings, closed after the test."""
    with ExitStack() as stack:

        def factory(**overrides: Any) -> TestClient:
            settings = Settings(data_dir=tmp_path / "data", rate_limit_per_minute=0, **overrides)
            return stack.enter_context(TestClient(create_app(settings, embedder=embedder)))

        yield factory


@pytest.fixture
def keyed(make_client: ClientFactory) -> TestClient:
    """An app with all three kinds of key and one allowed browser origin."""
    return make_client(
        api_keys=QUERY_KEY,
        admin_api_keys=ADMIN_KEY,
        widget_keys=WIDGET_KEY,
        cors_origins=ALLOWED,
    )


def bearer(key: str, origin: str | None = None) -> dict[str, str]:
    """Headers carrying `key` (and a browser Origin, when given)."""
    headers = {"Authorization": f"Bearer {key}"}
    if origin:
        headers["Origin"] = origin
    return headers


def assert_error(response: Any, status: int, code: str) -> None:
    """Check the status and the JSON error envelope."""
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]


def test_without_keys_the_api_is_open(make_client: ClientFactory) -> None:
    client = make_client()
    assert client.get("/v1/documents").status_code == 200
    assert client.post("/v1/chat", json={"question": "tariffs?"}).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong-key"}, {"Authorization": f"Basic {QUERY_KEY}"}],
    ids=["missing", "unknown", "not-bearer"],
)
def test_v1_needs_a_valid_bearer_key(keyed: TestClient, headers: dict[str, str]) -> None:
    for method, path in [("GET", "/v1/documents"), ("GET", "/v1/search?q=tariffs")]:
        response = keyed.request(method, path, headers=headers)
        assert_error(response, 401, "unauthorized")
        assert response.headers["www-authenticate"] == "Bearer"
    response = keyed.post("/v1/chat", json={"question": "tariffs?"}, headers=headers)
    assert_error(response, 401, "unauthorized")


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics", "/widget.js", "/"])
def test_service_routes_stay_open(keyed: TestClient, path: str) -> None:
    assert keyed.get(path).status_code == 200


def test_query_key_reads_and_asks_but_cannot_write(keyed: TestClient) -> None:
    headers = bearer(QUERY_KEY)
    assert keyed.get("/v1/documents", headers=headers).status_code == 200
    assert keyed.get("/v1/search", params={"q": "tariffs"}, headers=headers).status_code == 200
    chat = keyed.post("/v1/chat", json={"question": "EV tariffs?"}, headers=headers)
    assert chat.status_code == 200
    feedback = {"conversation_id": chat.json()["conversation_id"], "rating": "up"}
    assert keyed.post("/v1/feedback", json=feedback, headers=headers).status_code == 201
    assert_error(keyed.post("/v1/documents", json=ARTICLE, headers=headers), 403, "forbidden")
    assert_error(keyed.delete("/v1/documents/eu-ev-tariffs", headers=headers), 403, "forbidden")


def test_admin_key_writes_and_deletes(keyed: TestClient) -> None:
    headers = bearer(ADMIN_KEY)
    assert keyed.post("/v1/documents", json=ARTICLE, headers=headers).status_code == 201
    listed = keyed.get("/v1/documents", headers=headers).json()
    assert [doc["doc_id"] for doc in listed["documents"]] == ["eu-ev-tariffs"]
    assert keyed.delete("/v1/documents/eu-ev-tariffs", headers=headers).status_code == 200
    assert keyed.get("/v1/documents", headers=headers).json()["total"] == 0


def test_widget_key_reaches_chat_from_an_allowed_origin(keyed: TestClient) -> None:
    keyed.post("/v1/documents", json=ARTICLE, headers=bearer(ADMIN_KEY))
    headers = bearer(WIDGET_KEY, ALLOWED)
    question = {"question": "What tariffs did the EU put on Chinese electric vehicles?"}
    chat = keyed.post("/v1/chat", json=question, headers=headers)
    assert chat.status_code == 200
    assert chat.headers["access-control-allow-origin"] == ALLOWED
    assert chat.json()["citations"][0]["doc_id"] == "eu-ev-tariffs"
    with keyed.stream("POST", "/v1/chat/stream", json=question, headers=headers) as stream:
        assert stream.status_code == 200
        assert "event: done" in stream.read().decode()
    feedback = {"conversation_id": chat.json()["conversation_id"], "rating": "down"}
    assert keyed.post("/v1/feedback", json=feedback, headers=headers).status_code == 201


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/search?q=tariffs"),
        ("GET", "/v1/documents"),
        ("GET", "/v1/documents/eu-ev-tariffs"),
        ("POST", "/v1/documents"),
        ("POST", "/v1/documents/bulk"),
        ("DELETE", "/v1/documents/eu-ev-tariffs"),
    ],
)
def test_widget_key_reaches_nothing_but_chat(keyed: TestClient, method: str, path: str) -> None:
    keyed.post("/v1/documents", json=ARTICLE, headers=bearer(ADMIN_KEY))
    body = ARTICLE if method == "POST" else None  # never read: the key check comes first
    response = keyed.request(method, path, json=body, headers=bearer(WIDGET_KEY, ALLOWED))
    assert_error(response, 403, "forbidden")
    assert keyed.get("/v1/documents", headers=bearer(ADMIN_KEY)).json()["total"] == 1


@pytest.mark.parametrize("origin", [DISALLOWED, None, "https://news.example.evil.example"])
def test_widget_key_is_refused_from_other_origins(keyed: TestClient, origin: str | None) -> None:
    response = keyed.post(
        "/v1/chat/stream", json={"question": "tariffs?"}, headers=bearer(WIDGET_KEY, origin)
    )
    assert_error(response, 403, "origin_not_allowed")
    assert "access-control-allow-origin" not in response.headers


def test_widget_key_works_on_the_apps_own_pages(keyed: TestClient) -> None:
    same_origin = bearer(WIDGET_KEY, "http://testserver")
    response = keyed.post("/v1/chat", json={"question": "tariffs?"}, headers=same_origin)
    assert response.status_code == 200


def test_preflight_from_an_allowed_origin(keyed: TestClient) -> None:
    response = keyed.options(
        "/v1/chat/stream",
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED
    allowed_headers = response.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed_headers
    assert "content-type" in allowed_headers
    assert "POST" in response.headers["access-control-allow-methods"]


def test_preflight_from_a_disallowed_origin(keyed: TestClient) -> None:
    response = keyed.options(
        "/v1/chat/stream",
        headers={"Origin": DISALLOWED, "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


def test_errors_to_an_allowed_origin_are_readable_by_the_browser(keyed: TestClient) -> None:
    response = keyed.post(
        "/v1/chat/stream", json={"question": "tariffs?"}, headers=bearer("wrong", ALLOWED)
    )
    assert_error(response, 401, "unauthorized")
    assert response.headers["access-control-allow-origin"] == ALLOWED


def test_keys_are_never_logged_or_echoed(
    keyed: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    presented = "tb-query-3f9a1d"  # one character off a real key
    denied = keyed.get("/v1/documents", headers=bearer(presented))
    keyed.get("/v1/documents", headers=bearer(QUERY_KEY))
    keyed.post("/v1/search", headers=bearer(WIDGET_KEY, ALLOWED))
    assert denied.status_code == 401
    assert presented not in denied.text
    for secret in (presented, QUERY_KEY, WIDGET_KEY, ADMIN_KEY):
        assert secret not in caplog.text


def test_a_key_in_two_lists_gets_its_widest_scope() -> None:
    ring = KeyRing.from_settings(
        Settings(api_keys="shared,q2", widget_keys="shared,w2", admin_api_keys="a1")
    )
    assert ring.scope_of("shared") == "query"
    assert ring.scope_of("w2") == "widget"
    assert ring.scope_of("a1") == "admin"
    assert ring.scope_of("a") is None
    assert ring.scope_of("") is None


@pytest.mark.parametrize(
    ("scope", "method", "path", "allowed"),
    [
        ("widget", "POST", "/v1/chat", True),
        ("widget", "POST", "/v1/feedback", True),
        ("widget", "GET", "/v1/chat", False),
        ("query", "GET", "/v1/documents/x", True),
        ("query", "POST", "/v1/search", True),
        ("query", "POST", "/v1/documents/bulk", False),
        ("query", "DELETE", "/v1/documents/x", False),
        ("admin", "DELETE", "/v1/documents/x", True),
    ],
)
def test_scope_rules(scope: Any, method: str, path: str, allowed: bool) -> None:
    assert scope_allows(scope, method, path) is allowed
