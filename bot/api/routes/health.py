"""GET /healthz (the process is alive) and GET /readyz (model loaded, stores reachable)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from bot.api.errors import ErrorResponse, error_response
from bot.state import StateUnavailableError
from ingest.store import StoreUnavailableError

log = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The service's state."""

    status: str


class Readiness(Health):
    """Ready: the model is loaded and the stores answer."""

    model: str
    mode: str
    cache_warmed: bool = Field(
        description=(
            "Passages and sentence vectors read into memory and the passages' sentences "
            "analysed (answers are faster after)"
        )
    )


@router.get("/healthz", response_model=Health, summary="Liveness")
def healthz() -> Health:
    """Say the process is alive."""
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"model": ErrorResponse, "description": "Not ready"}},
    summary="Readiness",
)
def readyz(request: Request) -> Readiness | JSONResponse:
    """Say whether the model is loaded and the passage store and state database answer."""
    state = request.app.state
    embedder, engine = getattr(state, "embedder", None), getattr(state, "engine", None)
    if embedder is None or engine is None:
        return error_response(503, "not_ready", "The embedding model is still loading.")
    try:
        state.store.ping()
    except StoreUnavailableError as exc:
        log.warning("readiness: %s", exc)
        return error_response(503, "store_unavailable", "The document store is unreachable.")
    try:
        state.conversations.ping()
    except StateUnavailableError as exc:
        log.warning("readiness: %s", exc)
        return error_response(503, "state_unavailable", "The conversation database is unreachable.")
    return Readiness(
        status="ready",
        model=embedder.model_name,
        mode=engine.mode,
        cache_warmed=state.store.cache_warmed and getattr(state, "passages_analysed", False),
    )
