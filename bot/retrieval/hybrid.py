"""Hybrid retrieval: dense (Chroma) + BM25 fused, near-duplicates collapsed, articles spread.

`Passage.score` of every returned passage is a fused relevance in [0, 1]:

    score = w_dense * cosine + w_passage * bm25(passage) + w_article * bm25(article)

where `cosine` is the query-passage cosine similarity clipped to [0, 1] and each BM25 score is
divided by the best score the query could reach (every query term present and saturated), so
the weights (summing to 1) keep the result in [0, 1] and comparable across queries: an
off-topic question scores low on every part. `Passage.dense_score` keeps the cosine alone.
The order also spreads results across articles: an article's j-th passage competes with
`score * article_decay**j`.

Candidates are fused from ids and scores alone (the dense search returns ids and cosines, BM25
knows its own ids); passage texts and metadata are read from the store only for the
candidates the selection reaches, a few at a time, since reading them costs far more than
the vector search.
"""

from __future__ import annotations

import contextvars
import dataclasses
import heapq
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date

import numpy as np

from bot.models import QuestionEncoder
from bot.retrieval.dense_index import ExactDenseIndex
from bot.retrieval.expansion import Vocabulary
from bot.retrieval.lexical_index import LexicalIndex, LexicalScores
from ingest.models import Passage, SearchFilters
from ingest.store import DenseHit, PassageStore

_WORD = re.compile(r"\w+")
# Questions whose vector (and unfiltered nearest passages) are kept for a repeated search.
_RECENT_QUERIES = 32
# Unfiltered nearest passages are reused this long, within one store generation: within one
# request, not across store changes (and a hit gone stale is searched again, fresh).
_RECENT_HITS_S = 1.0
# How much deeper an unfiltered dense search goes when its hits are filtered afterwards.
_POST_FILTER_DEPTH = 8
# Searches after the first when a hit went stale before its passage was read.
_STALE_RETRIES = 3
# Candidates the selection picks from, for any k up to this: then a search's k passages are
# the first k of a deeper search's (reranking reads one deeper search for both).
_POOL_K = 20
# The end of the id of an article's first passage (`Chunk.chunk_id`).
_LEAD_SUFFIX = "::00000"
# How far a passage holding a table row the query names ranks ahead of its article's best.
_AHEAD = 1e-6


@dataclass(frozen=True)
class FusionWeights:
    """How much each kind of evidence counts; normalised to sum to 1."""

    dense: float = 0.5
    passage: float = 0.1
    article: float = 0.4

    def normalised(self) -> FusionWeights:
        """Return the weights scaled to sum to 1."""
        total = self.dense + self.passage + self.article
        if total <= 0:
            raise ValueError("fusion weights must not all be zero")
        return FusionWeights(self.dense / total, self.passage / total, self.article / total)


@dataclass
class _Candidate:
    chunk_id: str
    doc_id: str
    dense: float | None  # cosine, when the dense search returned this passage
    fused: float


@dataclass
class _Recent:
    """A recent question's vector and, once searched, its unfiltered nearest passages."""

    vector: np.ndarray
    at: float
    hits: list[DenseHit] | None = None
    depth: int = 0
    generation: str | None = None  # the store generation the BM25 index saw with the hits


class HybridRetriever:
    """Dense + BM25 retrieval over a PassageStore (satisfies `bot.models.Retriever`)."""

    def __init__(
        self,
        store: PassageStore,
        embedder: QuestionEncoder,
        lexical: LexicalIndex,
        *,
        weights: FusionWeights | None = None,
        candidates: int = 50,
        article_decay: float = 0.5,
        duplicate_jaccard: float = 0.85,
        vocabulary: Vocabulary | None = None,
        exact: ExactDenseIndex | None = None,
    ) -> None:
        self._store = store
        # The active passage vectors in memory, searched exactly while the store is unchanged;
        # None: every vector search goes to Chroma.
        self._exact = exact
        self._embedder = embedder
        self._lexical = lexical
        self._weights = (weights or FusionWeights()).normalised()
        self._candidates = candidates
        self._decay = article_decay
        self._duplicate = duplicate_jaccard
        self._vocabulary = vocabulary
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="bm25")
        # The last few questions' vectors and unfiltered nearest passages: a question searched
        # twice in one request (its time window, then the passages after it that name that
        # time) is embedded and searched in Chroma once.
        self._recent: OrderedDict[str, _Recent] = OrderedDict()
        self._recent_lock = threading.Lock()

    def one_generation(self) -> AbstractContextManager[None]:
        """Read the store at one generation until the block ends (one answer's searches)."""
        return self._store.one_generation()

    @property
    def lexical(self) -> LexicalIndex:
        """The BM25 index (term rarity and article terms for the answerer)."""
        return self._lexical

    def citing(self, title: str, filters: SearchFilters | None = None) -> tuple[str, ...]:
        """Return the articles passing `filters` that cite an order titled `title` in full."""
        return self._lexical.citing(title, filters)

    def warm_exact(self) -> bool:
        """Copy the passage vectors for exact search now (service warm-up); say whether the
        searches of the store as it is now are exact in memory."""
        return self._exact is not None and self._exact.wait_until_current()

    @property
    def vocabulary(self) -> Vocabulary | None:
        """The query-side trade vocabulary, if any."""
        return self._vocabulary

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
        # BM25 needs only the text: it runs while the model embeds the question (onnxruntime
        # and numpy both release the GIL).
        expansion = self._vocabulary.expand(query).text() if self._vocabulary else ""
        lexical_search = self._pool.submit(self._lexical.search, query, depth, filters, expansion)
        # An answer reads the store at one generation (PassageStore.one_generation): the first
        # read of it, which the exact vector search needs, runs while the question is embedded.
        pinning = None
        if self._exact is not None and self._store.pin_pending():
            pinning = self._pool.submit(
                contextvars.copy_context().run, self._store.generation, True
            )
        try:
            vector = self._query_vector(query)
            if pinning is not None:
                pinning.result()
            dense = self._dense_hits(query, vector, depth, filters)
        finally:
            lexical = lexical_search.result()
        picked, stale = self._pick(dense, lexical, k)
        for _ in range(_STALE_RETRIES):
            if not stale:
                break
            # A hit was no longer active when its passage was read: an article was replaced
            # between the vector search and the read (or the BM25 index lags the store).
            # Search the new state again, so the article is seen in its new version rather
            # than in none (again: a writer replacing it edition after edition can land
            # between this search and its read too).
            self._store.generation(fresh=True, renew=True)
            dense = self._dense_hits(query, vector, depth, filters, fresh=True)
            # BM25 checks the store at most every so often: its hits would be the same stale
            # ones until then, so it reads the new state now (only the changed articles).
            self._lexical.refresh(force=True)
            lexical = self._lexical.search(query, depth, filters, expansion)
            picked, stale = self._pick(dense, lexical, k)
        return [
            dataclasses.replace(passage, score=round(c.fused, 6), dense_score=c.dense)
            for c, passage in picked
        ]

    def within(
        self,
        query: str,
        doc_ids: Sequence[str],
        per_article: int,
        known: frozenset[str],
        leads: bool = False,
    ) -> list[Passage]:
        """Return the best `per_article` passages of each of `doc_ids` for `query` other
        than the `known` ones, scored as `search` scores (the fused relevance), best first;
        with `leads`, each article's first passage too.

        A long article's passage that answers may rank below its other passages and other
        articles' (the article decay holds an article to one or two passages of a list):
        reading the best articles further finds it. Needs the in-memory passage vectors of
        the current store generation (see `ExactDenseIndex`); [] without them.
        """
        if per_article <= 0 or not doc_ids or self._exact is None or not query.strip():
            return []
        hits = self._exact.article_hits(self._query_vector(query), doc_ids)
        if not hits:
            return []
        expansion = self._vocabulary.expand(query).text() if self._vocabulary else ""
        lexical = self._lexical.search(query, 1, None, expansion)
        w = self._weights
        fused = {
            hit.chunk_id: (
                w.dense * min(max(hit.score, 0.0), 1.0)
                + w.passage * lexical.passage(hit.chunk_id)
                + w.article * lexical.document(hit.doc_id),
                hit,
            )
            for hit in hits
            if hit.chunk_id not in known
        }
        taken: dict[str, int] = {}
        chosen: list[str] = []
        for chunk_id, (_, hit) in sorted(fused.items(), key=lambda item: -item[1][0]):
            if taken.get(hit.doc_id, 0) < per_article:
                taken[hit.doc_id] = taken.get(hit.doc_id, 0) + 1
                chosen.append(chunk_id)
        if leads:
            # An article's lead tells what happened ("Yesterday, President Trump signed
            # proclamations to ... elevate the tariff to 25% on aluminum") in fewer of the
            # question's words than the paragraphs explaining why.
            chosen += [c for c in fused if c.endswith(_LEAD_SUFFIX) and c not in chosen]
        return [
            dataclasses.replace(
                passage,
                score=round(fused[passage.chunk_id][0], 6),
                dense_score=fused[passage.chunk_id][1].score,
            )
            for passage in self._store.get_passages(chosen)
        ]

    def _query_vector(self, query: str) -> np.ndarray:
        """Embed `query`, or reuse its vector from one of the last few searches."""
        recent = self._recalled(query)
        if recent is not None:
            return recent.vector
        vector = self._embedder.embed_query(query)
        with self._recent_lock:
            self._recent[query] = _Recent(vector, time.monotonic())
            while len(self._recent) > _RECENT_QUERIES:
                self._recent.popitem(last=False)
        return vector

    def _recalled(self, query: str) -> _Recent | None:
        with self._recent_lock:
            recent = self._recent.get(query)
            if recent is not None:
                self._recent.move_to_end(query)
            return recent

    def _pick(
        self, dense: list[DenseHit], lexical: LexicalScores, k: int
    ) -> tuple[list[tuple[_Candidate, Passage]], bool]:
        """Fuse, then select k passages; say whether any shortlisted hit had gone stale."""
        ranked = sorted(self._fuse(dense, lexical), key=lambda c: -c.fused)
        # Selection drops near-copies and demotes an article's later passages: keep slack.
        # The pool does not shrink with k, so the picks of a smaller k are a prefix.
        shortlist = ranked[: 3 * max(k, _POOL_K) + 10]
        texts = _PassageReader(self._store, shortlist, first=k + 3)
        return self._select(shortlist, k, texts), texts.stale

    def _dense_hits(
        self,
        query: str,
        vector: np.ndarray,
        depth: int,
        filters: SearchFilters | None,
        fresh: bool = False,
    ) -> list[DenseHit]:
        """Nearest passages within the filters, filtered here rather than by Chroma.

        Chroma's `where` costs 20-25 ms a query on a 300-article store against 1.6 ms for an
        unfiltered search of the same depth (3.2 ms for 8 times the depth), so the search
        runs unfiltered and deeper and keeps the hits whose article the BM25 index says pass.
        Only when that leaves fewer than `depth` hits while more passages pass is Chroma
        asked with the filter. The unfiltered hits of a question searched moments ago under
        other filters are reused (unless `fresh`: after a store change).
        """
        if filters is None or filters.empty:
            return self._nearest(vector, depth, fresh)
        allowed = self._lexical.allowed(filters)
        hits = self._unfiltered_hits(query, vector, depth * _POST_FILTER_DEPTH, fresh)
        kept = [hit for hit in hits if hit.doc_id in allowed.doc_ids][:depth]
        if not kept and allowed.passages:
            return self._store.dense_hits(vector, depth, filters)
        return kept

    def _unfiltered_hits(
        self, query: str, vector: np.ndarray, depth: int, fresh: bool
    ) -> list[DenseHit]:
        recent = self._recalled(query)
        now, generation = time.monotonic(), self._lexical.generation
        if (
            not fresh
            and recent is not None
            and recent.hits is not None
            and recent.depth == depth
            and recent.generation == generation
            and now - recent.at <= _RECENT_HITS_S
        ):
            return recent.hits
        hits = self._nearest(vector, depth, fresh)
        if recent is not None:
            recent.hits, recent.depth, recent.at = hits, depth, now
            recent.generation = generation
        return hits

    def _nearest(self, vector: np.ndarray, depth: int, fresh: bool = False) -> list[DenseHit]:
        """The nearest active passages: from the in-memory copy while it is of the store's
        generation (exact, under a millisecond), else from Chroma (and after a store change
        seen mid-search, `fresh`, from Chroma)."""
        if self._exact is not None and not fresh:
            hits = self._exact.hits(vector, depth)
            if hits is not None:
                return hits
        return self._store.dense_hits(vector, depth, None)

    def newest_published(self) -> date | None:
        """Return the newest stored article's publication date (None when none is dated)."""
        day = self._lexical.newest_day()
        return date(day // 10000, day // 100 % 100, day % 100) if day else None

    def _fuse(self, dense: list[DenseHit], lexical: LexicalScores) -> list[_Candidate]:
        """Score the union of both candidate lists; BM25-only ones get the weakest cosine."""
        w = self._weights
        floor = min((hit.score for hit in dense), default=0.0)
        by_id: dict[str, _Candidate] = {}
        for d in dense:
            by_id[d.chunk_id] = _Candidate(d.chunk_id, d.doc_id, d.score, 0.0)
        for hit in lexical.hits:
            by_id.setdefault(hit.chunk_id, _Candidate(hit.chunk_id, hit.doc_id, None, 0.0))
        for c in by_id.values():
            cosine = min(max(c.dense if c.dense is not None else floor, 0.0), 1.0)
            c.fused = (
                w.dense * cosine
                + w.passage * lexical.passage(c.chunk_id)
                + w.article * lexical.document(c.doc_id)
            )
        if lexical.keyed:
            # A table row about what the query names ("| Switzerland | 39% |") is found by
            # its first cell, not by how a long annex's passage reads as a whole: the passage
            # holding it takes its article's best passage's score, and its place.
            best: dict[str, float] = {}
            for c in by_id.values():
                best[c.doc_id] = max(best.get(c.doc_id, 0.0), c.fused)
            for c in by_id.values():
                if c.chunk_id in lexical.keyed:
                    c.fused = max(c.fused, best[c.doc_id] + _AHEAD)
        return list(by_id.values())

    def _select(
        self, candidates: list[_Candidate], k: int, texts: _PassageReader
    ) -> list[tuple[_Candidate, Passage]]:
        """Pick k passages greedily: skip near-copies of picked ones, spread over articles.

        An article's j-th pick competes with `fused * article_decay**j`; the heap keys only
        ever shrink, so a stale key is pushed back with its current value. A candidate whose
        passage is no longer active (a stale BM25 index) is skipped.
        """
        heap = [(-c.fused, position, c) for position, c in enumerate(candidates)]
        heapq.heapify(heap)
        picked: list[tuple[_Candidate, Passage]] = []
        words: list[frozenset[str]] = []
        per_article: dict[str, int] = {}
        while heap and len(picked) < k:
            key, position, c = heapq.heappop(heap)
            current = c.fused * self._decay ** per_article.get(c.doc_id, 0)
            if -key > current + 1e-12:
                heapq.heappush(heap, (-current, position, c))
                continue
            passage = texts.get(position)
            if passage is None:
                continue
            mine = frozenset(_WORD.findall(passage.text.lower()))
            if any(self._near_copy(mine, other) for other in words):
                continue  # a syndicated copy or repost of a passage already picked
            picked.append((c, passage))
            words.append(mine)
            per_article[c.doc_id] = per_article.get(c.doc_id, 0) + 1
        return picked

    def _near_copy(self, a: frozenset[str], b: frozenset[str]) -> bool:
        """Say whether two passages' word sets overlap by at least the Jaccard threshold, with
        the same figures: this year's "a 25 percent tariff" is no copy of last year's "15"."""
        small, large = sorted((len(a), len(b)))
        if not small or small < self._duplicate * large:  # Jaccard <= small / large
            return False
        common = len(a & b)
        if common < self._duplicate * (small + large - common):
            return False
        return {w for w in a if w[0].isdigit()} == {w for w in b if w[0].isdigit()}


class _PassageReader:
    """Read shortlisted passages from the store on demand, in shortlist order, a few per call.

    The first call reads the best `first` candidates (usually all the selection needs);
    each later miss reads the next `first` unread ones. `get_passages` returns active
    versions only, so a stale BM25 hit never resurrects replaced or deleted text.
    """

    def __init__(self, store: PassageStore, shortlist: list[_Candidate], first: int) -> None:
        self._store = store
        self._ids = [c.chunk_id for c in shortlist]
        self._batch = max(1, first)
        self._read: dict[int, Passage | None] = {}

    @property
    def stale(self) -> bool:
        """Say whether any candidate read so far was no longer active."""
        return any(passage is None for passage in self._read.values())

    def get(self, position: int) -> Passage | None:
        """Return the passage of the shortlist's `position`-th candidate, None if inactive."""
        if position not in self._read:
            unread = [i for i in range(len(self._ids)) if i not in self._read and i != position]
            wanted = [position, *unread[: self._batch - 1]]
            found = {
                p.chunk_id: p for p in self._store.get_passages([self._ids[i] for i in wanted])
            }
            for i in wanted:
                self._read[i] = found.get(self._ids[i])
        return self._read[position]


__all__: Sequence[str] = ("FusionWeights", "HybridRetriever")
