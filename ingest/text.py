"""The one sentence splitter: passage boundaries, quotable sentences and their embeddings.

`sentence_spans` cuts at every sentence end (passage packing); `sentence_bounds` re-joins
pieces cut at "U.S." or "Mr." (quotes: extractive answers, ingest's sentence vectors and the
LLM citation check all use it).

The extractive answerer quotes whole sentences and scores each against the question by
embedding cosine. Embedding a dozen sentences costs about ten times what embedding the
question does, so ingest embeds every quotable sentence of every passage once and the store
keeps the vectors beside the passage; answering then needs only the question's embedding.
Both sides split a passage with `quotable_spans`, so their offsets always agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# A sentence ends at . ! ? (optionally followed by quotes/brackets) before whitespace, or at a
# line break. Abbreviations such as "U.S." rarely matter for passage boundaries.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+|\n+")
# A line ending in one of these ends what it says (a sentence, a heading, a list's lead).
_ENDS_A_LINE = frozenset(".!?:;|\"'”’)]*")
# A line this long ending on no end mark was wrapped (the federal texts wrap at about 70).
_WRAPPED_LINE = 40
# A line opening with one of these is a heading, a list item, a quote block or a table row.
_MARKERS = frozenset("#-*•|>+")

# The opening of a sentence carries its meaning; one very long one would pad a whole batch.
EMBED_CHARS = 256
# A sentence opening with a connective finishes the one before it ("Accordingly, I have decided
# to terminate the designation of Ethiopia, Guinea, and Mali ..." after "I have determined
# that Ethiopia, Guinea, and Mali do not meet the requirements"): a passage should not start
# there, nor a quote leave the other out.
_CONNECTIVE = re.compile(
    r"[\s*_>\-•]*(?:accordingly|consequently|therefore|thus|hence|as a result|in addition"
    r"|additionally|furthermore|moreover)\b",
    re.IGNORECASE,
)
_MIN_SENTENCE_WORDS = 3
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# A span ending like this was probably cut at an abbreviation, not at a sentence end.
_TITLE_ABBREVIATION = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Jr|Sr|St|No|Nos|Inc|Co|Corp|Ltd|Gov|Sec|Sen|Rep|Gen|Dept|Art|Vol|vs"
    r"|e\.g|i\.e|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Fed|Reg)\*{0,2}\.$"
)  # "*Fed*. *Reg*.": Markdown emphasis around the abbreviation
_INITIALS = re.compile(r"\b(?:[A-Z]\.){2,}$")
# A line ending on a word that cannot end a sentence goes on, whatever the next one opens with.
_LEADS_ON = re.compile(
    r"\b(?:the|a|an|of|and|or|to|in|for|on|by|with|from|at|as|that|which|whose|its|their|our"
    r"|his|her|this|these|those|between|under|into|than)\s*$",
    re.IGNORECASE,
)
# Lower-case abbreviations of two letters or more: "12:01 a.m.", "e.g.", "i.e.".
_LOWER_ABBREVIATION = re.compile(r"\b(?:[a-z]\.){2,}$")
# A middle initial after a first name ("President Donald J. Trump"); not a label ("Annex I.",
# "Plan B.", "Schedule C.").
_MIDDLE_INITIAL = re.compile(
    r"\b(?!(?:Annex|Appendix|Article|Attachment|Category|Chapter|Class|Division|Exhibit|Group"
    r"|Item|List|Option|Part|Phase|Plan|Schedule|Section|Subchapter|Subpart|Table|Tier|Title"
    r"|Tranche|Type)\b)[A-Z][a-z]+ [A-Z]\.$"
)
_SENTENCE_STARTERS = frozenset(
    re.findall(
        r"\w+",
        "A An And As At But By For From He However If In It Its On Our She The These They This "
        "Those To Under We What When Where While",
    )
)


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the sentences of `text[start:end]`, whitespace trimmed."""
    stop = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, stop):
        _append_trimmed(text, cursor, match.start(), spans)
        cursor = match.end()
    _append_trimmed(text, cursor, stop, spans)
    return spans


def _append_trimmed(text: str, lo: int, hi: int, spans: list[tuple[int, int]]) -> None:
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    if hi > lo:
        spans.append((lo, hi))


@dataclass(frozen=True)
class SentenceVectors:
    """The quotable sentences of one passage: offsets in the passage text, one vector each."""

    spans: tuple[tuple[int, int], ...]
    vectors: np.ndarray  # (len(spans), dim), normalised float32


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Split `text` into sentences, rejoining pieces cut at "U.S." or "Mr." within a line."""
    merged: list[tuple[int, int]] = []
    for lo, hi in sentence_spans(text):
        if merged and _continues(text, merged[-1], lo):
            merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


def is_prose(sentence: str) -> bool:
    """Say whether a sentence can be quoted as an answer: enough words, or a table row.

    A signature's date line ("February 5, 2025.") or a section number ("Sec. 2.") has three
    tokens but says nothing on its own: at least two of the words must be words, not numbers
    or single letters.
    """
    words = _WORD.findall(sentence)
    wordy = sum(1 for w in words if len(w) > 1 and not w.isdigit())
    return (len(words) >= _MIN_SENTENCE_WORDS and wordy >= 2) or is_table_row(sentence)


def is_table_row(line: str) -> bool:
    """Say whether `line` is a markdown table row with at least two cells holding words."""
    if not line.lstrip().startswith("|"):
        return False
    return sum(1 for cell in table_cells(line) if _WORD.search(cell)) >= 2


def table_cells(line: str) -> list[str]:
    """Return the stripped cells of a markdown table row."""
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def table_header(text: str, lo: int) -> tuple[int, int] | None:
    """Return the span of the header row of the table whose row starts at `lo`, if any.

    The header is the first line of the block of table lines holding the row (usually
    followed by a `|---|---|` separator); the header row itself has none. A block that opens
    `text` may be a table another passage began: its first line is the header only if a
    separator follows it or it holds no figure ("| Heading/ Subheading | Article Description |");
    one holding figures ("| Commerce Secretary submits report | January 11, 2018 |") is a row
    like the others, and the header lies before the text (no header rather than a wrong one).
    """
    lines: list[tuple[int, int]] = []
    if text[lo : lo + 1] != "|":
        return None
    start = _table_start(text, lo)
    cursor = start
    while cursor < lo:
        end = text.find("\n", cursor)
        end = len(text) if end < 0 else end
        lines.append((cursor, end))
        cursor = end + 1
    if not lines or _TABLE_SEPARATOR.match(text[lines[0][0] : lines[0][1]]):
        return None
    if start == 0:
        after = text.find("\n", lines[0][1] + 1)
        second = text[lines[0][1] + 1 : len(text) if after < 0 else after]
        first = text[lines[0][0] : lines[0][1]]
        if not _TABLE_SEPARATOR.match(second) and any(ch.isdigit() for ch in first):
            return None
    return lines[0]


def _table_start(text: str, lo: int) -> int:
    """Return where the block of table lines holding the line at `lo` starts.

    Blank lines between rows do not end the table ("| Mozambique | 15% |", a page break, then
    "| Myanmar (Burma) | 40% |"), unless the line after them reads as a header of its own.
    """
    start = text.rfind("\n", 0, lo) + 1
    while start > 0:
        before = text.rfind("\n", 0, start - 1) + 1
        line = text[before : start - 1]
        if not line.strip():
            gap = text[:before].rstrip()
            before = gap.rfind("\n") + 1
            line = gap[before:]
            if not gap or _reads_as_header(text, start):
                break
        if not line.lstrip().startswith("|"):
            break
        start = before
    return start


def _reads_as_header(text: str, start: int) -> bool:
    """Say whether the table line at `start` reads as a header: a separator follows it, or it
    holds no figure."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    after = text.find("\n", end + 1)
    second = text[end + 1 : len(text) if after < 0 else after]
    return bool(_TABLE_SEPARATOR.match(second)) or not any(ch.isdigit() for ch in text[start:end])


def opens_in_table(text: str, lo: int) -> bool:
    """Say whether the line at `lo` is a row of a table block that opens `text`: a table an
    earlier passage of the article may have begun, whose header lies before the text."""
    return text[lo : lo + 1] == "|" and not text[: _table_start(text, lo)].strip()


def continued_table_headers(texts: Sequence[str]) -> list[str]:
    """Return, for an article's passages in reading order (`texts`), the header row of the
    table each one opens inside of when an earlier passage began it ("" for none).

    A long annex is cut into passages: "| Switzerland | 39% |" opens the third, and its
    header, "| Countries and Territories | Reciprocal Tariff, Adjusted |", is in the first.
    A passage inherits the header of the table the passage before it ends in.
    """
    found: list[str] = []
    tail = ""  # the header of the table the passage before ends in
    for text in texts:
        first = len(text) - len(text.lstrip())
        own = tail if tail and opens_in_table(text, first) else ""
        found.append(own)
        body = text.rstrip()
        last = body.rfind("\n") + 1
        last += len(body[last:]) - len(body[last:].lstrip())
        if body[last : last + 1] != "|":
            tail = ""
        elif own and opens_in_table(text, last):
            tail = own
        else:
            span = table_header(text, last)
            tail = text[span[0] : span[1]] if span else ""
    return found


def table_rows(text: str, inherited: str = "") -> list[tuple[str, str]]:
    """Return each table row of `text` (no header or separator line) with its header row
    ("" when none): rows of a table opening `text` take `inherited`, the header an earlier
    passage holds, as the answerer reads them."""
    rows: list[tuple[str, str]] = []
    start = 0
    for line in text.split("\n"):
        at = start + len(line) - len(line.lstrip())
        line_start, start = start, start + len(line) + 1
        if not is_table_row(line) or _TABLE_SEPARATOR.match(line):
            continue
        if inherited and opens_in_table(text, at):
            rows.append((line.strip(), inherited))
            continue
        span = table_header(text, at)
        first = span is None and _table_start(text, at) == line_start
        if first and _reads_as_header(text, line_start):
            continue  # the header row itself
        rows.append((line.strip(), text[span[0] : span[1]] if span else ""))
    return rows


def quotable_spans(text: str) -> list[tuple[int, int]]:
    """Return the (lo, hi) offsets of the sentences of `text` worth quoting."""
    return [(lo, hi) for lo, hi in sentence_bounds(text) if is_prose(text[lo:hi])]


def opens_with_connective(sentence: str) -> bool:
    """Say whether `sentence` opens by carrying on from the one before ("Accordingly, ...")."""
    return bool(_CONNECTIVE.match(sentence))


def embedding_text(sentence: str) -> str:
    """What is embedded for a sentence: its opening."""
    return sentence[:EMBED_CHARS]


def _continues(text: str, previous: tuple[int, int], lo: int) -> bool:
    """Say whether the piece at `lo` goes on the sentence `previous`: on the same line, cut
    early; or on the next line, when the line breaks inside a sentence ("On May 8,\n2025,
    United Kingdom Prime Minister ...": no end mark before, a number or a lower-case word
    after)."""
    between = text[previous[1] : lo]
    before = text[previous[0] : previous[1]]
    after = text[lo : lo + 100]
    first_word = after.split(maxsplit=1)[0].lstrip("\"'“‘([*_") if after.strip() else ""
    if "\n" in between:
        # A line may also break after an abbreviation ("on or after 12:01 a.m.\neastern
        # daylight time", "(19 U.S.C.\n2254(c))", "maintaining U.S.\nexport competitiveness").
        if between.count("\n") != 1:
            return False
        if _LEADS_ON.search(before):  # "the Department of the Treasury, and the\nDepartment"
            return True
        lower = after[:1].islower()  # a word, not "(a)" or "- item"
        if _wrapped(text, previous, lo):
            return True
        return (
            (
                before.rstrip()[-1:] not in _ENDS_A_LINE
                or ends_at_abbreviation(before)
                or bool(_LOWER_ABBREVIATION.search(before.rstrip()))
                or (lower and before.rstrip()[-1:] in ")]")  # "[$3 billion](https://...)\nacross"
            )
            and (first_word[:1].islower() or first_word[:1].isdigit())
        )
    if first_word[:1].islower() or first_word[:1].isdigit():
        return True  # "... 50 U.S.C. 1701", "... approx. three"
    if _TITLE_ABBREVIATION.search(before):
        return True
    cut_at_initials = _INITIALS.search(before) or _MIDDLE_INITIAL.search(before)
    return bool(cut_at_initials) and first_word not in _SENTENCE_STARTERS


def _wrapped(text: str, previous: tuple[int, int], lo: int) -> bool:
    """Say whether the line break between the sentence piece `previous` and `lo` wraps a
    line of prose: the line before ends on no end mark, and is a long one or began another
    sentence before this piece; neither it nor the next line is a heading in capitals, a
    list item or a table row, and the next line opens a word.

    The federal texts are hard-wrapped: "the President of the United\nStates of America",
    "Background.  Executive\nOrder 12957 of March 15, 1995 (...)" are one sentence each;
    "THE WHITE HOUSE\nApril 15, 2025." and "U.S. exports\nToday, ..." are two.
    """
    start = text.rfind("\n", 0, previous[1]) + 1
    line = text[start : previous[1]].strip()
    if len(line) < _WRAPPED_LINE and not text[start : previous[0]].strip():
        return False  # a short line of its own: a heading, a name, a label
    following = text[lo : text.find("\n", lo) if "\n" in text[lo:] else len(text)].strip()
    if not line or not following or line[-1] in _ENDS_A_LINE or line[-1] == ",":
        return False
    if line[0] in _MARKERS or following[0] in _MARKERS or len(line.split()) < 2:
        return False
    if line.upper() == line or following.split()[0].upper() == following.split()[0]:
        return False  # "THE WHITE HOUSE", "AMBASSADOR LIGHTHIZER:", "ANNEX\nII"
    return following[0].isupper() or following[0] in '"“‘['


def ends_at_abbreviation(sentence: str) -> bool:
    """Say whether `sentence` ends on an abbreviation or initials ("for U.S.", "Mr.", "Donald
    J."): at the end of a passage, where nothing follows to rejoin it, the sentence was
    probably cut there ("China restored market access for U.S." of "... for U.S. beef")."""
    end = sentence.rstrip()
    return bool(
        _TITLE_ABBREVIATION.search(end) or _INITIALS.search(end) or _MIDDLE_INITIAL.search(end)
    )


def passage_embedding_text(title: str, passage: str) -> str:
    """What is embedded for a passage: its article's title as context, then its text."""
    return f"{title}\n{passage}"
