"""Sweep the hybrid's fusion weights offline and cross-validate the choice over query halves.

    python bench/fusion_cv.py --beir ../shared/bench/scifact --split train --index-dir DIR

DIR is an index that `bench/retrieval.py --index-dir DIR` built (it is built here when absent).
For every judged query the candidates are what `HybridRetriever` fuses (the best dense passages
and the BM25 hits, same depth as `tradebot eval retrieval` asks for), scored as it scores them:
`dense * cosine + passage * BM25(passage) + article * BM25(article)`, a document by its best
passage. Each weight triple of a grid is scored on every query once; then, over repeated random
halvings of the queries, the weights that do best on one half are scored on the other. The gap
between that held-out figure and the best all-queries figure is how much the tuning flatters
the split it was tuned on. Figures go to stdout and
bench/results/fusion_cv_<dataset>_<split>.json.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.evaluation.beir import BeirDataset, index_corpus, load_beir
from bot.retrieval.hybrid import FusionWeights
from bot.retrieval.lexical_index import LexicalIndex
from bot.settings import Settings
from bot.wiring import build_embedder
from ingest.embedder import Embedder

ROOT = Path(__file__).resolve().parent.parent

# rank_documents asks for 150 passages; the retriever fuses max(50, 2k) from each side.
DEPTH = 300
SHIPPED = FusionWeights().normalised()


@dataclass(frozen=True)
class Candidates:
    """One query's fused candidates: owning document row and the three evidence scores."""

    doc: np.ndarray
    cosine: np.ndarray
    passage: np.ndarray
    article: np.ndarray
    relevant: frozenset[int]


def collect(data: BeirDataset, index_dir: Path, embedder: Embedder) -> list[Candidates]:
    """Read the index and gather each judged query's candidates as the retriever would."""
    settings = Settings().model_copy(update={"data_dir": index_dir, "collection_prefix": "beir"})
    store, _ = index_corpus(data, settings, embedder, print)
    lexical = LexicalIndex(store, index_dir / "bm25" / "beir.npz")
    lexical.refresh(force=True)
    chunk_ids, doc_ids, vectors = store.passage_vectors()
    doc_row: dict[str, int] = {}
    owner = np.array([doc_row.setdefault(d, len(doc_row)) for d in doc_ids])
    position = {c: i for i, c in enumerate(chunk_ids)}
    judged = list(data.qrels)
    questions = embedder.embed_passages([data.queries[q] for q in judged])
    out = []
    for query_id, question in zip(judged, questions, strict=True):
        cosines = vectors @ question
        dense = np.argpartition(-cosines, DEPTH)[:DEPTH].tolist()
        scores = lexical.search(data.queries[query_id], DEPTH)
        seen = set(dense)
        extra = [position[h.chunk_id] for h in scores.hits if position[h.chunk_id] not in seen]
        picked = dense + extra
        cos = cosines[picked]
        cos[len(dense) :] = cosines[dense].min()  # BM25-only candidates get the weakest cosine
        out.append(
            Candidates(
                doc=owner[picked],
                cosine=cos.clip(0.0, 1.0),
                passage=np.array([scores.passage(chunk_ids[i]) for i in picked]),
                article=np.array([scores.document(doc_ids[i]) for i in picked]),
                relevant=frozenset(doc_row[d] for d in data.qrels[query_id] if d in doc_row),
            )
        )
    return out


def ndcg_at_10(c: Candidates, w: FusionWeights) -> float:
    """Binary nDCG@10 of the documents ranked by their best fused passage."""
    fused = w.dense * c.cosine + w.passage * c.passage + w.article * c.article
    best: dict[int, float] = {}
    for doc, score in zip(c.doc.tolist(), fused.tolist(), strict=True):
        if score > best.get(doc, -1.0):
            best[doc] = score
    top = sorted(best, key=lambda d: -best[d])[:10]
    dcg = sum(1.0 / math.log2(i + 2) for i, d in enumerate(top) if d in c.relevant)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(c.relevant), 10)))
    return dcg / ideal if ideal else 0.0


def grid() -> list[FusionWeights]:
    """Dense 0.30-0.70 and passage 0-0.30 in steps of 0.05; the article weight takes the rest."""
    out = []
    for d in range(30, 71, 5):
        for p in range(0, 31, 5):
            if d + p <= 100:
                out.append(FusionWeights(d / 100, p / 100, (100 - d - p) / 100))
    return out


def main() -> None:
    """Run the sweep and the cross-validation; write the results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--beir", type=Path, default=ROOT.parent / "shared" / "bench" / "scifact")
    parser.add_argument("--split", default="train")
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--halvings", type=int, default=20)
    args = parser.parse_args()
    data = load_beir(args.beir, args.split)
    base = Settings()
    started = time.perf_counter()
    queries = collect(data, args.index_dir, build_embedder(base))
    weights = grid()
    per_query = np.array([[ndcg_at_10(c, w) for c in queries] for w in weights])
    means = per_query.mean(axis=1)
    best = int(np.argmax(means))
    shipped = next(i for i, w in enumerate(weights) if _same(w, SHIPPED))
    rng = np.random.default_rng(0)
    held_out, tuned = [], []
    for _ in range(args.halvings):
        order = rng.permutation(len(queries))
        halves = order[: len(order) // 2], order[len(order) // 2 :]
        for fit, test in (halves, halves[::-1]):
            chosen = int(np.argmax(per_query[:, fit].mean(axis=1)))
            held_out.append(per_query[chosen, test].mean())
            tuned.append(per_query[best, test].mean())
    report = {
        "dataset": args.beir.name,
        "split": args.split,
        "queries": len(queries),
        "grid_size": len(weights),
        "best": {"weights": _json(weights[best]), "ndcg@10": round(float(means[best]), 4)},
        "shipped": {"weights": _json(SHIPPED), "ndcg@10": round(float(means[shipped]), 4)},
        "cv_halvings": args.halvings,
        "cv_held_out_ndcg@10": round(float(np.mean(held_out)), 4),
        "cv_all_queries_choice_on_same_halves": round(float(np.mean(tuned)), 4),
        "tuning_optimism": round(float(np.mean(tuned) - np.mean(held_out)), 4),
        "seconds": round(time.perf_counter() - started, 1),
        "date": time.strftime("%Y-%m-%d"),
    }
    print(json.dumps(report, indent=2))
    out = ROOT / "bench" / "results" / f"fusion_cv_{args.beir.name}_{args.split}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"results written to {out}")


def _same(a: FusionWeights, b: FusionWeights) -> bool:
    return all(abs(x - y) < 1e-9 for x, y in zip(_tuple(a), _tuple(b), strict=True))


def _tuple(w: FusionWeights) -> tuple[float, float, float]:
    return (w.dense, w.passage, w.article)


def _json(w: FusionWeights) -> dict[str, float]:
    return {
        "dense": round(w.dense, 2),
        "passage": round(w.passage, 2),
        "article": round(w.article, 2),
    }


if __name__ == "__main__":
    main()
