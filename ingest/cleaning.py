"""Clean raw article text: whitespace, repeated lines, hard wraps, and the headline.

The cleaned text is what the store keeps and what citations quote, so every step here
runs before chunking and offsets always index into the result.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

# Spaces other than a plain one (tabs, no-break, thin, ideographic...) become a plain space.
_ODD_SPACE = re.compile(r"[\t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Zero-width characters, byte-order marks and C0/C1 controls other than newline are dropped.
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\x00-\x08\x0b-\x1f\x7f-\x9f]")
# C0 and C1 control characters and DEL: never part of a doc_id, never printed raw to a terminal.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACES = re.compile(r" {2,}")
_BULLET = re.compile(r"^(?:[-*+•·▪◦‣–]|\d{1,3}[.)]|\(?[a-zA-Z0-9]{1,3}\))(?:\s|$)")
_HEADING = re.compile(r"^#{1,6}\s+")
_WORD = re.compile(r"[A-Za-z]")
_NOT_HEADLINE_END = (".", ",", ";", ":")
_SENTENCE_INSIDE = re.compile(r"[a-z)][.!?] +[A-Z]")
# A document counts as hard-wrapped when nearly all long lines fit in this many characters.
_MAX_WRAP_WIDTH = 100
# A closing disclaimer: a line of its own heading the document's last lines ("Disclaimer:"
# over who prepared a report and how it may be copied), which tells nothing of the matter
# and would be quoted as if it did.
_DISCLAIMER = re.compile(r"^[\W_]*(?:disclaimer|legal\s+notice|legal\s+disclaimer)[\W_]*$", re.I)
_DISCLAIMER_MAX_CHARS = 3000


@dataclass(frozen=True)
class CleanedText:
    """Cleaned text, the headline found in it, and PDF page spans `(start, end, page)`."""

    text: str
    headline: str | None = None
    pages: tuple[tuple[int, int, int], ...] = ()


def clean_text(raw: str) -> CleanedText:
    """Clean one text: normalise whitespace, drop repeated lines, join hard wraps."""
    return clean_pages([raw], keep_pages=False)


def clean_pages(pages: Sequence[str], keep_pages: bool = True) -> CleanedText:
    """Clean the pages of one document; a line repeated on any earlier page is dropped."""
    page_lines = [_normalised_lines(page) for page in pages]
    if page_lines:
        page_lines[-1] = _without_closing_disclaimer(page_lines[-1])
    headline = find_headline([line for lines in page_lines for line in lines[:40]])
    seen: set[str] = set()
    parts: list[str] = []
    spans: list[tuple[int, int, int]] = []
    offset = 0
    for number, lines in enumerate(page_lines, start=1):
        body = _paragraphs(_join_wrapped(_drop_repeated(lines, seen)))
        if not body:
            continue
        if parts:
            offset += 2  # the blank line between pages
        spans.append((offset, offset + len(body), number))
        parts.append(body)
        offset += len(body)
    return CleanedText(
        text="\n\n".join(parts), headline=headline, pages=tuple(spans) if keep_pages else ()
    )


def find_headline(lines: Sequence[str]) -> str | None:
    """Return the article's headline: a markdown heading, a repeated title line, or the first."""
    numbered = [(i, line) for i, line in enumerate(lines) if line][:10]
    for _, line in numbered[:5]:
        if _HEADING.match(line):
            return _HEADING.sub("", line).strip("# ") or None
    counts = Counter(lines)
    for _, line in numbered:
        if counts[line] > 1 and _title_like(line):
            return line
    for i, line in numbered[:5]:
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if _title_like(line) and _stands_alone(line, following):
            return line
    return None


def fallback_title(text: str, limit: int = 100) -> str:
    """Make a title from the first line of `text`, cut at a word boundary."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(first) <= limit:
        return first
    cut = first.rfind(" ", 0, limit)
    return first[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + "…"


def _title_like(line: str) -> bool:
    words = line.split()
    return (
        2 <= len(words) <= 25
        and len(line) <= 160
        and not line.endswith(_NOT_HEADLINE_END)
        and not _SENTENCE_INSIDE.search(line)
        and not _structural(line)
        and (line[0].isupper() or line[0].isdigit() or line[0] in "\"'“‘")
    )


def _stands_alone(line: str, following: str) -> bool:
    """Tell a headline from the first line of a hard-wrapped paragraph."""
    words = [w for w in line.split() if len(w) > 3]
    capitalised = sum(w[0].isupper() for w in words)
    title_case = bool(words) and capitalised >= 0.6 * len(words)
    return title_case or not following or len(line.split()) <= 10


def _normalised_lines(raw: str) -> list[str]:
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", _ODD_SPACE.sub(" ", text))
    return [_SPACES.sub(" ", line).strip() for line in text.split("\n")]


def _without_closing_disclaimer(lines: list[str]) -> list[str]:
    """Drop the closing disclaimer: from its heading line to the end, when that is short."""
    for i in range(len(lines) - 1, -1, -1):
        if _DISCLAIMER.match(lines[i]) and any(lines[:i]):
            if sum(len(line) + 1 for line in lines[i:]) <= _DISCLAIMER_MAX_CHARS:
                return lines[:i]
            return lines
    return lines


def _drop_repeated(lines: list[str], seen: set[str]) -> list[str]:
    """Drop exact repeats of earlier heading-like lines (running headers, a headline printed
    twice); keep statements, table rows, lines without words and a hard-wrapped paragraph's
    own lines: an order may repeat a clause word for word in two sections.

    Legal texts repeat their formulas ("an unusual and extraordinary threat, which has its
    source in whole or"), and a wrap can cut two of them into the same line: dropping the
    second cut a sentence's middle out ("constitutes an foreign policy of the United States").
    """
    width = _wrap_width(lines)
    out: list[str] = []
    for i, line in enumerate(lines):
        if line and _WORD.search(line) and not line.startswith("|"):
            if line in seen and _title_like(line) and not _inside_paragraph(lines, i, width):
                continue
            seen.add(line)
        out.append(line)
    return out


def _inside_paragraph(lines: list[str], i: int, width: int | None) -> bool:
    """Say whether line `i` belongs to a hard-wrapped paragraph: wrapped into the line after
    it, or going on the lines before it and either followed by more or ending a sentence (a
    running footer does neither)."""
    line = lines[i]
    if width is None or _structural(line):
        return False
    previous = lines[i - 1] if i > 0 else ""
    following = lines[i + 1] if i + 1 < len(lines) else ""
    if following and not _structural(following) and _was_wrapped(line, following, width):
        return True
    if not previous or previous.startswith("|") or _HEADING.match(previous):
        return False
    return _was_wrapped(previous, line, width) and (
        bool(following) or line.endswith((".", ";", ":"))
    )


def _structural(line: str) -> bool:
    return line.startswith("|") or bool(_HEADING.match(line) or _BULLET.match(line))


def _wrap_width(lines: list[str]) -> int | None:
    """Guess the column a hard-wrapped text was wrapped at; None when it is not wrapped."""
    lengths = [len(line) for line in lines if line and not _structural(line)]
    long = [n for n in lengths if n >= 40]
    if len(long) < 3:
        return None
    fitting = [n for n in long if n <= _MAX_WRAP_WIDTH]
    if len(fitting) < 0.9 * len(long):
        return None
    return max(fitting)


def _join_wrapped(lines: list[str]) -> list[str]:
    """Join each hard-wrapped line with the line it was wrapped into."""
    width = _wrap_width(lines)
    if width is None:
        return lines
    out: list[str] = []
    previous = ""
    for line in lines:
        joins = (
            bool(out and previous and line)
            and not _structural(line)
            and not previous.startswith("|")
            and not _HEADING.match(previous)
            and _was_wrapped(previous, line, width)
        )
        if joins:
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        previous = line
    return out


def _was_wrapped(previous: str, line: str, width: int) -> bool:
    # Widths vary inside one document (converters wrap at 72-80 columns), so a line that
    # fills most of the width was wrapped too, not only one the next word would overflow.
    return len(previous) >= 0.6 * width or len(previous) + 1 + len(line.split(" ", 1)[0]) > width


def _paragraphs(lines: list[str]) -> str:
    """Join lines, keeping at most one blank line between paragraphs."""
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)
