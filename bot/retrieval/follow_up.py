"""Turn a follow-up ("what did he say next?") into a query that stands on its own.

The last turn's question (with the questions it leaned on in turn), the names its answer
mentions and the titles it cited are joined to a question that leans on it: one with a
pronoun ("he", "that deal"), a continuing opening ("and ...") or almost no words. A follow-up
that turns to another subject in the same frame ("what about buses?" after a question on truck
tariffs) takes the last question only: the last answer's names and titles are its subject.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.models import CITATION_MARKER, Turn
from bot.terms import ANAPHORA, content_terms, has_anaphora, lower_words

# Runs of capitalised words ("US Commerce Secretary Howard Lutnick", "Xi Jinping").
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’-]*)*")
_NOT_NAMES = frozenset(
    re.findall(r"\w+", "The A An In On At And But Or If What Who When Where Why How It")
)
_SHORT_FOLLOW_UP_WORDS = 4
_MAX_ENTITIES = 8
# How many questions back a chain of follow-ups is followed ("how many cars?" after "and on
# cars?" after "what did the US and UK agree on steel?").
_MAX_CHAIN = 3
# Openings that turn to another subject in the last question's frame ("what about buses?",
# "how about Japan?", "same for EVs?", "and semiconductors?"), unless a pronoun points back.
_TURNS = tuple(tuple(opening.split()) for opening in ("what about", "how about", "same for", "and"))
# Words that may stand between such an opening and the subject it turns to ("and on rice?").
_LEADING = frozenset(("the", "a", "an", "on", "for", "in", "to", "with", "of"))
# Words a turn may open with before the opening proper ("and what about Japan's investment
# pledge?", "ok how about rice?").
_FILLERS = frozenset(("and", "so", "ok", "okay", "now", "also"))


def leans_on_history(question: str) -> bool:
    """Say whether `question` leans on an earlier turn: a pronoun, a continuing opening
    ("and", "what about"), or almost no words of its own."""
    words = lower_words(question)
    return len(words) <= _SHORT_FOLLOW_UP_WORDS or has_anaphora(words)


def leaned_on(history: Sequence[Turn]) -> str | None:
    """Return the question a follow-up leans on: the last turn's, joined with the earlier
    ones it leaned on in turn (None without history)."""
    chain: list[str] = []
    for turn in reversed(history):
        chain.append(turn.question)
        if len(chain) >= _MAX_CHAIN or not leans_on_history(turn.question):
            break
    return " ".join(reversed(chain)) or None


def follow_up_query(question: str, history: Sequence[Turn]) -> str:
    """Join the last turn's question, cited titles and named entities to a dependent question."""
    if not history or not leans_on_history(question):
        return question
    if turns_to_another_subject(question):
        return f"{question} {leaned_on(history)}"
    last = history[-1]
    entities = [e for e in _entities(last.answer) if e.lower() not in question.lower()]
    parts = [question, leaned_on(history), *entities[:_MAX_ENTITIES], *last.cited_titles[:2]]
    return " ".join(part for part in parts if part)


def turns_to_another_subject(question: str) -> bool:
    """Say whether a follow-up turns to another subject in the last question's frame: "what
    about buses - what rate do they get?" after "Did the US put Section 232 tariffs on trucks?"
    (the last answer's names and titles are about trucks, and pulled retrieval back to them),
    "and on rice?", "same for Japan?"; not "and how long does it last?", "and after the deal?",
    "what about that deal?" (the word after the opening is no new subject). A filler may come
    first ("and what about Japan's investment pledge?", "ok, how about rice?")."""
    words = lower_words(question)
    filler = len(words) > 1 and words[0] in _FILLERS and words[1] not in _FILLERS
    if filler and turns_to_another_subject(" ".join(words[1:])):
        return True
    for opening in _TURNS:
        if words[: len(opening)] == list(opening):
            rest = [w for w in words[len(opening) :] if w not in _LEADING]
            return bool(rest) and rest[0] not in ANAPHORA and bool(content_terms(rest[0]))
    return False


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
