"""GET /: the demo page offers the configured example questions as buttons, escaped."""

from __future__ import annotations

from html import escape

from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.settings import DEFAULT_DEMO_QUESTIONS, Settings
from ingest.embedder import Embedder


def _page(settings: Settings, embedder: Embedder) -> str:
    with TestClient(create_app(settings, embedder=embedder)) as client:
        response = client.get("/")
    assert response.status_code == 200
    return response.text


def test_default_examples_are_buttons(settings: Settings, embedder: Embedder) -> None:
    page = _page(settings, embedder)
    assert 'aria-label="Example questions"' in page
    for question in DEFAULT_DEMO_QUESTIONS:
        shown = escape(question, quote=True)
        assert f'data-question="{shown}">{shown}</button>' in page


def test_examples_come_from_settings_escaped_or_not_at_all(
    settings: Settings, embedder: Embedder
) -> None:
    custom = Settings(data_dir=settings.data_dir, demo_questions=['Tariffs on "<b>steel</b>"?'])
    page = _page(custom, embedder)
    quoted = "Tariffs on &quot;&lt;b&gt;steel&lt;/b&gt;&quot;?"
    assert f'data-question="{quoted}">{quoted}</button>' in page
    assert "<b>steel" not in page
    assert "Example questions" not in _page(
        Settings(data_dir=settings.data_dir, demo_questions=[]), embedder
    )
