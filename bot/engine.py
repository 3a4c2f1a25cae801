"""The answer engine: the one place every channel (REST, widget, Slack, CLI) asks questions.

Question -> retrieval query (follow-ups resolved) -> Passages -> Answer, recorded in the
conversation. An unknown `conversation_id` supplied by a client starts a new conversation under
that id, so a channel may derive ids of its own (a Slack thread, a browser session).
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

from bot.models import CITATION_MARKER, Answer, Answerer, Citation, Retriever, Turn
from bot.state.base import UNBOUND_OWNER, StateStore
from bot.terms import has_anaphora, lower_words
from ingest.models import Passage, SearchFilters

StreamEventKind = Literal["citations", "delta", "done"]

# Runs of capitalised words ("US Commerce Secretary Howard Lutnick", "Xi Jinping").
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’-]*)*")
_NOT_NAMES = frozenset(
    re.findall(r"\w+", "The A An In On At And But Or If What Who When Where Why How It")
)
_SHORT_FOLLOW_UP_WORDS = 4
_MAX_ENTITIES = 8


@dataclass(frozen=True)
class StreamEvent:
    """One step of a streamed answer: candidate citations, a text delta, or the final Answer."""

    kind: StreamEventKind
    data: list[dict[str, Any]] | dict[str, str] | Answer


class AnswerObserver(Protocol):
    """Told how long retrieval and answering took (metrics and logs; see bot.api.observability)."""

    def retrieved(self, seconds: float) -> None:
        """Record one retrieval's duration."""
        ...

    def answered(self, question: str, answer: Answer, seconds: float) -> None:
        """Record one finished answer and how long composing it took."""
        ...


@runtime_checkable
class Condenser(Protocol):
    """An answerer that can rewrite a follow-up into a standalone question (the LLM one)."""

    def condense(self, question: str, history: Sequence[Turn]) -> str:
        """Return `question` rewritten to stand on its own."""
        ...


def new_conversation_id() -> str:
    """Return a fresh conversation id."""
    return uuid.uuid4().hex


def candidate_citations(passages: Sequence[Passage]) -> list[dict[str, Any]]:
    """Describe the retrieved passages as numbered, citation-shaped dicts (best first)."""
    return [
        Citation.quoting(n, p, p.start, p.end).model_dump()  # the whole passage as the quote
        for n, p in enumerate(passages, start=1)
    ]


def follow_up_query(question: str, history: Sequence[Turn]) -> str:
    """Join the last turn's question, cited titles and named entities to a dependent question."""
    if not history:
        return question
    words = lower_words(question)
    if len(words) > _SHORT_FOLLOW_UP_WORDS and not has_anaphora(words):
        return question
    last = history[-1]
    entities = [e for e in _entities(last.answer) if e.lower() not in question.lower()]
    parts = [question, last.question, *entities[:_MAX_ENTITIES], *last.cited_titles[:2]]
    return " ".join(part for part in parts if part)


def _entities(text: str) -> list[str]:
    """Return capitalised names in `text`, most frequent first, without sentence starters."""
    text = CITATION_MARKER.sub(" ", text)
    counts: dict[str, int] = {}
    for match in _NAME.finditer(text):
        words = match.group(0).split()
        while words and words[0] in _NOT_NAMES:
            words = words[1:]
        if words:
            name = " ".join(words)
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda name: -counts[name])


class AnswerEngine:
    """Retrieve, answer and remember: the function behind every channel."""

    def __init__(
        self,
        retriever: Retriever,
        answerer: Answerer,
        conversations: StateStore,
        history_turns: int = 6,
        observer: AnswerObserver | None = None,
    ) -> None:
        self.retriever = retriever
        self.answerer = answerer
        self.conversations = conversations
        self.history_turns = history_turns
        self.observer = observer

    @property
    def mode(self) -> str:
        """Say which answerer answers ("extractive" or "llm")."""
        return self.answerer.mode

    def search(
        self, query: str, k: int = 10, filters: SearchFilters | None = None
    ) -> list[Passage]:
        """Return the passages retrieval finds for `query`, best first."""
        return self._search(query, k, filters)

    def answer(
        self,
        question: str,
        conversation_id: str | None = None,
        filters: SearchFilters | None = None,
        top_k: int = 5,
        owner: str = UNBOUND_OWNER,
        *,
        history: Sequence[Turn] | None = None,
    ) -> Answer:
        """Answer one question in its conversation (of `owner`) and record the turn.

        Args:
            question: what to answer.
            conversation_id: continue this stored conversation (None starts a new one).
            filters: restrict retrieval to sources and a publication window.
            top_k: passages retrieved for the answer.
            history: earlier turns a stateless client sends along (the OpenAI API); used
                instead of a stored conversation, and nothing is recorded.

        Raises:
            StoreUnavailableError: the passage store cannot be reached.
            StateUnavailableError: the conversation database cannot be reached.
            ConversationNotFoundError: the conversation belongs to another owner.
        """
        cid, turns, passages = self._retrieve(
            question, conversation_id, filters, top_k, owner, history
        )
        started = time.perf_counter()
        answer = self.answerer.answer(question, passages, turns)
        return self._finish(cid, question, answer, owner, time.perf_counter() - started)

    def stream(
        self,
        question: str,
        conversation_id: str | None = None,
        filters: SearchFilters | None = None,
        top_k: int = 5,
        owner: str = UNBOUND_OWNER,
        *,
        history: Sequence[Turn] | None = None,
    ) -> Iterator[StreamEvent]:
        """Yield retrieved passages ("citations"), text ("delta"), then the Answer ("done").

        Retrieval runs when the first event is requested, so a caller can pull that event
        before committing to a response and still report a store failure properly.
        Arguments as for `answer`.
        """
        cid, turns, passages = self._retrieve(
            question, conversation_id, filters, top_k, owner, history
        )
        yield StreamEvent("citations", candidate_citations(passages))
        started = time.perf_counter()
        final: Answer | None = None
        for item in self.answerer.stream(question, passages, turns):
            if isinstance(item, Answer):
                final = item
            elif item:
                yield StreamEvent("delta", {"text": item})
        if final is None:
            raise RuntimeError("the answerer's stream ended without an Answer")
        seconds = time.perf_counter() - started
        yield StreamEvent("done", self._finish(cid, question, final, owner, seconds))

    def history(self, conversation_id: str, owner: str | None = None) -> list[Turn]:
        """Return the bounded history of a conversation (of `owner`, if given), oldest first."""
        return self.conversations.history(conversation_id, self.history_turns, owner)

    def _retrieve(
        self,
        question: str,
        conversation_id: str | None,
        filters: SearchFilters | None,
        top_k: int,
        owner: str,
        given: Sequence[Turn] | None,
    ) -> tuple[str | None, list[Turn], list[Passage]]:
        if given is not None:
            if conversation_id is not None:
                raise ValueError("pass either a conversation_id or explicit history, not both")
            history = list(given)[-self.history_turns :] if self.history_turns else []
            cid = None  # stateless: nothing is recorded
        else:
            cid = conversation_id or new_conversation_id()
            history = self.history(cid, owner) if conversation_id else []
        query = self._retrieval_query(question, history)
        return cid, history, self._search(query, top_k, filters)

    def _search(self, query: str, k: int, filters: SearchFilters | None) -> list[Passage]:
        started = time.perf_counter()
        passages = self.retriever.search(query, k, _or_none(filters))
        if self.observer is not None:
            self.observer.retrieved(time.perf_counter() - started)
        return passages

    def _retrieval_query(self, question: str, history: Sequence[Turn]) -> str:
        if not history:
            return question
        if isinstance(self.answerer, Condenser):
            try:
                condensed = self.answerer.condense(question, history).strip()
            except Exception:  # an unreachable LLM must not stop the extractive fallback
                condensed = ""
            # Unchanged means standalone, or that the LLM failed: the heuristic covers both.
            if condensed and condensed != question.strip():
                return condensed
        return follow_up_query(question, history)

    def _finish(
        self, cid: str | None, question: str, answer: Answer, owner: str, seconds: float = 0.0
    ) -> Answer:
        answer = answer.model_copy(update={"conversation_id": cid})
        if cid is not None:
            self.conversations.record_turn(cid, question, answer, owner)
        if self.observer is not None:
            self.observer.answered(question, answer, seconds)
        return answer


def _or_none(filters: SearchFilters | None) -> SearchFilters | None:
    return None if filters is None or filters.empty else filters
