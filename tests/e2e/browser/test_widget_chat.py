"""The widget against the real app: streamed answers, quotes, reloads, refusals, feedback, keys."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.support.widget import DEMO_QUESTIONS, WIDGET_KEY, Served

pytestmark = pytest.mark.browser

Ask = Callable[[Page, str], None]
Shot = Callable[[Page, str], Path]

# Re-chunk the real stream into 5-byte pieces so SSE frames and UTF-8 characters straddle reads.
RECHUNK_STREAM = """
(() => {
  const original = window.fetch;
  window.__sseRaw = "";
  window.fetch = async (...args) => {
    const response = await original(...args);
    if (!String(args[0]).endsWith("/v1/chat/stream") || !response.ok) return response;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const body = new ReadableStream({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) { controller.close(); return; }
        window.__sseRaw += decoder.decode(value, { stream: true });
        for (let i = 0; i < value.length; i += 5) controller.enqueue(value.slice(i, i + 5));
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
})();
"""

# Record what the answer bubble showed while it was still streaming.
RECORD_STREAMING = """
() => {
  const root = document.querySelector("trade-chat").shadowRoot;
  const log = (window.__widgetLog = { typing: false, partials: [] });
  new MutationObserver(() => {
    if (root.querySelector(".typing")) log.typing = true;
    const busy = root.querySelector('[aria-busy="true"] p');
    if (busy && busy.textContent && busy.textContent !== log.partials.at(-1)) {
      log.partials.push(busy.textContent);
    }
  }).observe(root, { subtree: true, childList: true, characterData: true });
}
"""


def sse_events(raw: str) -> list[tuple[str, Any]]:
    """Split a raw event stream into (event, parsed JSON data) pairs."""
    events = []
    for frame in raw.replace("\r\n", "\n").split("\n\n"):
        kind, data = "message", []
        for line in frame.split("\n"):
            if line.startswith("event:"):
                kind = line.removeprefix("event:").strip()
            elif line.startswith("data:"):
                data.append(line.removeprefix("data:").removeprefix(" "))
        if data:
            events.append((kind, json.loads("\n".join(data))))
    return events


def conversation_id(page: Page) -> str:
    """Read the conversation id the widget keeps in sessionStorage."""
    states = page.evaluate(
        "Object.keys(sessionStorage).filter(k => k.startsWith('tradebot-chat:'))"
        ".map(k => JSON.parse(sessionStorage.getItem(k)))"
    )
    assert len(states) == 1
    cid = states[0]["conversationId"]
    assert isinstance(cid, str) and cid
    return cid


def query_db(served: Served, sql: str, *params: str) -> list[tuple[Any, ...]]:
    """Read the app's SQLite database (conversations, feedback)."""
    path = served.data_dir / "tradebot.sqlite3"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute(sql, params).fetchall()


def test_demo_page_embeds_the_widget_with_one_tag(served: Served) -> None:
    page = httpx.get(f"{served.api}/").text
    api = served.api
    tag = f'<script src="{api}/widget.js" data-api="{api}" data-key="{WIDGET_KEY}" defer></script>'
    assert tag in page
    script = httpx.get(f"{api}/widget.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert "customElements.define" in script.text


def test_ask_streams_an_answer_and_opens_a_quote(
    page: Page, served: Served, ask: Ask, shot: Shot
) -> None:
    page.add_init_script(RECHUNK_STREAM)
    page.goto(f"{served.api}/")
    expect(page.get_by_role("button", name="Open trade chat")).to_be_visible()
    shot(page, "closed-launcher")
    page.evaluate(RECORD_STREAMING)

    ask(page, "What did carmakers warn about rare-earth magnets?")
    cite = page.get_by_role("button", name="[1]", exact=True)
    expect(cite).to_be_visible()

    events = sse_events(page.evaluate("window.__sseRaw"))
    assert [kind for kind, _ in events][:1] == ["citations"]
    assert events[-1][0] == "done"
    deltas = [data["text"] for kind, data in events if kind == "delta"]
    answer = events[-1][1]
    log = page.evaluate("window.__widgetLog")
    assert log["typing"], "no typing indicator before the first delta"
    assert log["partials"][-1] == "".join(deltas)
    assert all("".join(deltas).startswith(partial) for partial in log["partials"])
    assert len(deltas) >= 2, "this question should be answered in more than one delta"
    assert len(log["partials"]) >= 2, "the answer was not shown while it streamed"
    expect(page.locator(".typing")).to_have_count(0)
    expect(page.locator(".msg.bot .text").last).to_have_text(answer["answer"])

    first = answer["citations"][0]
    assert first["doc_id"] == "rare-earth-licences"
    cite.click()
    expect(cite).to_have_attribute("aria-expanded", "true")
    quote = page.locator(".quote").last
    expect(quote.locator("blockquote")).to_have_text(first["quote"])
    expect(quote).to_contain_text(first["published_at"])
    expect(quote).to_contain_text(first["source"])
    link = quote.get_by_role("link", name=first["title"])
    expect(link).to_have_attribute("href", first["url"])
    sources = page.get_by_role("list", name="Sources").last
    articles = {citation["doc_id"] for citation in answer["citations"]}
    expect(sources.get_by_role("listitem")).to_have_count(len(articles))
    expect(sources).to_contain_text(first["title"])
    shot(page, "answer-with-quote")

    cite.click()
    expect(quote).to_be_hidden()


def test_sources_are_grouped_by_article(page: Page, served: Served, ask: Ask) -> None:
    page.add_init_script(RECHUNK_STREAM)
    page.goto(f"{served.api}/")
    ask(page, "What did carmakers warn about rare-earth magnets?")
    expect(page.get_by_role("button", name="[2]", exact=True)).to_be_visible()
    answer = sse_events(page.evaluate("window.__sseRaw"))[-1][1]
    by_article: dict[str, list[int]] = {}
    for citation in answer["citations"]:
        by_article.setdefault(citation["doc_id"], []).append(citation["n"])
    assert max(len(numbers) for numbers in by_article.values()) >= 2, "two quotes, one article"

    items = page.get_by_role("list", name="Sources").last.get_by_role("listitem")
    expect(items).to_have_count(len(by_article))
    titles = {c["doc_id"]: c["title"] for c in answer["citations"]}
    for item, (doc_id, numbers) in zip(items.all(), by_article.items(), strict=True):
        markers = "".join(f"[{n}]" for n in numbers)
        expect(item).to_contain_text(f"{markers} {titles[doc_id]}")
        expect(item.get_by_role("link")).to_have_count(1)


def test_demo_page_example_questions_are_asked_when_clicked(page: Page, served: Served) -> None:
    page.goto(f"{served.api}/")
    examples = page.get_by_role("list", name="Example questions").get_by_role("button")
    expect(examples).to_have_text(DEMO_QUESTIONS)  # markup in a question stays text
    examples.first.click()
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.locator(".msg.user")).to_have_text([DEMO_QUESTIONS[0]])
    expect(page.locator(".msg.bot:not([aria-busy])").last).to_contain_text("45 working days")
    expect(page.get_by_role("button", name="[1]", exact=True)).to_be_visible()
    assert page.evaluate("window.__xss") is None


def test_reload_keeps_the_conversation(page: Page, served: Served, ask: Ask) -> None:
    page.goto(f"{served.api}/")
    ask(page, "Which rare-earth export licences did China approve?")
    expect(page.get_by_role("button", name="[1]", exact=True)).to_be_visible()
    cid = conversation_id(page)

    page.reload()
    expect(page.locator(".msg.user")).to_have_text(
        ["Which rare-earth export licences did China approve?"]
    )
    cite = page.get_by_role("button", name="[1]", exact=True)
    expect(cite).to_be_visible()
    cite.click()
    expect(page.locator(".quote blockquote")).to_contain_text("rare-earth")
    expect(page.get_by_role("list", name="Sources")).to_have_count(1)

    page.get_by_label("Ask a question").click()
    with page.expect_request("**/v1/chat/stream") as request:
        ask(page, "How quickly will the ministry review the applications?")
    assert request.value.post_data_json["conversation_id"] == cid
    expect(page.locator(".msg.bot:not([aria-busy])")).to_have_count(2)
    expect(page.locator(".msg.bot").last).to_contain_text("45 working days")
    turns = query_db(served, "SELECT count(*) FROM turns WHERE conversation_id = ?", cid)
    assert turns == [(2,)]


def test_a_refusal_shows_as_such_without_sources(
    page: Page, served: Served, ask: Ask, shot: Shot
) -> None:
    page.goto(f"{served.api}/")
    ask(page, "What is a good recipe for sourdough bread?")
    refused = page.locator(".msg.refused")
    expect(refused).to_be_visible()
    expect(refused).to_contain_text("No answer found in the sources")
    expect(page.get_by_role("list", name="Sources")).to_have_count(0)
    expect(page.locator(".cite")).to_have_count(0)
    shot(page, "refusal")


def test_thumbs_up_posts_feedback(page: Page, served: Served, ask: Ask) -> None:
    page.goto(f"{served.api}/")
    ask(page, "What did Beijing do after the EU electric vehicle tariffs?")
    expect(page.get_by_role("button", name="[1]", exact=True).first).to_be_visible()
    thumbs_up = page.get_by_role("button", name="Thumbs up")
    with page.expect_response("**/v1/feedback") as response:
        thumbs_up.click()
    assert response.value.status == 201
    expect(thumbs_up).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="Thumbs down")).to_have_attribute(
        "aria-pressed", "false"
    )
    cid = conversation_id(page)
    rows = query_db(served, "SELECT rating FROM feedback WHERE conversation_id = ?", cid)
    assert rows == [("up",)]


def test_keyboard_use_at_360_px(page: Page, served: Served, shot: Shot) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{served.api}/")
    launcher = page.get_by_role("button", name="Open trade chat")
    launcher.focus()
    page.keyboard.press("Enter")
    box = page.get_by_label("Ask a question")
    expect(box).to_be_focused()
    panel = page.get_by_role("dialog", name="Trade chat")
    bounds = panel.bounding_box()
    assert bounds is not None
    assert bounds["x"] >= 0
    assert bounds["x"] + bounds["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    box.fill("line one")
    box.press("Shift+Enter")
    expect(box).to_have_value("line one\n")
    expect(page.locator(".msg.user")).to_have_count(0)
    box.fill("What tariffs did the EU impose on Chinese electric vehicles?")
    box.press("Enter")
    expect(page.get_by_role("button", name="[1]", exact=True)).to_be_visible()
    send = page.get_by_role("button", name="Send")
    send_bounds = send.bounding_box()
    assert send_bounds is not None
    assert send_bounds["x"] + send_bounds["width"] <= 360
    shot(page, "mobile-360")

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(launcher).to_be_focused()
