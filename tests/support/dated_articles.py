"""Fixture articles on one dispute over several years: time-scoped, latest and future questions."""

from __future__ import annotations

from typing import Any

STEEL_ARTICLES: list[dict[str, Any]] = [
    {
        "id": "steel-2019",
        "title": "US lifts steel tariffs on Canada and Mexico",
        "text": (
            "The United States lifted the Section 232 steel tariffs on Canada and Mexico in May. "
            "In exchange, both neighbours agreed to monitor surges of steel exports to the "
            "United States."
        ),
        "published_at": "2019-05-17",
        "source": "Harbour Times",
        "url": "https://news.example/steel-2019",
    },
    {
        "id": "steel-2021",
        "title": "US and EU settle the steel tariff dispute with a quota",
        "text": (
            "The United States and the European Union agreed to replace the Section 232 steel "
            "tariffs on European steel with a tariff-rate quota. Steel from the EU within the "
            "quota now enters the United States duty free."
        ),
        "published_at": "2021-10-30",
        "source": "Pacific Ledger",
        "url": "https://news.example/steel-2021",
    },
    {
        "id": "steel-2025-feb",
        "title": "Trump restores the Section 232 tariff on steel",
        "text": (
            "President Trump restored a full 25 percent Section 232 tariff on steel imports and "
            "ended every country exemption and quota. The White House said the steel tariff "
            "protects American steelmakers from dumping."
        ),
        "published_at": "2025-02-11",
        "source": "Harbour Times",
        "url": "https://news.example/steel-2025-feb",
    },
    {
        "id": "steel-2025-jun",
        "title": "Section 232 tariff on steel doubled",
        "text": (
            "The Section 232 tariff on steel imports was doubled to 50 percent in June. Steel "
            "from the United Kingdom stays at 25 percent while talks continue."
        ),
        "published_at": "2025-06-04",
        "source": "Harbour Times",
        "url": "https://news.example/steel-2025-jun",
    },
    {
        "id": "rare-earth-memo",
        "title": "Memo on rare earth licences",
        "text": (
            "China's commerce ministry requires exporters of seven rare earth elements to "
            "obtain a licence. Magnet makers said the licences take weeks to arrive."
        ),
        "source": "Trade Desk",
    },
]
NEWEST = "2025-06-04"
UNDATED_STEEL_NOTE: dict[str, Any] = {
    "id": "steel-briefing-note",
    "title": "Briefing note on the Section 232 steel tariffs",
    "text": (
        "Importers pay the Section 232 steel tariff when the steel enters the United States. "
        "Customs collects the steel tariff together with ordinary duties."
    ),
    "source": "Trade Desk",
}
