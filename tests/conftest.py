"""Shared fixtures: real model (loaded once), real Chroma in tmp dirs, isolated settings."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.settings import Settings
from ingest.embedder import Embedder
from ingest.store import PassageStore, open_chroma_client
from tests.support.fixtures import SeedArticles
from tests.support.postgres import PostgresServer, running_postgres


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep every test's state in its own temp dir and away from the user's env."""
    import os

    for name in list(os.environ):
        if name.startswith("TRADEBOT_") or name.startswith("SLACK_"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TRADEBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(scope="session")
def embedder(tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    """The real packaged embedding model, loaded once per test session, batches as shipped.

    The shipped default (`TRADEBOT_EMBED_BACKEND=auto`: bfloat16 where the CPU computes it,
    else onnxruntime), so every suite ingests the way production does on this machine; the
    ONNX export (questions) lives in a session temp dir.
    """
    embedder = Embedder(backend="auto", cache_dir=tmp_path_factory.mktemp("model-cache"))
    assert embedder.backend in ("bf16", "onnx")
    return embedder


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings pointing at a fresh data dir."""
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def seed_articles(settings: Settings, embedder: Embedder) -> SeedArticles:
    """Return `seed(articles)`: ingest article dicts with the real pipeline, return the settings."""

    def seed(articles: Sequence[dict[str, Any]]) -> Settings:
        from bot.wiring import build_ingestor, open_store
        from ingest.loaders import article_from_json

        ingestor = build_ingestor(settings, open_store(settings), embedder)
        report = ingestor.ingest_articles(article_from_json(a) for a in articles)
        assert report.added == len(articles), report.to_json()
        return settings

    return seed


@pytest.fixture
def store(settings: Settings) -> Iterator[PassageStore]:
    """A real embedded Chroma store in the test's data dir."""
    yield PassageStore(open_chroma_client(settings.data_dir, None), settings.collection_prefix)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the whole session (Debian's `postgresql` package)."""
    with running_postgres() as server:
        yield server


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def state_settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    """`settings` once per state backend: SQLite in the data dir, a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return settings
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_database(f"test_{uuid.uuid4().hex[:16]}")
    return settings.model_copy(update={"database_url": SecretStr(url)})
