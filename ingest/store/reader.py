"""Read active passages, articles and sentence vectors, through in-memory caches."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from ingest.models import Passage, SearchFilters, StoredArticle, sentence_id, split_chunk_id
from ingest.store.core import StoreCore
from ingest.store.records import (
    DenseHit,
    SentenceKey,
    chroma_where,
    is_active,
    passage_record,
    sentence_key,
    stored_article_record,
)


class StoreReader(StoreCore):
    """The reading half of `PassageStore`."""

    # -- reads -------------------------------------------------------------------------
    def active_versions(self) -> dict[str, str]:
        """Map every stored doc_id to its active version (cached per generation)."""
        return self._article_versions()[0]

    def articles_without_sentences(self) -> frozenset[str]:
        """Return the doc_ids stored before sentence vectors existed (re-ingest adds them)."""
        return self._article_versions()[1]

    def _article_versions(self) -> tuple[dict[str, str], frozenset[str]]:
        token = self.generation()
        cached = self._versions_cache
        if cached is not None and cached[0] == token:
            return cached[1], cached[2]
        got = self._call(self.articles.get, include=["metadatas"])
        rows = list(zip(got["ids"], got["metadatas"], strict=True))
        versions = {i: str(m["version"]) for i, m in rows}
        lacking = frozenset(i for i, m in rows if not m.get("sentences"))
        self._versions_cache = (token, versions, lacking)
        return versions, lacking

    def sentence_vectors(self, sentences: Sequence[SentenceKey]) -> dict[SentenceKey, np.ndarray]:
        """Return the stored vectors of the given sentences, `(chunk_id, lo, hi)` each.

        Offsets are in the passage text; sentences stored without a vector are left out.
        """
        with self._lock:
            found = {k: self._sentence_cache[k] for k in sentences if k in self._sentence_cache}
        keys = {sentence_id(*key): key for key in sentences if key not in found}
        if keys:
            got = self._call(self.sentences.get, ids=list(keys), include=["embeddings"])
            fresh = {keys[i]: v for i, v in zip(got["ids"], got["embeddings"], strict=True)}
            self._remember_sentences(fresh)
            found.update(fresh)
        return {key: np.asarray(vector, dtype=np.float32) for key, vector in found.items()}

    def _remember_sentences(self, vectors: Mapping[SentenceKey, Any]) -> None:
        if self._sentence_cache_size <= 0 or not vectors:
            return
        with self._lock:
            for key, vector in vectors.items():
                self._sentence_cache[key] = np.asarray(vector, dtype=np.float16)
                self._sentence_cache.move_to_end(key)
            while len(self._sentence_cache) > self._sentence_cache_size:
                self._sentence_cache.popitem(last=False)

    def get_article(self, doc_id: str) -> StoredArticle | None:
        """Return the active version of one article, or None."""
        got = self._call(self.articles.get, ids=[doc_id], include=["metadatas", "documents"])
        if not got["ids"]:
            return None
        return stored_article_record(got["ids"][0], got["metadatas"][0], got["documents"][0])

    def list_articles(self) -> list[StoredArticle]:
        """Return every stored article, ordered by doc_id."""
        got = self._call(self.articles.get, include=["metadatas", "documents"])
        rows = zip(got["ids"], got["metadatas"], got["documents"], strict=True)
        return sorted((stored_article_record(*row) for row in rows), key=lambda a: a.doc_id)

    def find_by_text_hash(self, text_hash: str) -> str | None:
        """Return the doc_id of a stored article with exactly this body, if any."""
        got = self._call(self.articles.get, where={"text_hash": text_hash}, include=[])
        return got["ids"][0] if got["ids"] else None

    def passage_records(self) -> int:
        """Return how many passage records the store holds, orphans of interrupted ingests
        included: a cheap upper bound on the active passages."""
        return int(self._call(self.passages.count))

    def passage_vectors(self) -> tuple[list[str], list[str], np.ndarray]:
        """Return every active passage's chunk id, doc id and vector (for analysis and benches)."""
        versions = self.active_versions()
        got = self._call(self.passages.get, include=["embeddings", "metadatas"])
        keep = [i for i, chunk_id in enumerate(got["ids"]) if is_active(chunk_id, versions)]
        vectors = np.asarray(got["embeddings"], dtype=np.float32)
        chunk_ids = [got["ids"][i] for i in keep]
        doc_ids = [str(got["metadatas"][i]["doc_id"]) for i in keep]
        return chunk_ids, doc_ids, vectors[keep] if keep else vectors[:0]

    def query(
        self, embedding: np.ndarray, k: int, filters: SearchFilters | None = None
    ) -> list[Passage]:
        """Return up to k active passages nearest to `embedding`, best first."""
        versions = self.active_versions()
        if not versions:
            return []
        where = chroma_where(filters)
        got = self._call(
            self.passages.query,
            query_embeddings=[np.asarray(embedding, dtype=np.float32)],
            n_results=k + 8,
            where=where,
            include=["metadatas", "documents", "distances"],
        )
        out: list[Passage] = []
        rows = zip(
            got["ids"][0],
            got["metadatas"][0],
            got["documents"][0],
            got["distances"][0],
            strict=True,
        )
        for chunk_id, meta, text, distance in rows:
            if versions.get(str(meta["doc_id"])) != meta["version"]:
                continue
            out.append(passage_record(chunk_id, meta, text, score=1.0 - float(distance)))
        return out[:k]

    def dense_hits(
        self, embedding: np.ndarray, k: int, filters: SearchFilters | None = None
    ) -> list[DenseHit]:
        """Return up to k active passages nearest to `embedding`, as ids and cosines only.

        Reading metadata and text for every candidate costs several times the vector search
        itself; the hybrid retriever reads them only for the few passages it returns.
        """
        versions = self.active_versions()
        if not versions:
            return []
        got = self._call(
            self.passages.query,
            query_embeddings=[np.asarray(embedding, dtype=np.float32)],
            n_results=k + 8,
            where=chroma_where(filters),
            include=["distances"],
        )
        versions = self._versions_covering(got["ids"][0], versions)
        out: list[DenseHit] = []
        for chunk_id, distance in zip(got["ids"][0], got["distances"][0], strict=True):
            if is_active(chunk_id, versions):
                out.append(DenseHit(chunk_id, split_chunk_id(chunk_id)[0], 1.0 - float(distance)))
        return out[:k]

    def get_passages(self, chunk_ids: Sequence[str]) -> list[Passage]:
        """Return the active passages among `chunk_ids`, in the order given."""
        if not chunk_ids:
            return []
        versions = self._versions_covering(chunk_ids, self.active_versions())
        active = [c for c in chunk_ids if is_active(c, versions)]
        with self._lock:
            by_id = {c: self._passage_cache[c] for c in active if c in self._passage_cache}
        missing = [c for c in active if c not in by_id]
        if missing:
            got = self._call(self.passages.get, ids=missing, include=["metadatas", "documents"])
            fresh = [
                passage_record(i, m, d)
                for i, m, d in zip(got["ids"], got["metadatas"], got["documents"], strict=True)
            ]
            self._remember(fresh)
            by_id.update((p.chunk_id, p) for p in fresh)
        return [by_id[c] for c in active if c in by_id]

    def _versions_covering(
        self, chunk_ids: Sequence[str], versions: dict[str, str]
    ) -> dict[str, str]:
        """Re-read the active versions if a chunk may belong to a version newer than we know.

        The generation token is trusted for a moment, so another process may have flipped an
        article since; seeing a passage of an unknown version is the sign. Without this
        check, a reader could drop the new passages while the old ones are already deleted,
        and see the article in no version at all.
        """
        if all(is_active(c, versions) for c in chunk_ids):
            return versions
        cached = self._generation
        if cached is not None and cached[0] == self._read_generation():
            return versions  # nothing changed: those are orphans of an interrupted ingest
        return self.active_versions()

    def warm_cache(self, batch: int = 2000) -> int:
        """Read active passages and their sentence vectors into memory, up to the cache sizes.

        Returns how many passages were read; sets `cache_warmed` when done.
        """
        chunk_ids = {
            p.chunk_id for p in itertools.islice(self.iter_passages(), self._passage_cache_size)
        }  # iter_passages remembers what it reads
        offset = 0
        while len(self._sentence_cache) < self._sentence_cache_size:
            got = self._call(self.sentences.get, include=["embeddings"], limit=batch, offset=offset)
            if not got["ids"]:
                break
            offset += len(got["ids"])
            rows = zip(got["ids"], got["embeddings"], strict=True)
            keys = ((sentence_key(i), v) for i, v in rows)
            self._remember_sentences({k: v for k, v in keys if k[0] in chunk_ids})
        self.cache_warmed = True
        return len(chunk_ids)

    def _remember(self, passages: Sequence[Passage]) -> None:
        if self._passage_cache_size <= 0 or not passages:
            return
        with self._lock:
            for passage in passages:
                self._passage_cache[passage.chunk_id] = passage
                self._passage_cache.move_to_end(passage.chunk_id)
            while len(self._passage_cache) > self._passage_cache_size:
                self._passage_cache.popitem(last=False)

    def iter_passages(
        self, doc_ids: Sequence[str] | None = None, batch: int = 2000
    ) -> Iterator[Passage]:
        """Yield every active passage (optionally of some articles only)."""
        versions = self.active_versions()
        where = {"doc_id": {"$in": list(doc_ids)}} if doc_ids else None
        if doc_ids is not None and not doc_ids:
            return
        offset = 0
        while True:
            got = self._call(
                self.passages.get,
                where=where,
                include=["metadatas", "documents"],
                limit=batch,
                offset=offset,
            )
            if not got["ids"]:
                return
            rows = zip(got["ids"], got["metadatas"], got["documents"], strict=True)
            page = [passage_record(i, m, d) for i, m, d in rows if is_active(i, versions)]
            if len(self._passage_cache) < self._passage_cache_size:
                self._remember(page)
            yield from page
            offset += len(got["ids"])
