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
    scored: Sequence[S], threshold: float, close_ratio: float, redundant_cosine: float
) -> tuple[list[S], list[S]]:
    """Return ([the newest relevant article's sentence], [an older, different one or none]).

    Args:
        scored: candidate sentences with evidence and choice scores.
        threshold: the evidence a sentence needs to answer at all.
        close_ratio: a sentence is relevant when its evidence is at least this share of the best.
        redundant_cosine: an older sentence this similar to the newest one adds nothing.
    """
    relevant = [s for s in scored if s.evidence >= threshold]
    if not relevant:
        return [], []
    best = max(s.evidence for s in relevant)
    close = [s for s in relevant if s.evidence >= best * close_ratio]
    newest_day = max(_day(s) for s in close)
    primary = max((s for s in close if _day(s) == newest_day), key=lambda s: s.score)
    older = [
        s
        for s in relevant
        if _day(s) < newest_day
        and s.candidate.passage.doc_id != primary.candidate.passage.doc_id
        and float(s.vector @ primary.vector) < redundant_cosine
    ]
    earlier = max(older, key=lambda s: s.score, default=None)
    return [primary], [earlier] if earlier is not None else []


def _day(sentence: Scored) -> str:
    """The sentence's article date as YYYY-MM-DD ("" when undated, so never the newest)."""
    return article_day(sentence.candidate.passage.published_at) or ""
