"""How a text names the time a question asks about (later articles that report on it)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.retrieval.time_scope import mention_pattern, parse_time_scope, window_mention

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("question", "text", "named"),
    [
        ("how many cars were sold in 2024?", "In 2024, Americans bought 16 million", True),
        ("how many cars were sold in 2024?", "sales fell in 2025 from 2023", False),
        ("where was the summit in november 2023?", "the November 2023 Woodside Summit", True),
        ("where was the summit in november 2023?", "on Nov. 15, 2023, the leaders met", True),
        ("where was the summit in november 2023?", "in December 2023 they spoke", False),
        ("what was opened on july 1 2025?", "On July 1, 2025, the Secretary initiated", True),
        ("what was opened on july 1 2025?", "On July 16, 2025, the Secretary", False),
        ("what was opened on july 1 2025?", "on 1 July 2025 the Secretary", True),
        ("extra tariff on brazil in sept 2025?", "an order of Sept. 5, 2025", True),
        ("what happened in spring 2025?", "the May 2, 2025 deadline", True),
        ("what happened between 2019 and 2021?", "the 2020 agreement", True),
    ],
)
def test_a_text_names_the_questions_time(question: str, text: str, named: bool) -> None:
    pattern = mention_pattern(parse_time_scope(question, TODAY))
    assert pattern is not None
    assert bool(pattern.search(text)) is named


@pytest.mark.parametrize(
    "question",
    ["what has happened since 2024?", "what happened before 2021?", "what is the rate?"],
)
def test_an_open_window_is_named_by_no_single_mention(question: str) -> None:
    assert mention_pattern(parse_time_scope(question, TODAY)) is None


@pytest.mark.parametrize(
    ("text", "published_at", "named"),
    [
        ("Trump promised in November to charge a 25% tariff", "2025-02-01", True),
        ("Trump promised in November to charge a 25% tariff", "2026-02-01", False),
        ("Since last November, the rate has held", "2025-03-15", True),
        ("In March the President promised a review", "2025-06-10", False),
        ("the tariffs of November 5, 2023 stay", "2025-02-01", False),
        ("in November 2023 the leaders met", "2025-02-01", False),
        ("the Secretary may in November review it", None, False),
        ("the Secretary may review it", "2025-02-01", False),
    ],
)
def test_a_month_named_without_its_year_is_placed_by_its_articles_date(
    text: str, published_at: str | None, named: bool
) -> None:
    mention = window_mention(parse_time_scope("what was promised in november 2024?", TODAY))
    assert mention is not None
    assert mention.names(text, published_at) is named
