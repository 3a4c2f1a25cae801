"""Deeply nested JSON bodies get a clear 4xx, never a RecursionError 500; good items still land."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

ErrorOf = Callable[..., dict[str, Any]]
ClientFactory = Callable[..., TestClient]

JSON = {"content-type": "application/json"}
LINES = {"content-type": "application/x-ndjson"}
GOOD = {"id": "quota-note", "title": "Steel quota note", "text": "The steel quota rose by 5%."}


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [100_000, 5_000])
def test_a_deeply_nested_bulk_body_is_400(
    make_client: ClientFactory, error_of: ErrorOf, depth: int
) -> None:
    client = make_client()
    body = f"[{json.dumps(GOOD)}, {_nested(depth)}]".encode()
    error = error_of(client.post("/v1/documents/bulk", content=body, headers=JSON), 400)
    assert error["code"] == "malformed_json" and "nested" in error["message"]
    assert client.get("/v1/documents/quota-note").status_code == 404  # nothing half-done


@pytest.mark.parametrize("depth", [100_000, 900, 40])
def test_a_deeply_nested_bulk_item_fails_alone(make_client: ClientFactory, depth: int) -> None:
    client = make_client()
    deep = '{"id": "deep", "text": "Deep tariffs.", "notes": ' + _nested(depth) + "}"
    array = f"[{json.dumps(GOOD)}, {deep}]"
    lines = f"{deep}\n{json.dumps(GOOD)}\n"
    for body, headers, where in ((array, JSON, "item 2"), (lines, LINES, "line 1")):
        response = client.post("/v1/documents/bulk", content=body.encode(), headers=headers)
        if depth == 100_000 and headers is JSON:
            assert response.status_code == 400, response.text  # the array itself cannot parse
            continue
        assert response.status_code == 200, response.text
        result = response.json()
        assert result["failed"] == 1 and result["added"] + result["unchanged"] == 1
        [error] = result["errors"]
        assert error["path"] == where and "nested" in error["reason"], error
    assert client.get("/v1/documents/quota-note").json()["title"] == GOOD["title"]
    assert client.get("/v1/documents/deep").status_code == 404


@pytest.mark.parametrize("depth", [100_000, 900, 40])
def test_a_deeply_nested_single_document_is_4xx(
    make_client: ClientFactory, error_of: ErrorOf, depth: int
) -> None:
    client = make_client()
    deep = '{"id": "deep", "text": "Deep tariffs.", "notes": ' + _nested(depth) + "}"
    response = client.post("/v1/documents", content=deep.encode(), headers=JSON)
    assert response.status_code in (400, 422), response.text
    error = error_of(response, response.status_code)
    assert "nested" in error["message"], error
    chat = '{"question": "Tariffs?", "filters": ' + _nested(depth) + "}"
    assert client.post("/v1/chat", content=chat.encode(), headers=JSON).status_code in (400, 422)
