"""The default answerer, no LLM: quote the retrieved sentences that best answer the question.

Every candidate sentence of the retrieved passages is scored against the question by embedding
cosine, stemmed term overlap with the sentence and with its passage and title, and the
passage's retrieval rank. Sentence vectors come from the store (computed at ingest, see
`ingest.text`), so an answer costs one question embedding, which retrieval has usually
just computed; sentences without a stored vector are embedded here in one batch. The best
one to three non-redundant sentences are quoted verbatim, each followed by its `[n]` marker;
when even the best sentence's evidence is below the calibrated threshold the answer is an
honest refusal citing nothing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from bot.answering.dating import dated_parts, shown_quote
from bot.answering.recency import choose_latest
from bot.answering.sentence_scoring import (
    Candidate,
    QuestionProfile,
    is_complete_sentence,
    profile_question,
    shortlist,
    split_candidates,
)
from bot.models import (
    REFUSAL_TEXT,
    Answer,
    AnswerMode,
    Citation,
    QuestionEncoder,
    Turn,
)
from bot.retrieval.time_scope import NO_SCOPE, TimeScope
from ingest.models import Passage
from ingest.store import SentenceKey
from ingest.text import embedding_text

# Evidence = how well one sentence answers the question, whatever retriever found it.
# Weights from bench/calibrate_refusal.py's grid: the middle of the best-separating plateau.
_W_COSINE = 0.5
_W_OVERLAP = 0.25
_W_CONTEXT = 0.25
# Choosing among sentences with evidence: prefer better-ranked passages and whole sentences.
_RANK_BONUS = 0.03
_FRAGMENT_PENALTY = 0.05
_ANSWER_TYPE_BONUS = 0.04
# A second or third sentence must score nearly as well as the best and say something new.
_COMPANION_RATIO = 0.8
_REDUNDANT_COSINE = 0.85
# The lexical shortlist keeps the winners: on the calibration questions caps of 8 to 30 chose
# the same sentences (the refusal threshold was calibrated with 12).
_SENTENCE_CAP = 12
_CACHE_SIZE = 4096
# Bracketed numbers in an article ("[7]", "[1, 3]") would read as our markers.


@dataclass(frozen=True)
class ScoredSentence:
    """A candidate sentence with its evidence (retriever-independent) and choice score."""

    candidate: Candidate
    cosine: float  # embedding similarity to the question
    overlap: float  # share of question terms in the sentence
    context: float  # share of question terms in the sentence's passage and title
    evidence: float
    score: float
    vector: np.ndarray


class SentenceVectorSource(Protocol):
    """Where stored sentence vectors come from (a `PassageStore`)."""

    def sentence_vectors(
        self, sentences: Sequence[SentenceKey]
    ) -> Mapping[SentenceKey, np.ndarray]:
        """Return the stored vectors of these `(chunk_id, lo, hi)` sentences (those stored)."""
        ...


class ExtractiveAnswerer:
    """Answer by quoting the best sentences of the retrieved passages, or refuse."""

    mode: AnswerMode = "extractive"

    def __init__(
        self,
        embedder: QuestionEncoder,
        refusal_threshold: float,
        max_sentences: int = 3,
        sentences: SentenceVectorSource | None = None,
        undecided_margin: float = 0.0,
    ) -> None:
        if max_sentences < 1:
            raise ValueError("max_sentences must be at least 1")
        self.embedder = embedder
        self.sentences = sentences
        self.refusal_threshold = refusal_threshold
        self.max_sentences = max_sentences
        # Something the articles may only announce ("will", "going to") needs firmer evidence.
        self.undecided_margin = undecided_margin
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    def answer(
        self,
        question: str,
        passages: Sequence[Passage],
        history: Sequence[Turn] = (),
        scope: TimeScope = NO_SCOPE,
    ) -> Answer:
        """Quote the sentences of `passages` that answer `question`, or refuse.

        Args:
            question: the user's question, as asked.
            passages: retrieved passages, best first.
            history: earlier turns of the conversation, oldest first.
            scope: the question's resolved time (latest: the newest article answers).

        Returns:
            A grounded Answer with dated quotes, `[n]` markers and citations, or a refusal
            citing nothing.
        """
        return self._compose(*self._pick(question, passages, history, scope))

    def stream(
        self,
        question: str,
        passages: Sequence[Passage],
        history: Sequence[Turn] = (),
        scope: TimeScope = NO_SCOPE,
    ) -> Iterator[str | Answer]:
        """Yield the answer text sentence by sentence, then the final Answer."""
        chosen, earlier_from = self._pick(question, passages, history, scope)
        for index, piece in enumerate(_answer_parts(chosen, earlier_from) or [REFUSAL_TEXT]):
            yield piece if index == 0 else " " + piece
        yield self._compose(chosen, earlier_from)

    def _pick(
        self, question: str, passages: Sequence[Passage], history: Sequence[Turn], scope: TimeScope
    ) -> tuple[list[ScoredSentence], int | None]:
        """Choose the sentences to quote; say where an older article's "Earlier" word starts."""
        scored = self.score_sentences(question, passages, history)
        if scope.latest:
            newest, earlier = choose_latest(
                scored,
                self.refusal_threshold,
                _COMPANION_RATIO,
                _REDUNDANT_COSINE,
                max_newest=max(1, self.max_sentences - 1),
            )
            return newest + earlier, (len(newest) if earlier else None)
        margin = self.undecided_margin if scope.undecided else 0.0
        return self.choose(scored, self.refusal_threshold + margin), None

    def score_sentences(
        self, question: str, passages: Sequence[Passage], history: Sequence[Turn] = ()
    ) -> list[ScoredSentence]:
        """Score every candidate sentence of `passages`, best choice first."""
        profile = profile_question(question, history[-1].question if history else None)
        candidates = shortlist(split_candidates(passages), profile.wanted_terms, _SENTENCE_CAP)
        if not candidates:
            return []
        vectors = self._sentence_vectors(candidates)
        cosines = vectors @ self.embedder.embed_query(question)
        scored = []
        for candidate, cosine, vector in zip(candidates, cosines, vectors, strict=True):
            overlap = profile.coverage(candidate.terms)
            context = profile.coverage(candidate.context_terms)
            evidence = _W_COSINE * float(cosine) + _W_OVERLAP * overlap + _W_CONTEXT * context
            scored.append(
                ScoredSentence(
                    candidate,
                    float(cosine),
                    overlap,
                    context,
                    evidence,
                    evidence + _choice_adjustment(candidate, profile),
                    vector,
                )
            )
        return sorted(scored, key=lambda s: -s.score)

    def choose(
        self, scored: Sequence[ScoredSentence], threshold: float | None = None
    ) -> list[ScoredSentence]:
        """Pick up to `max_sentences` sentences, in reading order; none below the threshold.

        The threshold (the refusal threshold unless given) decides whether the articles cover
        the question at all (the best sentence's evidence); once they do, sentences nearly as
        good as the best join it.
        """
        bar = self.refusal_threshold if threshold is None else threshold
        if not scored or max(s.evidence for s in scored) < bar:
            return []
        best = max(scored, key=lambda s: (s.evidence >= bar, s.score))
        chosen = [best]
        for other in scored:
            if len(chosen) >= self.max_sentences or other.score < best.score * _COMPANION_RATIO:
                break
            if other is not best and all(
                float(other.vector @ c.vector) < _REDUNDANT_COSINE for c in chosen
            ):
                chosen.append(other)
        return _reading_order(chosen)

    def _compose(self, chosen: Sequence[ScoredSentence], earlier_from: int | None = None) -> Answer:
        """Build the Answer quoting `chosen`, or the refusal when nothing was chosen."""
        if not chosen:
            return Answer(answer=REFUSAL_TEXT, citations=[], grounded=False, mode=self.mode)
        citations = [
            Citation.quoting(n, s.candidate.passage, s.candidate.start, s.candidate.end)
            for n, s in enumerate(chosen, start=1)
        ]
        text = " ".join(_answer_parts(chosen, earlier_from))
        return Answer(answer=text, citations=citations, grounded=True, mode=self.mode)

    def _sentence_vectors(self, candidates: Sequence[Candidate]) -> np.ndarray:
        """Return one vector per candidate: stored ones, the rest embedded now."""
        keys = [
            (c.passage.chunk_id, c.start - c.passage.start, c.end - c.passage.start)
            for c in candidates
        ]
        stored = self.sentences.sentence_vectors(keys) if self.sentences is not None else {}
        found: list[np.ndarray | None] = [stored.get(key) for key in keys]
        missing = [i for i, vector in enumerate(found) if vector is None]
        if missing:
            fresh = self._embed([embedding_text(candidates[i].text) for i in missing])
            for i, vector in zip(missing, fresh, strict=True):
                found[i] = vector
        return np.stack([vector for vector in found if vector is not None])

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed `texts` in one batch, reusing vectors of texts seen recently."""
        with self._cache_lock:
            known = {t: self._cache[t] for t in texts if t in self._cache}
            for text in known:
                self._cache.move_to_end(text)
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            fresh = self.embedder.embed_passages(missing)
            with self._cache_lock:
                for text, vector in zip(missing, fresh, strict=True):
                    known[text] = vector
                    self._cache[text] = vector
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
        return np.stack([known[t] for t in texts])


def _choice_adjustment(candidate: Candidate, profile: QuestionProfile) -> float:
    """Prefer better-ranked passages, whole sentences, and the kind of answer asked for."""
    adjustment = _RANK_BONUS / (1 + candidate.rank)
    if not is_complete_sentence(candidate.text):
        adjustment -= _FRAGMENT_PENALTY
    if profile.answer_type_fits(candidate.text):
        adjustment += _ANSWER_TYPE_BONUS
    return adjustment


def _reading_order(chosen: Sequence[ScoredSentence]) -> list[ScoredSentence]:
    """Group sentences by article (best article first), each article's in text order."""
    articles = list(dict.fromkeys(s.candidate.passage.doc_id for s in chosen))
    return sorted(
        chosen, key=lambda s: (articles.index(s.candidate.passage.doc_id), s.candidate.start)
    )


def _answer_parts(chosen: Sequence[ScoredSentence], earlier_from: int | None = None) -> list[str]:
    """Render each chosen sentence, dated, followed by its marker, numbered in order."""
    return dated_parts(
        [(shown_quote(s.candidate.text), s.candidate.passage) for s in chosen], earlier_from
    )
