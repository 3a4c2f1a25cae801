"""POST /v1/feedback: a thumbs up or down on a conversation."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, Field

from bot.api.deps import ConversationsDep, OwnerDep
from bot.api.errors import ERROR_RESPONSES
from bot.api.schemas import ConversationId

router = APIRouter(prefix="/v1", tags=["feedback"], responses=ERROR_RESPONSES)


class FeedbackIn(BaseModel):
    """A rating of one conversation's answers."""

    model_config = ConfigDict(extra="forbid")

    conversation_id: ConversationId
    rating: Literal["up", "down"]
    comment: str | None = Field(default=None, max_length=2000)


class FeedbackOut(BaseModel):
    """The stored rating."""

    id: int
    conversation_id: str
    rating: Literal["up", "down"]
    comment: str | None = None
    created_at: str


@router.post(
    "/feedback",
    response_model=FeedbackOut,
    status_code=status.HTTP_201_CREATED,
    summary="Rate a conversation",
)
def add_feedback(body: FeedbackIn, conversations: ConversationsDep, owner: OwnerDep) -> FeedbackOut:
    """Store a rating of a conversation this caller started (others: 404)."""
    stored = conversations.add_feedback(body.conversation_id, body.rating, body.comment, owner)
    return FeedbackOut(
        id=stored.id,
        conversation_id=stored.conversation_id,
        rating=stored.rating,
        comment=stored.comment,
        created_at=stored.created_at,
    )
