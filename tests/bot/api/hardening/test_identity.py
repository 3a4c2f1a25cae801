"""One client identity per request: no rate-limit bypass by extra or made-up keys, 401s counted."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

ErrorOf = Callable[..., dict[str, Any]]
ClientFactory = Callable[..., TestClient]

ORIGIN = "https://shop.example"
QUESTION = {"question": "Which magnets need an export licence?"}
KEYS = {
    "api_keys": ["query-key-456"],
    "admin_api_keys": ["admin-key-123"],
    "widget_keys": ["wk-public"],
    "cors_origins": [ORIGIN],
}


def _random_bearer() -> tuple[str, str]:
    return ("Authorization", f"Bearer {secrets.token_hex(8)}")


def test_a_second_authorization_header_is_400_and_never_a_fresh_budget(
    make_client: ClientFactory, error_of: ErrorOf
) -> None:
    client = make_client(rate_limit_per_minute=5, **KEYS)
    widget = ("Authorization", "Bearer wk-public")
    for extra in ([widget, _random_bearer()], [_random_bearer(), widget], [widget, widget]):
        response = client.post("/v1/chat", json=QUESTION, headers=[*extra, ("Origin", ORIGIN)])
        error = error_of(response, 400, "bad_request")
        assert "one Authorization header" in error["message"]
        assert response.headers["access-control-allow-origin"] == ORIGIN
    # The public key alone still has its budget of 5, and is limited after it.
    one = {"Authorization": "Bearer wk-public", "Origin": ORIGIN}
    statuses = [client.post("/v1/chat", json=QUESTION, headers=one).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def test_made_up_keys_share_the_budget_of_their_address_on_an_open_api(
    make_client: ClientFactory, error_of: ErrorOf
) -> None:
    client = make_client(rate_limit_per_minute=3)  # no keys configured: the API is open
    for _ in range(3):
        assert client.get("/v1/documents", headers=[_random_bearer()]).status_code == 200
    error_of(client.get("/v1/documents", headers=[_random_bearer()]), 429, "rate_limited")
    error_of(client.get("/v1/documents"), 429, "rate_limited")


def test_failed_authentication_counts_against_the_address(
    make_client: ClientFactory, error_of: ErrorOf
) -> None:
    client = make_client(rate_limit_per_minute=3, **KEYS)
    error_of(client.get("/v1/documents"), 401, "unauthorized")  # no key at all
    for _ in range(2):
        error_of(client.get("/v1/documents", headers=[_random_bearer()]), 401, "unauthorized")
    guessed = client.get("/v1/documents", headers=[_random_bearer()])
    error = error_of(guessed, 429, "rate_limited")
    assert int(guessed.headers["retry-after"]) >= 1 and "retry in" in error["message"]
    error_of(client.get("/v1/documents"), 429, "rate_limited")
    # A valid key is counted by itself, so a key-guessing neighbour does not lock it out.
    valid = client.get("/v1/documents", headers={"Authorization": "Bearer query-key-456"})
    assert valid.status_code == 200
    # Another address has its own budget for its failures.
    other = TestClient(client.app, client=("203.0.113.9", 40000))
    error_of(other.get("/v1/documents"), 401, "unauthorized")
