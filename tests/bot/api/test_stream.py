"""POST /v1/chat/stream: SSE framing, event order and the final Answer."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient


def _events(body: str) -> list[tuple[str, Any]]:
    """Parse an SSE body into (event, data) pairs, checking the framing on the way."""
    assert body.endswith("\n\n")
    events = []
    for block in body.strip("\n").split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.split("\n"))
        assert set(fields) == {"event", "data"}, block
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def _stream(client: TestClient, payload: dict[str, Any]) -> list[tuple[str, Any]]:
    with client.stream("POST", "/v1/chat/stream", json=payload) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["cache-control"] == "no-cache"
        return _events(response.read().decode("utf-8"))


def test_stream_sends_citations_then_deltas_then_done(
    client: TestClient, answer_invariants: Callable[[TestClient, dict[str, Any]], None]
) -> None:
    events = _stream(client, {"question": "What is pending presidential approval?", "top_k": 3})
    kinds = [kind for kind, _ in events]
    assert kinds[0] == "citations" and kinds[-1] == "done"
    assert set(kinds[1:-1]) == {"delta"}
    candidates = events[0][1]
    assert [c["n"] for c in candidates] == list(range(1, len(candidates) + 1))
    assert 1 <= len(candidates) <= 3
    done = events[-1][1]
    answer_invariants(client, done)
    assert done["grounded"] and done["conversation_id"]
    assert "".join(data["text"] for kind, data in events if kind == "delta") == done["answer"]
    # every quote comes from a passage announced in the citations event
    assert {c["chunk_id"] for c in done["citations"]} <= {c["chunk_id"] for c in candidates}


def test_streamed_refusal_has_no_citations(client: TestClient) -> None:
    events = _stream(client, {"question": "What did the EU decide about steel tariffs?"})
    done = events[-1][1]
    assert events[-1][0] == "done"
    assert done["grounded"] is False and done["citations"] == []
    assert "do not cover" in done["answer"]


def test_stream_continues_a_conversation(client: TestClient) -> None:
    first = client.post("/v1/chat", json={"question": "Who announced the framework?"}).json()
    events = _stream(
        client,
        {
            "question": "What did he say the next steps depend on?",
            "conversation_id": first["conversation_id"],
        },
    )
    done = events[-1][1]
    assert done["conversation_id"] == first["conversation_id"]
    assert "next steps depend on presidential approval" in done["answer"]
    history = client.app.state.conversations.history(first["conversation_id"])  # type: ignore[attr-defined]
    assert [t.question for t in history] == [
        "Who announced the framework?",
        "What did he say the next steps depend on?",
    ]


def test_stream_rejects_bad_input_with_a_json_error(
    client: TestClient, error_of: Callable[..., dict[str, Any]]
) -> None:
    error_of(client.post("/v1/chat/stream", json={"question": ""}), 422, "invalid_request")
