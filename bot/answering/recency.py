"""Answer "latest / current / still" questions from the newest relevant article.

Among the sentences whose evidence clears the refusal threshold and comes close to the best
(the same "nearly as good" ratio the answerer uses for companion sentences), the newest
article's best sentence answers. An older article's best relevant sentence that says
something else (not a near-copy by embedding) follows as "Earlier (DATE): ...", so a reader
sees what changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

import numpy as np

from bot.answering.dating import article_day
from ingest.models import Passage


class _Sourced(Protocol):
    @property
    def passage(self) -> Passage: ...

    @property
    def start(self) -> int: ...


class Scored(Protocol):
    """A scored candidate sentence (the extractive answerer's `ScoredSentence`)."""

    @property
    def candidate(self) -> _Sourced: ...

    @property
    def evidence(self) -> float: ...

    @property
    def score(self) -> float: ...

    @property
    def vector(self) -> np.ndarray: ...


S = TypeVar("S", bound=Scored)


def choose_latest(
    scored: Sequence[S],
    threshold: float,
    close_ratio: float,
    redundant_cosine: float,
    max_newest: int = 2,
) -> tuple[list[S], list[S]]:
    """Return (the newest relevant article's sentences, [an older, different one] or []).

    Args:
        scored: candidate sentences with evidence and choice scores.
        threshold: the evidence a sentence needs to answer at all.
        close_ratio: a sentence is relevant when its evidence is at least this share of the
            best; the newest article's other sentences join its best one at this share of its
            score.
        redundant_cosine: a sentence this similar to one already chosen adds nothing.
        max_newest: how many sentences of the newest article to quote at most.
    """
    relevant = [s for s in scored if s.evidence >= threshold]
    if not relevant:
        return [], []
    best = max(s.evidence for s in relevant)
    close = [s for s in relevant if s.evidence >= best * close_ratio]
    newest_day = max(_day(s) for s in close)
    primary = max((s for s in close if _day(s) == newest_day), key=lambda s: s.score)
    doc_id = primary.candidate.passage.doc_id
    newest = [primary]
    for other in sorted(scored, key=lambda s: -s.score):
        if len(newest) >= max_newest or other.score < primary.score * close_ratio:
            break
        if other.candidate.passage.doc_id == doc_id and _novel(other, newest, redundant_cosine):
            newest.append(other)
    older = [
        s
        for s in relevant
        if "" < _day(s) < newest_day
        and s.candidate.passage.doc_id != doc_id
        and _novel(s, newest, redundant_cosine)
    ]
    earlier = max(older, key=lambda s: s.score, default=None)
    newest.sort(key=lambda s: s.candidate.start)
    return newest, [earlier] if earlier is not None else []


def _novel(sentence: Scored, chosen: Sequence[Scored], redundant_cosine: float) -> bool:
    """Say whether a sentence differs from every chosen one (not a near-copy by embedding)."""
    return all(
        sentence is not c and float(sentence.vector @ c.vector) < redundant_cosine for c in chosen
    )


def _day(sentence: Scored) -> str:
    """The sentence's article date as YYYY-MM-DD ("" when undated, so never the newest)."""
    return article_day(sentence.candidate.passage.published_at) or ""
