"""The OpenAI-compatible routes through the official `openai` client and LangChain's ChatOpenAI,
against the real app served by uvicorn on 127.0.0.1."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest
from fastapi.testclient import TestClient
from langchain_openai import ChatOpenAI

from bot.api.app import create_app
from bot.settings import Settings
from bot.state.sqlite import SqliteState
from ingest.embedder import Embedder
from tests.support.servers import serve_in_thread

QUERY_KEY = "tb-openai-query-5d1e"
FIRST = "Who announced the framework?"
JAPAN = "Which chipmaking tools did Japan add to its export control list?"
FOLLOW_UP = "What did they say next?"


@pytest.fixture
def keyed(ingested: Settings) -> Settings:
    """The fixture store, with API keys turned on."""
    return Settings(**{**ingested.model_dump(), "api_keys": [QUERY_KEY]})


@pytest.fixture
def base_url(keyed: Settings, embedder: Embedder) -> Iterator[str]:
    """The real app under uvicorn."""
    with serve_in_thread(create_app(keyed, embedder=embedder)) as url:
        yield url


@pytest.fixture
def client(base_url: str) -> openai.OpenAI:
    """The official OpenAI client pointed at tradebot."""
    return openai.OpenAI(base_url=f"{base_url}/v1", api_key=QUERY_KEY, max_retries=0)


def _stored_text(base_url: str, doc_id: str) -> str:
    response = httpx.get(
        f"{base_url}/v1/documents/{doc_id}", headers={"Authorization": f"Bearer {QUERY_KEY}"}
    )
    assert response.status_code == 200
    return str(response.json()["text"])


def _ask(client: openai.OpenAI, *messages: dict[str, str]) -> Any:
    return client.chat.completions.create(model="tradebot", messages=list(messages))  # type: ignore[arg-type]


def test_models_lists_tradebot(client: openai.OpenAI) -> None:
    assert [model.id for model in client.models.list()] == ["tradebot"]


def test_completion_carries_the_answer_sources_and_verbatim_citations(
    client: openai.OpenAI, base_url: str
) -> None:
    completion = _ask(
        client,
        {"role": "system", "content": "Answer about steel tariffs in the EU."},  # not retrieval
        {"role": "user", "content": FIRST},
    )
    content = completion.choices[0].message.content
    extra = completion.model_extra
    assert extra["grounded"] is True and "as_of" in extra
    answer, _, sources = content.partition("\n\nSources:\n")
    assert "[1]" in answer and "Lutnick" in answer
    assert sources.startswith("[1]") and "US and China Reach Trade Framework" in sources
    for citation in extra["citations"]:
        assert f"[{citation['n']}]" in answer
        text = _stored_text(base_url, citation["doc_id"])
        assert text[citation["start"] : citation["end"]] == citation["quote"]


def test_stream_ends_with_citations_and_matches_the_plain_answer(client: openai.OpenAI) -> None:
    plain = _ask(client, {"role": "user", "content": FIRST})
    stream = client.chat.completions.create(
        model="tradebot", messages=[{"role": "user", "content": FIRST}], stream=True
    )
    chunks = list(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    streamed = "".join(chunk.choices[0].delta.content or "" for chunk in chunks)
    assert streamed == plain.choices[0].message.content
    *body, last = chunks
    assert last.choices[0].finish_reason == "stop"
    assert all(chunk.choices[0].finish_reason is None for chunk in body)
    assert last.model_extra["citations"] == plain.model_extra["citations"]
    assert last.model_extra["grounded"] is True and "as_of" in last.model_extra
    assert all("citations" not in (chunk.model_extra or {}) for chunk in body)


def test_follow_up_is_read_in_the_context_of_the_earlier_messages(
    client: openai.OpenAI, keyed: Settings
) -> None:
    # Alone, "what did they say next?" could be about either article's next steps (the London
    # framework's or Japan's); after a question on Japan's export controls it is about what
    # Japan's trade minister said, and the London framework is no longer quoted.
    alone = _ask(client, {"role": "user", "content": FOLLOW_UP})
    assert "london-framework" in {c["doc_id"] for c in alone.model_extra["citations"]}
    first = _ask(client, {"role": "user", "content": JAPAN})
    follow_up = _ask(
        client,
        {"role": "user", "content": JAPAN},
        {"role": "assistant", "content": first.choices[0].message.content},
        {"role": "user", "content": FOLLOW_UP},
    )
    cited = {c["doc_id"] for c in follow_up.model_extra["citations"]}
    assert cited == {"japan-chip-controls"}, follow_up.choices[0].message.content
    assert "talks with the Netherlands" in follow_up.choices[0].message.content
    SqliteState(keyed.sqlite_path).ping()  # the schema exists, whether or not used
    with sqlite3.connect(keyed.sqlite_path) as db:  # stateless: no turn was stored
        assert db.execute("SELECT COUNT(*) FROM turns").fetchone() == (0,)


def test_wrong_key_raises_authentication_error(base_url: str) -> None:
    wrong = openai.OpenAI(base_url=f"{base_url}/v1", api_key="not-a-key", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as caught:
        _ask(wrong, {"role": "user", "content": FIRST})
    assert caught.value.status_code == 401
    assert caught.value.body["type"] == "authentication_error"  # type: ignore[index]


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("tools", [{"type": "function", "function": {"name": "f", "parameters": {}}}]),
        ("n", 2),
        ("logprobs", True),
    ],
)
def test_unsupported_parameter_is_a_clear_400(
    client: openai.OpenAI, param: str, value: Any
) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model="tradebot", messages=[{"role": "user", "content": FIRST}], **{param: value}
        )
    assert caught.value.status_code == 400
    assert caught.value.param == param
    assert caught.value.code == "unsupported_parameter"
    assert param in caught.value.message


def test_accepted_parameters_and_unknown_model(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(
        model="tradebot",
        messages=[{"role": "user", "content": FIRST}],
        temperature=0.2,
        max_tokens=50,
        user="analyst-7",
    )
    assert completion.model_extra["grounded"] is True
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": FIRST}]
        )
    assert caught.value.code == "model_not_found"


def test_langchain_chat_openai_invokes_and_streams(base_url: str) -> None:
    chat = ChatOpenAI(model="tradebot", base_url=f"{base_url}/v1", api_key=QUERY_KEY, max_retries=0)
    reply = chat.invoke(FIRST)
    assert isinstance(reply.content, str) and "[1]" in reply.content
    assert "\n\nSources:\n" in reply.content
    streamed = "".join(str(chunk.content) for chunk in chat.stream(FIRST))
    assert streamed == reply.content


def test_limits_and_validation_errors_take_openai_shape(
    ingested: Settings, embedder: Embedder
) -> None:
    limited = Settings(**{**ingested.model_dump(), "rate_limit_per_minute": 2})
    with TestClient(create_app(limited, embedder=embedder)) as app:
        invalid = app.post("/v1/chat/completions", json={"model": "tradebot", "messages": []})
        assert invalid.status_code == 400
        assert invalid.json()["error"] == {
            "message": invalid.json()["error"]["message"],
            "type": "invalid_request_error",
            "param": "messages",
            "code": "invalid_request",
        }
        app.get("/v1/models")
        limited_response = app.get("/v1/models")
        assert limited_response.status_code == 429
        assert limited_response.headers["retry-after"]
        assert limited_response.json()["error"]["type"] == "rate_limit_error"
        # /v1/chat keeps tradebot's own envelope
        own = app.post("/v1/chat", json={"question": FIRST}).json()["error"]
        assert own["code"] == "rate_limited" and "type" not in own
