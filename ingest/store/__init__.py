"""The index's one owner: the only package that touches tradebot's Chroma collections.

Four collections per prefix:
- `<prefix>_passages`: one record per chunk (our embeddings, passage text, article metadata).
- `<prefix>_sentences`: one record per quotable sentence of a chunk (its embedding, the
  chunk id and the sentence's offsets in the passage), so answering embeds nothing but the
  question (see `ingest.text`).
- `<prefix>_articles`: one record per article: full text and the *active* version hash.
- `<prefix>_meta`: a generation token that changes on every write, so readers (BM25 indexes,
  caches in other replicas) know when to refresh.

Readers only return passages whose version equals the article's active version. A writer
stores the new passages first, flips the article record, publishes a new generation token,
then deletes the old passages, so a reader never sees two versions of an article, or none,
and a killed ingest leaves only unreachable orphans that the next run overwrites or removes.
Modules: `client` (connection, timeouts, failure classification), `records` (models <->
metadata, where-clauses), `core` (collections, generation token), `writer`, `reader`.
"""

from __future__ import annotations

from ingest.models import SearchFilters
from ingest.store.client import (
    LazyChromaClient,
    StoreStorageError,
    StoreUnavailableError,
    open_chroma_client,
)
from ingest.store.reader import StoreReader
from ingest.store.records import DenseHit, SentenceKey, day_number
from ingest.store.writer import StoreWriter


class PassageStore(StoreWriter, StoreReader):
    """Read and write articles and their passages in Chroma."""


__all__ = [
    "DenseHit",
    "LazyChromaClient",
    "PassageStore",
    "SearchFilters",
    "SentenceKey",
    "StoreStorageError",
    "StoreUnavailableError",
    "day_number",
    "open_chroma_client",
]
