"""Date a question that is timed by an event: "before the Geneva talks", "since Liberation Day".

Analysts time questions by what happened as often as by the calendar. An event named with a
distinctive name ("Geneva", "Liberation Day", "Busan", "Phase One") and a word for an event
("talks", "summit", "deal", "ruling", "Day") is dated by the articles: the earliest article
among those that retrieval finds for the event's words and that mention all of its names.
Articles about an event are published on or after it, so the earliest mention is its date
(an announcement naming the day ahead, "will meet ... in Bali on November 14", dates it by
that day), provided a second article follows within 100 days: a
stray earlier mention of the names, or an event that recurs, dates nothing. "before / ahead
of / prior to X" then asks for the newest word before that day (a window ending the day
before, answered as "latest"), "after / following / since X" for what came from that day on,
"until X" up to it.

A name most passages hold ("US-China deal", "the Trump tariffs") names no single event, so it
dates nothing; an explicit calendar time in the question wins over an event, unless it is
the event's own date ("after the Stockholm round in July 2025": from the first article on the
round, which one article in or soon after that month dates).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from bot.models import Retriever
from bot.retrieval.time_scope import TimeScope, parse_time_scope, published_date
from bot.terms import content_terms
from ingest.text import sentence_bounds

_EVENT_NOUNS = (
    "talks|summit|meeting|meetings|deal|agreement|truce|accord|framework|consensus|"
    "negotiations|visit|trip|election|ruling|decision|announcement|call|consultations|"
    "statement|ceasefire|pause|conference|round|hearing|review|launch"
)
_NAME = r"(?:[A-Z][\w.'’&-]*|\d{4})"
_ANCHOR = re.compile(
    r"\b(?P<prep>(?i:before|prior to|ahead of|(?:(?:right|just|shortly|immediately|soon)\s+)?"
    r"(?:after|following)|since|until|till))\s+"
    r"(?:(?i:the)\s+)?"
    rf"(?P<event>(?P<names>(?:{_NAME}\s+){{1,4}})(?i:{_EVENT_NOUNS})\b"
    rf"|(?P<day_names>(?:{_NAME}\s+){{1,3}})Day\b)"
)
# "right after X", "shortly after X": the weeks that followed it, not all time since.
SOON_AFTER_DAYS = 31
# The words that tie a calendar time to the event before it ("round in July 2025").
_OWN_DATE = re.compile(r"^(?:(?:back\s+)?in|on|of)\s+", re.IGNORECASE)
# A name held by at most this many passages, or this share of them, names one event.
_RARE_PASSAGES = 3
# A first article on an event counts when another follows within this long.
_SUPPORT = timedelta(days=100)
_RARE_SHARE = 0.05
# An announcement of an event still ahead: "will meet", "is scheduled to", "will travel to".
_AHEAD = re.compile(r"\b(?:will|(?:is|are) (?:scheduled|set|expected) to|plans? to)\b", re.I)
# Words that start a sentence or a name without being one.
_NOT_NAMES = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their"})


class TermRarity(Protocol):
    """What dating an event asks of the lexical index: how many passages hold a term."""

    def passage_share(self, term: str) -> float:
        """Return the share of passages that hold `term` (0 when none)."""
        ...

    def passage_count(self) -> int:
        """Return how many passages the corpus holds."""
        ...


@dataclass(frozen=True)
class EventAnchor:
    """An event a question is timed by: the preposition, the event's words and its names."""

    preposition: str
    event: str
    names: frozenset[str]  # stemmed name terms every mention must hold
    span: tuple[int, int]  # where "before the Geneva talks" stands in the question


@dataclass(frozen=True)
class EventTime:
    """A question's window read from an event, and how it was read (for the answer's notice).

    `question` is what to search and answer: for a window ending before the event, the
    question without the event's words, which no article in the window holds.
    """

    scope: TimeScope
    notice: str
    question: str


def find_anchor(question: str) -> EventAnchor | None:
    """Return the event `question` is timed by ("before the Geneva talks"), or None."""
    match = _ANCHOR.search(question)
    if match is None:
        return None
    names_text = match.group("names") or match.group("day_names") or ""
    words = [w for w in names_text.split() if w.lower() not in _NOT_NAMES]
    names = frozenset().union(*(content_terms(w) for w in words)) if words else frozenset()
    if not names:
        return None
    event = match.group("event").strip()
    return EventAnchor(" ".join(match.group("prep").lower().split()), event, names, match.span())


class EventDater:
    """Date the event a question is timed by from the stored articles."""

    def __init__(self, retriever: Retriever, rarity: TermRarity, depth: int = 10) -> None:
        self.retriever = retriever
        self.rarity = rarity
        self.depth = depth  # passages searched for the event's words

    def scope(self, question: str, scope: TimeScope) -> EventTime | None:
        """Return the window of a question timed by an event, or None (no event, a calendar
        time already named, or an event no article dates)."""
        anchor = find_anchor(question)
        if anchor is None or not all(self._distinctive(term) for term in anchor.names):
            return None
        # A calendar time the question names wins, unless it dates the event itself ("after
        # the Stockholm round in July 2025"): then the event's day, if it falls then, bounds
        # the window ("after": from that day, not the whole month).
        dated = scope.explicit and _dates_the_event(question, anchor, scope)
        if scope.explicit and not dated:
            return None
        first = self._first_mention(anchor, scope if dated else None)
        if first is None:
            return None
        day, published = first
        window = _window(anchor.preposition, day)
        expression = question[anchor.span[0] : anchor.span[1]]
        before = anchor.preposition in ("before", "prior to", "ahead of")
        # "before X": the state of things just before it, so the newest word in the window.
        latest = scope.latest or before
        timed = TimeScope(
            start=window[0],
            end=window[1],
            precision="day",
            latest=latest,
            undecided=scope.undecided,
            expression=expression,
            outcome=scope.outcome,
            came_about=scope.came_about,
        )
        told = (
            f" is from {day.isoformat()}"
            if published == day
            else f", of {published.isoformat()}, says it takes place on {day.isoformat()}"
        )
        notice = (
            f"Read “{expression}” as {_described(anchor.preposition, day)}: the first article "
            f"that mentions “{anchor.event}”{told}."
        )
        return EventTime(timed, notice, _without(question, anchor.span) if before else question)

    def _distinctive(self, term: str) -> bool:
        share = self.rarity.passage_share(term)
        held = share * self.rarity.passage_count()
        return share > 0 and (held <= _RARE_PASSAGES or share <= _RARE_SHARE)

    def _first_mention(
        self, anchor: EventAnchor, named: TimeScope | None = None
    ) -> tuple[date, date] | None:
        """The earliest day an article on the event came out, among the event's passages that
        hold all its names, counting a day only when a second article followed within
        `_SUPPORT_DAYS`: an event is reported more than once at the time, while a stray earlier
        mention ("Brazil's Supreme Court" before "the Supreme Court ruling" on IEEPA) or a
        recurring event ("the G7 summit" of 2019 and of 2024) is not one event to date.
        When the question names the event's time (`named`), that time is the corroboration:
        the first article in it, or soon after it, dates the event.
        Returns the event's day and the day that article was published."""
        articles: dict[str, tuple[date, date]] = {}
        for passage in self.retriever.search(anchor.event, self.depth):
            published = published_date(passage.published_at)
            terms = content_terms(passage.text) | content_terms(passage.title)
            if published is not None and anchor.names <= terms:
                day = _day_ahead(passage.text, anchor.names, published) or published
                articles[passage.doc_id] = min(
                    (day, published), articles.get(passage.doc_id, (day, published))
                )
        days = sorted(articles.values())
        if named is not None:
            return next((d for d in days if _around(d[0], named)), None)
        return next((d for d, then in itertools.pairwise(days) if then[0] - d[0] <= _SUPPORT), None)


def _day_ahead(text: str, names: frozenset[str], published: date) -> date | None:
    """The day an announcement says the event will take place ("President Biden will meet with
    President Xi ... in Bali, Indonesia, on November 14" in a statement of November 10), or
    None: the article's own day is when the event was first told of, not when it happened."""
    for lo, hi in sentence_bounds(text):
        sentence = text[lo:hi]
        if not _AHEAD.search(sentence) or not names <= content_terms(sentence):
            continue
        told = parse_time_scope(sentence, published)
        if told.start is not None and told.precision == "day" and told.start > published:
            return told.start
    return None


def _dates_the_event(question: str, anchor: EventAnchor, scope: TimeScope) -> bool:
    """Say whether the question's one calendar time stands right after its event, as the
    event's own date ("after the Stockholm round in July 2025")."""
    if "; " in scope.expression:
        return False
    rest = _OWN_DATE.sub("", question[anchor.span[1] :].lstrip(), count=1)
    named = _OWN_DATE.sub("", scope.expression.strip(), count=1)
    return bool(named) and rest.lower().startswith(named.lower())


def _around(day: date, scope: TimeScope) -> bool:
    """Say whether an event's first report falls in the window named, or soon after it."""
    start = scope.start or day
    end = (scope.end or day) + _SUPPORT
    return start <= day <= end


def _without(question: str, span: tuple[int, int]) -> str:
    """The question without the words at `span` ("before the Geneva talks, what was ...?")."""
    rest = f"{question[: span[0]].rstrip(' ,;:-—')} {question[span[1] :].lstrip(' ,;:-—')}"
    return rest.strip() or question


def _window(preposition: str, day: date) -> tuple[date | None, date | None]:
    if preposition in ("before", "prior to", "ahead of"):
        return None, day - timedelta(days=1)
    if preposition in ("until", "till"):
        return None, day
    if " " in preposition:  # "right after", "shortly after": the weeks that followed
        return day, day + timedelta(days=SOON_AFTER_DAYS - 1)
    return day, None  # after, following, since: the event's day reports on it


def _described(preposition: str, day: date) -> str:
    if preposition in ("before", "prior to", "ahead of"):
        return f"before {day.isoformat()}"
    if preposition in ("until", "till"):
        return f"up to {day.isoformat()}"
    if " " in preposition:
        end = day + timedelta(days=SOON_AFTER_DAYS - 1)
        return f"from {day.isoformat()} to {end.isoformat()}"
    return f"from {day.isoformat()} on"
