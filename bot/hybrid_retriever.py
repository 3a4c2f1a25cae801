"""Hybrid retrieval: dense (Chroma) + BM25 fused, near-duplicates collapsed, articles spread.

`Passage.score` of every returned passage is a fused relevance in [0, 1]:

    score = w_dense * cosine + w_passage * bm25(passage) + w_article * bm25(article)

where `cosine` is the query-passage cosine similarity clipped to [0, 1] and each BM25 score is
divided by the best score the query could reach (every query term present and saturated), so
the weights (summing to 1) keep the result in [0, 1] and comparable across queries: an
off-topic question scores low on every part. `Passage.dense_score` keeps the cosine alone.
The order also spreads results across articles: an article's j-th passage competes with
`score * article_decay**j`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.lexical_index import LexicalIndex, LexicalScores
from bot.settings import Settings
from ingest.embedder import Embedder
from ingest.models import Passage
from ingest.store import PassageStore, SearchFilters

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class FusionWeights:
    """How much each kind of evidence counts; normalised to sum to 1."""

    dense: float = 0.5
    passage: float = 0.25
    article: float = 0.25

    def normalised(self) -> FusionWeights:
        """Return the weights scaled to sum to 1."""
        total = self.dense + self.passage + self.article
        if total <= 0:
            raise ValueError("fusion weights must not all be zero")
        return FusionWeights(self.dense / total, self.passage / total, self.article / total)


@dataclass
class _Candidate:
    passage: Passage
    dense: float | None
    fused: float = 0.0


class HybridRetriever:
    """Dense + BM25 retrieval over a PassageStore (satisfies `bot.models.Retriever`)."""

    def __init__(
        self,
        store: PassageStore,
        embedder: Embedder,
        lexical: LexicalIndex,
        *,
        weights: FusionWeights | None = None,
        candidates: int = 50,
        article_decay: float = 0.5,
        duplicate_jaccard: float = 0.85,
    ) -> None:
        self._store = store
        self._embedder = embedder
        self._lexical = lexical
        self._weights = (weights or FusionWeights()).normalised()
        self._candidates = candidates
        self._decay = article_decay
        self._duplicate = duplicate_jaccard

    def search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Passage]:
        """Return up to k passages, best first, scored by fused relevance in [0, 1].

        Args:
            query: the question or search text.
            k: how many passages to return at most.
            filters: sources and publication window, applied to both dense and BM25 sides.

        Returns:
            Active passages only (a deleted or replaced article's passages never come back).
        """
        if k <= 0 or not query.strip():
            return []
        depth = max(self._candidates, 2 * k)
        dense = self._store.query(self._embedder.embed_query(query), depth, filters)
        lexical = self._lexical.search(query, depth, filters)
        candidates = self._gather(dense, lexical)
        self._fuse(candidates, lexical)
        ranked = self._spread(self._collapse(sorted(candidates, key=lambda c: -c.fused)))
        return [self._finish(c) for c in ranked[:k]]

    def _gather(self, dense: list[Passage], lexical: LexicalScores) -> list[_Candidate]:
        """Union the two candidate lists; BM25-only passages are re-read from the store."""
        by_id = {p.chunk_id: _Candidate(p, p.score) for p in dense}
        missing = [h.chunk_id for h in lexical.hits if h.chunk_id not in by_id]
        # get_passages drops passages of deleted or replaced articles the index may still hold.
        for passage in self._store.get_passages(missing):
            by_id[passage.chunk_id] = _Candidate(passage, None)
        return list(by_id.values())

    def _fuse(self, candidates: list[_Candidate], lexical: LexicalScores) -> None:
        """Set each candidate's fused score; a BM25-only passage gets the weakest dense score."""
        known = [c.dense for c in candidates if c.dense is not None]
        floor = min(known) if known else 0.0
        w = self._weights
        for c in candidates:
            cosine = min(max(c.dense if c.dense is not None else floor, 0.0), 1.0)
            c.fused = (
                w.dense * cosine
                + w.passage * lexical.passage(c.passage.chunk_id)
                + w.article * lexical.document(c.passage.doc_id)
            )

    def _collapse(self, ranked: list[_Candidate]) -> list[_Candidate]:
        """Drop passages that nearly repeat a better one (syndicated copies, reposts)."""
        kept: list[_Candidate] = []
        shingles: list[frozenset[str]] = []
        for c in ranked:
            words = frozenset(_WORD.findall(c.passage.text.lower()))
            if any(_jaccard(words, other) >= self._duplicate for other in shingles):
                continue
            kept.append(c)
            shingles.append(words)
        return kept

    def _spread(self, ranked: list[_Candidate]) -> list[_Candidate]:
        """Reorder so an article's later passages yield to other articles' best ones."""
        seen: dict[str, int] = {}
        keyed: list[tuple[float, int, _Candidate]] = []
        for position, c in enumerate(ranked):
            nth = seen.get(c.passage.doc_id, 0)
            seen[c.passage.doc_id] = nth + 1
            keyed.append((-c.fused * self._decay**nth, position, c))
        return [c for _, _, c in sorted(keyed, key=lambda t: (t[0], t[1]))]

    @staticmethod
    def _finish(c: _Candidate) -> Passage:
        return dataclasses.replace(c.passage, score=round(c.fused, 6), dense_score=c.dense)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def build_retriever(settings: Settings, store: PassageStore, embedder: Embedder) -> HybridRetriever:
    """Build the configured hybrid retriever; its BM25 cache lives under the data dir."""
    lexical = LexicalIndex(store, settings.data_dir / "bm25" / f"{settings.collection_prefix}.npz")
    return HybridRetriever(store, embedder, lexical)


__all__: Sequence[str] = ("FusionWeights", "HybridRetriever", "build_retriever")
