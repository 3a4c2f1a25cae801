"""The widget shows when: dated quotes, "As of", related articles, and timelines as dated lists."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.support.dated_articles import STEEL_ARTICLES
from tests.support.widget import ADMIN_KEY, ARTICLES, Served

pytestmark = pytest.mark.browser

Ask = Callable[[Page, str], None]
Shot = Callable[[Page, str], Path]
EV_ARTICLE = ARTICLES[0]
NEWEST = max(a["published_at"] for a in ARTICLES)


def test_a_refusal_lists_related_articles_as_links_never_as_sources(
    page: Page, served: Served, ask: Ask, shot: Shot
) -> None:
    page.goto(f"{served.api}/")
    ask(page, "What will the EU tariffs on Chinese electric vehicles be in 2031?")

    refused = page.locator(".msg.refused")
    expect(refused).to_be_visible()
    expect(refused).to_contain_text(f"The newest article I have is from {NEWEST}")
    related = refused.get_by_role("list", name="Related articles")
    expect(related).to_be_visible()
    link = related.get_by_role("link", name=EV_ARTICLE["title"])
    expect(link).to_have_attribute("href", EV_ARTICLE["url"])
    expect(related).to_contain_text(EV_ARTICLE["published_at"])
    assert 1 <= related.get_by_role("listitem").count() <= 3
    expect(refused.get_by_role("list", name="Sources")).to_have_count(0)
    expect(refused.locator(".cite")).to_have_count(0)
    expect(refused.locator(".asof")).to_have_count(0)
    shot(page, "refusal-related")


def test_an_answer_dates_its_quotes_and_says_as_of(page: Page, served: Served, ask: Ask) -> None:
    page.goto(f"{served.api}/")
    ask(page, "What did carmakers warn about rare-earth magnets?")

    answer = page.locator(".msg.bot:not([aria-busy])").last
    expect(answer.get_by_role("button", name="[1]", exact=True)).to_be_visible()
    expect(answer.locator(".text")).to_contain_text("On 2025-06-07 (Trade Desk Daily): ")
    expect(answer.locator(".asof")).to_have_text("As of 2025-06-07")
    expect(answer.get_by_role("list", name="Related articles")).to_have_count(0)


@pytest.fixture(scope="module")
def steel(served: Served) -> list[dict[str, str]]:
    """Steel-tariff articles from 2019 to 2025 added to the served app (none older is newer)."""
    articles = [a for a in STEEL_ARTICLES if "published_at" in a]
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
    for article in articles:
        response = httpx.post(
            f"{served.api}/v1/documents", json=article, headers=headers, timeout=120
        )
        assert response.status_code in (200, 201), response.text
    return articles


def test_a_timeline_answer_is_a_vertical_list_of_dated_entries_with_citations(
    page: Page, served: Served, ask: Ask, shot: Shot, steel: list[dict[str, str]]
) -> None:
    page.goto(f"{served.api}/")
    ask(page, "How did the Section 232 steel tariffs evolve?")

    timeline = page.get_by_role("list", name="Timeline")
    expect(timeline).to_be_visible()
    entries = timeline.get_by_role("listitem")
    dates = sorted(a["published_at"] for a in steel)
    expect(entries.locator("time")).to_have_count(len(dates))
    shown = entries.locator("time").all_inner_texts()
    assert shown[:-1] == dates[:-1] and shown[-1] == f"As of {dates[-1]}"
    assert entries.locator("time").last.get_attribute("datetime") == dates[-1]
    for n in range(1, len(dates) + 1):
        expect(entries.nth(n - 1).get_by_role("button", name=f"[{n}]", exact=True)).to_be_visible()

    first = entries.first.get_by_role("button", name="[1]", exact=True)
    first.click()
    quote = page.locator(".quote").last
    expect(quote.locator("blockquote")).to_contain_text("lifted the Section 232 steel tariffs")
    expect(quote).to_contain_text("2019-05-17")
    entries.last.get_by_role("button").first.click()
    expect(first).to_have_attribute("aria-expanded", "false")
    expect(quote).to_contain_text(dates[-1])
    shot(page, "timeline")
