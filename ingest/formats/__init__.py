"""Parsers from one file's bytes to a `ParsedDocument`, one module per format."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.models import MetadataValue


class LoadError(ValueError):
    """An input that cannot become an article; the message is the reason shown to the user."""


@dataclass(frozen=True)
class ParsedDocument:
    """What a format parser found; the loader turns it into an `Article` with a doc_id."""

    text: str
    title: str | None = None
    doc_id: str | None = None  # an explicit id (front matter `id`)
    url: str | None = None  # the canonical URL, when the document names one
    published_at: str | None = None
    source: str | None = None
    metadata: dict[str, MetadataValue] = field(default_factory=dict)
    pages: tuple[tuple[int, int, int], ...] = ()
    headline: str | None = None  # found by cleaning, used when there is no title
