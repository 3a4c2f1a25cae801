"""Verify a generated answer's `[n]` markers against the passages it was shown.

The model's text is never trusted: markers that name no passage are removed, the rest are
renumbered 1..N in order of first appearance, and each citation gets a verbatim quote (the
passage sentence that best supports the answer sentence holding the marker), with offsets
into the stored article. A marker whose answer sentence shares no word with the passage it
names is unsupported and removed too. With no marker left the answer becomes a refusal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.models import CITATION_MARKER, REFUSAL_TEXT, Citation
from bot.terms import content_terms
from ingest.models import Passage
from ingest.text import sentence_bounds

_ANSWER_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class CheckedAnswer:
    """An answer whose every marker names a passage and carries a verbatim quote."""

    text: str
    citations: tuple[Citation, ...]

    @property
    def grounded(self) -> bool:
        """Say whether anything is cited."""
        return bool(self.citations)


def check_answer(raw: str, passages: Sequence[Passage], question: str = "") -> CheckedAnswer:
    """Strip invalid markers, renumber the rest and attach a verbatim quote to each.

    Args:
        raw: the model's answer text, `[n]` markers naming passages 1..len(passages).
        passages: the passages shown to the model, in prompt order.
        question: breaks ties between equally supportive passage sentences.

    Returns:
        The checked answer; a refusal with no citations when nothing valid is left.
    """
    if is_refusal(raw):
        return refusal()
    text = drop_markers(raw, lambda n: 1 <= n <= len(passages))
    supported = {
        n for n in marker_numbers(text) if _support(text, n, passages[n - 1], question)[1] > 0
    }
    text = drop_markers(text, lambda n: n in supported)
    text, order = renumber_markers(text)
    if not order:
        return refusal()
    citations = []
    for new_n, old_n in enumerate(order, start=1):
        passage = passages[old_n - 1]
        (start, end), _ = _support(text, new_n, passage, question)
        citations.append(
            Citation.quoting(new_n, passage, passage.start + start, passage.start + end)
        )
    return CheckedAnswer(text=text, citations=tuple(citations))


def refusal() -> CheckedAnswer:
    """Return the plain refusal, citing nothing."""
    return CheckedAnswer(text=REFUSAL_TEXT, citations=())


def is_refusal(text: str) -> bool:
    """Say whether the model answered with the refusal phrase (case and punctuation aside)."""
    return _normalise(REFUSAL_TEXT) in _normalise(text)


def marker_numbers(text: str) -> list[int]:
    """Return the numbers of all markers in order of appearance, repeats included."""
    return [n for match in CITATION_MARKER.finditer(text) for n in _group_numbers(match)]


def drop_markers(text: str, keep: Callable[[int], bool]) -> str:
    """Remove the marker numbers `keep` rejects, and any group left empty with its leading space."""

    def rewrite(match: re.Match[str]) -> str:
        kept = [n for n in _group_numbers(match) if keep(n)]
        if not kept:
            return ""
        lead = match.group(0)[: len(match.group(0)) - len(match.group(0).lstrip())]
        return lead + "".join(f"[{n}]" for n in kept)

    return re.sub(r"\s*" + CITATION_MARKER.pattern, rewrite, text).strip()


def strip_markers(text: str) -> str:
    """Remove every marker from `text`."""
    return re.sub(r"\s*" + CITATION_MARKER.pattern, "", text).strip()


def renumber_markers(text: str) -> tuple[str, list[int]]:
    """Renumber markers 1..N by first appearance; return the text and the old number of each."""
    order: list[int] = []
    for n in marker_numbers(text):
        if n not in order:
            order.append(n)
    new_number = {old: new for new, old in enumerate(order, start=1)}

    def rewrite(match: re.Match[str]) -> str:
        return "".join(f"[{new_number[n]}]" for n in _group_numbers(match))

    return CITATION_MARKER.sub(rewrite, text), order


def best_sentence(claim: str, passage: Passage, question: str = "") -> tuple[tuple[int, int], int]:
    """Return the passage sentence sharing most words with `claim` and that word count.

    The sentence is (start, end) in `passage.text`; ties go to the sentence sharing more words
    with the question, then to the earlier sentence.
    """
    claim_terms, question_terms = content_terms(claim), content_terms(question)
    best = ((0, len(passage.text)), 0, 0)
    for start, end in sentence_bounds(passage.text):
        terms = content_terms(passage.text[start:end])
        overlap, tie = len(claim_terms & terms), len(question_terms & terms)
        if (overlap, tie) > best[1:]:
            best = ((start, end), overlap, tie)
    return best[0], best[1]


def claims_for(text: str, n: int) -> str:
    """Return the answer sentences that hold marker `n`, markers removed, joined by spaces."""
    claims = [strip_markers(sentence) for sentence in _claim_sentences(text, n)]
    return " ".join(claim for claim in claims if claim)


def _claim_sentences(text: str, n: int) -> list[str]:
    """Return the answer sentences holding marker `n`; leading markers go to the one before."""
    sentences = [s for s in _ANSWER_SENTENCE_END.split(text) if s.strip()]
    holding: list[str] = []
    for index, sentence in enumerate(sentences):
        leading = re.match(r"\s*((?:" + CITATION_MARKER.pattern + r"\s*)+)", sentence)
        numbers = set(marker_numbers(sentence))
        if leading and index > 0 and n in marker_numbers(leading.group(1)):
            holding.append(sentences[index - 1])
            numbers -= set(marker_numbers(leading.group(1)))
        if n in numbers:
            holding.append(sentence)
    return holding


def _support(text: str, n: int, passage: Passage, question: str) -> tuple[tuple[int, int], int]:
    """Find the best quote in `passage` for the claims marked `n` and how many words it shares."""
    return best_sentence(claims_for(text, n), passage, question)


def _group_numbers(match: re.Match[str]) -> list[int]:
    """Return the distinct numbers of one marker group, in order."""
    numbers = [int(part) for part in match.group(1).split(",")]
    return list(dict.fromkeys(numbers))


def _normalise(text: str) -> str:
    """Lower-case and collapse everything but words to single spaces."""
    return " ".join(_WORD.findall(text.lower()))
