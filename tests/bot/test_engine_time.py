"""The engine's clock: relative times ("last year", "this fall") against an injected today."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from bot.engine import AnswerEngine
from bot.settings import Settings
from bot.wiring import build_engine, build_ingestor, open_store
from ingest.embedder import Embedder
from ingest.loaders import article_from_json
from ingest.models import SearchFilters
from tests.support.dated_articles import NEWEST, STEEL_ARTICLES

EngineAt = Callable[[date], AnswerEngine]


@pytest.fixture
def engine_at(settings: Settings, embedder: Embedder) -> EngineAt:
    """Return `engine_at(today)`: an extractive engine over the steel articles, clock fixed."""
    store = open_store(settings)
    articles = [article_from_json(a) for a in STEEL_ARTICLES]
    build_ingestor(settings, store, embedder).ingest_articles(articles)
    return lambda today: build_engine(settings, store, embedder, today=lambda: today)


@pytest.mark.parametrize("last_year", ["last year", "last yr"])
def test_last_year_is_read_against_the_injected_today(engine_at: EngineAt, last_year: str) -> None:
    question = f"What happened to the Section 232 steel tariffs {last_year}?"
    in_2020 = engine_at(date(2020, 3, 1)).answer(question)
    in_2022 = engine_at(date(2022, 1, 15)).answer(question)

    assert {c.doc_id for c in in_2020.citations} == {"steel-2019"}
    assert {c.doc_id for c in in_2022.citations} == {"steel-2021"}
    assert in_2020.notice is None and in_2020.as_of == "2019-05-17"


def test_a_named_time_with_no_article_answers_from_other_dates_and_says_so(
    engine_at: EngineAt,
) -> None:
    answer = engine_at(date(2024, 6, 1)).answer("What happened to steel tariffs last year?")

    assert answer.grounded
    assert answer.notice is not None
    assert "between 2023-01-01 and 2023-12-31" in answer.notice


def test_this_fall_after_the_newest_article_is_refused_with_its_date(engine_at: EngineAt) -> None:
    engine = engine_at(date(2025, 12, 1))
    answer = engine.answer("What did the steel tariff talks agree this fall?")

    assert not answer.grounded
    assert answer.answer.startswith(f"The newest article I have is from {NEWEST};")
    assert answer.related and answer.as_of is None
    earlier = engine_at(date(2025, 7, 1)).answer("What happened to steel tariffs this year?")
    assert earlier.grounded, "in July 2025 this year's articles answer it"


def test_the_callers_filters_narrow_the_named_window(engine_at: EngineAt) -> None:
    engine = engine_at(date(2025, 12, 1))
    question = "What happened to the Section 232 steel tariffs in 2019?"
    only_ledger = engine.answer(question, filters=SearchFilters(sources=("Pacific Ledger",)))

    assert {c.source for c in only_ledger.citations} <= {"Pacific Ledger"}
    assert only_ledger.notice is not None, "no Pacific Ledger article from 2019"


_PORTS = ("Antofagasta", "Callao", "Rotterdam", "Busan", "Durban", "Vancouver", "Santos", "Manila")
# One long March article (several passages on copper tariffs), a shorter one, and a later
# article naming March 2025: a search in March 2025 joins it to the month's own.
COPPER_ARTICLES = [
    {
        "id": "copper-long",
        "title": "Copper tariffs in March",
        "text": " ".join(
            f"Copper cathodes shipped through {port} paid the new copper tariff in week {n}, "
            f"and {port} smelters asked for an exemption from the copper tariff."
            for n in range(1, 4)
            for port in _PORTS
        ),
        "published_at": "2025-03-10",
        "source": "Metals Desk",
    },
    {
        "id": "copper-short",
        "title": "Copper tariff notice",
        "text": "The copper tariff applies to cathodes and copper wire rod from March 12.",
        "published_at": "2025-03-20",
        "source": "Metals Desk",
    },
    {
        "id": "copper-later",
        "title": "Copper tariffs, three months on",
        "text": "In March 2025, the copper tariff took effect on cathodes at the border.",
        "published_at": "2025-06-01",
        "source": "Metals Desk",
    },
]


def test_whether_to_answer_is_judged_on_the_passages_a_plain_search_returns(
    settings: Settings, embedder: Embedder
) -> None:
    store = open_store(settings)
    articles = [article_from_json(a) for a in COPPER_ARTICLES]
    build_ingestor(settings, store, embedder).ingest_articles(articles)
    reranking = build_engine(settings.model_copy(update={"rerank_weight": 5.0}), store, embedder)
    plain = build_engine(settings.model_copy(update={"rerank_weight": 0.0}), store, embedder)
    question = "copper tariff in March 2025?"
    # The search in a named month joins later articles that name it to the month's own, so
    # which passages come first depends on how many it returns (the long article's passages
    # crowd a deeper list): the screen is the plain k-search's own.
    screen = reranking._plan(question, None, None, 2, "", None).screen
    alone = plain._plan(question, None, None, 2, "", None).passages
    assert [p.doc_id for p in alone] == ["copper-long", "copper-short"]
    assert [p.chunk_id for p in screen] == [p.chunk_id for p in alone]
