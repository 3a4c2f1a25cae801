"""Translate between tradebot's models and Chroma records: metadata, ids, where-clauses."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ingest.models import (
    Article,
    Chunk,
    MetadataValue,
    Passage,
    SearchFilters,
    StoredArticle,
    split_chunk_id,
)

# Chroma needs an embedding on every record; articles and meta records carry this dummy.
UNIT = [1.0]
SentenceKey = tuple[str, int, int]  # (chunk_id, lo, hi): a sentence at passage.text[lo:hi]
GENERATION_ID = "generation"
CATCH_UP_ID = "__tradebot_catch_up__"  # never stored: deleting it makes a reader catch up


@dataclass(frozen=True)
class DenseHit:
    """One passage a dense search found: its ids and the query-passage cosine."""

    chunk_id: str
    doc_id: str
    score: float


def chroma_where(filters: SearchFilters | None) -> dict[str, Any] | None:
    """Translate search filters to a Chroma `where` clause (None: no restriction)."""
    if filters is None:
        return None
    clauses: list[dict[str, Any]] = []
    if filters.sources:
        clauses.append({"source": {"$in": list(filters.sources)}})
    if filters.published_after:
        clauses.append({"published_day": {"$gte": day_number(filters.published_after.isoformat())}})
    if filters.published_before:
        clauses.append(
            {"published_day": {"$lte": day_number(filters.published_before.isoformat())}}
        )
    if filters.published_after or filters.published_before:
        clauses.append({"published_day": {"$gt": 0}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def day_number(published_at: str | None) -> int:
    """Turn an ISO date into YYYYMMDD (0 when unknown), as dates are stored and compared."""
    if not published_at:
        return 0
    try:
        day = date.fromisoformat(published_at[:10])
    except ValueError:
        return 0
    return day.year * 10000 + day.month * 100 + day.day


def _opt(value: object) -> str | None:
    return None if value in (None, "") else str(value)


def passage_metadata(article: Article, chunk: Chunk) -> dict[str, MetadataValue]:
    """Return the metadata stored with one passage."""
    return {
        "doc_id": article.doc_id,
        "version": chunk.version,
        "index": chunk.index,
        "start": chunk.start,
        "end": chunk.end,
        "page": chunk.page if chunk.page is not None else -1,
        "title": article.title,
        "published_at": article.published_at or "",
        "published_day": day_number(article.published_at),
        "source": article.source or "",
        "url": article.url or "",
    }


def article_metadata(
    article: Article, version: str, passages: int, has_sentences: bool
) -> dict[str, Any]:
    """Return the metadata of an article record (its active version and fields)."""
    return {
        "sentences": has_sentences,
        "title": article.title,
        "version": version,
        "text_hash": article.text_hash,
        "published_at": article.published_at or "",
        "published_day": day_number(article.published_at),
        "source": article.source or "",
        "url": article.url or "",
        "origin": article.origin or "",
        "passages": passages,
        "extra": json.dumps(article.metadata, ensure_ascii=False, default=str),
    }


def sentence_key(stored_id: str) -> SentenceKey:
    """Undo `sentence_id`: `<chunk_id>::<lo>-<hi>` -> (chunk_id, lo, hi)."""
    chunk_id, span = stored_id.rsplit("::", 1)
    lo, hi = span.split("-")
    return chunk_id, int(lo), int(hi)


def is_active(chunk_id: str, versions: Mapping[str, str]) -> bool:
    """Say whether a chunk id names a passage of its article's active version."""
    doc_id, version = split_chunk_id(chunk_id)
    return versions.get(doc_id, "")[: len(version)] == version


def passage_record(chunk_id: str, meta: dict[str, Any], text: str, score: float = 0.0) -> Passage:
    """Build a Passage from a stored passage record."""
    page = int(meta.get("page", -1))
    return Passage(
        chunk_id=chunk_id,
        doc_id=str(meta["doc_id"]),
        text=text,
        start=int(meta["start"]),
        end=int(meta["end"]),
        title=str(meta.get("title", "")),
        published_at=_opt(meta.get("published_at")),
        source=_opt(meta.get("source")),
        url=_opt(meta.get("url")),
        page=page if page >= 0 else None,
        score=score,
    )


def stored_article_record(doc_id: str, meta: dict[str, Any], text: str) -> StoredArticle:
    """Build a StoredArticle from an article record."""
    return StoredArticle(
        doc_id=doc_id,
        title=str(meta.get("title", "")),
        text=text or "",
        version=str(meta["version"]),
        text_hash=str(meta.get("text_hash", "")),
        published_at=_opt(meta.get("published_at")),
        source=_opt(meta.get("source")),
        url=_opt(meta.get("url")),
        origin=_opt(meta.get("origin")),
        passages=int(meta.get("passages", 0)),
        metadata=json.loads(str(meta.get("extra") or "{}")),
    )
