"""Turn a follow-up ("what did he say next?") into a query that stands on its own.

The last turn's question, the names its answer mentions and the titles it cited are joined
to a question that leans on it: one with a pronoun ("he", "that deal") or almost no words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.models import CITATION_MARKER, Turn
from bot.terms import has_anaphora, lower_words

# Runs of capitalised words ("US Commerce Secretary Howard Lutnick", "Xi Jinping").
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’-]*)*")
_NOT_NAMES = frozenset(
    re.findall(r"\w+", "The A An In On At And But Or If What Who When Where Why How It")
)
_SHORT_FOLLOW_UP_WORDS = 4
_MAX_ENTITIES = 8


def follow_up_query(question: str, history: Sequence[Turn]) -> str:
    """Join the last turn's question, cited titles and named entities to a dependent question."""
    if not history:
        return question
    words = lower_words(question)
    if len(words) > _SHORT_FOLLOW_UP_WORDS and not has_anaphora(words):
        return question
    last = history[-1]
    entities = [e for e in _entities(last.answer) if e.lower() not in question.lower()]
    parts = [question, last.question, *entities[:_MAX_ENTITIES], *last.cited_titles[:2]]
    return " ".join(part for part in parts if part)


def _entities(text: str) -> list[str]:
    """Return capitalised names in `text`, most frequent first, without sentence starters."""
    text = CITATION_MARKER.sub(" ", text)
    counts: dict[str, int] = {}
    for match in _NAME.finditer(text):
        words = match.group(0).split()
        while words and words[0] in _NOT_NAMES:
            words = words[1:]
        if words:
            name = " ".join(words)
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda name: -counts[name])
