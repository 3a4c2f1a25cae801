"""Evaluate retrieval on a BEIR-format folder: nDCG@10, Recall@100 and MRR@10.

The corpus is indexed into a temporary store with the real ingest pipeline and searched with
the real hybrid retriever; a document is ranked by its best passage (its first appearance in
the retriever's ranked passages).
"""

from __future__ import annotations

import hashlib
import json
import math
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.models import Retriever
from bot.settings import Settings
from ingest.embedder import Embedder
from ingest.models import Article
from ingest.store import PassageStore

RANK_DEPTH = 100  # documents ranked per query: Recall@100 needs 100
_PREFIX = "beir"
Progress = Callable[[str], None]


class BeirFormatError(ValueError):
    """The folder is not a readable BEIR dataset."""


@dataclass(frozen=True)
class BeirDataset:
    """A BEIR corpus with the queries and relevance judgements of one split."""

    corpus: list[Article]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]  # query id -> {doc id: relevance > 0}
    fingerprint: str


@dataclass(frozen=True)
class RetrievalMetrics:
    """Mean figures over the judged queries."""

    ndcg_at_10: float
    recall_at_100: float
    mrr_at_10: float
    queries: int

    def as_json(self) -> dict[str, float | int]:
        """Return the figures under their conventional names."""
        return {
            "ndcg@10": self.ndcg_at_10,
            "recall@100": self.recall_at_100,
            "mrr@10": self.mrr_at_10,
            "queries": self.queries,
        }


def load_beir(folder: Path, split: str = "test") -> BeirDataset:
    """Read `corpus.jsonl`, `queries.jsonl` and `qrels/<split>.tsv` from a BEIR folder.

    Raises:
        BeirFormatError: a file is missing or a line cannot be read.
    """
    corpus = [_article(row, folder) for row in _jsonl(folder / "corpus.jsonl")]
    queries = {str(r["_id"]): str(r.get("text", "")) for r in _jsonl(folder / "queries.jsonl")}
    qrels = _qrels(folder / "qrels" / f"{split}.tsv")
    judged = {q: rel for q, rel in qrels.items() if q in queries and rel}
    if not judged:
        raise BeirFormatError(f"{folder}: no query of split '{split}' has a relevant document")
    digest = hashlib.sha256()
    for article in corpus:
        digest.update(article.content_hash.encode())
    return BeirDataset(corpus, queries, judged, digest.hexdigest())


def _jsonl(path: Path) -> Iterator[dict[str, object]]:
    if not path.is_file():
        raise BeirFormatError(f"{path}: missing")
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BeirFormatError(f"{path}:{number}: not JSON ({exc.msg})") from exc
            if not isinstance(row, dict) or "_id" not in row:
                raise BeirFormatError(f"{path}:{number}: expected an object with an _id")
            yield row


def _article(row: Mapping[str, object], folder: Path) -> Article:
    title, text = str(row.get("title") or ""), str(row.get("text") or "")
    # A title-only document still deserves a passage; BEIR has a few.
    return Article(doc_id=str(row["_id"]), title=title, text=text or title, origin=str(folder))


def _qrels(path: Path) -> dict[str, dict[str, int]]:
    if not path.is_file():
        raise BeirFormatError(f"{path}: missing (is the split name right?)")
    qrels: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            parts = line.rstrip("\n").split("\t")
            if (number == 1 and parts[0] == "query-id") or not line.strip():
                continue
            if len(parts) != 3 or not parts[2].lstrip("-").isdigit():
                raise BeirFormatError(f"{path}:{number}: expected query-id, corpus-id, score")
            if int(parts[2]) > 0:
                qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    return qrels


# -- metrics ----------------------------------------------------------------------------
def score_rankings(
    rankings: Mapping[str, Sequence[str]], qrels: Mapping[str, Mapping[str, int]]
) -> RetrievalMetrics:
    """Average binary nDCG@10, Recall@100 and MRR@10 over the judged queries."""
    ndcg = recall = mrr = 0.0
    for query_id, relevant in qrels.items():
        ranked = list(rankings.get(query_id, ()))[:RANK_DEPTH]
        hits = [doc in relevant for doc in ranked]
        dcg = sum(1.0 / math.log2(i + 2) for i, hit in enumerate(hits[:10]) if hit)
        ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(relevant), 10)))
        ndcg += dcg / ideal
        recall += sum(hits) / len(relevant)
        mrr += next((1.0 / (i + 1) for i, hit in enumerate(hits[:10]) if hit), 0.0)
    n = len(qrels)
    return RetrievalMetrics(
        round(ndcg / n, 4) if n else 0.0,
        round(recall / n, 4) if n else 0.0,
        round(mrr / n, 4) if n else 0.0,
        n,
    )


def rank_documents(
    retriever: Retriever,
    query: str,
    depth: int = RANK_DEPTH,
    copies: Mapping[str, Sequence[str]] | None = None,
) -> list[str]:
    """Rank documents by their best passage among the retriever's results."""
    ranked: dict[str, None] = {}
    # Passages beyond an article's first are pushed down, so a few extra cover `depth` articles.
    for passage in retriever.search(query, depth + depth // 2):
        ranked[passage.doc_id] = None
        for copy in (copies or {}).get(passage.doc_id, ()):
            ranked[copy] = None
    return list(ranked)[:depth]


# -- indexing and the whole run ---------------------------------------------------------
def index_corpus(
    dataset: BeirDataset,
    settings: Settings,
    embedder: Embedder,
    progress: Progress | None = None,
) -> tuple[PassageStore, dict[str, list[str]]]:
    """Ingest the corpus into the store under `settings.data_dir`, reusing an identical one.

    Returns the store and, for each stored document, the ids of exact copies the pipeline
    skipped as duplicates (they rank where their original does).
    """
    from bot.wiring import build_ingestor, open_store

    store = open_store(settings, lazy=False)
    marker = settings.data_dir / "beir-index.json"
    stamp: dict[str, object] = {
        "fingerprint": dataset.fingerprint,
        "model": settings.embedding_model,
        "chunk_tokens": settings.chunk_tokens,
        "chunk_overlap_tokens": settings.chunk_overlap_tokens,
    }
    if marker.exists():
        kept = json.loads(marker.read_text())
        if {k: kept.get(k) for k in stamp} == stamp:
            return store, kept.get("copies", {})
    if progress:
        progress(f"indexing {len(dataset.corpus)} documents into {settings.data_dir}")
    report = build_ingestor(settings, store, embedder).ingest_articles(dataset.corpus)
    copies: dict[str, list[str]] = {}
    for copy, original in report.duplicate_of:
        copies.setdefault(original, []).append(copy)
    if progress:
        progress(f"indexed: {json.dumps(report.to_json())}")
    marker.write_text(json.dumps({**stamp, "copies": copies}))
    return store, copies


def evaluate_retrieval(
    dataset: BeirDataset,
    settings: Settings,
    embedder: Embedder,
    index_dir: Path | None = None,
    progress: Progress | None = None,
) -> RetrievalMetrics:
    """Index a BEIR corpus (in a temporary store, or `index_dir` to reuse) and score retrieval."""
    from bot.wiring import build_retriever

    with tempfile.TemporaryDirectory(prefix="tradebot-eval-") as scratch:
        data_dir = index_dir or Path(scratch)
        run_settings = settings.model_copy(
            update={"data_dir": data_dir, "collection_prefix": _PREFIX, "chroma_url": None}
        )
        store, copies = index_corpus(dataset, run_settings, embedder, progress)
        retriever = build_retriever(run_settings, store, embedder)
        rankings = {
            q: rank_documents(retriever, dataset.queries[q], copies=copies) for q in dataset.qrels
        }
    return score_rankings(rankings, dataset.qrels)


__all__ = [
    "BeirDataset",
    "BeirFormatError",
    "RetrievalMetrics",
    "evaluate_retrieval",
    "load_beir",
    "rank_documents",
    "score_rankings",
]
