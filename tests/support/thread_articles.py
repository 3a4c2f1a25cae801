"""Fixture articles where a later notice goes on with an earlier announcement in its own words."""

from __future__ import annotations

from typing import Any

# The December notice shares almost no words with "did the carve-outs expire?": only its
# likeness to the November sentence (and its "extend") ties it to the question.
EXCLUSION_ARTICLES: list[dict[str, Any]] = [
    {
        "id": "deal-2025-11",
        "title": "US and China strike a deal on fentanyl, soybeans and tariffs",
        "text": (
            "The United States will further extend the expiration of certain Section 301 tariff "
            "exclusions, currently due to expire on November 29, 2025, until November 10, 2026. "
            "China will resume purchases of American soybeans."
        ),
        "published_at": "2025-11-01",
        "source": "Harbour Times",
        "url": "https://news.example/deal-2025-11",
    },
    {
        "id": "notice-2025-12",
        "title": "Notice of product exclusion extensions",
        "text": (
            "This notice announces the U.S. Trade Representative's determination to extend the "
            "178 current exclusions. Forty importers filed comments in support."
        ),
        "published_at": "2025-12-01",
        "source": "Federal Register",
        "url": "https://news.example/notice-2025-12",
    },
    {
        "id": "carve-outs-2024",
        "title": "USTR keeps some carve-outs from the China tariffs",
        "text": (
            "The Trade Representative kept 164 carve-outs from the Section 301 tariffs on "
            "Chinese goods and let 265 others lapse. Medical equipment makers welcomed the "
            "decision on the China tariff carve-outs."
        ),
        "published_at": "2024-05-30",
        "source": "Pacific Ledger",
        "url": "https://news.example/carve-outs-2024",
    },
    {
        "id": "steel-2025",
        "title": "Steel tariff doubled",
        "text": (
            "The United States doubled the Section 232 tariff on steel to 50 percent. Canada "
            "called the tariff unjustified."
        ),
        "published_at": "2025-06-04",
        "source": "Harbour Times",
        "url": "https://news.example/steel-2025",
    },
]
