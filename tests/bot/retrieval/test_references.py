"""Orders named by number only carry the title their article cites them by."""

from __future__ import annotations

from bot.retrieval.references import order_titles, referred_titles

BACKGROUND = (
    "In Executive Order 14380 of January 29, 2026 (Addressing Threats to the United\n"
    "States by the Government of Cuba); Executive Order 14382 of February 6, 2026\n"
    "(Addressing Threats to the United States by the Government of Iran); and Proclamation "
    "10896 of February 10, 2025 (Adjusting Imports of Steel Into the United States), I "
    "took actions to deal with those threats."
)
CUBA = "Addressing Threats to the United States by the Government of Cuba"
IRAN = "Addressing Threats to the United States by the Government of Iran"
STEEL = "Adjusting Imports of Steel Into the United States"


def test_an_order_cited_in_full_is_known_by_its_title() -> None:
    titles = order_titles(BACKGROUND)

    assert titles == {
        ("order", "14380"): CUBA,  # the line break inside the title is a space
        ("order", "14382"): IRAN,
        ("proclamation", "10896"): STEEL,
    }


def test_the_first_citation_in_full_names_the_order() -> None:
    later = BACKGROUND + " Executive Order 14380 of January 29, 2026 (As Amended) applies."

    assert order_titles(later)[("order", "14380")] == CUBA


def test_a_paragraph_naming_orders_by_number_is_about_their_titles() -> None:
    ending = (
        "The duties imposed in Executive Order 14380; E.O. 14382, as amended; and under "
        "Executive Order 14380 again shall no longer be in effect. EO 99999 is not cited."
    )

    assert referred_titles(ending, order_titles(BACKGROUND)) == [CUBA, IRAN]


def test_a_proclamation_is_not_an_order_of_the_same_number() -> None:
    titles = order_titles(BACKGROUND)

    assert referred_titles("Executive Order 10896 is amended.", titles) == []
    assert referred_titles("Proclamation 10896 is amended.", titles) == [STEEL]


def test_an_order_cited_in_full_gets_no_title_added() -> None:
    assert referred_titles(BACKGROUND, order_titles(BACKGROUND)) == []
    assert referred_titles("Executive Order 14380 ends.", {}) == []
