"""Typed data on the way out: Question -> Passages -> Answer(text, citations)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol, runtime_checkable

import numpy as np
from pydantic import BaseModel, Field

from bot.retrieval.time_scope import NO_SCOPE, TimeScope
from ingest.formats.fields import web_url
from ingest.models import Passage, SearchFilters

AnswerMode = Literal["extractive", "llm", "timeline"]

# What a client-chosen conversation id may look like (a Slack thread, a browser session).
CONVERSATION_ID_PATTERN = r"^[A-Za-z0-9._:-]+$"
CONVERSATION_ID_MAX_CHARS = 128

# What every answerer says, with no citations, when the articles do not hold the answer.
REFUSAL_TEXT = "The articles I have do not cover this question."
MAX_QUESTION_CHARS = 2000
# One citation marker group: "[2]", "[1, 3]" or "[1,3]"; adjacent groups ("[1][3]") match apart.
CITATION_MARKER = re.compile(r"\[(\s*\d+(?:\s*,\s*\d+)*\s*)\]")


class Citation(BaseModel):
    """A verbatim quote from a stored article that backs one `[n]` marker."""

    n: int = Field(ge=1)
    doc_id: str
    chunk_id: str
    title: str
    source: str | None = None
    url: str | None = None
    published_at: str | None = None
    quote: str
    start: int = Field(ge=0, description="Offset of the quote in the stored article text")
    end: int = Field(ge=0)
    score: float
    page: int | None = None

    @classmethod
    def quoting(cls, n: int, passage: Passage, start: int, end: int) -> Citation:
        """Cite `passage` by the span [start, end) given as offsets into its stored article."""
        return cls(
            n=n,
            doc_id=passage.doc_id,
            chunk_id=passage.chunk_id,
            title=passage.title,
            source=passage.source,
            url=web_url(passage.url),  # stored before ingest dropped other schemes
            published_at=passage.published_at,
            quote=passage.text[start - passage.start : end - passage.start],
            start=start,
            end=end,
            score=passage.score,
            page=passage.page,
        )


class RelatedArticle(BaseModel):
    """An article a reader may want next to a refusal; never a citation."""

    doc_id: str
    title: str
    published_at: str | None = None
    url: str | None = None


class Answer(BaseModel):
    """What every channel renders: text with `[n]` markers and the citations behind them."""

    answer: str
    citations: list[Citation] = Field(default_factory=list)
    grounded: bool
    conversation_id: str | None = None
    mode: AnswerMode = "extractive"
    notice: str | None = Field(
        default=None, description="Set when the answer fell back (e.g. the LLM was unreachable)"
    )
    as_of: str | None = Field(
        default=None, description="The newest cited article's date (null when nothing is cited)"
    )
    related: list[RelatedArticle] = Field(
        default_factory=list,
        description="With a refusal: up to 3 articles a reader may want (not citations)",
    )


class SearchHit(BaseModel):
    """One retrieved passage; `text` is the stored article text `[start:end]`."""

    rank: int = Field(ge=1)
    score: float
    chunk_id: str
    doc_id: str
    title: str
    text: str
    start: int
    end: int
    published_at: str | None = None
    source: str | None = None
    url: str | None = None
    page: int | None = None


class SearchResults(BaseModel):
    """The passages found for a query, best first (`/v1/search` and the MCP `search` tool)."""

    query: str
    read_as: str | None = Field(
        default=None,
        description="The query as searched when mistyped words were corrected (else null)",
    )
    results: list[SearchHit]

    @classmethod
    def ranking(
        cls, query: str, passages: Sequence[Passage], read_as: str | None = None
    ) -> SearchResults:
        """Number `passages` (best first) as hits."""
        hits = [
            SearchHit.model_validate({**dataclasses.asdict(p), "rank": rank})
            for rank, p in enumerate(passages, start=1)
        ]
        return cls(query=query, read_as=read_as, results=hits)


class TimelineEvent(BaseModel):
    """One dated step of a dispute: an article's most telling sentence about the topic."""

    date: str = Field(description="The article's publication date, YYYY-MM-DD")
    text: str = Field(description="The quoted sentence as shown (the citation's quote)")
    citation: Citation


class Timeline(BaseModel):
    """A topic's dated events, oldest first, each quoted from its own article."""

    query: str
    as_of: str | None = Field(default=None, description="The newest event's date")
    events: list[TimelineEvent] = Field(default_factory=list)
    undated: list[Citation] = Field(default_factory=list)
    notice: str | None = None


@dataclass(frozen=True)
class Turn:
    """One earlier question and answer in a conversation."""

    question: str
    answer: str
    cited_titles: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnswerContext:
    """What shapes an answer besides its passages.

    `history`: the conversation's earlier turns, oldest first. `scope`: the question's resolved
    time (`latest` asks for the newest article's word, `undecided` for something the articles
    may only announce). `screen`: retrieval's own top passages when the passages given were
    reranked from a deeper list; whether the articles answer at all is judged on these (the
    calibration the answerability model was fitted on), what to quote on the passages given
    (empty: both on the passages given); a follow-up, searched with the turns it leans on, is
    answered when either holds the answer. `beside`: passages of other articles published the
    day one of the passages' articles was (the order a fact sheet sums up), quoted only beside
    an answer's sentences, never instead of them.
    """

    history: Sequence[Turn] = ()
    scope: TimeScope = NO_SCOPE
    screen: Sequence[Passage] = ()
    beside: Sequence[Passage] = ()


PLAIN = AnswerContext()  # a first question with no time in it


class QuestionEncoder(Protocol):
    """What retrieval and answering need from the embedding model."""

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one question as a normalised (dim,) vector."""
        ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed many texts as a normalised (n, dim) array."""
        ...


class Retriever(Protocol):
    """Find the passages most likely to answer a query."""

    def search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Passage]:
        """Return up to k passages, best first, each with a score."""
        ...

    def newest_published(self) -> date | None:
        """Return the publication date of the newest dated article searched (None if none)."""
        ...


@runtime_checkable
class ArticleReader(Protocol):
    """A retriever that can read the best articles further (see HybridRetriever.within)."""

    def within(
        self,
        query: str,
        doc_ids: Sequence[str],
        per_article: int,
        known: frozenset[str],
        leads: bool = False,
    ) -> list[Passage]:
        """Return each article's best `per_article` passages for `query` beyond `known` (and
        its first passage, with `leads`)."""
        ...


@runtime_checkable
class CitationIndex(Protocol):
    """A retriever that knows which articles cite an order by its title (see
    LexicalIndex.citing)."""

    def citing(self, title: str, filters: SearchFilters | None = None) -> tuple[str, ...]:
        """Return the articles passing `filters` that cite an order titled `title`, oldest
        first."""
        ...


@runtime_checkable
class OneGeneration(Protocol):
    """A retriever whose searches can be held to one state of the store (see
    HybridRetriever.one_generation)."""

    def one_generation(self) -> AbstractContextManager[None]:
        """Read the store at one generation until the block ends."""
        ...


class Answerer(Protocol):
    """Turn a question and retrieved passages into an Answer."""

    mode: AnswerMode

    def answer(
        self, question: str, passages: Sequence[Passage], context: AnswerContext = PLAIN
    ) -> Answer:
        """Compose an answer whose every claim cites one of `passages` (see `AnswerContext`)."""
        ...

    def stream(
        self, question: str, passages: Sequence[Passage], context: AnswerContext = PLAIN
    ) -> Iterator[str | Answer]:
        """Yield text deltas, then the final Answer as the last item."""
        ...
