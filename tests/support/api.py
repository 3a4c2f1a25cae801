"""Calls through the real HTTP API that many suites make."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def ask(client: TestClient, question: str, **extra: Any) -> dict[str, Any]:
    """POST /v1/chat, require 200, and return the answer body."""
    response = client.post("/v1/chat", json={"question": question, **extra})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
