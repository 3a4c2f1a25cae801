"""An Answer as plain text (answer with its `[n]` markers, then a short Sources list), and back.

Channels that carry only text (the OpenAI-compatible API, MCP tool results) send this form;
a stateless client sends it back as an earlier assistant turn, and `read_plain_answer`
recovers the answer and the cited titles that follow-up questions lean on.
"""

from __future__ import annotations

import re

from bot.models import Answer, Citation, Turn

SOURCES_HEADING = "Sources:"
_SOURCE_LINE = re.compile(r"^(?:\[\d+\])+\s+(?P<title>.+?)(?:\s+—\s+.*)?$")


def plain_answer(answer: Answer) -> str:
    """Return the answer text, then one `[1][3] Title — source, date (url)` line per article."""
    lines = [answer.answer.strip()]
    by_article: dict[str, list[Citation]] = {}
    for citation in answer.citations:
        by_article.setdefault(citation.doc_id, []).append(citation)
    if by_article:
        lines += ["", SOURCES_HEADING]
    for citations in by_article.values():
        first = citations[0]
        line = "".join(f"[{c.n}]" for c in citations) + f" {first.title}"
        details = ", ".join(d for d in (first.source, first.published_at) if d)
        if details:
            line += f" — {details}"
        if first.url:
            line += f" ({first.url})"
        lines.append(line)
    return "\n".join(lines)


def read_plain_answer(question: str, text: str) -> Turn:
    """Rebuild the turn a client sends back: the answer without its Sources list, cited titles."""
    body, heading, sources = text.rpartition(f"\n{SOURCES_HEADING}\n")
    if not heading:
        return Turn(question=question, answer=text.strip())
    titles = []
    for line in sources.splitlines():
        match = _SOURCE_LINE.match(line.strip())
        if match:
            titles.append(re.sub(r"\s+\(https?://\S+\)$", "", match["title"]))
    return Turn(question=question, answer=body.strip(), cited_titles=tuple(dict.fromkeys(titles)))
