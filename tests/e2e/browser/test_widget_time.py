"""The widget shows when: dated quotes, "As of", and related articles under a refusal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support.widget import ARTICLES, Served

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
