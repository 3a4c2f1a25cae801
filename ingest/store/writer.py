"""Write articles: new passages first, then flip the active version, then delete the old."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ingest.models import Article, Chunk, MetadataValue, sentence_id
from ingest.store.core import StoreCore
from ingest.store.records import UNIT, article_metadata, passage_metadata
from ingest.text import SentenceVectors


class StoreWriter(StoreCore):
    """The writing half of `PassageStore`."""

    # -- writes ------------------------------------------------------------------------
    def write_article(
        self,
        article: Article,
        chunks: Sequence[Chunk],
        embeddings: np.ndarray,
        sentences: Mapping[str, SentenceVectors] | None = None,
    ) -> None:
        """Store an article's new version and make it the active one.

        Raises:
            StoreUnavailableError: the store cannot be reached; the old version stays active.
        """
        self.write_articles([(article, chunks, embeddings)], sentences)

    def write_articles(
        self,
        items: Sequence[tuple[Article, Sequence[Chunk], np.ndarray]],
        sentences: Mapping[str, SentenceVectors] | None = None,
    ) -> None:
        """Store new versions of several articles with a few bulk calls, then flip them all.

        Each Chroma write costs tens of milliseconds whatever its size, so a bulk ingest
        writes a batch of articles in one go: all passages and their sentence vectors
        (`sentences`, by chunk id), then all article records (the flip), then the generation
        is bumped once and the old passages are deleted. An article is marked as having
        sentence vectors only when every one of its chunks has them.

        Raises:
            StoreUnavailableError: the store cannot be reached; old versions stay active.
        """
        sentences = sentences or {}
        if not items:
            return
        ids: list[str] = []
        texts: list[str] = []
        metas: list[dict[str, MetadataValue]] = []
        vectors: list[np.ndarray] = []
        for article, chunks, embeddings in items:
            if len(chunks) != len(embeddings):
                raise ValueError("one embedding per chunk is required")
            ids.extend(c.chunk_id for c in chunks)
            texts.extend(c.text for c in chunks)
            metas.extend(passage_metadata(article, c) for c in chunks)
            vectors.append(np.asarray(embeddings, dtype=np.float32).reshape(len(chunks), -1))
        matrix = np.concatenate(vectors) if ids else np.zeros((0, 1), dtype=np.float32)
        batch = max(1, self._max_batch())
        for lo in range(0, len(ids), batch):
            self._call(
                self.passages.upsert,
                ids=ids[lo : lo + batch],
                embeddings=matrix[lo : lo + batch],
                documents=texts[lo : lo + batch],
                metadatas=metas[lo : lo + batch],
            )
        self._write_sentences(items, sentences, batch)
        for lo in range(0, len(items), batch):
            part = items[lo : lo + batch]
            self._call(
                self.articles.upsert,
                ids=[a.doc_id for a, _, _ in part],
                embeddings=[UNIT] * len(part),
                documents=[a.text for a, _, _ in part],
                metadatas=[
                    article_metadata(
                        a, a.content_hash, len(c), all(x.chunk_id in sentences for x in c)
                    )
                    for a, c, _ in part
                ],
            )
        # Publish the flip before deleting: a reader that still trusts the old versions then
        # learns of the new ones from the token when the old passages vanish under it, rather
        # than taking the new passages for orphans of a killed ingest and seeing none.
        self._bump_generation()
        for lo in range(0, len(items), 100):
            keep = {a.doc_id: a.content_hash for a, _, _ in items[lo : lo + 100]}
            self._delete_old_passages(keep)

    def _write_sentences(
        self,
        items: Sequence[tuple[Article, Sequence[Chunk], np.ndarray]],
        sentences: Mapping[str, SentenceVectors],
        batch: int,
    ) -> None:
        ids: list[str] = []
        metas: list[dict[str, MetadataValue]] = []
        vectors: list[np.ndarray] = []
        for article, chunks, _ in items:
            for chunk in chunks:
                found = sentences.get(chunk.chunk_id)
                if found is None:
                    continue
                for (lo, hi), vector in zip(found.spans, found.vectors, strict=True):
                    ids.append(sentence_id(chunk.chunk_id, lo, hi))
                    metas.append(
                        {
                            "chunk_id": chunk.chunk_id,
                            "doc_id": article.doc_id,
                            "version": chunk.version,
                            "lo": lo,
                            "hi": hi,
                        }
                    )
                    vectors.append(vector)
        for lo in range(0, len(ids), batch):
            self._call(
                self.sentences.upsert,
                ids=ids[lo : lo + batch],
                embeddings=np.asarray(vectors[lo : lo + batch], dtype=np.float32),
                metadatas=metas[lo : lo + batch],
            )

    def delete_article(self, doc_id: str) -> bool:
        """Remove an article and all its passages; return whether it existed."""
        existed = bool(self._call(self.articles.get, ids=[doc_id], include=[])["ids"])
        self._call(self.articles.delete, ids=[doc_id])
        self._delete_passages(doc_id, keep_version=None)
        self._bump_generation()
        return existed

    def _delete_passages(self, doc_id: str, keep_version: str | None) -> None:
        where: dict[str, Any] = {"doc_id": doc_id}
        if keep_version is not None:
            where = {"$and": [{"doc_id": doc_id}, {"version": {"$ne": keep_version}}]}
        self._call(self.passages.delete, where=where)
        self._call(self.sentences.delete, where=where)

    def _delete_old_passages(self, keep: dict[str, str]) -> None:
        clauses: list[dict[str, Any]] = [
            {"$and": [{"doc_id": doc_id}, {"version": {"$ne": version}}]}
            for doc_id, version in keep.items()
        ]
        where = clauses[0] if len(clauses) == 1 else {"$or": clauses}
        self._call(self.passages.delete, where=where)
        self._call(self.sentences.delete, where=where)

    def _max_batch(self) -> int:
        try:
            return min(int(self._client.get_max_batch_size()), 5000)
        except Exception:
            return 1000
