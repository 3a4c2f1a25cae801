"""Search within the time a question names: its window as a publication filter, deeper for "latest".

The window is intersected with the caller's own filters; when nothing is published inside
it (or the two do not overlap) the search runs without it, so a question whose named time
the store does not cover is still answered, with dates that show the difference.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import timedelta

from bot.models import Retriever
from bot.retrieval.time_scope import TimeScope
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
            passages = retriever.search(query, depth, narrowed)
            if passages:
                return passages, False
    unscoped = filters if filters is not None and not filters.empty else None
    return retriever.search(query, depth, unscoped), scope.explicit


def outside_window_notice(scope: TimeScope) -> str:
    """Say that no article from the question's time matched, so other dates are quoted."""
    start = scope.start.isoformat() if scope.start else "the first article"
    end = scope.end.isoformat() if scope.end else "today"
    return (
        f"No article published between {start} and {end} matched, so this answer quotes "
        "articles from other dates."
    )
