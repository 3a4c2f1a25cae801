"""Answer from retrieved passages with a LangChain chat model, every citation verified after.

Streaming clients receive the model's raw text as deltas and then the final `Answer`. Verification
may remove or renumber markers, or turn the answer into a refusal, so the final `Answer`'s text is
authoritative: clients replace what they accumulated from the deltas with it.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Sequence

import httpx
import ollama
import openai
from langchain_core.exceptions import ModelError
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from bot.answering.citation_check import REFUSAL_TEXT, check_answer
from bot.answering.dating import date_sentences
from bot.answering.prompts import PromptLibrary, format_history, format_passages
from bot.models import PLAIN, Answer, AnswerContext, Answerer, AnswerMode, Turn
from ingest.models import Passage

logger = logging.getLogger(__name__)

# What a failing, slow or misbehaving LLM server raises through LangChain's OpenAI and Ollama
# clients (ValueError: a reply that is not the JSON the client expects).
_LLM_ERRORS = (
    ModelError,
    openai.APIError,
    httpx.HTTPError,
    ollama.ResponseError,
    OSError,
    ValueError,
)
_FALLBACK_NOTICE = (
    "The language model was unavailable ({reason}), so this answer was extracted from the "
    "articles without it."
)


class LLMTimeoutError(TimeoutError):
    """The model kept streaming past the answerer's deadline."""


class LLMAnswerer:
    """Answer with an LLM through LangChain; fall back to another answerer when it fails."""

    mode: AnswerMode = "llm"

    def __init__(
        self,
        chat_model: BaseChatModel,
        prompts: PromptLibrary,
        fallback: Answerer,
        timeout_s: float,
    ) -> None:
        self._chat_model = chat_model
        self._prompts = prompts
        self._fallback = fallback
        self.timeout_s = timeout_s

    def answer(
        self, question: str, passages: Sequence[Passage], context: AnswerContext = PLAIN
    ) -> Answer:
        """Generate an answer citing `passages` as [1]..[k], then verify every citation.

        Returns:
            The verified answer (mode "llm"), or the fallback's answer with a `notice` when
            the model times out, cannot be reached or fails.
        """
        if not passages:
            return self._verified("", question, passages)
        messages = self._messages(question, passages, context.history)  # our error: raise
        try:
            reply = self._chat_model.invoke(messages)
        except _LLM_ERRORS as error:
            return self._fall_back(question, passages, context, error)
        return self._verified(str(reply.text), question, passages)

    def stream(
        self, question: str, passages: Sequence[Passage], context: AnswerContext = PLAIN
    ) -> Iterator[str | Answer]:
        """Yield the model's text deltas, then the verified Answer (authoritative) last."""
        if not passages:
            yield self._verified("", question, passages)
            return
        messages = self._messages(question, passages, context.history)
        deltas: list[str] = []
        try:
            for delta in self._deltas(messages):
                deltas.append(delta)
                yield delta
        except _LLM_ERRORS as error:
            yield from self._fall_back_streaming(question, passages, context, error, deltas)
            return
        yield self._verified("".join(deltas), question, passages)

    def condense(self, question: str, history: Sequence[Turn]) -> str:
        """Rewrite a follow-up as a standalone question; return it unchanged if that fails."""
        if not history:
            return question
        prompt = self._prompts.render(
            "condense", history=format_history(history), question=question
        )
        try:
            reply = self._chat_model.invoke([HumanMessage(prompt)])
        except _LLM_ERRORS as error:
            logger.warning("LLM condense failed, keeping the question: %s", type(error).__name__)
            return question
        return standalone_question(str(reply.text), question, history)

    def _messages(
        self, question: str, passages: Sequence[Passage], history: Sequence[Turn]
    ) -> list[BaseMessage]:
        """Build the system and user messages: fenced, numbered passages and the question."""
        system = self._prompts.render("system", refusal=REFUSAL_TEXT)
        user = self._prompts.render(
            "answer",
            passages=format_passages(passages),
            history=format_history(history),
            question=question,
            refusal=REFUSAL_TEXT,
        )
        return [SystemMessage(system), HumanMessage(user)]

    def _deltas(self, messages: list[BaseMessage]) -> Iterator[str]:
        """Stream text deltas, giving up once the whole reply takes longer than the timeout."""
        deadline = time.monotonic() + self.timeout_s
        chunks = self._chat_model.stream(messages)
        try:
            for chunk in chunks:
                # The HTTP read timeout bounds each wait; this bounds a reply that trickles.
                if time.monotonic() > deadline:
                    raise LLMTimeoutError(f"no complete reply within {self.timeout_s} s")
                if text := str(chunk.text):
                    yield text
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()  # release the HTTP connection when we stop early

    def _verified(self, raw: str, question: str, passages: Sequence[Passage]) -> Answer:
        """Check the model's markers against the passages, attach verbatim quotes, add dates."""
        checked = check_answer(raw, passages, question)
        return Answer(
            answer=date_sentences(checked.text, checked.citations),
            citations=list(checked.citations),
            grounded=checked.grounded,
            mode=self.mode,
        )

    def _fall_back(
        self, question: str, passages: Sequence[Passage], context: AnswerContext, error: Exception
    ) -> Answer:
        """Return the fallback answerer's answer, saying why the LLM was not used."""
        logger.warning("LLM unavailable, falling back: %s", type(error).__name__)
        answer = self._fallback.answer(question, passages, context)
        return answer.model_copy(update={"notice": _notice(error)})

    def _fall_back_streaming(
        self,
        question: str,
        passages: Sequence[Passage],
        context: AnswerContext,
        error: Exception,
        streamed: Sequence[str],
    ) -> Iterator[str | Answer]:
        """Stream the fallback's answer; if LLM text already went out, send only the final one."""
        logger.warning("LLM unavailable while streaming, falling back: %s", type(error).__name__)
        for item in self._fallback.stream(question, passages, context):
            if isinstance(item, Answer):
                yield item.model_copy(update={"notice": _notice(error)})
            elif not streamed:
                yield item


def _notice(error: Exception) -> str:
    """Say in one sentence why the LLM was not used."""
    if isinstance(error, TimeoutError | openai.APITimeoutError | httpx.TimeoutException):
        reason = "it did not reply in time"
    elif isinstance(error, openai.APIConnectionError | httpx.TransportError | ConnectionError):
        reason = "it could not be reached"
    else:
        reason = "it returned an error"
    return _FALLBACK_NOTICE.format(reason=reason)


def standalone_question(reply: str, question: str, history: Sequence[Turn]) -> str:
    """Take the first line of a rewrite; keep the question if the rewrite is empty or off-topic.

    A rewrite must share a word with the conversation and stay short; anything else (a small
    model echoing its chat template, say) is not a rewrite, and the caller's own follow-up
    handling does better with the question as asked.
    """
    lines = [line.strip() for line in reply.splitlines() if line.strip()]
    rewritten = lines[0] if lines else ""
    if rewritten.lower().startswith("standalone question:"):
        rewritten = rewritten.split(":", 1)[1]
    rewritten = rewritten.strip().strip("\"'").strip()
    conversation = " ".join([question, *(f"{t.question} {t.answer}" for t in history)])
    if not _words(rewritten) & _words(conversation):
        return question
    if len(rewritten) > max(3 * len(question), 300):
        return question
    return rewritten


def _words(text: str) -> set[str]:
    """Lower-case words of three letters or more."""
    return set(re.findall(r"[^\W\d_]{3,}", text.lower()))
