"""Search within the time a question names: its window as a publication filter, deeper for "latest".

The window is intersected with the caller's own filters; when nothing is published inside
it (or the two do not overlap) the search runs without it, so a question whose named time
the store does not cover is still answered, with dates that show the difference.

A named time is often when something happened, and what was written about it may come
later: "how many cars did Americans buy in 2024?" is answered by an April 2025 fact sheet
that says "In 2024, Americans bought ...". So passages published after a closed window that
name its time ("2024"; "November 2023"; "July 1, 2025") join the in-window ones, their score
weighed by `TimePolicy.later_mention_weight` (publication inside the window is still the
stronger sign).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta

from bot.answering.dating import article_day
from bot.models import ArticleReader, CitationIndex, Retriever
from bot.retrieval.time_scope import TimeScope, window_mention
from ingest.models import Passage
from ingest.store import SearchFilters


@dataclass(frozen=True)
class TimePolicy:
    """How a question's time shapes retrieval and refusals (see `Settings`)."""

    # Articles published this long after a named window still count.
    window_slack_days: int = 0
    # A window starting this soon after the newest article is answered, not refused.
    future_grace_days: int = 7
    # Passages searched for a "latest" question, so the newest article is among them.
    latest_depth: int = 20
    # A passage published after the window that names its time counts this share of its
    # score (0: such passages are not searched for).
    later_mention_weight: float = 0.9
    # When nothing is published inside the window, a passage ranks as if it had half its
    # score this many days away from it (twice as far: a quarter), so the nearest articles
    # come first (0: off).
    nearest_half_life_days: int = 90
    # For a "latest" question, passages searched among the articles published after the best
    # match's (0: none), where what became of the matter is told in words of its own.
    latest_since_depth: int = 10


# How many passages after the window are searched, per passage wanted, before keeping those
# that name the window's time.
_LATER_DEPTH = 3
# Later articles are searched twice: all of them, and those of the next quarter apart, where
# what took effect on the named day is told first (in a busy topic the years after would
# crowd a one-off clause out of the first search).
_SOON_AFTER_DAYS = 92
# What takes effect in a window of months or days is often announced in the quarter before.
_ANNOUNCED_BEFORE_DAYS = 92
_ANNOUNCED_PRECISIONS = ("day", "month", "season", "quarter")
# A "latest" question's later articles read further: the first few, a few passages each.
_SINCE_ARTICLES = 3
_SINCE_PER_ARTICLE = 2
# The best few articles whose later citers are read, and how many citers (newest first).
_CITED_LEADS = 3
_CITERS = 3
# When the window holds nothing: how many passages are searched, per passage wanted, before
# the nearest in time are kept.
_NEAREST_DEPTH = 3


def window_filters(
    filters: SearchFilters | None, scope: TimeScope, slack_days: int = 0
) -> SearchFilters | None:
    """Return `filters` narrowed to the scope's window (None when the two do not overlap)."""
    base = filters or SearchFilters()
    after, before = scope.start, scope.end
    if before is not None:
        before += timedelta(days=slack_days)
    if base.published_after and (after is None or base.published_after > after):
        after = base.published_after
    if base.published_before and (before is None or base.published_before < before):
        before = base.published_before
    if after and before and after > before:
        return None
    return dataclasses.replace(base, published_after=after, published_before=before)


def scoped_search(
    retriever: Retriever,
    query: str,
    k: int,
    filters: SearchFilters | None,
    scope: TimeScope,
    policy: TimePolicy,
) -> tuple[list[Passage], bool]:
    """Retrieve for `query` within the scope's window (deeper when it wants the latest).

    Returns:
        The passages, and whether the window held nothing so the search ran without it.
    """
    depth = max(k, policy.latest_depth) if scope.latest else k
    if scope.explicit:
        narrowed = window_filters(filters, scope, policy.window_slack_days)
        if narrowed is not None:
            passages = retriever.search(_without_time(query, scope), depth, narrowed)
            passages = _with_mentions(retriever, query, depth, filters, scope, policy, passages)
            if passages:
                return passages, False
    unscoped = filters if filters is not None and not filters.empty else None
    if not scope.explicit or policy.nearest_half_life_days <= 0:
        found = retriever.search(query, depth, unscoped)
        if scope.latest:
            found = _with_later_word(retriever, query, filters, policy, found)
        return found, scope.explicit
    # The order changes, not the scores: they still say how well each passage matches.
    found = retriever.search(query, depth * _NEAREST_DEPTH, unscoped)
    half_life = policy.nearest_half_life_days
    return sorted(found, key=lambda p: -p.score * _nearness(p, scope, half_life))[:depth], True


def _nearness(passage: Passage, scope: TimeScope, half_life_days: int) -> float:
    """1 inside the scope's window, halving every `half_life_days` away from it; an undated
    passage counts as one half-life away."""
    day = article_day(passage.published_at)
    if not day:
        return 0.5
    published = date.fromisoformat(day)
    if scope.start is not None and published < scope.start:
        away = (scope.start - published).days
    elif scope.end is not None and published > scope.end:
        away = (published - scope.end).days
    else:
        away = 0
    return float(0.5 ** (away / half_life_days))


def _without_time(query: str, scope: TimeScope) -> str:
    """The query without the words of its named time, when the window already applies them.

    Only a closed window does: every article inside "July 2026" is from then. An open one
    ("as of 2024", "since 2020") spans years, and the words still tell them apart.
    """
    if scope.start is None or scope.end is None:
        return query
    out = query
    for part in scope.expression.split("; "):
        if part:
            out = out.replace(part, " ")
    out = " ".join(out.split())
    return out if len(out) >= 3 else query


def _with_mentions(
    retriever: Retriever,
    query: str,
    depth: int,
    filters: SearchFilters | None,
    scope: TimeScope,
    policy: TimePolicy,
    passages: list[Passage],
) -> list[Passage]:
    """Add the passages published around the window that name its time, and those of its
    lead-in (`TimeScope.lead_in`), best `depth` kept.

    After it: "In 2024, Americans bought ..." in an April 2025 fact sheet (all later
    articles, and apart those of the next quarter). Before it, for a window of months or
    days (a year is named as often as a statistic's): "what rate was the aluminum 232 going
    to in March 2025?" is told by the February proclamation raising it "as of 12:01 a.m. on
    March 12, 2025" (the quarter before).
    """
    mention = window_mention(scope)
    if mention is None or scope.start is None or scope.end is None:
        return passages
    if policy.later_mention_weight <= 0:
        return passages
    after = scope.end + timedelta(days=policy.window_slack_days + 1)
    later = window_filters(filters, TimeScope(start=after))
    windows = [later]
    if later is not None:
        windows.append(
            window_filters(later, TimeScope(end=after + timedelta(days=_SOON_AFTER_DAYS)))
        )
    if scope.precision in _ANNOUNCED_PRECISIONS:
        announced = TimeScope(
            start=scope.start - timedelta(days=_ANNOUNCED_BEFORE_DAYS),
            end=scope.start - timedelta(days=1),
        )
        windows.append(window_filters(filters, announced))
    seen = {p.chunk_id for p in passages}
    found: list[Passage] = []
    for searched in windows:
        if searched is None:
            continue
        for p in retriever.search(query, depth * _LATER_DEPTH, searched):
            if p.chunk_id not in seen and mention.names(p.text, p.published_at):
                seen.add(p.chunk_id)
                found.append(dataclasses.replace(p, score=p.score * policy.later_mention_weight))
    if scope.lead_in is not None:
        # Signed in the window's lead-in, in force in it: such passages join whether or not
        # they name the window ("effective ... 7 days after the date of this order").
        lead_in = TimeScope(start=scope.lead_in, end=scope.start - timedelta(days=1))
        searched = window_filters(filters, lead_in)
        for p in retriever.search(_without_time(query, scope), depth, searched) if searched else []:
            if p.chunk_id not in seen:
                seen.add(p.chunk_id)
                found.append(dataclasses.replace(p, score=p.score * policy.later_mention_weight))
    if not found:
        return passages
    return sorted(passages + found, key=lambda p: -p.score)[:depth]


def _with_later_word(
    retriever: Retriever,
    query: str,
    filters: SearchFilters | None,
    policy: TimePolicy,
    passages: list[Passage],
) -> list[Passage]:
    """Add the best passages of the articles published after the best match's.

    "Are the Cuba oil tariffs still collected?": the order imposing them matches best, and
    the later order ending them ("Executive Order 14380 ... shall no longer be in effect")
    says so among eight other orders; searched over all dates it ranks below the first
    order's every paragraph. Searched among later articles only, it comes first.
    """
    day = article_day(passages[0].published_at) if passages else None
    if policy.latest_since_depth <= 0 or not day:
        return passages
    since = date.fromisoformat(day) + timedelta(days=1)
    later_filters = window_filters(filters, TimeScope(start=since))
    if later_filters is None:
        return passages
    seen = {p.chunk_id for p in passages}
    later = [
        p
        for p in retriever.search(query, policy.latest_since_depth, later_filters)
        if p.chunk_id not in seen
    ]
    seen |= {p.chunk_id for p in later}
    if isinstance(retriever, ArticleReader):
        # A later order's matching paragraphs are held to one or two of a list: read on.
        articles = list(dict.fromkeys(p.doc_id for p in later))[:_SINCE_ARTICLES]
        later += retriever.within(query, articles, _SINCE_PER_ARTICLE, frozenset(seen))
        seen |= {p.chunk_id for p in later}
        citers = _later_citers(retriever, filters, passages + later, set(articles))
        later += retriever.within(query, citers, _SINCE_PER_ARTICLE, frozenset(seen))
    return passages + later


def _later_citers(
    retriever: Retriever, filters: SearchFilters | None, passages: list[Passage], read: set[str]
) -> list[str]:
    """The newest few articles, none read yet, that cite one of the best articles' orders by
    its title after it was published: "Executive Order 14382 of February 6, 2026 (Addressing
    Threats to the United States by the Government of Iran)" in the order that ends it.
    Articles `read` further already are not."""
    if not isinstance(retriever, CitationIndex):
        return []
    leads: dict[str, Passage] = {}
    for passage in passages:
        leads.setdefault(passage.doc_id, passage)
    found: list[str] = []
    for lead in list(leads.values())[:_CITED_LEADS]:
        day = article_day(lead.published_at)
        if not day or not lead.title:
            continue
        since = window_filters(
            filters, TimeScope(start=date.fromisoformat(day) + timedelta(days=1))
        )
        if since is None:
            continue
        # The best lead's newest citers first.
        found += [d for d in reversed(retriever.citing(lead.title, since)) if d not in read]
    return list(dict.fromkeys(found))[:_CITERS]


def outside_window_notice(scope: TimeScope) -> str:
    """Say that no article from the question's time matched, so other dates are quoted."""
    start = scope.start.isoformat() if scope.start else "the first article"
    end = scope.end.isoformat() if scope.end else "today"
    return (
        f"No article published between {start} and {end} matched, so this answer quotes "
        "articles from other dates."
    )
