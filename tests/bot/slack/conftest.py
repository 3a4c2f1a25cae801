"""Fixtures for the Slack tests: the recording Web API, Slack settings, the real app, articles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.settings import Settings
from ingest.embedder import Embedder
from ingest.models import Article
from tests.support.fake_slack import BOT_TOKEN, SIGNING_SECRET, SlackApiRecorder, SlackDriver

RARE_EARTHS = Article(
    doc_id="rare-earth-licences",
    title="China tightens rare-earth export licences",
    text=(
        "Beijing added seven rare-earth elements, including samarium, gadolinium and terbium, "
        "to its export control list on April 4. Exporters now need a licence from the Ministry "
        "of Commerce for every shipment of the metals and of the magnets made from them. "
        "Carmakers in Europe warned that licence delays could halt production lines within weeks."
    ),
    published_at="2025-04-04",
    source="Trade Wire",
    url="https://news.example.com/rare-earths?id=1&lang=en",
)
EV_TARIFFS = Article(
    doc_id="ev-tariffs",
    title="US quadruples tariffs on Chinese electric vehicles",
    text=(
        "The White House raised the tariff on electric vehicles imported from China to "
        "100 percent in May 2024. Duties on Chinese semiconductors will double to 50 percent by "
        "2025. Officials said the increases respond to subsidies that created excess capacity."
    ),
    published_at="2024-05-14",
    source="Policy Daily",
    url="https://news.example.com/ev-tariffs",
)
STEEL_MARKUP = Article(
    doc_id="steel-markup",
    title="Steel safeguard <b>quotas</b> & duties",
    text=(
        "The European Union keeps its steel safeguard until 2026. Importers above the steel "
        "quota pay a 25 percent duty <!channel> & must file <script>alert(1)</script> forms."
    ),
    published_at="2025-01-10",
    source="Steel <Monitor>",
    url="https://news.example.com/steel",
)
ARTICLES = (RARE_EARTHS, EV_TARIFFS, STEEL_MARKUP)


@pytest.fixture
def recorder() -> Iterator[SlackApiRecorder]:
    """The recording Web API, serving for one test."""
    server = SlackApiRecorder()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def slack_settings(tmp_path: Path, recorder: SlackApiRecorder) -> Settings:
    """Settings with Slack configured and its Web API pointed at the recorder."""
    return Settings(
        data_dir=tmp_path / "data",
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        slack_api_url=recorder.base_url,
    )


@pytest.fixture
def slack(
    slack_settings: Settings, embedder: Embedder, recorder: SlackApiRecorder
) -> Iterator[SlackDriver]:
    """The real app (lifespan running) behind a driver that sends signed Slack requests."""
    client = TestClient(create_app(slack_settings, embedder=embedder))
    client.__enter__()
    driver = SlackDriver(client, recorder)
    yield driver
    driver.finish()


@pytest.fixture
def corpus(slack: SlackDriver) -> tuple[Article, ...]:
    """The fixture articles, ingested into the running app through the real pipeline."""
    slack.app_state.ingestor.ingest_articles(list(ARTICLES))
    return ARTICLES
