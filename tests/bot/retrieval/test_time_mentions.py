"""How a text names the time a question asks about (later articles that report on it)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.retrieval.time_scope import mention_pattern, parse_time_scope

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
