"""GET /v1/timeline: a topic's dated events, oldest first, each quoted from its article."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import ValidationError

from bot.api.deps import EngineDep
from bot.api.errors import ERROR_RESPONSES, invalid_query
from bot.api.schemas import Filters, SourceName
from bot.models import MAX_QUESTION_CHARS, Timeline

router = APIRouter(prefix="/v1", tags=["timeline"], responses=ERROR_RESPONSES)


@router.get("/timeline", response_model=Timeline, summary="A dispute's timeline")
def timeline(
    engine: EngineDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUESTION_CHARS, description="Topic")],
    since: Annotated[date | None, Query(description="Only articles published on or after")] = None,
    until: Annotated[date | None, Query(description="Only articles published on or before")] = None,
    limit: Annotated[int, Query(ge=1, le=50, description="Dated events at most")] = 20,
    sources: Annotated[list[SourceName] | None, Query(max_length=50)] = None,
) -> Timeline:
    """Return the topic's events: one per article that clears the answer bar, oldest first."""
    if not q.strip():
        raise invalid_query(("query", "q"), "q must not be blank")
    try:
        filters = Filters(sources=sources or [], published_after=since, published_before=until)
    except ValidationError as exc:
        message = "since must not be later than until"
        raise invalid_query(("query",), message) from exc
    return engine.timeline(q.strip(), filters.to_search_filters(), limit)
