"""A slow, silent, failing or missing LLM server: the extractive answer, with a notice, instead."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.answering.extractive import ExtractiveAnswerer
from bot.answering.llm import LLMAnswerer
from bot.models import Answer
from ingest.models import Passage

pytestmark = pytest.mark.llm

QUESTION = "What is pending presidential approval?"
Retrieve = Callable[..., list[Passage]]
Verified = Callable[[Answer], None]


def assert_fell_back(
    answer: Answer, extractive: ExtractiveAnswerer, passages: list[Passage], reason: str
) -> None:
    """The answer is the extractive one, marked as such, with a notice giving `reason`."""
    assert answer.mode == "extractive"
    assert answer.notice is not None and reason in answer.notice
    expected = extractive.answer(QUESTION, passages)
    assert (answer.answer, answer.citations) == (expected.answer, expected.citations)
    assert answer.grounded


def streamed(answerer: LLMAnswerer, passages: list[Passage]) -> tuple[list[str], Answer]:
    """Run `stream` to the end; return the text deltas and the final Answer."""
    *deltas, final = list(answerer.stream(QUESTION, passages))
    assert all(isinstance(delta, str) for delta in deltas)
    assert isinstance(final, Answer)
    return [str(delta) for delta in deltas], final


def test_server_that_never_answers_falls_back_within_the_timeout(
    silent_server_url: str,
    llm_answerer: Callable[..., LLMAnswerer],
    extractive: ExtractiveAnswerer,
    retrieve: Retrieve,
    assert_verified: Verified,
) -> None:
    passages = retrieve(QUESTION)
    answerer = llm_answerer(silent_server_url, timeout_s=0.5)
    answer = answerer.answer(QUESTION, passages)
    assert_fell_back(answer, extractive, passages, "did not reply in time")
    assert_verified(answer)
    deltas, final = streamed(answerer, passages)
    assert_fell_back(final, extractive, passages, "did not reply in time")
    assert "".join(deltas).strip() == final.answer.strip()


def test_real_server_with_a_tiny_timeout_falls_back(
    llm_server_url: str,
    llm_answerer: Callable[..., LLMAnswerer],
    extractive: ExtractiveAnswerer,
    retrieve: Retrieve,
) -> None:
    passages = retrieve(QUESTION)
    answer = llm_answerer(llm_server_url, timeout_s=0.001).answer(QUESTION, passages)
    assert_fell_back(answer, extractive, passages, "did not reply in time")


def test_stream_that_outlasts_the_deadline_falls_back(
    llm_server_url: str,
    llm_answerer: Callable[..., LLMAnswerer],
    extractive: ExtractiveAnswerer,
    retrieve: Retrieve,
) -> None:
    passages = retrieve(QUESTION)
    answerer = llm_answerer(llm_server_url)
    # Each read is quick, but the whole reply cannot arrive within a microsecond.
    answerer.timeout_s = 1e-6
    _, final = streamed(answerer, passages)
    assert_fell_back(final, extractive, passages, "did not reply in time")


def test_stream_that_stalls_after_a_word_falls_back_to_one_final_answer(
    stalling_server_url: str,
    llm_answerer: Callable[..., LLMAnswerer],
    extractive: ExtractiveAnswerer,
    retrieve: Retrieve,
) -> None:
    passages = retrieve(QUESTION)
    deltas, final = streamed(llm_answerer(stalling_server_url, timeout_s=0.5), passages)
    # The word already sent stays sent; the final Answer replaces it, so no fallback deltas.
    assert deltas == ["Tariffs"]
    assert_fell_back(final, extractive, passages, "did not reply in time")


def test_unreachable_server_falls_back_for_answer_and_stream(
    unreachable_url: str,
    llm_answerer: Callable[..., LLMAnswerer],
    extractive: ExtractiveAnswerer,
    retrieve: Retrieve,
) -> None:
    passages = retrieve(QUESTION)
    answerer = llm_answerer(unreachable_url)
    assert_fell_back(answerer.answer(QUESTION, passages), extractive, passages, "be reached")
    deltas, final = streamed(answerer, passages)
    assert deltas
    assert_fell_back(final, extractive, passages, "be reached")


def test_server_error_falls_back_and_max_tokens_went_on_the_wire(
    failing_server: tuple[str, list[dict[str, object]]],
    llm_answerer: Callable[..., LLMAnswerer],
    extractive: ExtractiveAnswerer,
    retrieve: Retrieve,
) -> None:
    base_url, requests = failing_server
    passages = retrieve(QUESTION)
    answer = llm_answerer(base_url, llm_max_tokens=24).answer(QUESTION, passages)
    assert_fell_back(answer, extractive, passages, "returned an error")
    assert len(requests) == 1  # no retries: the fallback answers at once
    assert requests[0]["max_tokens"] == 24
    assert "max_completion_tokens" not in requests[0]
