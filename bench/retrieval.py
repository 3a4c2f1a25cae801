"""Retrieval quality on a BEIR folder: the tuned hybrid against its parts and plain RRF.

    python bench/retrieval.py --beir ../shared/bench/scifact --split train [--index-dir DIR]
        [--queries N]   # the first N judged queries only (a quicker, noisier run)

Indexes the corpus once with the real pipeline (reused from --index-dir when it holds the
same corpus and chunk settings), then ranks documents by their best passage for each setup:
- dense: Chroma cosine alone;
- bm25-passage / bm25-article: the stemmed BM25 over passages, or over whole articles;
- rrf: reciprocal rank fusion (k=60) of the dense and bm25-passage document rankings;
- the default hybrid (score-normalised fusion of dense, passage and article evidence) and
  variants that drop one part, so the figures say what each part is worth.
Figures go to stdout and bench/results/retrieval_<dataset>_<split>.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.hybrid_retriever import FusionWeights, HybridRetriever  # noqa: E402
from bot.lexical_index import LexicalIndex  # noqa: E402
from bot.retrieval_eval import (  # noqa: E402
    RetrievalMetrics,
    index_corpus,
    load_beir,
    rank_documents,
    score_rankings,
)
from bot.settings import Settings  # noqa: E402
from ingest.embedder import Embedder  # noqa: E402

DEFAULT = FusionWeights()
SETUPS: dict[str, FusionWeights] = {
    "dense": FusionWeights(1.0, 0.0, 0.0),
    "bm25-passage": FusionWeights(0.0, 1.0, 0.0),
    "bm25-article": FusionWeights(0.0, 0.0, 1.0),
    "hybrid-no-article": FusionWeights(DEFAULT.dense, DEFAULT.passage + DEFAULT.article, 0.0),
    "hybrid-no-passage": FusionWeights(DEFAULT.dense, 0.0, DEFAULT.passage + DEFAULT.article),
    "hybrid": DEFAULT,
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
    fused = rrf([rankings["dense"], rankings["bm25-passage"]])
    results["rrf"] = _row(score_rankings(fused, data.qrels), None, 0.0)
    log(f"{'rrf':18s} {_line(results['rrf'])}")
    return results


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
    embedder = Embedder(base.embedding_model, base.embed_batch_size)
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
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"results written to {out}")


if __name__ == "__main__":
    main()
