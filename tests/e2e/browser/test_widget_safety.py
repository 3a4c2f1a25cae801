"""The widget on other sites: markup stays text, CSS stays apart, CORS and errors are honest."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support.widget import XSS_IMG, XSS_SCRIPT, Served

pytestmark = pytest.mark.browser

Ask = Callable[[Page, str], None]
Shot = Callable[[Page, str], Path]

SHADOW = "document.querySelector('trade-chat').shadowRoot"


def test_article_markup_shows_as_text_and_runs_nothing(
    page: Page, served: Served, ask: Ask
) -> None:
    page.goto(f"{served.allowed_site}/embed.html")
    question = 'What must gallium exporters file? <img src=x onerror="window.__xss=2">'
    ask(page, question)
    expect(page.locator(".msg.user")).to_have_text([question])
    sources = page.get_by_role("list", name="Sources")
    expect(sources).to_contain_text(XSS_SCRIPT)
    expect(sources).to_contain_text(XSS_IMG)
    expect(sources).to_contain_text("Markup <b>Wire</b>")

    page.get_by_role("button", name="[1]", exact=True).click()
    quote = page.locator(".quote")
    expect(quote).to_contain_text(XSS_SCRIPT)
    expect(quote.locator("blockquote")).to_contain_text("gallium")
    quoted = quote.locator("blockquote").inner_text()
    assert "<script>" in quoted or "<img src=x" in quoted

    assert page.evaluate("window.__xss") is None
    assert page.evaluate(f"{SHADOW}.querySelectorAll('img, script, b').length") == 0
    hrefs = page.evaluate(f"[...{SHADOW}.querySelectorAll('a')].map(a => a.href)")
    assert all(href.startswith(("http://", "https://")) for href in hrefs)
    # The article's javascript: URL is shown as plain text, not as a link.
    expect(quote.get_by_role("link")).to_have_count(0)


def test_host_css_stays_out_and_ours_stays_in(page: Page, served: Served) -> None:
    page.goto(f"{served.allowed_site}/styled.html")
    launcher = page.get_by_role("button", name="Open trade chat")
    expect(launcher).to_have_css("background-color", "rgb(10, 125, 56)")  # data-accent
    expect(launcher).not_to_have_css("font-size", "30px")
    bounds = launcher.bounding_box()
    assert bounds is not None
    assert bounds["x"] < 100  # data-position="left"

    launcher.click()
    expect(page.get_by_role("heading", name="Trade desk")).to_be_visible()
    empty = page.locator(".empty")
    expect(empty).not_to_have_css("color", "rgb(255, 0, 0)")
    expect(empty).not_to_have_css("font-family", "cursive")
    expect(page.get_by_role("button", name="Send")).to_have_css(
        "background-color", "rgb(10, 125, 56)"
    )

    host_button = page.locator("#host-button")
    expect(host_button).to_have_css("background-color", "rgb(255, 0, 0)")
    expect(host_button).to_have_css("font-size", "30px")
    expect(page.locator("#host-p")).to_have_css("color", "rgb(255, 0, 0)")
    assert page.evaluate("document.querySelectorAll('style').length") == 1


def test_the_host_page_can_theme_through_a_custom_property(page: Page, served: Served) -> None:
    page.goto(f"{served.allowed_site}/themed.html")
    launcher = page.get_by_role("button", name="Open trade chat")
    expect(launcher).to_have_css("background-color", "rgb(120, 20, 140)")
    bounds = launcher.bounding_box()
    assert bounds is not None
    assert bounds["x"] > 900  # default position: bottom right


def test_unreachable_api_shows_a_clear_error(
    page: Page, served: Served, ask: Ask, shot: Shot
) -> None:
    page.goto(f"{served.allowed_site}/unreachable.html")
    ask(page, "What tariffs did the EU impose on electric vehicles?")
    error = page.get_by_role("alert")
    expect(error).to_contain_text("Can't reach the trade chat service")
    expect(page.locator(".msg.bot")).to_have_count(0)
    expect(page.get_by_role("button", name="Send")).to_be_enabled()
    shot(page, "error")


def test_server_errors_show_the_servers_message(page: Page, served: Served, ask: Ask) -> None:
    page.goto(f"{served.allowed_site}/bad-key.html")
    ask(page, "What tariffs did the EU impose on electric vehicles?")
    error = page.get_by_role("alert")
    expect(error).to_contain_text("(401")
    expect(error).to_contain_text("The API key is not valid.")
    expect(page.locator(".msg.bot")).to_have_count(0)


def test_a_site_not_on_the_cors_list_is_refused(page: Page, served: Served, ask: Ask) -> None:
    page.goto(f"{served.other_site}/embed.html")
    ask(page, "What tariffs did the EU impose on electric vehicles?")
    expect(page.get_by_role("alert")).to_contain_text("Can't reach the trade chat service")
    expect(page.locator(".msg.bot")).to_have_count(0)
    expect(page.locator(".cite")).to_have_count(0)

    page.goto(f"{served.allowed_site}/embed.html")
    ask(page, "What tariffs did the EU impose on electric vehicles?")
    expect(page.get_by_role("button", name="[1]", exact=True)).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
