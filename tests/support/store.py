"""Store helpers only tests need: raw record counts and writing one article by hand."""

from __future__ import annotations

from ingest.chunker import Chunker
from ingest.embedder import Embedder
from ingest.models import Article
from ingest.store import PassageStore
from ingest.text import passage_embedding_text


def count_passage_records(store: PassageStore) -> int:
    """Count stored passage records, orphans of interrupted ingests included."""
    return int(store.passages.count())


def store_article(
    store: PassageStore,
    embedder: Embedder,
    article: Article,
    max_tokens: int = 200,
    overlap_tokens: int = 0,
) -> None:
    """Chunk, embed and store one article as ingest does, but without sentence vectors."""
    chunks = Chunker(embedder.count_tokens, max_tokens, overlap_tokens).split(article)
    vectors = embedder.embed_passages(
        [passage_embedding_text(article.title, c.text) for c in chunks]
    )
    store.write_article(article, chunks, vectors)
