"""Annotated dependencies: what handlers get from `app.state` (loaded once in the lifespan)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Protocol

from fastapi import Depends, Request

from bot.api.errors import ApiError
from bot.api.identity import client_identity
from bot.engine import AnswerEngine
from bot.settings import Settings
from bot.state import StateStore
from ingest.models import Article
from ingest.pipeline import IngestReport, ProgressCallback
from ingest.store import PassageStore


class ArticleIngestor(Protocol):
    """The ingest pipeline as handlers use it (the real `Ingestor`, or one wrapped in metrics)."""

    def ingest_articles(
        self, articles: Iterable[Article], progress: ProgressCallback | None = None
    ) -> IngestReport:
        """Add new articles, replace changed ones, skip unchanged ones and duplicates."""
        ...


def _state(request: Request, name: str) -> Any:
    value = getattr(request.app.state, name, None)
    if value is None:
        raise ApiError(503, "not_ready", "The service is still starting; try again shortly.")
    return value


def get_settings(request: Request) -> Settings:
    """Return the app's settings."""
    settings: Settings = _state(request, "settings")
    return settings


def get_engine(request: Request) -> AnswerEngine:
    """Return the answer engine built in the lifespan."""
    engine: AnswerEngine = _state(request, "engine")
    return engine


def get_store(request: Request) -> PassageStore:
    """Return the passage store opened in the lifespan."""
    store: PassageStore = _state(request, "store")
    return store


def get_conversations(request: Request) -> StateStore:
    """Return the shared state: conversations, feedback, event claims."""
    conversations: StateStore = _state(request, "conversations")
    return conversations


def get_owner(request: Request) -> str:
    """Name who owns the conversations this request starts: its valid key (hashed), else anyone.

    Read from the request's one identity (bot.api.identity). Without keys configured every
    caller is the same owner ("anonymous"); with keys, a request without a valid one never
    reaches a handler.
    """
    digest = client_identity(request.scope).key_digest
    return "anonymous" if digest is None else f"key:{digest}"


def get_ingestor(request: Request) -> ArticleIngestor:
    """Return the ingest pipeline."""
    ingestor: ArticleIngestor = _state(request, "ingestor")
    return ingestor


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[AnswerEngine, Depends(get_engine)]
StoreDep = Annotated[PassageStore, Depends(get_store)]
ConversationsDep = Annotated[StateStore, Depends(get_conversations)]
OwnerDep = Annotated[str, Depends(get_owner)]
IngestorDep = Annotated[ArticleIngestor, Depends(get_ingestor)]
