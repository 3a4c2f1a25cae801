"""What the real server is asked and what comes back: max_tokens, invented markers, providers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from langchain_core.messages import HumanMessage
from langchain_ollama import ChatOllama
from langchain_openai import ChatOpenAI

from bot.answering.citation_check import check_answer, marker_numbers
from bot.answering.llm import LLMAnswerer
from bot.models import Answer
from bot.settings import Settings
from bot.wiring import build_chat_model
from ingest.models import Passage

pytestmark = pytest.mark.llm

Retrieve = Callable[..., list[Passage]]
# The tiny base model ends "write a story" at once, but rambles on after a copy request.
COPY_REQUEST = (
    "Copy this sentence exactly, including the brackets:\n"
    "The framework goes to Presidents Trump and Xi for final approval [1] [7]."
)


def completion_tokens(settings: Settings) -> tuple[int, str]:
    """Ask the real server for a long reply; return its completion token count and stop reason."""
    reply = build_chat_model(settings).invoke([HumanMessage(COPY_REQUEST)])
    usage = reply.response_metadata["token_usage"]
    return int(usage["completion_tokens"]), str(reply.response_metadata["finish_reason"])


def test_max_tokens_is_honoured_by_the_real_server(llm_server_url: str) -> None:
    capped = completion_tokens(Settings(llm_base_url=llm_server_url, llm_max_tokens=16))
    uncapped = completion_tokens(Settings(llm_base_url=llm_server_url, llm_max_tokens=48))
    assert capped == (16, "length")
    assert uncapped[0] > 16  # so the cap, not the model, ended the first reply


def test_max_tokens_bounds_the_answerers_stream(
    llm_server_url: str, llm_answerer: Callable[..., LLMAnswerer], retrieve: Retrieve
) -> None:
    question = "Which exports need a licence from August?"
    items = list(
        llm_answerer(llm_server_url, llm_max_tokens=16).stream(question, retrieve(question))
    )
    deltas = items[:-1]
    assert 1 <= len(deltas) <= 16  # every streamed delta is at least one token
    assert isinstance(items[-1], Answer)


def test_invented_markers_in_real_model_output_are_stripped(
    llm_server_url: str, retrieve: Retrieve
) -> None:
    gallium = retrieve("Which exports need a licence from August?", 1)[0]
    london = retrieve("What is pending presidential approval?", 1)[0]
    assert (gallium.doc_id, london.doc_id) == ("gallium-controls", "london-framework")
    passages = [gallium, london]  # [2] names the passage the copied sentence is about
    settings = Settings(llm_base_url=llm_server_url, llm_max_tokens=24)
    raw = str(build_chat_model(settings).invoke([HumanMessage(COPY_REQUEST)]).text)
    assert any(n > len(passages) for n in marker_numbers(raw)), raw  # a marker to strip
    checked = check_answer(raw, passages)
    assert all(1 <= n <= len(checked.citations) for n in marker_numbers(checked.text))
    by_chunk = {passage.chunk_id: passage for passage in passages}
    for citation in checked.citations:
        assert citation.quote in by_chunk[citation.chunk_id].text


def test_build_chat_model_speaks_chat_completions_without_retries() -> None:
    settings = Settings(llm_base_url="http://127.0.0.1:9/v1", llm_max_tokens=48, llm_model="m")
    model = build_chat_model(settings)
    assert isinstance(model, ChatOpenAI)
    assert (model.model_name, model.max_retries, model.use_responses_api) == ("m", 0, False)
    assert model.extra_body == {"max_tokens": 48}
    with pytest.raises(ValueError, match="TRADEBOT_LLM_BASE_URL"):
        build_chat_model(Settings())


def test_ollama_provider_builds_chat_ollama_and_falls_back_when_down(
    unreachable_url: str, llm_answerer: Callable[..., LLMAnswerer], retrieve: Retrieve
) -> None:
    base_url = unreachable_url.removesuffix("/v1")
    settings = Settings(llm_provider="ollama", llm_base_url=base_url, llm_max_tokens=32)
    model = build_chat_model(settings)
    assert isinstance(model, ChatOllama)
    assert (model.base_url, model.num_predict) == (base_url, 32)
    question = "What is pending presidential approval?"
    answerer = llm_answerer(base_url, llm_provider="ollama")
    answer = answerer.answer(question, retrieve(question))
    assert answer.mode == "extractive"
    assert answer.notice is not None and "be reached" in answer.notice
