"""GET /metrics: Prometheus exposition text (open, like /healthz)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from bot.api.observability import Metrics

router = APIRouter(tags=["health"])

_TEXT = {"text/plain": {"schema": {"type": "string"}}}


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"description": "Prometheus text format 0.0.4", "content": _TEXT}},
    summary="Prometheus metrics",
)
def metrics(request: Request) -> Response:
    """Return this process's request, answer and ingest metrics."""
    registry: Metrics = request.app.state.metrics
    body, content_type = registry.render()
    return Response(body, media_type=content_type)
