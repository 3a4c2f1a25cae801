"""Split retrieved passages into candidate sentences and score their words against a question.

The lexical half of the extractive answerer: stemmed content terms, question-term coverage by a
sentence and by its passage, and a cheap pre-ranking that decides which sentences are worth
embedding. Offsets always point into the stored article text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS

from ingest.models import Passage
from ingest.text import is_prose, sentence_bounds

# Words that frame a question or pad a sentence without saying what it is about.
_FRAMING_WORDS = frozenset(
    re.findall(
        r"\w+",
        "according also anything article articles could describe detail details does explain "
        "get got happen happened happening know latest let many may me mean meant might much "
        "please say said says something tell tells thing things told us would",
    )
)
_STOPWORDS = frozenset(STOPWORDS_EN_PLUS) | _FRAMING_WORDS
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# "U.S." -> "US", "E.U." -> "EU", so country abbreviations survive as one term.
_DOTTED_ABBREVIATION = re.compile(r"\b((?:[A-Z]\.){2,})")
_MIN_PREFIX_MATCH = 5
_MAX_PREFIX_GAP = 4
# Earlier questions count lightly, and only for a follow-up: a question that leans on a
# pronoun ("what did he say") or has almost no words of its own ("how much?").
_HISTORY_WEIGHT = 0.3
_FOLLOW_UP_MAX_TERMS = 2
_ANAPHORA = frozenset(
    re.findall(r"\w+", "he she it they him her them his its their this that these those there")
)
# Questions asking for an amount or a date, and sentences able to answer them.
_WANTS_NUMBER = re.compile(
    r"\bhow (?:much|many|long|high|large|big|low|steep)\b|\bwhat (?:\w+ )?(?:rate|percent"
    r"|percentage|share|amount|value|level|size|number|duty|tariff|quota)\b",
    re.IGNORECASE,
)
_WANTS_DATE = re.compile(r"\bwhen\b|\b(?:what|which) (?:year|date|day|month)\b", re.IGNORECASE)
_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty"
    r"|forty|fifty|sixty|hundred|thousand|million|billion|trillion|half|double|percent)\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\d|\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday"
    r"|tomorrow|week|month|year)s?\b",
    re.IGNORECASE,
)
# How much a passage's retrieval rank counts when choosing which sentences to embed.
_RANK_PRIOR = 0.3


@dataclass(frozen=True)
class Candidate:
    """One sentence of a retrieved passage, with offsets into the stored article."""

    passage: Passage
    rank: int  # the passage's rank in the retrieval results, 0 = best
    start: int  # offset in the article text
    end: int
    text: str
    terms: frozenset[str]
    context_terms: frozenset[str]  # terms of the passage and its title

    @property
    def key(self) -> tuple[str, int]:
        """Identify the sentence in its article (overlapping passages repeat sentences)."""
        return (self.passage.doc_id, self.start)


@dataclass(frozen=True)
class QuestionProfile:
    """What a question asks about: its terms, a follow-up's borrowed terms, an answer type."""

    terms: frozenset[str]
    history_terms: frozenset[str] = frozenset()
    wants_number: bool = False
    wants_date: bool = False

    @property
    def wanted_terms(self) -> frozenset[str]:
        """Every term worth finding in a sentence, borrowed ones included."""
        return self.terms | self.history_terms

    def coverage(self, terms: frozenset[str]) -> float:
        """Share of the question's terms in `terms`; a follow-up's borrowed terms help a little."""
        own = coverage(self.terms, terms)
        if not self.history_terms:
            return own
        weight = _HISTORY_WEIGHT * len(self.history_terms)
        borrowed = coverage(self.history_terms, terms)
        return max(own, (len(self.terms) * own + weight * borrowed) / (len(self.terms) + weight))

    def answer_type_fits(self, sentence: str) -> bool:
        """Say whether a sentence holds the kind of thing asked for (an amount, a date)."""
        return bool(
            (self.wants_number and _NUMBER.search(sentence))
            or (self.wants_date and _DATE.search(sentence))
        )


def profile_question(question: str, previous_question: str | None = None) -> QuestionProfile:
    """Describe `question`; borrow the previous question's terms when it is a follow-up."""
    terms = content_terms(question)
    borrowed: frozenset[str] = frozenset()
    words = {w.lower() for w in _WORD.findall(question)}
    if previous_question and (len(terms) <= _FOLLOW_UP_MAX_TERMS or words & _ANAPHORA):
        borrowed = content_terms(previous_question) - terms
    return QuestionProfile(
        terms=terms,
        history_terms=borrowed,
        wants_number=bool(_WANTS_NUMBER.search(question)),
        wants_date=bool(_WANTS_DATE.search(question)),
    )


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


@lru_cache(maxsize=16384)  # popular passages come back question after question
def content_terms(text: str) -> frozenset[str]:
    """Return the stemmed content words of `text` (stopwords and question framing removed)."""
    text = _DOTTED_ABBREVIATION.sub(lambda m: m.group(1).replace(".", ""), text)
    words = [w.lower() for w in _WORD.findall(text) if _is_content_word(w)]
    return frozenset(_stemmer().stemWords(words))


def _is_content_word(word: str) -> bool:
    """Keep names in capitals ("US", "IT") and every non-stopword longer than a letter."""
    if word.isupper() and len(word) > 1:
        return True
    lower = word.lower()
    return lower not in _STOPWORDS and (len(lower) > 1 or lower.isdigit())


def coverage(question_terms: Iterable[str], terms: frozenset[str]) -> float:
    """Return the share of `question_terms` that `terms` contains (prefix-tolerant stems)."""
    wanted = list(question_terms)
    if not wanted:
        return 0.0
    return sum(1 for term in wanted if _has_term(term, terms)) / len(wanted)


def _has_term(term: str, terms: frozenset[str]) -> bool:
    """Match a stem exactly, or as a prefix ("presid" meets "presidenti")."""
    if term in terms:
        return True
    if len(term) < _MIN_PREFIX_MATCH:
        return False
    return any(
        abs(len(other) - len(term)) <= _MAX_PREFIX_GAP
        and (other.startswith(term) or term.startswith(other))
        for other in _by_prefix(terms).get(term[:_MIN_PREFIX_MATCH], ())
    )


@lru_cache(maxsize=16384)
def _by_prefix(terms: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """Group the terms long enough for prefix matching by their first letters.

    Two stems can only prefix-match if both are that long and share those letters, so a
    lookup replaces a scan of every term of a passage.
    """
    groups: dict[str, list[str]] = {}
    for other in terms:
        if len(other) >= _MIN_PREFIX_MATCH:
            groups.setdefault(other[:_MIN_PREFIX_MATCH], []).append(other)
    return {prefix: tuple(group) for prefix, group in groups.items()}


def split_candidates(passages: Sequence[Passage]) -> list[Candidate]:
    """Return every distinct sentence of `passages`, in retrieval order, each once."""
    seen: set[tuple[str, int] | str] = set()  # positions, and texts (repeated headlines, copies)
    out: list[Candidate] = []
    for rank, passage in enumerate(passages):
        bounds = sentence_bounds(passage.text)
        terms = [content_terms(passage.text[lo:hi]) for lo, hi in bounds]
        # Sentences split only at whitespace, so their terms together are the passage's.
        context = content_terms(passage.title).union(*terms)
        for (lo, hi), sentence_terms in zip(bounds, terms, strict=True):
            sentence = passage.text[lo:hi]
            key = (passage.doc_id, passage.start + lo)
            if key in seen or sentence in seen or not is_prose(sentence):
                continue
            seen.update((key, sentence))
            out.append(
                Candidate(
                    passage=passage,
                    rank=rank,
                    start=passage.start + lo,
                    end=passage.start + hi,
                    text=sentence,
                    terms=sentence_terms,
                    context_terms=context,
                )
            )
    return out


def is_complete_sentence(text: str) -> bool:
    """Say whether `text` ends like a sentence rather than a heading or a table row."""
    return text.rstrip("\"'”’)]*").endswith((".", "!", "?"))


def shortlist(
    candidates: Sequence[Candidate], question_terms: frozenset[str], cap: int
) -> list[Candidate]:
    """Keep the `cap` candidates most worth embedding: term overlap, then passage rank."""
    if len(candidates) <= cap:
        return list(candidates)

    def prescore(i: int) -> float:
        candidate = candidates[i]
        return coverage(question_terms, candidate.terms) + _RANK_PRIOR / (1 + candidate.rank)

    ranked = sorted(range(len(candidates)), key=lambda i: (-prescore(i), i))
    keep = sorted(ranked[:cap])
    return [candidates[i] for i in keep]
