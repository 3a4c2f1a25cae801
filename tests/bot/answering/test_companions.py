"""Which sentences join the best one in an extractive answer."""

from __future__ import annotations

import dataclasses

import numpy as np

from bot.answering.answerability import AnswerabilityModel
from bot.answering.extractive import ExtractiveAnswerer, ScoredSentence
from bot.answering.question_profile import profile_question
from bot.answering.sentence_scoring import Candidate
from bot.retrieval.expansion import load_vocabulary
from bot.terms import content_terms
from ingest.embedder import Embedder
from ingest.models import Passage

SIGNALS = {
    "evidence": 0.8,
    "plain_evidence": 0.8,
    "cosine": 0.8,
    "sentence_coverage": 0.8,
    "passage_coverage": 0.8,
    "article_coverage": 0.8,
    "missing_rarity": 0.0,
    "missing_name": 0.0,
    "type_fit": 1.0,
    "type_asked": 0.0,
    "retrieval": 0.5,
    "dense": 0.5,
}


def _scored(doc_id: str, start: int, probability: float, axis: int) -> ScoredSentence:
    """A candidate sentence of `doc_id` with a ranking probability and its own direction."""
    text = f"Sentence {start} of {doc_id} says something of its own."
    passage = Passage(
        f"{doc_id}-0", doc_id, text, start, start + len(text), doc_id, None, None, None
    )
    candidate = Candidate(passage, 0, start, start + len(text), text, frozenset(), frozenset())
    vector = np.zeros(8, dtype=np.float32)
    vector[axis] = 1.0  # no two sentences are near-copies
    return ScoredSentence(candidate, SIGNALS, probability, vector)


def test_companions_are_the_likeliest_sentences_from_any_article(embedder: Embedder) -> None:
    answerer = ExtractiveAnswerer(embedder, AnswerabilityModel.threshold_on_evidence(0.5))
    best = _scored("proclamation", 0, 0.9, 0)
    elsewhere = [_scored("press-report", 0, 0.85, 1), _scored("press-report", 100, 0.8, 2)]
    same_article = _scored("proclamation", 200, 0.75, 3)

    chosen = answerer.choose([best, *elsewhere, same_article])

    # In reading order: an article's sentences by position, articles as they came.
    assert sorted(s.candidate.key for s in chosen) == [
        ("press-report", 0),
        ("press-report", 100),
        ("proclamation", 0),
    ]


def test_a_near_copy_of_a_chosen_sentence_never_joins(embedder: Embedder) -> None:
    answerer = ExtractiveAnswerer(embedder, AnswerabilityModel.threshold_on_evidence(0.5))
    best = _scored("proclamation", 0, 0.9, 0)
    syndicated = _scored("press-report", 0, 0.88, 0)  # the same direction: a near-copy
    other = _scored("press-report", 100, 0.8, 2)

    chosen = answerer.choose([best, syndicated, other])

    assert sorted(s.candidate.key for s in chosen) == [("press-report", 100), ("proclamation", 0)]


def _real(embedder: Embedder, text: str, start: int, probability: float) -> ScoredSentence:
    """A candidate sentence with its real embedding (the near-copy test reads the cosine)."""
    passage = Passage(
        "notice-0", "notice", text, start, start + len(text), "notice", None, None, None
    )
    candidate = Candidate(passage, 0, start, start + len(text), text, frozenset(), frozenset())
    vector = np.asarray(embedder.embed_query(text), dtype=np.float32)
    return ScoredSentence(candidate, SIGNALS, probability, vector)


def test_near_copies_with_other_figures_are_other_answers(embedder: Embedder) -> None:
    answerer = ExtractiveAnswerer(embedder, AnswerabilityModel.threshold_on_evidence(0.5))
    higher = _real(embedder, "- This will take effect April 9, 2025 at 12:01 a.m.", 0, 0.9)
    baseline = _real(embedder, "- This will take effect April 5, 2025 at 12:01 a.m.", 100, 0.88)
    repeated = _real(embedder, "This will take effect on April 9, 2025, at 12:01 a.m.", 200, 0.87)
    assert float(higher.vector @ baseline.vector) > 0.85, "a near-copy by its cosine"
    assert float(higher.vector @ repeated.vector) > 0.85

    chosen = answerer.choose([higher, baseline, repeated])

    assert [s.candidate.start for s in chosen] == [0, 100]


def _in_passage(
    doc_id: str, start: int, probability: float, axis: int, context: str
) -> ScoredSentence:
    """A candidate sentence whose passage holds the words of `context`."""
    scored = _scored(doc_id, start, probability, axis)
    candidate = dataclasses.replace(scored.candidate, context_terms=content_terms(context))
    return dataclasses.replace(scored, candidate=candidate)


def test_a_sentence_whose_passage_names_the_product_asked_about_leads(embedder: Embedder) -> None:
    vocabulary = load_vocabulary()
    question = "Under the Salvadoran deal, do garments get relief from the reciprocal tariff?"
    profile = profile_question(question, products=vocabulary.products(question))
    answerer = ExtractiveAnswerer(embedder, AnswerabilityModel.threshold_on_evidence(0.5))
    opening = _in_passage(
        "framework", 0, 0.13, 0, "El Salvador framework agreement reciprocal trade"
    )
    apparel = _in_passage(
        "framework", 300, 0.11, 1, "remove reciprocal tariffs textiles and apparel"
    )

    led = answerer._naming_the_product([opening, apparel], profile)

    # "garments" is the vocabulary's word for apparel: the sentence the veto would keep leads.
    assert led == [apparel, opening]
    # Far below the best one's likelihood, a passage naming the product changes nothing.
    faint = dataclasses.replace(
        apparel, probability=0.01, signals={**SIGNALS, "plain_evidence": 0.1}
    )
    assert answerer._naming_the_product([opening, faint], profile) == [opening, faint]
    # Nearly as likely but with weaker evidence than the best one's: no lead either.
    weaker = dataclasses.replace(apparel, signals={**SIGNALS, "plain_evidence": 0.7})
    assert answerer._naming_the_product([opening, weaker], profile) == [opening, weaker]
