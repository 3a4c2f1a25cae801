"""Fixture articles around one named event (talks in Geneva): questions timed by an event."""

from __future__ import annotations

from typing import Any

from tests.support.articles import news_article

# The Geneva talks are first mentioned on GENEVA_DAY, and again three weeks later (a second
# article at the time dates the event; the 2019 article's lone "WTO in Geneva" does not);
# China is named in every article.
GENEVA_DAY = "2025-05-12"

GENEVA_ARTICLES: list[dict[str, Any]] = [
    news_article(
        "widgets-2019",
        "2019-06-03",
        "Harbour Times",
        "US puts a tariff on Chinese widgets",
        "The United States imposed a 25 percent tariff on widgets from China. Beijing "
        "called the widget tariff unfair and took its complaint to the WTO in Geneva.",
    ),
    news_article(
        "widgets-april",
        "2025-04-09",
        "Pacific Ledger",
        "US raises the reciprocal tariff on Chinese widgets to 125 percent",
        "The United States raised the reciprocal tariff on widgets from China to 125 "
        "percent after China retaliated. Importers of widgets said the rate stops trade.",
    ),
    news_article(
        "geneva-talks",
        GENEVA_DAY,
        "Harbour Times",
        "US and China cut widget tariffs after talks in Geneva",
        "After two days of talks in Geneva, the United States and China agreed to cut the "
        "reciprocal tariff on widgets to 10 percent for 90 days. Both sides called the "
        "Geneva talks productive.",
    ),
    news_article(
        "widgets-june",
        "2025-06-02",
        "Pacific Ledger",
        "Widget orders from China resume",
        "Three weeks after the Geneva talks, importers placed new orders for widgets from "
        "China at the lower rate. Shipping lines added sailings from Shanghai.",
    ),
    news_article(
        "widgets-november",
        "2025-11-04",
        "Pacific Ledger",
        "US keeps the 10 percent widget tariff on China",
        "The United States kept the reciprocal tariff on widgets from China at 10 percent "
        "and extended the pause until November 2026, as agreed in May.",
    ),
    news_article(
        "soybeans-2024",
        "2024-03-18",
        "Harbour Times",
        "China buys fewer US soybeans",
        "China bought fewer soybeans from the United States after the trade deal of 2020 "
        "lapsed. Farmers asked for a new US-China deal on soybeans.",
    ),
]

# A summit announced four days ahead ("will meet ... on June 18, 2024"), then reported on its
# day: the summit's day is the one the announcement names, not the announcement's own.
LUCERNE_DAY = "2024-06-18"

LUCERNE_ARTICLES: list[dict[str, Any]] = [
    news_article(
        "lucerne-earlier",
        "2024-03-01",
        "Harbour Times",
        "Leaders speak by phone on widget trade",
        "The two leaders spoke by phone about widget trade and agreed to keep talking.",
    ),
    news_article(
        "lucerne-announced",
        "2024-06-14",
        "Pacific Ledger",
        "Leaders to meet in Lucerne",
        "The President will meet with the Chancellor in Lucerne on June 18, 2024. The "
        "leaders will discuss cooperation on clean energy and widget supply chains.",
    ),
    news_article(
        "lucerne-readout",
        LUCERNE_DAY,
        "Harbour Times",
        "Readout of the Lucerne summit",
        "At the Lucerne summit today the leaders signed a widget supply agreement.",
    ),
]
