"""Fixture articles where a later notice goes on with an earlier announcement in its own words."""

from __future__ import annotations

from typing import Any

from tests.support.articles import news_article

# The December notice shares almost no words with "did the carve-outs expire?": only its
# likeness to the November sentence (and its "extend") ties it to the question. Its title
# names China, as such notices do (a passage must name the partner a question names).
EXCLUSION_ARTICLES: list[dict[str, Any]] = [
    news_article(
        "deal-2025-11",
        "2025-11-01",
        "Harbour Times",
        "US and China strike a deal on fentanyl, soybeans and tariffs",
        "The United States will further extend the expiration of certain Section 301 tariff "
        "exclusions, currently due to expire on November 29, 2025, until November 10, 2026. "
        "China will resume purchases of American soybeans.",
    ),
    news_article(
        "notice-2025-12",
        "2025-12-01",
        "Federal Register",
        "Notice of product exclusion extensions in the China technology transfer case",
        "This notice announces the U.S. Trade Representative's determination to extend the "
        "178 current exclusions. Forty importers filed comments in support.",
    ),
    news_article(
        "carve-outs-2024",
        "2024-05-30",
        "Pacific Ledger",
        "USTR keeps some carve-outs from the China tariffs",
        "The Trade Representative kept 164 carve-outs from the Section 301 tariffs on "
        "Chinese goods and let 265 others lapse. Medical equipment makers welcomed the "
        "decision on the China tariff carve-outs.",
    ),
    news_article(
        "steel-2025",
        "2025-06-04",
        "Harbour Times",
        "Steel tariff doubled",
        "The United States doubled the Section 232 tariff on steel to 50 percent. Canada "
        "called the tariff unjustified.",
    ),
]
