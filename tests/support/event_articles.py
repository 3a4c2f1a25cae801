"""Fixture articles around one named event (talks in Geneva): questions timed by an event."""

from __future__ import annotations

from typing import Any

# The Geneva talks are first mentioned on GENEVA_DAY, and again three weeks later (a second
# article at the time dates the event; the 2019 article's lone "WTO in Geneva" does not);
# China is named in every article.
GENEVA_DAY = "2025-05-12"

GENEVA_ARTICLES: list[dict[str, Any]] = [
    {
        "id": "widgets-2019",
        "title": "US puts a tariff on Chinese widgets",
        "text": (
            "The United States imposed a 25 percent tariff on widgets from China. Beijing "
            "called the widget tariff unfair and took its complaint to the WTO in Geneva."
        ),
        "published_at": "2019-06-03",
        "source": "Harbour Times",
        "url": "https://news.example/widgets-2019",
    },
    {
        "id": "widgets-april",
        "title": "US raises the reciprocal tariff on Chinese widgets to 125 percent",
        "text": (
            "The United States raised the reciprocal tariff on widgets from China to 125 "
            "percent after China retaliated. Importers of widgets said the rate stops trade."
        ),
        "published_at": "2025-04-09",
        "source": "Pacific Ledger",
        "url": "https://news.example/widgets-april",
    },
    {
        "id": "geneva-talks",
        "title": "US and China cut widget tariffs after talks in Geneva",
        "text": (
            "After two days of talks in Geneva, the United States and China agreed to cut the "
            "reciprocal tariff on widgets to 10 percent for 90 days. Both sides called the "
            "Geneva talks productive."
        ),
        "published_at": GENEVA_DAY,
        "source": "Harbour Times",
        "url": "https://news.example/geneva-talks",
    },
    {
        "id": "widgets-june",
        "title": "Widget orders from China resume",
        "text": (
            "Three weeks after the Geneva talks, importers placed new orders for widgets from "
            "China at the lower rate. Shipping lines added sailings from Shanghai."
        ),
        "published_at": "2025-06-02",
        "source": "Pacific Ledger",
        "url": "https://news.example/widgets-june",
    },
    {
        "id": "widgets-november",
        "title": "US keeps the 10 percent widget tariff on China",
        "text": (
            "The United States kept the reciprocal tariff on widgets from China at 10 percent "
            "and extended the pause until November 2026, as agreed in May."
        ),
        "published_at": "2025-11-04",
        "source": "Pacific Ledger",
        "url": "https://news.example/widgets-november",
    },
    {
        "id": "soybeans-2024",
        "title": "China buys fewer US soybeans",
        "text": (
            "China bought fewer soybeans from the United States after the trade deal of 2020 "
            "lapsed. Farmers asked for a new US-China deal on soybeans."
        ),
        "published_at": "2024-03-18",
        "source": "Harbour Times",
        "url": "https://news.example/soybeans-2024",
    },
]
