"""Passages built in memory for tests of the answering steps (no store needed)."""

from __future__ import annotations

from ingest.models import Passage


def whole_article(
    text: str,
    doc_id: str = "doc",
    *,
    title: str = "",
    published_at: str | None = None,
    source: str | None = None,
    url: str | None = None,
    score: float = 0.5,
) -> Passage:
    """Return the one passage of an article that fits in a single passage (offsets 0..len)."""
    return Passage(
        chunk_id=f"{doc_id}::v::00000",
        doc_id=doc_id,
        text=text,
        start=0,
        end=len(text),
        title=title,
        published_at=published_at,
        source=source,
        url=url,
        score=score,
    )
