"""The answer engine: the one place every channel (REST, widget, Slack, CLI) asks questions.

Question -> retrieval query (follow-ups resolved) -> Passages -> Answer, recorded in the
conversation. An unknown `conversation_id` supplied by a client starts a new conversation under
that id, so a channel may derive ids of its own (a Slack thread, a browser session).
"""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Protocol, runtime_checkable

from bot.answering.dating import article_day, as_of, future_refusal, related_articles
from bot.answering.timeline import (
    TimelineBuilder,
    is_timeline_question,
    stream_timeline,
    timeline_answer,
)
from bot.models import (
    Answer,
    AnswerContext,
    Answerer,
    ArticleReader,
    Citation,
    OneGeneration,
    Retriever,
    SearchResults,
    Timeline,
    Turn,
)
from bot.retrieval.event_time import EventDater
from bot.retrieval.follow_up import follow_up_query, leaned_on
from bot.retrieval.scoped import (
    TimePolicy,
    outside_window_notice,
    scoped_search,
    window_filters,
)
from bot.retrieval.spelling import (
    Reading,
    Speller,
    as_asked,
    spelled_out_shorthand,
    unconnected,
    without_chatter,
)
from bot.retrieval.time_scope import (
    TimeScope,
    dated_things_after,
    dates_in_words,
    parse_time_scope,
)
from bot.state.base import UNBOUND_OWNER, StateStore
from ingest.models import Passage, SearchFilters

StreamEventKind = Literal["citations", "delta", "done"]


@dataclass(frozen=True)
class _Plan:
    """One question made ready to answer: its conversation, time, passages, or a refusal."""

    cid: str | None  # None: a stateless answer (explicit history), nothing is recorded
    reading: Reading  # the question as read: mistyped words corrected
    history: list[Turn]
    scope: TimeScope
    newest: date | None
    passages: list[Passage]
    refusal: str | None = None  # set when the question asks past the newest article
    widened: bool = False  # nothing was published in the question's window
    timeline: Timeline | None = None  # set for "timeline of ..." / "how did ... evolve"
    time_notice: str | None = None  # how an event the question is timed by was dated
    screen: list[Passage] = dataclasses.field(default_factory=list)  # retrieval's own top k
    beside: list[Passage] = dataclasses.field(default_factory=list)  # their days' other articles

    @property
    def context(self) -> AnswerContext:
        """What the answerer needs besides the passages: the conversation, the time,
        retrieval's own top passages (whether the articles answer is judged on those) and the
        passages' days' other articles (quoted beside them)."""
        return AnswerContext(self.history, self.scope, tuple(self.screen), tuple(self.beside))


@dataclass(frozen=True)
class _Found:
    """What one search found: the passages to answer from, whether the question's window
    held nothing, and retrieval's own top k before reranking."""

    passages: list[Passage]
    widened: bool
    screen: list[Passage]


@runtime_checkable
class PassageRanker(Protocol):
    """Scores retrieved passages by how well their best sentence answers (the extractive
    answerer's model)."""

    def passage_evidence(
        self,
        question: str,
        passages: Sequence[Passage],
        history: Sequence[Turn] = (),
        scope: TimeScope | None = None,
    ) -> Mapping[str, float]:
        """Return each passage's (chunk id's) best-sentence probability."""
        ...


@runtime_checkable
class NewestReader(Protocol):
    """Finds where the newest word on a question is (the extractive answerer)."""

    def newest_word(
        self,
        question: str,
        passages: Sequence[Passage],
        history: Sequence[Turn] = (),
        scope: TimeScope | None = None,
    ) -> list[Passage]:
        """Return the passages a "latest" question's answer quotes, in its order."""
        ...


@dataclass(frozen=True)
class Rerank:
    """How retrieval's deeper list is reordered by the passages' best sentences.

    `depth` passages are retrieved; each then ranks by `score + weight * best sentence's
    probability`, an article's j-th pick at `decay**j` of that, as retrieval spreads articles.
    """

    depth: int = 20
    weight: float = 5.0
    decay: float = 0.85
    # The best `articles` of the list are read further: their best `per_article` passages
    # not already in it join it (a long article's answering passage ranks low in the list).
    articles: int = 0
    per_article: int = 2

    def order(
        self, passages: Sequence[Passage], best: Mapping[str, float], k: int
    ) -> list[Passage]:
        """Return the best `k` of `passages` by reranked score, spread across articles."""
        left = sorted(passages, key=lambda p: -self._value(p, best))
        picked: list[Passage] = []
        per_article: dict[str, int] = {}
        while left and len(picked) < k:
            top = max(
                left,
                key=lambda p: self._value(p, best) * self.decay ** per_article.get(p.doc_id, 0),
            )
            left.remove(top)
            picked.append(top)
            per_article[top.doc_id] = per_article.get(top.doc_id, 0) + 1
        return picked

    def _value(self, passage: Passage, best: Mapping[str, float]) -> float:
        return passage.score + self.weight * best.get(passage.chunk_id, 0.0)


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


class AnswerEngine:
    """Retrieve, answer and remember: the function behind every channel."""

    def __init__(
        self,
        retriever: Retriever,
        answerer: Answerer,
        conversations: StateStore,
        history_turns: int = 6,
        observer: AnswerObserver | None = None,
        *,
        time_policy: TimePolicy | None = None,
        related_min_score: float = 0.0,
        today: Callable[[], date] = date.today,
        timelines: TimelineBuilder | None = None,
        timeline_events: int = 10,
        speller: Speller | None = None,
        events: EventDater | None = None,
        ranker: PassageRanker | None = None,
        rerank: Rerank | None = None,
        beside_depth: int = 6,
        beside_days: int = 3,
    ) -> None:
        self.retriever = retriever
        self.answerer = answerer
        self.conversations = conversations
        self.history_turns = history_turns
        self.observer = observer
        self.time_policy = time_policy or TimePolicy()
        self.related_min_score = related_min_score
        self.today = today  # injectable, so "last year" and "this fall" are testable
        self.timelines = timelines
        self.timeline_events = timeline_events  # events in a chat timeline answer
        self.speller = speller  # reads "tarrif" as "tariff"; None reads words as typed
        self.events = events  # dates "before the Geneva talks"; None reads no events
        # Reorders retrieval's deeper list by each passage's best sentence; None: no reranking.
        self.ranker = ranker
        self.rerank = rerank or Rerank()
        # Passages of the other articles of the first passages' days, read for a companion.
        self.beside_depth = beside_depth
        self.beside_days = beside_days

    @property
    def mode(self) -> str:
        """Say which answerer answers ("extractive" or "llm")."""
        return self.answerer.mode

    def search(
        self, query: str, k: int = 10, filters: SearchFilters | None = None
    ) -> list[Passage]:
        """Return the passages retrieval finds for `query`, best first, in the time it names.

        A query asking for the newest word ("is the steel tariff still 50%?") lists first the
        passages its answer quotes: the newest relevant article's, then the earlier word's
        (an older article may match the words better, and would rank first).
        """
        with self._one_generation():
            return self._search_newest_first(query, k, filters)

    def _search_newest_first(
        self, query: str, k: int, filters: SearchFilters | None
    ) -> list[Passage]:
        scope, _, query = self._scope(self.read(query).text)
        scope = scope.resolved(self.retriever.newest_published())
        ranked = self._search(query, k, filters, dataclasses.replace(scope, latest=False))
        if not scope.latest or not isinstance(self.ranker, NewestReader):
            return ranked.passages
        deeper, _ = scoped_search(
            self.retriever, query, k, _or_none(filters), scope, self.time_policy
        )
        first = self.ranker.newest_word(query, deeper, (), scope)
        seen = {p.chunk_id for p in first}
        return [*first, *(p for p in ranked.passages if p.chunk_id not in seen)][:k]

    def find(
        self,
        query: str,
        k: int = 10,
        filters: SearchFilters | None = None,
        conversation_id: str | None = None,
        owner: str = UNBOUND_OWNER,
    ) -> SearchResults:
        """Search as `search` does; the results say how a mistyped query was read.

        With `conversation_id`, a follow-up ("how long can it stay in place?") is searched
        as chat would retrieve for it in that conversation (of `owner`); nothing is recorded.

        Raises:
            ConversationNotFoundError: the conversation belongs to another owner.
        """
        reading = self.read(query)
        history = self.history(conversation_id, owner) if conversation_id else []
        passages = self.search(self._retrieval_query(reading.text, history), k, filters)
        return SearchResults.ranking(query, passages, reading.text if reading.fixes else None)

    def timeline(
        self, query: str, filters: SearchFilters | None = None, limit: int = 20
    ) -> Timeline:
        """Return the topic's dated events, oldest first, each quoted from its article.

        Raises:
            StoreUnavailableError: the passage store cannot be reached.
        """
        if self.timelines is None:
            raise RuntimeError("this engine was built without a timeline builder")
        reading = self.read(query)
        timeline = self.timelines.build(reading.text, _or_none(filters), limit)
        if not reading.fixes:
            return timeline
        notices = [reading.notice, timeline.notice]
        return timeline.model_copy(
            update={"query": query, "notice": " ".join(n for n in notices if n)}
        )

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
        plan = self._plan(question, conversation_id, filters, top_k, owner, history)
        started = time.perf_counter()
        if plan.refusal is not None:
            answer = Answer(answer=plan.refusal, grounded=False, mode=self.answerer.mode)
        elif plan.timeline is not None:
            answer = timeline_answer(plan.timeline)
        else:
            answer = self.answerer.answer(plan.reading.text, plan.passages, plan.context)
        return self._finish(plan, question, answer, owner, time.perf_counter() - started)

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
        plan = self._plan(question, conversation_id, filters, top_k, owner, history)
        if plan.timeline is not None:
            cited = [e.citation.model_dump() for e in plan.timeline.events]
        else:
            cited = [] if plan.refusal else candidate_citations(plan.passages)
        yield StreamEvent("citations", cited)
        started = time.perf_counter()
        final: Answer | None = None
        for item in self._answer_stream(plan):
            if isinstance(item, Answer):
                final = item
            elif item:
                yield StreamEvent("delta", {"text": item})
        if final is None:
            raise RuntimeError("the answerer's stream ended without an Answer")
        seconds = time.perf_counter() - started
        yield StreamEvent("done", self._finish(plan, question, final, owner, seconds))

    def _answer_stream(self, plan: _Plan) -> Iterator[str | Answer]:
        if plan.refusal is not None:
            yield plan.refusal
            yield Answer(answer=plan.refusal, grounded=False, mode=self.answerer.mode)
            return
        if plan.timeline is not None:
            yield from stream_timeline(plan.timeline)
            return
        yield from self.answerer.stream(plan.reading.text, plan.passages, plan.context)

    def read(self, question: str) -> Reading:
        """Return the question as retrieval and the answerer read it: without the chat around
        it ("quick q:", "thx"), chat shorthand for everyday words written out ("abt", "w/"),
        days typed in figures written in words ("1/16/25"), typos corrected."""
        question = dates_in_words(spelled_out_shorthand(without_chatter(question)))
        return self.speller.read(question) if self.speller is not None else Reading(question)

    def history(self, conversation_id: str, owner: str | None = None) -> list[Turn]:
        """Return the bounded history of a conversation (of `owner`, if given), oldest first."""
        return self.conversations.history(conversation_id, self.history_turns, owner)

    def _plan(
        self,
        question: str,
        conversation_id: str | None,
        filters: SearchFilters | None,
        top_k: int,
        owner: str,
        given: Sequence[Turn] | None,
    ) -> _Plan:
        """Resolve the conversation and the question's time, then retrieve (or refuse), reading
        the store at one generation."""
        with self._one_generation():
            if given is not None:
                if conversation_id is not None:
                    raise ValueError("pass either a conversation_id or explicit history, not both")
                history = list(given)[-self.history_turns :] if self.history_turns else []
                cid = None  # stateless: nothing is recorded
            else:
                cid = conversation_id or new_conversation_id()
                history = self.history(cid, owner) if conversation_id else []
            # A question chat leaves without its question mark asks as the same one with it.
            reading = self.read(question)
            reading = dataclasses.replace(reading, text=as_asked(reading.text))
            if not history:
                reading = dataclasses.replace(reading, text=unconnected(reading.text))
            scope, time_notice, question = self._scope(reading.text)
            reading = dataclasses.replace(reading, text=question)
            query = self._retrieval_query(question, history)
            newest = self.retriever.newest_published()
            if history and query != question:  # a follow-up, searched with the previous turn
                earlier, earlier_notice, _ = self._scope(leaned_on(history) or question)
                if not (scope.explicit or scope.latest):
                    time_notice = earlier_notice
                scope = scope.continuing(earlier)
            scope = scope.resolved(newest)
            grace = self.time_policy.future_grace_days
            if newest is not None and (
                scope.starts_after(newest, grace) or dated_things_after(question, newest, grace)
            ):
                found = self._search(query, top_k, filters, scope)
                return _Plan(
                    cid, reading, history, scope, newest, found.passages, future_refusal(newest)
                )
            if self.timelines is not None and is_timeline_question(question):
                timeline = self.timelines.build(question, _or_none(filters), self.timeline_events)
                return _Plan(cid, reading, history, scope, newest, [], timeline=timeline)
            found = self._search(query, top_k, filters, scope, question, history)
            beside = self._beside(query, found.passages, filters)
            return _Plan(
                cid,
                reading,
                history,
                scope,
                newest,
                found.passages,
                None,
                found.widened,
                time_notice=time_notice,
                screen=found.screen,
                beside=beside,
            )

    def _one_generation(self) -> AbstractContextManager[None]:
        # The store's generation is read once for an answer, not once a search (about 1 ms each).
        if isinstance(self.retriever, OneGeneration):
            return self.retriever.one_generation()
        return nullcontext()

    def _scope(self, question: str) -> tuple[TimeScope, str | None, str]:
        """Read the time `question` names, or the event it is timed by: the scope, how an
        event was dated (None: no event), and the question to search and answer."""
        scope = parse_time_scope(question, self.today())
        timed = self.events.scope(question, scope) if self.events is not None else None
        return (timed.scope, timed.notice, timed.question) if timed else (scope, None, question)

    def _search(
        self,
        query: str,
        k: int,
        filters: SearchFilters | None,
        scope: TimeScope,
        question: str | None = None,
        history: Sequence[Turn] = (),
    ) -> _Found:
        """Retrieve in the question's time; rerank the deeper list by its best sentences.

        `question` is the question as the answerer reads it (default: `query`).
        """
        started = time.perf_counter()
        depth = max(k, self.rerank.depth)
        reranks = self.ranker is not None and not scope.latest and depth > k
        deep: list[Passage] = []
        if reranks and not scope.explicit:
            # Without a time window a search's k passages are the first k of a deeper one's
            # (the same candidates, picked in the same order): one search serves both.
            deep, widened = scoped_search(
                self.retriever, query, depth, _or_none(filters), scope, self.time_policy
            )
            passages = deep[:k]
        else:
            passages, widened = scoped_search(
                self.retriever, query, k, _or_none(filters), scope, self.time_policy
            )
            if reranks and passages and not widened:
                # A window's search merges later mentions by score, and its k need not be a
                # deeper search's first k: the deeper list is searched apart. When the window
                # held nothing, the order is by nearness in time and stays.
                deep, _ = scoped_search(
                    self.retriever, query, depth, _or_none(filters), scope, self.time_policy
                )
        screen: list[Passage] = []
        if (
            deep
            and self.ranker is not None
            and self.rerank.articles > 0
            and isinstance(self.retriever, ArticleReader)
        ):
            articles = list(dict.fromkeys(p.doc_id for p in deep))[: self.rerank.articles]
            known = frozenset(p.chunk_id for p in deep)
            deep = deep + self.retriever.within(
                query, articles, self.rerank.per_article, known, leads=True
            )
        if deep and self.ranker is not None:
            best = self.ranker.passage_evidence(question or query, deep, history, scope)
            passages, screen = self.rerank.order(deep, best, k), passages
        if self.observer is not None:
            self.observer.retrieved(time.perf_counter() - started)
        return _Found(passages, widened, screen)

    def _beside(
        self, query: str, passages: Sequence[Passage], filters: SearchFilters | None
    ) -> list[Passage]:
        """Return the best passages of the other articles published the days the first
        passages' articles were: the proclamation a fact sheet sums up ("A lower 10% tariff on
        any potash" beside "shall be reduced to 10 percent"), which the question's words
        rarely find (the fact sheet's plain words match them better)."""
        if self.beside_depth <= 0:
            return []
        days = list(
            dict.fromkeys(d for p in passages if (d := article_day(p.published_at)) is not None)
        )[: self.beside_days]
        docs = {p.doc_id for p in passages}
        found: list[Passage] = []
        for day in days:
            published = date.fromisoformat(day)
            window = window_filters(_or_none(filters), TimeScope(start=published, end=published))
            if window is None:
                continue
            for p in self.retriever.search(query, self.beside_depth, window):
                if p.doc_id not in docs:
                    found.append(p)
        return found

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
        self, plan: _Plan, question: str, answer: Answer, owner: str, seconds: float = 0.0
    ) -> Answer:
        """Date the answer (`as_of`), say what a refusal may point to, record the turn."""
        update: dict[str, Any] = {"conversation_id": plan.cid, "as_of": as_of(answer.citations)}
        notices = [answer.notice, plan.reading.notice, plan.time_notice]
        if answer.grounded and plan.widened and answer.notice is None:
            notices.append(outside_window_notice(plan.scope))
        if any(notices):
            update["notice"] = " ".join(n for n in notices if n)
        if not answer.grounded:
            if plan.scope.undecided and plan.newest is not None and plan.refusal is None:
                update["answer"] = future_refusal(plan.newest)
            update["related"] = related_articles(plan.passages, self.related_min_score)
        answer = answer.model_copy(update=update)
        if plan.cid is not None:
            self.conversations.record_turn(plan.cid, question, answer, owner)
        if self.observer is not None:
            self.observer.answered(question, answer, seconds)
        return answer


def _or_none(filters: SearchFilters | None) -> SearchFilters | None:
    return None if filters is None or filters.empty else filters
