"""BEIR loading and the ranking metrics, checked against hand-computed figures."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from bot.evaluation.beir import BeirFormatError, load_beir, score_rankings


def test_metrics_match_hand_computed_values() -> None:
    qrels = {"a": {"d1": 1}, "b": {"d2": 1, "d3": 1}, "c": {"d9": 1}}
    rankings = {
        "a": ["d1", "x", "y"],  # first: nDCG 1, MRR 1
        "b": ["x", "d3", "y"],  # d3 at rank 2, d2 missing
        "c": ["x"] * 10 + ["d9"],  # beyond 10: only recall counts
    }
    metrics = score_rankings(rankings, qrels)
    ndcg_b = (1 / math.log2(3)) / (1 + 1 / math.log2(3))
    assert metrics.queries == 3
    assert metrics.ndcg_at_10 == round((1 + ndcg_b + 0) / 3, 4)
    assert metrics.recall_at_100 == round((1 + 0.5 + 1) / 3, 4)
    assert metrics.mrr_at_10 == round((1 + 0.5 + 0) / 3, 4)


def test_a_query_with_no_ranking_scores_zero() -> None:
    metrics = score_rankings({}, {"a": {"d1": 1}})
    assert (metrics.ndcg_at_10, metrics.recall_at_100, metrics.mrr_at_10) == (0.0, 0.0, 0.0)


def test_load_beir_keeps_judged_queries_and_title_only_documents(tmp_path: Path) -> None:
    (tmp_path / "qrels").mkdir()
    (tmp_path / "corpus.jsonl").write_text(
        '{"_id": "d1", "title": "Tariffs", "text": "Duties rose."}\n'
        '{"_id": "d2", "title": "Only a title", "text": ""}\n'
    )
    (tmp_path / "queries.jsonl").write_text(
        '{"_id": "q1", "text": "duties"}\n{"_id": "q2", "text": "unjudged"}\n'
    )
    (tmp_path / "qrels" / "train.tsv").write_text(
        "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t0\nq9\td1\t1\n"
    )
    data = load_beir(tmp_path, "train")
    assert data.qrels == {"q1": {"d1": 1}}
    assert [a.text for a in data.corpus] == ["Duties rose.", "Only a title"]
    with pytest.raises(BeirFormatError, match="no query of split 'test'"):
        (tmp_path / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\n")
        load_beir(tmp_path, "test")
    (tmp_path / "qrels" / "bad.tsv").write_text("q1 d1\n")
    with pytest.raises(BeirFormatError, match=r"bad\.tsv:1: expected query-id"):
        load_beir(tmp_path, "bad")
