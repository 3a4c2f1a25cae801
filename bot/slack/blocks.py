"""Render an `Answer` as a Slack message: escaped mrkdwn, citation context, feedback buttons.

Article text must never ping, mention or link in Slack: `&`, `<` and `>` are escaped in every
text taken from an answer (the fallback `text` as well as the blocks), and every mrkdwn object
is `verbatim`, so Slack does not turn plain URLs, `#channel` names or `@here` into links or
mentions either. The only links in a reply are the citations' own http(s) URLs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.models import Answer, Citation, RelatedArticle
from ingest.formats.fields import web_url

Block = dict[str, Any]

FEEDBACK_BLOCK_ID = "tradebot_feedback"
FEEDBACK_UP_ACTION = "tradebot_feedback_up"
FEEDBACK_DOWN_ACTION = "tradebot_feedback_down"
FEEDBACK_ACTION_PATTERN = re.compile(r"^tradebot_feedback_(up|down)$")

# Slack rejects a section text over 3000 chars and a message over 50 blocks; a context block
# element shares the 3000 limit, and a button value is at most 2000.
SECTION_TEXT_LIMIT = 3000
QUOTE_LIMIT = 1500
FALLBACK_TEXT_LIMIT = 3000
MAX_ANSWER_SECTIONS = 10
BUTTON_VALUE_LIMIT = 2000
MAX_TIMELINE_EVENTS = 45  # with the heading and the buttons, under Slack's 50 blocks

NO_SOURCES_NOTE = "No sources: none of the indexed articles answers this."
RELATED_HEADING = "Related articles (not sources):"
APOLOGY = "Sorry, something went wrong while answering. Please try again in a moment."
FEEDBACK_THANKS = "Thanks for the feedback!"
EMPTY_QUESTION = (
    "Ask me a question about trade disputes, for example: "
    "_which rare-earth export licences did China tighten?_"
)


@dataclass(frozen=True)
class SlackReply:
    """A message ready for `chat.postMessage`: fallback text plus Block Kit blocks."""

    text: str
    blocks: list[Block] = field(default_factory=list)
    public: bool = True  # False for notes only the asker should see (slash command errors)


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters Slack treats as markup: & < >."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape_mrkdwn(text: str) -> str:
    """Undo Slack's escaping of & < > in text a user typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def link(url: str | None, label: str) -> str:
    """Return `<url|label>` for a web URL, else the escaped label alone."""
    url = web_url(url)
    if url is None:
        return escape_mrkdwn(label)
    # `|` would end the URL part of the link early; Slack wants & < > escaped inside it too.
    return f"<{escape_mrkdwn(url.replace('|', '%7C'))}|{escape_mrkdwn(label)}>"


def text_reply(message: str, *, public: bool = True) -> SlackReply:
    """Build a reply of one mrkdwn section (message is already mrkdwn)."""
    return SlackReply(text=message, blocks=[_section(message)], public=public)


def answer_reply(answer: Answer, feedback_value: str) -> SlackReply:
    """Build the reply for an answer: text, citations (unless refused), feedback buttons."""
    if answer.mode == "timeline" and answer.grounded:
        return timeline_reply(answer, feedback_value)
    blocks = [_section(part) for part in _split_mrkdwn(escape_mrkdwn(answer.answer))]
    if answer.notice:
        blocks.append(_context(f":information_source: {escape_mrkdwn(answer.notice)}"))
    if answer.grounded and answer.citations:
        blocks.append({"type": "divider"})
        blocks.extend(_context(citation_mrkdwn(citation)) for citation in answer.citations[:30])
    else:
        blocks.append(_context(NO_SOURCES_NOTE))
        if answer.related:
            blocks.append(_context(related_mrkdwn(answer.related)))
    blocks.append(_feedback_buttons(feedback_value))
    text = escape_mrkdwn(_truncate(answer.answer, FALLBACK_TEXT_LIMIT))
    return SlackReply(text=text, blocks=blocks)


def timeline_reply(answer: Answer, feedback_value: str) -> SlackReply:
    """Build the reply for a timeline: one block per dated event (date, linked title, quote)."""
    heading = f"*Timeline*, {len(answer.citations)} events"
    if answer.as_of:
        heading += f", as of {escape_mrkdwn(answer.as_of)}"
    blocks = [_section(heading)]
    for citation in answer.citations[:MAX_TIMELINE_EVENTS]:
        blocks.append(_section(event_mrkdwn(citation)))
    blocks.append(_feedback_buttons(feedback_value))
    text = escape_mrkdwn(_truncate(answer.answer, FALLBACK_TEXT_LIMIT))
    return SlackReply(text=text, blocks=blocks)


def event_mrkdwn(citation: Citation) -> str:
    """Render one timeline event: bold date, linked title, then the quote with its number."""
    when = escape_mrkdwn(citation.published_at or "undated")
    quote = escape_mrkdwn(_truncate(" ".join(citation.quote.split()), QUOTE_LIMIT))
    return f"*{when}* · {link(citation.url, citation.title)}\n“{quote}” [{citation.n}]"


def citation_mrkdwn(citation: Citation) -> str:
    """Render one citation: number, linked title, source and date, then the quote."""
    details = [part for part in (citation.source, citation.published_at) if part]
    if citation.page is not None:
        details.append(f"p. {citation.page}")
    heading = f"*[{citation.n}]* {link(citation.url, citation.title)}"
    if details:
        heading += " · " + escape_mrkdwn(" · ".join(details))
    quote = escape_mrkdwn(_truncate(" ".join(citation.quote.split()), QUOTE_LIMIT))
    return f"{heading}\n“{quote}”"


def related_mrkdwn(related: list[RelatedArticle]) -> str:
    """Render a refusal's related articles: one linked title and date a line."""
    lines = [RELATED_HEADING]
    for article in related[:3]:
        line = "• " + link(article.url, article.title)
        if article.published_at:
            line += " · " + escape_mrkdwn(article.published_at)
        lines.append(line)
    return "\n".join(lines)


def feedback_rating(action_id: str) -> str | None:
    """Return "up" or "down" for one of our feedback buttons, else None."""
    match = FEEDBACK_ACTION_PATTERN.match(action_id)
    return match.group(1) if match else None


def _feedback_buttons(value: str) -> Block:
    value = value[:BUTTON_VALUE_LIMIT]
    return {
        "type": "actions",
        "block_id": FEEDBACK_BLOCK_ID,
        "elements": [
            _button(FEEDBACK_UP_ACTION, ":+1: Helpful", value),
            _button(FEEDBACK_DOWN_ACTION, ":-1: Not helpful", value),
        ],
    }


def _button(action_id: str, label: str, value: str) -> Block:
    text = {"type": "plain_text", "text": label, "emoji": True}
    return {"type": "button", "action_id": action_id, "text": text, "value": value}


def _mrkdwn(text: str) -> Block:
    # verbatim: Slack turns no plain URL, channel name or @word into a link or mention.
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _section(mrkdwn: str) -> Block:
    return {"type": "section", "text": _mrkdwn(mrkdwn)}


def _context(mrkdwn: str) -> Block:
    return {"type": "context", "elements": [_mrkdwn(mrkdwn)]}


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _split_mrkdwn(text: str) -> list[str]:
    """Cut escaped mrkdwn into section-sized parts, at whitespace and never inside an entity."""
    if not text.strip():
        return ["_(empty answer)_"]
    parts: list[str] = []
    while len(text) > SECTION_TEXT_LIMIT and len(parts) < MAX_ANSWER_SECTIONS - 1:
        cut = _cut_point(text, SECTION_TEXT_LIMIT)
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if len(text) > SECTION_TEXT_LIMIT:
        text = text[: _cut_point(text, SECTION_TEXT_LIMIT - 1)].rstrip() + "…"
    parts.append(text)
    return parts


def _cut_point(text: str, limit: int) -> int:
    space = max(text.rfind(" ", limit // 2, limit), text.rfind("\n", limit // 2, limit))
    if space > 0:
        return space
    entity = text.rfind("&", limit - 4, limit)
    return entity if entity > 0 else limit
