"""Retrieval quality on a BEIR folder: the tuned hybrid against its parts and plain RRF.

    python bench/retrieval.py --beir ../shared/bench/scifact --split train [--index-dir DIR]
        [--queries N]   # the first N judged queries only (a quicker, noisier run)

Indexes the corpus once with the real pipeline (reused from --index-dir when it holds the
same corpus and chunk settings), then ranks documents by their best passage for each setup:
- dense: Chroma cosine alone;
- bm25-passage / bm25-article: the stemmed BM25 over passages, or over whole articles;
- rrf: reciprocal rank fusion (k=60) of the dense and bm25-passage document rankings;
- the default hybrid (score-normalised fusion of dense, passage and article evidence) and
  variants that drop one part, so the figures say what each part is worth;
- the search API as it runs (`AnswerEngine.search`, k=10, the speller and the question's time
  included), with and without reranking the top 20 by their best sentences (`search-top10`,
  `search-top10-reranked`); documents ranked by the order of their first of the 10 passages,
  so their Recall@100 is not comparable with the setups above;
- reference recipes whose test-split scores are published (`ref-*`: the model on whole documents
  as MTEB runs it, bm25s with its defaults, their RRF, and the stock LangChain recipe: 1000-char
  chunks, a document ranked by its best chunk). Their score on the chosen split minus
  the published test score is the split's own difficulty, with no tuning in it; the hybrid's
  figure less that gap estimates the hybrid on the test split when only train qrels are at hand.
Figures go to stdout and bench/results/retrieval_<dataset>_<split>.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

from bot.answering.sentence_scoring import warm_analysis
from bot.evaluation.beir import (
    RetrievalMetrics,
    index_corpus,
    load_beir,
    rank_documents,
    score_rankings,
)
from bot.retrieval.hybrid import FusionWeights, HybridRetriever
from bot.retrieval.lexical_index import LexicalIndex
from bot.settings import Settings
from bot.wiring import build_embedder, build_engine
from ingest.embedder import Embedder
from ingest.models import Passage

ROOT = Path(__file__).resolve().parent.parent

DEFAULT = FusionWeights()
# The search API's default page and the reranking weight it ships with.
_SEARCH_K = 10
_RERANK_WEIGHT = float(Settings.model_fields["rerank_weight"].default)
SETUPS: dict[str, FusionWeights] = {
    "dense": FusionWeights(1.0, 0.0, 0.0),
    "bm25-passage": FusionWeights(0.0, 1.0, 0.0),
    "bm25-article": FusionWeights(0.0, 0.0, 1.0),
    "hybrid-no-article": FusionWeights(DEFAULT.dense, DEFAULT.passage + DEFAULT.article, 0.0),
    "hybrid-no-passage": FusionWeights(DEFAULT.dense, 0.0, DEFAULT.passage + DEFAULT.article),
    "hybrid": DEFAULT,
}

# nDCG@10 on SciFact's test split: MTEB leaderboard (all-MiniLM-L6-v2, one vector per document,
# 256-token truncation); bm25s defaults, their RRF and the LangChain recipe as measured in
# tradebot issue 3.
PUBLISHED_TEST = {
    "ref-dense-mteb": 0.6451,
    "ref-bm25s": 0.662,
    "ref-rrf": 0.682,
    "ref-langchain": 0.666,
}


class QueryCache:
    """Embed each query once across setups (the retriever only calls `embed_query`)."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}

    def embed_query(self, text: str) -> np.ndarray:
        """Return the cached query vector."""
        if text not in self._vectors:
            self._vectors[text] = self._embedder.embed_query(text)
        return self._vectors[text]


def rrf(rankings: Sequence[Mapping[str, Sequence[str]]], k: int = 60) -> dict[str, list[str]]:
    """Fuse document rankings per query by reciprocal rank."""
    fused: dict[str, list[str]] = {}
    for query in rankings[0]:
        scores: dict[str, float] = {}
        for ranking in rankings:
            for rank, doc in enumerate(ranking.get(query, ())):
                scores[doc] = scores.get(doc, 0.0) + 1.0 / (k + rank + 1)
        fused[query] = sorted(scores, key=lambda d: -scores[d])
    return fused


def run_setups(
    data: Any, settings: Settings, embedder: Embedder, log: Callable[[str], None]
) -> dict[str, dict[str, Any]]:
    """Index once, then score every setup; return figures by setup name."""
    store, copies = index_corpus(data, settings, embedder, log)
    lexical = LexicalIndex(store, settings.data_dir / "bm25" / f"{settings.collection_prefix}.npz")
    lexical.refresh(force=True)
    queries = QueryCache(embedder)
    for query_id in data.qrels:  # embed up front so ms_per_query compares the setups alone
        queries.embed_query(data.queries[query_id])
    results: dict[str, dict[str, Any]] = {}
    rankings: dict[str, dict[str, list[str]]] = {}
    for name, weights in SETUPS.items():
        retriever = HybridRetriever(store, queries, lexical, weights=weights)  # type: ignore[arg-type]
        started = time.perf_counter()
        rankings[name] = {
            q: rank_documents(retriever, data.queries[q], copies=copies) for q in data.qrels
        }
        elapsed = time.perf_counter() - started
        results[name] = _row(score_rankings(rankings[name], data.qrels), weights, elapsed)
        log(f"{name:18s} {_line(results[name])}")
    # As the service runs: its warm-up analyses every passage's sentences before questions come.
    warm_analysis(store.iter_passages())
    for name, weight in (("search-top10", 0.0), ("search-top10-reranked", _RERANK_WEIGHT)):
        tuned = settings.model_copy(update={"rerank_weight": weight})
        engine = build_engine(tuned, store, embedder)
        started = time.perf_counter()
        rankings[name] = {
            q: _documents(engine.search(data.queries[q], _SEARCH_K), copies) for q in data.qrels
        }
        elapsed = time.perf_counter() - started
        results[name] = _row(score_rankings(rankings[name], data.qrels), None, 0.0)
        results[name]["ms_per_query"] = round(1000 * elapsed / max(len(data.qrels), 1), 1)
        log(f"{name:18s} {_line(results[name])}")
    fused = rrf([rankings["dense"], rankings["bm25-passage"]])
    results["rrf"] = _row(score_rankings(fused, data.qrels), None, 0.0)
    log(f"{'rrf':18s} {_line(results['rrf'])}")
    for name, ranking in reference_rankings(data, embedder).items():
        results[name] = _row(score_rankings(ranking, data.qrels), None, 0.0)
        results[name]["published_test_ndcg@10"] = PUBLISHED_TEST[name]
        log(f"{name:18s} {_line(results[name])} (published on test: {PUBLISHED_TEST[name]})")
    return results


def _documents(passages: Sequence[Passage], copies: Mapping[str, Sequence[str]]) -> list[str]:
    """Documents in the order of their first passage, each followed by its skipped copies."""
    ranked: dict[str, None] = {}
    for passage in passages:
        ranked[passage.doc_id] = None
        for copy in copies.get(passage.doc_id, ()):
            ranked[copy] = None
    return list(ranked)


def reference_rankings(data: Any, embedder: Embedder) -> dict[str, dict[str, list[str]]]:
    """Rank whole documents with the published recipes (no chunking, nothing tuned)."""
    ids = [a.doc_id for a in data.corpus]
    texts = [f"{a.title} {a.text}".strip() for a in data.corpus]
    judged = list(data.qrels)
    questions = [data.queries[q] for q in judged]
    # The model truncates each document at its max_seq_length (256), as MTEB does.
    similarity = embedder.embed_passages(questions) @ embedder.embed_passages(texts).T
    top = np.argsort(-similarity, axis=1)[:, :100]
    dense = {q: [ids[j] for j in top[i]] for i, q in enumerate(judged)}
    lexical = bm25s.BM25()
    lexical.index(bm25s.tokenize(texts, show_progress=False), show_progress=False)
    found, _ = lexical.retrieve(
        bm25s.tokenize(questions, show_progress=False), k=100, show_progress=False
    )
    sparse = {q: [ids[j] for j in found[i]] for i, q in enumerate(judged)}
    return {
        "ref-dense-mteb": dense,
        "ref-bm25s": sparse,
        "ref-rrf": rrf([dense, sparse]),
        "ref-langchain": _langchain_recipe(ids, texts, questions, judged, embedder),
    }


def _langchain_recipe(
    ids: Sequence[str],
    texts: Sequence[str],
    questions: Sequence[str],
    judged: Sequence[str],
    embedder: Embedder,
) -> dict[str, list[str]]:
    """Rank documents by their best 1000-char chunk (LangChain splitter, 200 overlap)."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    chunks, owner = [], []
    for row, text in enumerate(texts):
        pieces = splitter.split_text(text)
        chunks += pieces
        owner += [row] * len(pieces)
    similarity = embedder.embed_passages(questions) @ embedder.embed_passages(chunks).T
    best = np.full((len(judged), len(ids)), -np.inf, dtype=np.float32)
    np.maximum.at(best.T, np.asarray(owner), similarity.T)
    top = np.argsort(-best, axis=1)[:, :100]
    return {q: [ids[j] for j in top[i]] for i, q in enumerate(judged)}


def split_gap(results: Mapping[str, Mapping[str, Any]]) -> dict[str, float]:
    """Return the reference recipes' mean gap to their published test scores, and the
    hybrid's figure less that gap."""
    gaps = [results[name]["ndcg@10"] - test for name, test in PUBLISHED_TEST.items()]
    gap = sum(gaps) / len(gaps)
    return {
        "mean_gap_to_published_test": round(gap, 4),
        "hybrid_test_estimate": round(results["hybrid"]["ndcg@10"] - gap, 4),
    }


def _row(
    metrics: RetrievalMetrics, weights: FusionWeights | None, seconds: float
) -> dict[str, Any]:
    row: dict[str, Any] = dict(metrics.as_json())
    if weights is not None:
        w = weights.normalised()
        row["weights"] = {"dense": w.dense, "passage": w.passage, "article": w.article}
        row["ms_per_query"] = round(1000 * seconds / max(metrics.queries, 1), 1)
    return row


def _line(row: Mapping[str, Any]) -> str:
    return " ".join(f"{k} {row[k]:.4f}" for k in ("ndcg@10", "recall@100", "mrr@10"))


def main() -> None:
    """Run the benchmark and write its results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--beir", type=Path, default=ROOT.parent / "shared" / "bench" / "scifact")
    parser.add_argument("--split", default="train")
    parser.add_argument("--index-dir", type=Path, help="keep the indexed corpus here for reuse")
    parser.add_argument("--out", type=Path, help="results file (default under bench/results)")
    parser.add_argument("--queries", type=int, help="score only the first N judged queries")
    args = parser.parse_args()
    data = load_beir(args.beir, args.split)
    if args.queries:
        data = replace(data, qrels=dict(list(data.qrels.items())[: args.queries]))
    base = Settings()
    embedder = build_embedder(base)
    with tempfile.TemporaryDirectory(prefix="tradebot-bench-") as scratch:
        settings = base.model_copy(
            update={"data_dir": args.index_dir or Path(scratch), "collection_prefix": "beir"}
        )
        results = run_setups(data, settings, embedder, print)
    out = args.out or ROOT / "bench" / "results" / f"retrieval_{args.beir.name}_{args.split}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "dataset": args.beir.name,
        "split": args.split,
        "queries": len(data.qrels),
        "documents": len(data.corpus),
        "chunk_tokens": settings.chunk_tokens,
        "chunk_overlap_tokens": settings.chunk_overlap_tokens,
        "embedding_model": settings.embedding_model,
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "date": time.strftime("%Y-%m-%d"),
        "setups": results,
    }
    if args.split != "test":
        report["test_estimate"] = split_gap(results)
        print(f"test-split estimate: {json.dumps(report['test_estimate'])}")
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"results written to {out}")


if __name__ == "__main__":
    main()
