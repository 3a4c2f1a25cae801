"""PDF files: text per page (pypdf), so each passage knows its page."""

from __future__ import annotations

import io

from ingest.cleaning import clean_pages
from ingest.formats import LoadError, ParsedDocument
from ingest.formats.fields import optional_text


def parse_pdf(data: bytes) -> ParsedDocument:
    """Extract a PDF's text page by page; page spans index into the cleaned text.

    Raises:
        LoadError: the file is empty, not a PDF, encrypted, or has no text layer.
    """
    if not data.strip():
        raise LoadError("empty file")
    if b"%PDF-" not in data[:1024]:
        raise LoadError("not a PDF file (no %PDF header)")
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError("encrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = optional_text(reader.metadata.title, "title") if reader.metadata else None
    except LoadError:
        raise
    except Exception as exc:  # pypdf raises many types for damaged files
        raise LoadError(f"unreadable PDF ({type(exc).__name__}: {exc})") from None
    cleaned = clean_pages(pages)
    if not cleaned.text:
        raise LoadError("no extractable text in the PDF (scanned images?)")
    return ParsedDocument(
        text=cleaned.text, title=title, pages=cleaned.pages, headline=cleaned.headline
    )
