"""Typed data passed between ingest steps: Article -> Chunk -> stored passage."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

MetadataValue = str | int | float | bool


@dataclass(frozen=True)
class Article:
    """One cleaned article; `text` is exactly what is stored and quoted."""

    doc_id: str
    title: str
    text: str
    published_at: str | None = None  # ISO date, YYYY-MM-DD
    source: str | None = None
    url: str | None = None
    origin: str | None = None  # absolute file path or URL it was read from
    metadata: dict[str, MetadataValue] = field(default_factory=dict)
    # (start, end, page) spans of `text` for PDFs; page numbers start at 1.
    pages: tuple[tuple[int, int, int], ...] = ()

    @property
    def content_hash(self) -> str:
        """Hash everything a reader sees, so any edit makes a new version."""
        payload = json.dumps(
            [
                self.title,
                self.text,
                self.published_at,
                self.source,
                self.url,
                sorted(self.metadata.items()),
                list(self.pages),
            ],
            ensure_ascii=False,
            default=str,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    @property
    def text_hash(self) -> str:
        """Hash the body alone; equal bodies under two ids are syndicated copies."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def page_at(self, offset: int) -> int | None:
        """Return the PDF page holding character `offset`, if the article has pages."""
        for start, end, page in self.pages:
            if start <= offset < end:
                return page
        return None


@dataclass(frozen=True)
class Chunk:
    """A passage of an article; `article.text[start:end] == text`."""

    doc_id: str
    version: str
    index: int
    start: int
    end: int
    text: str
    page: int | None = None

    @property
    def chunk_id(self) -> str:
        """Deterministic id, so writing the same chunk twice is harmless."""
        return f"{self.doc_id}::{self.version[:16]}::{self.index:05d}"


def split_chunk_id(chunk_id: str) -> tuple[str, str]:
    """Return the (doc_id, version prefix) a `Chunk.chunk_id` was made from."""
    doc_id, version, _ = chunk_id.rsplit("::", 2)
    return doc_id, version


def sentence_id(chunk_id: str, lo: int, hi: int) -> str:
    """Id of the stored vector of the sentence at `passage.text[lo:hi]`."""
    return f"{chunk_id}::{lo}-{hi}"


@dataclass(frozen=True)
class StoredArticle:
    """An article as the store holds it (the active version)."""

    doc_id: str
    title: str
    text: str
    version: str
    text_hash: str
    published_at: str | None
    source: str | None
    url: str | None
    origin: str | None
    passages: int
    metadata: dict[str, MetadataValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Passage:
    """A stored passage returned by a search, with its article's metadata."""

    chunk_id: str
    doc_id: str
    text: str
    start: int
    end: int
    title: str
    published_at: str | None
    source: str | None
    url: str | None
    page: int | None = None
    score: float = 0.0
    dense_score: float | None = None  # query-passage cosine, when the search computed one


@dataclass(frozen=True)
class SearchFilters:
    """Restrict a search to some sources and a publication window (inclusive)."""

    sources: tuple[str, ...] = ()
    published_after: date | None = None
    published_before: date | None = None

    @property
    def empty(self) -> bool:
        """Say whether the filters restrict nothing."""
        return not self.sources and self.published_after is None and self.published_before is None
