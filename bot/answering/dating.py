"""Every answer says when: dated quotes, `as_of`, refusals that name dates, related articles.

One form for every answerer: a quoted sentence is introduced by its article's date and
source ("On 2025-11-01 (The White House): ... [1]"), sentences from one article share one
introduction, an older article's contrasting word comes as "Earlier (2025-07-30): ... [2]",
and an article without a date says "Undated".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Protocol

from bot.answering.citation_check import marker_numbers
from bot.models import CITATION_MARKER, Citation, RelatedArticle
from ingest.formats.fields import web_url
from ingest.models import Passage

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_SOURCE_DETAIL = re.compile(r"\s*\([^()]*\)\s*$")  # "The White House (whitehouse.gov)"
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")
_LEADING_MARKERS = re.compile(r"\s*(?:" + CITATION_MARKER.pattern + r"\s*)+")
MAX_RELATED = 3


class Dated(Protocol):
    """Anything with an article's date, source and id (a `Passage` or a `Citation`)."""

    @property
    def doc_id(self) -> str: ...

    @property
    def published_at(self) -> str | None: ...

    @property
    def source(self) -> str | None: ...


def article_day(published_at: str | None) -> str | None:
    """Return an article's date as YYYY-MM-DD, or None when it has no usable date."""
    if not published_at or not _ISO_DAY.match(published_at):
        return None
    return published_at[:10]


def source_name(source: str | None) -> str:
    """Return a source's name without a trailing detail in brackets."""
    return _SOURCE_DETAIL.sub("", source or "").strip()


def intro(item: Dated) -> str:
    """Return the words that introduce a quote: "On 2025-11-01 (The White House): "."""
    day = article_day(item.published_at)
    head = f"On {day}" if day else "Undated"
    name = source_name(item.source)
    return f"{head} ({name}): " if name else f"{head}: "


def earlier_intro(item: Dated) -> str:
    """Return the words that introduce an older article's contrasting quote."""
    return f"Earlier ({article_day(item.published_at) or 'undated'}): "


_LINE_BREAK = re.compile(r"[ \t]*\n\s*")


def shown_quote(sentence: str) -> str:
    """Show an article's own bracketed numbers as "(7)" so they never read as our markers,
    and a line break inside the sentence ("On May 8,\n2025, ...") as a space."""
    return CITATION_MARKER.sub(r"(\1)", _LINE_BREAK.sub(" ", sentence))


def dated_parts(
    sentences: Sequence[tuple[str, Dated]],
    earlier_from: int | None = None,
    copies: Sequence[int] = (),
) -> list[str]:
    """Render quoted sentences as "INTRO sentence [n]", numbered from 1 in order.

    Consecutive sentences of one article share the first one's introduction; from index
    `earlier_from` on, sentences are an older article's word and say "Earlier (DATE)".
    `copies[i]` more citations (the same words in other articles) follow sentence i's own
    marker, numbered next: "... 2024. [1][2]".
    """
    parts: list[str] = []
    previous: str | None = None
    number = 0
    for index, (sentence, item) in enumerate(sentences):
        if earlier_from is not None and index >= earlier_from:
            lead = earlier_intro(item) if item.doc_id != previous or index == earlier_from else ""
        else:
            lead = intro(item) if item.doc_id != previous else ""
        cited = 1 + (copies[index] if index < len(copies) else 0)
        markers = "".join(f"[{number + j + 1}]" for j in range(cited))
        number += cited
        parts.append(f"{lead}{sentence} {markers}")
        previous = item.doc_id
    return parts


def date_sentences(text: str, citations: Sequence[Citation]) -> str:
    """Introduce each cited sentence of a generated answer with its article's date.

    A sentence that already names its article's date, or follows a sentence citing the same
    article, is left alone; markers at the start of a sentence belong to the one before.
    """
    by_number = {c.n: c for c in citations}
    pieces = _SENTENCE_BREAK.split(text)
    breaks = _SENTENCE_BREAK.findall(text)
    out: list[str] = []
    previous: str | None = None
    for index, piece in enumerate(pieces):
        leading = _LEADING_MARKERS.match(piece)
        cut = leading.end() if leading and index > 0 else 0
        own = marker_numbers(piece[cut:])
        if not own and index + 1 < len(pieces):  # "Sentence. [1]" split after the period
            following = _LEADING_MARKERS.match(pieces[index + 1])
            own = marker_numbers(following.group(0)) if following else []
        cited = by_number.get(own[0]) if own else None
        if cited is not None and cited.doc_id != previous:
            day = article_day(cited.published_at)
            if not (day and day in piece) and not piece[cut:].startswith(("On ", "Earlier (")):
                piece = piece[:cut] + intro(cited) + piece[cut:]
        if cited is not None:
            previous = cited.doc_id
        out.append(piece)
        if index < len(breaks):
            out.append(breaks[index])
    return "".join(out)


def as_of(citations: Sequence[Citation]) -> str | None:
    """Return the newest cited article's date (None when nothing cited is dated)."""
    days = [d for d in (article_day(c.published_at) for c in citations) if d]
    return max(days) if days else None


def related_articles(
    passages: Sequence[Passage], min_score: float, limit: int = MAX_RELATED
) -> list[RelatedArticle]:
    """Return up to `limit` distinct articles of the retrieved passages worth a reader's look."""
    related: dict[str, RelatedArticle] = {}
    for passage in passages:
        if passage.score < min_score or passage.doc_id in related:
            continue
        related[passage.doc_id] = RelatedArticle(
            doc_id=passage.doc_id,
            title=passage.title,
            published_at=article_day(passage.published_at),
            url=web_url(passage.url),  # as a citation's: http(s) only
        )
        if len(related) == limit:
            break
    return list(related.values())


def future_refusal(newest: date) -> str:
    """Refuse a question about a time after the newest article, naming that article's date."""
    return (
        f"The newest article I have is from {newest.isoformat()}; the articles I have do not "
        "cover later events or decisions not yet taken."
    )
