"""Fixture articles that several suites ingest (each suite adds its own around them)."""

from __future__ import annotations

from typing import Any


def news_article(doc_id: str, day: str, source: str, title: str, text: str) -> dict[str, Any]:
    """One dated fixture article as `tradebot ingest` reads it, with a URL of its own."""
    return {
        "id": doc_id,
        "title": title,
        "text": text,
        "published_at": day,
        "source": source,
        "url": f"https://news.example/{doc_id}",
    }


GALLIUM: dict[str, Any] = {
    "id": "gallium-licences",
    "title": "China requires licences for gallium and germanium exports",
    "text": (
        "China's commerce ministry announced that exporters of gallium and germanium "
        "products need a licence from August. Gallium is used in compound semiconductors "
        "and germanium in fibre optics and infrared cameras. Analysts said shipments could "
        "stall for months while applications are reviewed."
    ),
    "published_at": "2023-07-03",
    "source": "Harbour Times",
}
RICE: dict[str, Any] = {
    "id": "rice-export-ban",
    "title": "India lifts its ban on rice exports",
    "text": (
        "India lifted its ban on exports of non-basmati white rice after a record harvest. "
        "Traders in Bangkok expect prices to fall. Agriculture minister Shivraj Singh Chouhan "
        "said farmers would gain from the decision."
    ),
    "published_at": "2024-09-28",
    "source": "Harbour Times",
}
VANILLA: dict[str, Any] = {
    "id": "vanilla-quota",
    "title": "Madagascar sets a minimum price for vanilla exports",
    "text": (
        "Madagascar set a minimum export price for vanilla beans to protect growers in the "
        "Sava region. Exporters who sell below the floor lose their licence. Buyers in "
        "Marseille said the floor would push flavour makers towards synthetic vanillin."
    ),
    "published_at": "2024-05-14",
    "source": "Pacific Ledger",
}
