"""Exact nearest passages from an in-memory copy of the active passage vectors.

Chroma's HNSW index is approximate, and exploring enough of it to be exact (`dense_search_ef`)
costs about 5 ms a search on SciFact's 11,412 passages; one matrix product over the active
passages' vectors costs under a millisecond there, and is exact by construction. The copy is
taken from the store for one store generation and answers only while the store is still at that
generation (read afresh for every search, about 1 ms): after any write the search goes to Chroma
again, and the copy is taken anew in the background (at most once every `min_interval_s`, so a
bulk ingest does not keep it busy). A store of more than `max_passages` passages is never copied
(1.5 KB a passage).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ingest.store import DenseHit, PassageStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Copy:
    generation: str
    chunk_ids: list[str]
    doc_ids: list[str]
    vectors: np.ndarray  # one unit-length row per active passage
    rows: dict[str, list[int]]  # each article's rows


class ExactDenseIndex:
    """The active passages' vectors of one store generation, searched exactly."""

    def __init__(self, store: PassageStore, max_passages: int, min_interval_s: float = 2.0) -> None:
        self._store = store
        self._max_passages = max_passages
        self._min_interval_s = min_interval_s
        self._copy: _Copy | None = None
        self._lock = threading.Lock()
        self._copying = False
        self._last_try = float("-inf")
        self._too_large_at: str | None = None  # the generation found too large to copy

    def hits(self, vector: np.ndarray, depth: int) -> list[DenseHit] | None:
        """Return the `depth` nearest active passages, or None when the copy is not of the
        store's current generation (the caller asks Chroma; a new copy is taken meanwhile)."""
        # Read now, not trusted for a moment as other reads do: another process's write is seen
        # at once, and a store that is down fails the search as a Chroma search would.
        generation = self._store.generation(fresh=True)
        copy = self._copy
        if copy is None or copy.generation != generation:
            self._copy_soon(generation)
            return None
        if depth <= 0 or not copy.chunk_ids:
            return []
        query = np.asarray(vector, dtype=np.float32)
        query = query / max(float(np.linalg.norm(query)), 1e-12)
        scores = copy.vectors @ query
        k = min(depth, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [DenseHit(copy.chunk_ids[i], copy.doc_ids[i], float(scores[i])) for i in top]

    def article_hits(self, vector: np.ndarray, doc_ids: Sequence[str]) -> list[DenseHit] | None:
        """Return every active passage of `doc_ids` with its cosine to `vector`, or None when
        the copy is not of the store's current generation."""
        generation = self._store.generation(fresh=True)
        copy = self._copy
        if copy is None or copy.generation != generation:
            self._copy_soon(generation)
            return None
        rows = [row for doc_id in dict.fromkeys(doc_ids) for row in copy.rows.get(doc_id, [])]
        if not rows:
            return []
        query = np.asarray(vector, dtype=np.float32)
        query = query / max(float(np.linalg.norm(query)), 1e-12)
        scores = copy.vectors[rows] @ query
        return [
            DenseHit(copy.chunk_ids[row], copy.doc_ids[row], float(score))
            for row, score in zip(rows, scores, strict=True)
        ]

    def wait_until_current(self, timeout_s: float = 30.0) -> bool:
        """Take a copy of the current generation now unless one is held (warm-up and tests);
        say whether the copy held is current."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            generation = self._store.generation(fresh=True)
            copy = self._copy
            if copy is not None and copy.generation == generation:
                return True
            if self._too_large_at == generation:
                return False
            with self._lock:
                busy = self._copying
                if not busy:
                    self._copying = True
            if busy:
                time.sleep(0.05)
                continue
            self._take_copy()
        return False

    def _copy_soon(self, generation: str) -> None:
        with self._lock:
            now = time.monotonic()
            if (
                self._copying
                or self._too_large_at == generation
                or now - self._last_try < self._min_interval_s
            ):
                return
            self._copying, self._last_try = True, now
        threading.Thread(target=self._take_copy, name="exact-dense-copy", daemon=True).start()

    def _take_copy(self) -> None:
        """Copy the active passages' vectors; keep the copy if no write came in between."""
        try:
            before = self._store.generation(fresh=True)
            if self._store.passage_records() > self._max_passages:
                self._too_large_at = before
                return
            chunk_ids, doc_ids, vectors = self._store.passage_vectors()
            if len(chunk_ids) > self._max_passages:
                self._too_large_at = before
                return
            if self._store.generation(fresh=True) != before:
                return  # written meanwhile: the next search asks for a new copy
            norms = np.linalg.norm(vectors, axis=1, keepdims=True) if len(vectors) else 1.0
            unit = np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)
            rows: dict[str, list[int]] = {}
            for row, doc_id in enumerate(doc_ids):
                rows.setdefault(doc_id, []).append(row)
            self._copy = _Copy(before, chunk_ids, doc_ids, unit, rows)
        except Exception:  # the store may be down: Chroma answers (or fails) as before
            log.warning("could not copy the passage vectors", exc_info=True)
        finally:
            with self._lock:
                self._copying = False
