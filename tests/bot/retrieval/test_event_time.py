"""Reading the event a question is timed by ("before the Geneva talks", "since Liberation Day")."""

from __future__ import annotations

import pytest

from bot.retrieval.event_time import find_anchor


@pytest.mark.parametrize(
    ("question", "preposition", "event"),
    [
        ("before the Geneva talks, what was the US tariff on China?", "before", "Geneva talks"),
        ("since Liberation Day, which countries got deals?", "since", "Liberation Day"),
        ("what did they agree after the Busan summit?", "after", "Busan summit"),
        ("rates ahead of the Phase One deal?", "ahead of", "Phase One deal"),
        ("what changed following the Supreme Court ruling?", "following", "Supreme Court ruling"),
        ("right after Liberation Day, what was the baseline?", "right after", "Liberation Day"),
    ],
)
def test_an_event_with_a_name_times_the_question(
    question: str, preposition: str, event: str
) -> None:
    anchor = find_anchor(question)

    assert anchor is not None
    assert (anchor.preposition, anchor.event) == (preposition, event)
    assert question[anchor.span[0] : anchor.span[1]].lower().startswith(preposition)


@pytest.mark.parametrize(
    "question",
    [
        "Is the US going to pull out of USMCA after the joint review?",  # no name
        "when were they originally due to start before being suspended?",
        "What did Šefčovič say after the EU agreed to the 15% tariff ceiling?",  # a clause
        "After the Nov 1, 2025 deal with Xi, what did USTR propose?",  # a calendar date
        "what was the tariff before the talks?",
    ],
)
def test_no_named_event_times_nothing(question: str) -> None:
    assert find_anchor(question) is None
