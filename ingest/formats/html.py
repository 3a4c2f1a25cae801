"""HTML pages: main text and metadata extracted with trafilatura."""

from __future__ import annotations

from ingest.cleaning import clean_text
from ingest.formats import LoadError, ParsedDocument
from ingest.formats.fields import iso_date, optional_text

# Dates only from the page's metadata and URL: a date guessed from body text is often wrong.
_DATE_PARAMS = {"original_date": True, "extensive_search": False}


def parse_html(data: bytes, url: str | None = None) -> ParsedDocument:
    """Extract the article from an HTML page (`url`: where it was fetched, if anywhere).

    Raises:
        LoadError: the file is empty, binary, or has no article text.
    """
    import trafilatura
    from trafilatura.settings import Document

    if not data.strip():
        raise LoadError("empty file")
    if b"\x00" in data:
        raise LoadError("binary file, not HTML")
    doc = trafilatura.bare_extraction(
        data,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params=_DATE_PARAMS,
    )
    cleaned = clean_text(doc.text or "" if isinstance(doc, Document) else "")
    if not isinstance(doc, Document) or not cleaned.text:
        raise LoadError("no article text found in the HTML")
    author = optional_text(doc.author, "author")
    return ParsedDocument(
        text=cleaned.text,
        title=optional_text(doc.title, "title"),
        url=optional_text(doc.url, "url") or url,
        published_at=_date_or_none(doc.date),
        source=optional_text(doc.sitename, "source") or optional_text(doc.hostname, "source"),
        metadata={"author": author} if author else {},
        headline=cleaned.headline,
    )


def _date_or_none(value: object) -> str | None:
    try:
        return iso_date(value)
    except LoadError:
        return None  # an unreadable page date is not worth rejecting the article
