"""The packaged answerability model: its reliance on corpus size and its blended decision."""

from __future__ import annotations

import pytest

from bot.answering.answerability import AnswerabilityModel

# A question whose best sentence is close (evidence above the old rule's threshold) but whose
# distinctive-term signals are weak: what a paraphrase looks like in a three-article store.
CLOSE_BUT_WEAK = {
    "best_probability": 0.12,
    "best_evidence": 0.5,
    "best_plain_evidence": 0.6,
    "best_cosine": 0.57,
    "best_sentence_coverage": 0.45,
    "best_passage_coverage": 0.45,
    "best_article_coverage": 0.45,
    "least_missing_rarity": 1.0,
    "least_missing_name": 0.0,
    "best_type_fit": 0.0,
    "type_asked": 0.0,
    "top_retrieval": 0.3,
    "top_dense": 0.3,
}


@pytest.fixture(scope="module")
def model() -> AnswerabilityModel:
    """The model the engine loads."""
    return AnswerabilityModel.load()


def test_reliance_is_full_from_the_fitted_size_and_shrinks_below_it(
    model: AnswerabilityModel,
) -> None:
    assert model.fitted_passages is not None and model.fitted_passages > 1000
    fitted = model.fitted_passages

    assert model.reliance(fitted) == 1.0
    assert model.reliance(10 * fitted) == 1.0
    assert 0.0 < model.reliance(1) < model.reliance(4) < model.reliance(100) < 1.0
    assert model.reliance(None) == 0.0  # no corpus statistics: the old rule alone


def test_a_small_corpus_leans_on_the_old_evidence_rule(model: AnswerabilityModel) -> None:
    assert model.decision.probability(CLOSE_BUT_WEAK) < model.threshold  # the model refuses
    assert CLOSE_BUT_WEAK["best_plain_evidence"] >= model.fallback_threshold  # the old rule answers

    assert not model.decide(CLOSE_BUT_WEAK, model.reliance(model.fitted_passages)).answer
    assert model.decide(CLOSE_BUT_WEAK, model.reliance(4)).answer
    below_rule = {**CLOSE_BUT_WEAK, "best_plain_evidence": model.fallback_threshold - 0.01}
    assert not model.decide(below_rule, model.reliance(4)).answer


def test_a_veto_refuses_whatever_the_corpus_size(model: AnswerabilityModel) -> None:
    vetoed = {**CLOSE_BUT_WEAK, "veto_unknown_name": 1.0}

    for passages in (1, 4, model.fitted_passages):
        assert not model.decide(vetoed, model.reliance(passages)).answer


@pytest.mark.parametrize("evidence", [0.5, 0.55, 0.6])
def test_the_old_rule_as_a_model_decides_alike_at_any_reliance(evidence: float) -> None:
    rule = AnswerabilityModel.threshold_on_evidence(0.543)
    signals = {"best_plain_evidence": evidence}

    decisions = {rule.decide(signals, reliance).answer for reliance in (0.0, 0.3, 1.0)}

    assert decisions == {evidence >= 0.543}


def test_companions_follow_the_fitted_ratio_at_full_reliance_and_the_old_rule_below(
    model: AnswerabilityModel,
) -> None:
    full = model.reliance(model.fitted_passages)
    small = model.reliance(4)
    # Far less likely by the ranking model, nearly as good by the old evidence.
    close_by_evidence = (0.3, 0.9)

    assert model.joins(*close_by_evidence, small)
    assert model.joins(*close_by_evidence, full) == (model.companion_ratio <= 0.3)
    assert not model.joins(0.01, 0.3, small)  # an off-topic sentence never joins a small answer
