"""Calls through the real HTTP API that many suites make."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

# `ask_over(articles, *questions, conversation=False)`: the answers of the app over a store of
# `articles` (the `ask_over` fixture of tests/bot/api/conftest.py).
AskOver = Callable[..., list[dict[str, Any]]]


def ask(client: TestClient, question: str, **extra: Any) -> dict[str, Any]:
    """POST /v1/chat, require 200, and return the answer body."""
    response = client.post("/v1/chat", json={"question": question, **extra})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
