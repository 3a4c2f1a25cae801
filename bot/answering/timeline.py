"""Dispute timelines: what happened, in what order, and where it stands, every step quoted.

`TimelineBuilder.build(query, filters, limit)` retrieves the topic's passages (within any time
the query names, like a chat question), scores every article's sentences against the topic
with the extractive answerer's evidence, keeps each article whose best sentence clears the
same bar as a chat answer, and returns at most `limit` of them as one event per article,
dated by the article, oldest first: each year's best evidenced article first, so the timeline
spans the dispute, then the best of the rest. Undated articles are listed apart.
`timeline_answer` renders a timeline as a chat answer: one cited line per event, ending with
the newest as "As of DATE: ... [n]".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from bot.answering.dating import article_day, shown_quote
from bot.models import REFUSAL_TEXT, Answer, Citation, Retriever, Timeline, TimelineEvent
from bot.retrieval.scoped import TimePolicy, scoped_search
from bot.retrieval.time_scope import parse_time_scope
from ingest.models import Passage, SearchFilters

# "timeline of ...", "how did ... evolve", "what happened with ... since 2024", "chronology".
_TIMELINE_QUESTION = re.compile(
    # "is a ministerial planned, and on what timeline?" asks when, not for a history; so do
    # "what's the timeline for getting the financing out?" and "the timeline to finalize it".
    r"(?<!what )\btime-?line\b(?!s?\s+(?:for\s+\w+ing|to\s+[a-z]+)\b)|\bchronolog"
    r"|\bhistory of\b"
    r"|\bhow (?:did|has|have|do|does)\b.{1,100}\b(?:evolve|evolved|develop|developed|unfold"
    r"|unfolded|progress|progressed|play(?:ed)? out)\b"
    r"|\bwhat(?:'s| has)? happened (?:with|to|in|on)\b.{1,100}\bsince\b",
    re.IGNORECASE,
)
# The framing words of a timeline question, left out of the topic that is searched.
_FRAMING = re.compile(
    r"\b(?:give me|show me)\b|\b(?:an? |the )?(?:time-?line|chronology|history)(?: of| for| on)?\b"
    r"|\bhow (?:did|has|have|do|does)\b|\b(?:evolve|evolved|develop|developed|unfold|unfolded"
    r"|progress|progressed|play(?:ed)? out)\b|\bwhat(?:'s| has)? happened (?:with|to|in|on)\b|[?!]",
    re.IGNORECASE,
)
EMPTY_NOTICE = "No article clears the evidence bar for this topic in the time asked for."


class Scored(Protocol):
    """A scored sentence (the extractive answerer's `ScoredSentence`)."""

    @property
    def evidence(self) -> float: ...

    @property
    def candidate(self) -> _Candidate: ...


class _Candidate(Protocol):
    @property
    def passage(self) -> Passage: ...

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def text(self) -> str: ...


SentenceScorer = Callable[[str, Sequence[Passage]], Sequence[Scored]]


def is_timeline_question(question: str) -> bool:
    """Say whether a question asks how a dispute unfolded over time."""
    return bool(_TIMELINE_QUESTION.search(question))


def timeline_topic(question: str) -> str:
    """Return what a timeline question is about, without its framing words."""
    topic = " ".join(_FRAMING.sub(" ", question).split())
    return topic or question


@dataclass(frozen=True)
class _Event:
    day: str | None
    evidence: float
    sentence: Scored


class TimelineBuilder:
    """Build a topic's timeline from retrieval and the answerer's sentence evidence."""

    def __init__(
        self,
        retriever: Retriever,
        scorer: SentenceScorer,
        threshold: float,
        policy: TimePolicy | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.retriever = retriever
        self.scorer = scorer
        self.threshold = threshold
        self.policy = policy or TimePolicy()
        self.today = today

    def build(self, query: str, filters: SearchFilters | None = None, limit: int = 20) -> Timeline:
        """Return the topic's events, oldest first, at most `limit` of them (and undated ones).

        Args:
            query: the topic ("Section 301 tariffs on China") or a timeline question.
            filters: sources and a publication window, narrowed by any time the query names.
            limit: how many dated events at most (the best evidenced are kept).
        """
        topic = timeline_topic(query)
        scope = parse_time_scope(query, self.today()).resolved(self.retriever.newest_published())
        depth = min(60, max(2 * limit, 20))
        passages, _ = scoped_search(self.retriever, topic, depth, filters, scope, self.policy)
        found = self._events(topic, passages)
        dated = _spread(sorted((e for e in found if e.day), key=lambda e: -e.evidence), limit)
        dated.sort(key=lambda e: (e.day or "", e.sentence.candidate.start))
        undated = sorted((e for e in found if not e.day), key=lambda e: -e.evidence)[:limit]
        events = [
            TimelineEvent(
                date=e.day or "",
                text=shown_quote(e.sentence.candidate.text),
                citation=_cite(n, e.sentence),
            )
            for n, e in enumerate(dated, start=1)
        ]
        return Timeline(
            query=query,
            as_of=events[-1].date if events else None,
            events=events,
            undated=[_cite(n, e.sentence) for n, e in enumerate(undated, len(events) + 1)],
            notice=None if events or undated else EMPTY_NOTICE,
        )

    def _events(self, topic: str, passages: Sequence[Passage]) -> list[_Event]:
        """One event per article: its best sentence, when that clears the threshold."""
        by_article: dict[str, list[Passage]] = {}
        for passage in passages:
            by_article.setdefault(passage.doc_id, []).append(passage)
        events = []
        for article_passages in by_article.values():
            scored = self.scorer(topic, article_passages)
            best = max(scored, key=lambda s: s.evidence, default=None)
            if best is not None and best.evidence >= self.threshold:
                day = article_day(article_passages[0].published_at)
                events.append(_Event(day, best.evidence, best))
        return events


def _spread(ranked: list[_Event], limit: int) -> list[_Event]:
    """Keep `limit` events: each year's best first (a timeline spans its years), then the rest.

    `ranked` is best evidence first; within the years' best, better evidence goes first too.
    """
    firsts: dict[str, _Event] = {}
    for event in ranked:
        firsts.setdefault((event.day or "")[:4], event)
    chosen = sorted(firsts.values(), key=lambda e: -e.evidence)[:limit]
    picked = {id(e) for e in chosen}
    chosen += [e for e in ranked if id(e) not in picked][: limit - len(chosen)]
    return chosen


def _cite(n: int, sentence: Scored) -> Citation:
    candidate = sentence.candidate
    return Citation.quoting(n, candidate.passage, candidate.start, candidate.end)


def timeline_lines(timeline: Timeline) -> list[str]:
    """Render the dated events as lines, the newest as "As of DATE: ... [n]"."""
    lines = [f"- {e.date}: {e.text} [{e.citation.n}]" for e in timeline.events]
    if lines:
        last = timeline.events[-1]
        lines[-1] = f"As of {last.date}: {last.text} [{last.citation.n}]"
    return lines


def timeline_answer(timeline: Timeline) -> Answer:
    """Render a timeline as a chat answer (mode "timeline"), or a refusal when it is empty."""
    if not timeline.events:
        return Answer(answer=REFUSAL_TEXT, grounded=False, mode="timeline")
    return Answer(
        answer="\n".join(timeline_lines(timeline)),
        citations=[e.citation for e in timeline.events],
        grounded=True,
        mode="timeline",
    )


def stream_timeline(timeline: Timeline) -> Iterator[str | Answer]:
    """Yield the answer's lines as deltas, then the Answer."""
    answer = timeline_answer(timeline)
    lines = answer.answer.split("\n")
    for index, line in enumerate(lines):
        yield line if index == 0 else "\n" + line
    yield answer
