"""GET /v1/search: ranked passages with scores and metadata."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import ValidationError

from bot.api.deps import EngineDep, OwnerDep
from bot.api.errors import ERROR_RESPONSES, invalid_query
from bot.api.schemas import ConversationId, Filters, SourceName
from bot.models import MAX_QUESTION_CHARS, SearchResults

router = APIRouter(prefix="/v1", tags=["search"], responses=ERROR_RESPONSES)


@router.get("/search", response_model=SearchResults, summary="Search passages")
def search(
    engine: EngineDep,
    owner: OwnerDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUESTION_CHARS, description="Query")],
    k: Annotated[int, Query(ge=1, le=50, description="Passages to return")] = 10,
    sources: Annotated[list[SourceName] | None, Query(max_length=50)] = None,
    published_after: Annotated[date | None, Query()] = None,
    published_before: Annotated[date | None, Query()] = None,
    conversation_id: Annotated[
        ConversationId | None,
        Query(description="Search `q` as a follow-up in this conversation, as chat would"),
    ] = None,
) -> SearchResults:
    """Return the passages retrieval finds for `q` (a conversation of another key's is 404)."""
    if not q.strip():
        raise invalid_query(("query", "q"), "q must not be blank")
    try:
        filters = Filters(
            sources=sources or [],
            published_after=published_after,
            published_before=published_before,
        )
    except ValidationError as exc:
        raise invalid_query(("query",), exc.errors()[0]["msg"]) from exc
    return engine.find(q.strip(), k, filters.to_search_filters(), conversation_id, owner)
