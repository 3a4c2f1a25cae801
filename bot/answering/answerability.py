"""Answer or refuse: a small logistic model over a handful of interpretable signals.

One global threshold on one evidence score refused answerable paraphrases and answered
near-misses alike. The decision now weighs several signals of the best candidate sentence:
embedding cosine, IDF-weighted coverage of the question's terms by the sentence, by its
passage and title, and by its whole article, how distinctive the rarest question term
missing from the article is, whether the sentence holds the kind of answer asked for, and the
retrieval score (dense and lexical agreement). The weights are data
(`answerability.json`, fitted with cross-validation by `bench/fit_answerability.py`).

Callers may add signals of their own (time consistency, say): a signal the model has a weight
for counts; any signal named `veto_*` above zero refuses outright.
"""

from __future__ import annotations

import json
import math
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Protocol

from bot.answering.answer_types import fits
from bot.answering.question_profile import TITLED_NAME_GAP, QuestionProfile
from bot.answering.sentence_scoring import Candidate, is_complete_sentence

# The old single evidence score (bench/calibrate_refusal.py), kept as one signal among several:
# `evidence` with IDF-weighted coverage (a model signal), `plain_evidence` with every term alike
# (the score every evidence bar was calibrated on: refusal threshold, undecided margin).
_W_COSINE = 0.5
_W_OVERLAP = 0.25
_W_CONTEXT = 0.25

# The old rule's companions: a second sentence's evidence is at least this share of the best.
FALLBACK_COMPANION_RATIO = 0.8

SIGNALS = (
    "evidence",
    "cosine",
    "sentence_coverage",
    "passage_coverage",
    "article_coverage",
    "missing_rarity",
    "type_fit",
    "type_asked",
    "retrieval",
    "dense",
    "rank_prior",
    "complete",
    "missing_name",
    "ask_coverage",
    "window_cosine",
    "window_coverage",
)


class CorpusStatistics(Protocol):
    """What the answerer asks of the lexical index: term rarity and an article's terms."""

    def idf(self, term: str) -> float:
        """Return a term's inverse document frequency."""
        ...

    def passage_count(self) -> int:
        """Return how many passages the corpus holds."""
        ...

    def article_terms(self, doc_id: str) -> frozenset[str]:
        """Return the terms of an article's whole text and title."""
        ...

    def order_titles(self, doc_id: str) -> Mapping[tuple[str, str], str]:
        """Return the titles an article gives the orders it cites in full."""
        ...

    def table_header(self, chunk_id: str) -> str:
        """Return the header row of the table a passage opens inside of ("" for none)."""
        ...

    @property
    def generation(self) -> str | None:
        """Return the store generation these statistics reflect (None before the first load)."""
        ...

    def knows(self, term: str) -> bool:
        """Say whether any stored passage holds `term`."""
        ...

    def newest_day(self) -> int:
        """Return the newest article's publication day as YYYYMMDD (0 when none is dated)."""
        ...

    def writes(self, phrase: Sequence[str], gap: int = 0) -> bool:
        """Say whether an article writes the terms `phrase` in order, at most `gap` apart."""
        ...


def question_vetoes(
    profile: QuestionProfile, statistics: CorpusStatistics | None
) -> dict[str, float]:
    """Refusal signals that need no sentence: a name asked about that no article mentions.

    A country, body, person, product or identifier the question names ("Temu", "TSMC",
    "DS543") that appears nowhere in the corpus, not even as a vocabulary alternative
    ("Peruvian" -> "Peru"), cannot be answered about, however close the sentences are; nor
    can a name of several words no article writes in order ("the Minerals Security
    Partnership", though every article on minerals writes "minerals" and "partnership").
    """
    if statistics is None:
        return {}
    unknown = [
        name
        for name in profile.names
        if not statistics.knows(name)
        and not any(all(statistics.knows(t) for t in g) for g in profile.alternatives.get(name, ()))
    ]
    unwritten = [
        name for name in profile.titled_names if not statistics.writes(name, TITLED_NAME_GAP)
    ]
    return {"veto_unknown_name": float(bool(unknown or unwritten))}


QUESTION_SIGNALS = (
    "best_probability",
    "best_evidence",
    "best_cosine",
    "best_sentence_coverage",
    "best_passage_coverage",
    "best_article_coverage",
    "least_missing_rarity",
    "least_missing_name",
    "best_type_fit",
    "type_asked",
    "top_retrieval",
    "top_dense",
)


@dataclass(frozen=True)
class Decision:
    """Whether to answer, the model's probability that the question is answerable, and why."""

    answer: bool
    probability: float
    signals: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Logistic:
    """A logistic regression over named signals (a signal without a weight counts nothing)."""

    weights: Mapping[str, float]
    bias: float

    def probability(self, signals: Mapping[str, float]) -> float:
        """Return the modelled probability for these signals."""
        names, weights, zeros = self._terms
        z = self.bias + sum(map(operator.mul, weights, map(signals.get, names, zeros)))
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))

    @cached_property
    def _terms(self) -> tuple[tuple[str, ...], tuple[float, ...], tuple[float, ...]]:
        """The signal names, their weights, and a missing signal's value (0) for each."""
        return tuple(self.weights), tuple(self.weights.values()), (0.0,) * len(self.weights)


@dataclass(frozen=True)
class AnswerabilityModel:
    """Rank sentences, then decide: answer when P(answerable) >= threshold and nothing vetoes.

    `ranking` scores each candidate sentence (P it holds the answer); `decision` scores the
    question from the best candidates' signals; sentences whose ranking probability is at
    least `companion_ratio` of the best one's may join it in the answer.

    The model was fitted on a corpus of `fitted_passages` passages. Its distinctive-term
    signals rest on IDF, which a smaller corpus estimates coarsely (over 4 passages a term's
    IDF takes 5 values, and "go" is as rare as "Temu"), so `reliance` shrinks with the
    corpus: term weights flatten towards equal and the decision leans on the old rule
    (`best_plain_evidence >= fallback_threshold`: cosine and unweighted term coverage, signals
    that do not depend on corpus size).
    """

    ranking: Logistic
    decision: Logistic
    threshold: float = 0.5
    companion_ratio: float = 0.8
    fallback_threshold: float = 0.543  # Settings.refusal_threshold
    fitted_passages: int | None = None  # None: trust the model at any corpus size

    @classmethod
    def threshold_on_evidence(cls, threshold: float) -> AnswerabilityModel:
        """The old rule as a model: answer when the best evidence score reaches `threshold`."""
        return cls(
            Logistic({"plain_evidence": 1.0}, 0.0),
            Logistic({"best_plain_evidence": 1.0}, -threshold),
            fallback_threshold=threshold,
        )

    @classmethod
    def load(
        cls, path: Path | None = None, fallback_threshold: float = 0.543
    ) -> AnswerabilityModel:
        """Read the model file (the packaged one by default); the old rule's bar is given."""
        if path is None:
            raw = resources.files("bot.answering").joinpath("answerability.json").read_text()
        else:
            raw = path.read_text(encoding="utf-8")
        data = json.loads(raw)
        fitted = data.get("fitted_passages")
        return cls(
            Logistic(dict(data["ranking"]["weights"]), float(data["ranking"]["bias"])),
            Logistic(dict(data["decision"]["weights"]), float(data["decision"]["bias"])),
            float(data["threshold"]),
            float(data["companion_ratio"]),
            fallback_threshold,
            int(fitted) if fitted is not None else None,
        )

    def reliance(self, passages: int | None) -> float:
        """How far to trust the model in a corpus of `passages` (None: no statistics), 0..1.

        IDF's range and resolution grow with the log of the corpus size, so the reliance is
        log(1 + passages) / log(1 + fitted_passages), capped at 1: a corpus as large as the
        one fitted on, or larger, gets the model alone; without statistics, the old rule.
        """
        if self.fitted_passages is None:
            return 1.0
        if passages is None:
            return 0.0
        scale = math.log1p(max(self.fitted_passages, 1))
        return min(1.0, math.log1p(max(passages, 0)) / scale)

    def joins(self, probability_share: float, evidence_share: float, reliance: float) -> bool:
        """Say whether a sentence may join the best one in the answer.

        Its shares of the best sentence's ranking probability and evidence are blended by
        reliance, as are the bars: the fitted `companion_ratio` (chosen with the model on
        its corpus) and the old rule's `FALLBACK_COMPANION_RATIO` on evidence.
        """
        share = reliance * probability_share + (1.0 - reliance) * evidence_share
        bar = reliance * self.companion_ratio + (1.0 - reliance) * FALLBACK_COMPANION_RATIO
        return share >= bar

    def decide(self, signals: Mapping[str, float], reliance: float = 1.0) -> Decision:
        """Answer when the blended probability clears the threshold and nothing vetoes.

        The probability is `reliance * P(model) + (1 - reliance) * [old rule answers]`.
        """
        p = self.decision.probability(signals)
        if reliance < 1.0:
            rule = float(signals.get("best_plain_evidence", 0.0) >= self.fallback_threshold)
            p = reliance * p + (1.0 - reliance) * rule
        vetoed = any(name.startswith("veto_") and v > 0 for name, v in signals.items())
        return Decision(not vetoed and p >= self.threshold, p, dict(signals))


def question_signals(
    sentences: Sequence[tuple[Mapping[str, float], float]],
) -> dict[str, float]:
    """Summarise the scored candidates `(signals, ranking probability)`, best first."""
    if not sentences:
        return {}
    best, p = sentences[0]

    def most(name: str) -> float:
        return max(s[name] for s, _ in sentences)

    return {
        "best_probability": p,
        "best_evidence": most("evidence"),
        "best_plain_evidence": most("plain_evidence"),
        "best_cosine": most("cosine"),
        "best_sentence_coverage": most("sentence_coverage"),
        "best_passage_coverage": most("passage_coverage"),
        "best_article_coverage": most("article_coverage"),
        "least_missing_rarity": min(s["missing_rarity"] for s, _ in sentences),
        "least_missing_name": min(s["missing_name"] for s, _ in sentences),
        "best_type_fit": best["type_fit"],
        "type_asked": best["type_asked"],
        "top_retrieval": most("retrieval"),
        "top_dense": most("dense"),
    }


@dataclass(frozen=True)
class _PassageSignals:
    """What a candidate's signals take from its passage, the same for each of its sentences."""

    coverage: float  # of the question's terms, in the passage and its title
    plain_coverage: float  # the same, every term counted alike
    article_coverage: float  # share of the question's own terms the whole article holds
    missing_rarity: float  # the rarest own term the article lacks, against the rarest asked
    missing_name: float  # 1 when the article lacks a name the question asks about


class SentenceSignals:
    """Measure candidate sentences against one question profile.

    What depends only on a candidate's passage (question terms in the passage and title, in
    the whole article) is worked out once per passage, not once per sentence; what depends
    only on the sentence, once per sentence (reranking, then the answer, read it again).
    """

    def __init__(self, profile: QuestionProfile, statistics: CorpusStatistics | None) -> None:
        self.profile = profile
        self.statistics = statistics
        self._ceiling = max(map(profile.weight, profile.terms), default=1.0)
        self._asked = profile.answer_type != "any"
        self._passages: dict[str, _PassageSignals] = {}
        self._sentences: dict[tuple[str, int, int, float], dict[str, float]] = {}

    def __call__(self, candidate: Candidate, cosine: float) -> dict[str, float]:
        """Return the signals of one candidate sentence whose cosine to the question is given."""
        key = (candidate.passage.chunk_id, candidate.start, candidate.end, cosine)
        own = self._sentences.get(key)
        if own is None:
            own = self._sentences[key] = self._own(candidate, cosine)
        # Where the passage was retrieved depends on the list it came in.
        return {
            **own,
            "retrieval": candidate.passage.score,
            "dense": candidate.passage.dense_score or 0.0,
            "rank_prior": 1.0 / (1 + candidate.rank),
        }

    def _own(self, candidate: Candidate, cosine: float) -> dict[str, float]:
        """The signals that depend on the sentence, its passage's text and the question."""
        profile = self.profile
        around = self._passage(candidate)
        hits = profile.hits(candidate.terms)
        sentence = profile.coverage_of(hits)
        plain_sentence = profile.coverage_of(hits, plain=True)
        return {
            "evidence": _W_COSINE * cosine + _W_OVERLAP * sentence + _W_CONTEXT * around.coverage,
            "plain_evidence": (
                _W_COSINE * cosine
                + _W_OVERLAP * plain_sentence
                + _W_CONTEXT * around.plain_coverage
            ),
            "cosine": cosine,
            "sentence_coverage": sentence,
            "passage_coverage": around.coverage,
            "article_coverage": around.article_coverage,
            "missing_rarity": around.missing_rarity,
            "type_fit": float(self._asked and fits(profile.answer_type, candidate.text)),
            "type_asked": float(self._asked),
            # A table row read with its header is a whole statement, as a sentence is.
            "complete": float(bool(candidate.header) or is_complete_sentence(candidate.text)),
            "missing_name": around.missing_name,
            "ask_coverage": profile.ask_coverage(hits),
        }

    def _passage(self, candidate: Candidate) -> _PassageSignals:
        """Return the signals of the candidate's passage (its text and title, its article)."""
        key = candidate.passage.chunk_id
        known = self._passages.get(key)
        if known is None:
            profile, doc_id = self.profile, candidate.passage.doc_id
            article = self.statistics.article_terms(doc_id) if self.statistics else frozenset()
            # Published in the time the question names: about that time (time consistency).
            dated = profile.dated_hits(candidate.passage.published_at)
            context = profile.hits(candidate.context_terms) | dated
            # The question's own terms (a bare follow-up's borrowed ones) the article holds.
            in_article = frozenset(
                t for t in profile.subject_terms if t in context or profile.in_large(t, article)
            )
            missing = profile.missing(in_article)
            known = self._passages[key] = _PassageSignals(
                coverage=profile.coverage_of(context),
                plain_coverage=profile.coverage_of(context, plain=True),
                article_coverage=profile.share(in_article),
                missing_rarity=profile.weight(missing[0]) / self._ceiling if missing else 0.0,
                missing_name=float(any(name in missing for name in profile.names)),
            )
        return known
