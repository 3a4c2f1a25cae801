"""Split retrieved passages into candidate sentences and score their words against a question.

The lexical half of the extractive answerer: candidate sentences with their terms and their
passage's, a follow-up's candidates kept to articles about its referent, and a cheap
pre-ranking that decides which sentences are worth embedding. Offsets always point into the
stored article text. What the question asks about is `question_profile.QuestionProfile`.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from bot.answering.question_profile import QuestionProfile, coverage
from bot.retrieval.references import referred_titles
from bot.terms import content_terms
from ingest.models import Passage
from ingest.text import (
    ends_at_abbreviation,
    is_prose,
    opens_in_table,
    opens_with_connective,
    sentence_bounds,
    table_cells,
    table_header,
)

# Passages whose sentence analysis is kept: about 5.5 KB each, so a corpus of 16k passages
# (SciFact's 11k, the trade corpus's 2.6k) fits in 90 MB. A question reads 20 passages;
# analysing one costs about 0.25 ms.
_PASSAGE_CACHE = 16384
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
    header: str = ""  # a table row's header row, its context when quoted
    cut: bool = False  # the passage ends inside the sentence ("... access for U.S.")
    cut_before: bool = False  # the passage starts inside it ("alcoholic beverages, I ...")
    # The titles of the orders the sentence names by number only ("Executive Order 14380").
    refers: tuple[str, ...] = ()

    @property
    def display(self) -> str:
        """The sentence as an answer shows it: a table row as "header: value" pairs; a
        sentence its passage cuts short shows "…" where it is cut (its citation quotes what
        is stored)."""
        if self.cut or self.cut_before:
            return f"{'… ' if self.cut_before else ''}{self.text}{' …' if self.cut else ''}"
        if not self.header:
            return self.text
        pairs = zip(table_cells(self.header), table_cells(self.text), strict=False)
        return "; ".join(f"{name}: {value}" if name else value for name, value in pairs)

    @property
    def key(self) -> tuple[str, int]:
        """Identify the sentence in its article (overlapping passages repeat sentences)."""
        return (self.passage.doc_id, self.start)


def about_the_referent(
    candidates: Sequence[Candidate],
    profile: QuestionProfile,
    article_terms: Callable[[str], frozenset[str]] | None = None,
) -> list[Candidate]:
    """Keep, for a follow-up, the sentences of articles that mention what it is about.

    "how long can it last?" after "What is the Section 122 surcharge?" asks about the
    surcharge: an article that never names it ("The Section 232 tariff on steel ... can last
    for as long as ...") cannot answer, however well it matches "last". The article must
    hold the rarest of the referent's terms (`article_terms` gives an article's whole
    vocabulary; without it the passage and its title must), unless no article does.
    """
    if not profile.referent:
        return list(candidates)
    key = max(sorted(profile.referent), key=profile.weight)

    def mentions(candidate: Candidate) -> bool:
        if profile.found(key, candidate.context_terms):
            return True
        return article_terms is not None and profile.in_large(
            key, article_terms(candidate.passage.doc_id)
        )

    # None of them does: the pronoun may not point back at all ("Is it true that ...?"
    # starting a new subject), and the model judges every sentence as for any question.
    return [c for c in candidates if mentions(c)] or list(candidates)


def split_candidates(
    passages: Sequence[Passage],
    order_titles: Callable[[str], Mapping[tuple[str, str], str]] | None = None,
    table_header: Callable[[str], str] | None = None,
) -> list[Candidate]:
    """Return every distinct sentence of `passages`, in retrieval order, each once.

    Overlapping passages repeat sentences; where one passage cuts a sentence at its end ("This
    notice announces the U.S.") and another holds it whole, the whole one is kept.
    `order_titles` gives the titles an article cites its orders by: a sentence naming an
    order by number only ("Executive Order 14380 shall no longer be in effect") holds its
    title's terms too ("... the Government of Cuba"), and so does its passage.
    `table_header` gives the header row of the table a passage (by chunk id) opens inside
    of: the rows it opens on are read, and shown, with it.
    """
    seen: set[str] = set()  # texts (repeated headlines, syndicated copies)
    at: dict[tuple[str, int], int] = {}  # a sentence's position in its article -> its index
    out: list[Candidate] = []
    for rank, passage in enumerate(passages):
        inherited = table_header(passage.chunk_id) if table_header is not None else ""
        sentences, context = _analyse(passage.title, passage.text, inherited)
        titles = order_titles(passage.doc_id) if order_titles is not None else {}
        context = context | _referred_terms(passage.text, titles)
        for lo, hi, terms, header, cut in sentences:
            sentence = passage.text[lo:hi]
            refers = tuple(referred_titles(sentence, dict(titles))) if titles else ()
            if refers:  # "the rate applicable under Executive Order 14195": the fentanyl duty
                terms = terms | content_terms(" ".join(refers))
            key = (passage.doc_id, passage.start + lo)
            known = at.get(key)
            if sentence in seen or (known is not None and len(out[known].text) >= hi - lo):
                continue
            seen.add(sentence)
            candidate = Candidate(
                passage=passage,
                rank=rank,
                start=passage.start + lo,
                end=passage.start + hi,
                text=sentence,
                terms=terms,
                context_terms=context,
                header=header,
                refers=refers,
                cut=cut,
                # A passage after the article's first that opens in lower case opens inside a
                # sentence the one before it holds.
                cut_before=passage.start > 0
                and not passage.text[:lo].strip()
                and sentence[:1].islower(),
            )
            if known is None:
                at[key] = len(out)
                out.append(candidate)
            else:
                out[known] = candidate
    return out


def warm_analysis(passages: Iterable[Passage]) -> int:
    """Split and analyse passages ahead of the questions that will retrieve them (as many as
    the analysis cache holds); return how many were analysed."""
    analysed = 0
    for passage in itertools.islice(passages, _PASSAGE_CACHE):
        _analyse(passage.title, passage.text, "")  # the key split_candidates looks up
        analysed += 1
    return analysed


# lo, hi, terms (with a row's header), header, whether the passage cuts the sentence short
_Sentence = tuple[int, int, frozenset[str], str, bool]


def _referred_terms(text: str, titles: Mapping[tuple[str, str], str]) -> frozenset[str]:
    """The terms of the titles of the orders `text` names by number only."""
    if not titles:
        return frozenset()
    return content_terms(" ".join(referred_titles(text, dict(titles))))


@lru_cache(maxsize=_PASSAGE_CACHE)
def _analyse(
    title: str, text: str, inherited: str = ""
) -> tuple[tuple[_Sentence, ...], frozenset[str]]:
    """Return a passage's quotable sentences and the terms of the passage and its title.

    `inherited`: the header row of the table the passage opens inside of (an earlier
    passage holds it). Depends on the texts alone, and popular passages come back question
    after question.
    """
    bounds = sentence_bounds(text)
    terms = [content_terms(text[lo:hi]) for lo, hi in bounds]
    # Sentences split only at whitespace, so their terms together are the passage's.
    context = content_terms(title).union(*terms, content_terms(inherited))
    sentences: list[_Sentence] = []
    end = len(text.rstrip())
    for (lo, hi), own in zip(bounds, terms, strict=True):
        if not is_prose(text[lo:hi]):
            continue
        if inherited and opens_in_table(text, lo):
            header = inherited
        else:
            span = table_header(text, lo)
            header = text[span[0] : span[1]] if span else ""
        if header:
            own = own | content_terms(header)
        # A passage ends where the chunker saw a sentence end; one ending on an
        # abbreviation goes on in the next passage ("for U.S. beef").
        cut = hi >= end and ends_at_abbreviation(text[lo:hi])
        sentences.append((lo, hi, own | amendment_terms(text[lo:hi]), header, cut))
    return tuple(sentences), context


# An order amending another's figure: "amended by striking the words “10 percent” and
# inserting in lieu thereof the words “20 percent”", "by deleting “34%” each place that it
# appears and by inserting “84%” in lieu thereof", "replacing “March 12” with “June 4”".
_QUOTED = r"[“\"]([^”\"]{1,40})[”\"]"
_AMENDMENT = re.compile(
    rf"(?:striking|deleting|replacing)\s+(?:the\s+(?:words?|date|effective date)\s+)?"
    rf"{_QUOTED}[^“”\"]{{0,80}}?(?:inserting|with)\s+(?:in\s+lieu\s+thereof\s+)?"
    rf"(?:the\s+(?:words?|date)\s+)?{_QUOTED}",
    re.IGNORECASE,
)
_AMOUNT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:%|percent)\s*$", re.IGNORECASE)
_MONTHS = "January February March April May June July August September October November December"
_DATE = re.compile(rf"^\s*(?:{'|'.join(_MONTHS.split())})\s+\d{{1,2}},\s+\d{{4}}\s*$")
_UP = content_terms("increase raise hike")
_DOWN = content_terms("decrease lower reduce cut")
_LATER = content_terms("delay postpone")
_EARLIER = content_terms("advance earlier")
_CHANGED = content_terms("change amend")


def amendment_terms(sentence: str) -> frozenset[str]:
    """Return the words for the change an amending sentence makes: a rate struck out and
    another inserted is a raise or a cut; a date, a delay or an earlier date. A question asking
    "what did Trump raise the fentanyl tariff on China to?" finds its words in the order's
    "striking the words “10 percent” and inserting ... “20 percent”"."""
    found: set[str] = set()
    for match in _AMENDMENT.finditer(sentence):
        old, new = _AMOUNT.match(match.group(1)), _AMOUNT.match(match.group(2))
        if old and new and float(old.group(1)) != float(new.group(1)):
            found |= _UP if float(new.group(1)) > float(old.group(1)) else _DOWN
        elif _DATE.match(match.group(1)) and _DATE.match(match.group(2)):
            was, now = (_day_of(match.group(i)) for i in (1, 2))
            if was != now:
                found |= _LATER if now > was else _EARLIER
        found |= _CHANGED
    return frozenset(found)


def _day_of(text: str) -> date:
    return datetime.strptime(" ".join(text.split()), "%B %d, %Y").date()


# The figures of a sentence (amounts, dates, identifiers).
_FIGURES = re.compile(r"\d+(?:[.,:/-]\d+)*")


# A rate or an amount as a sentence states it: "10%", "10 percent", "$2.5 billion", "$800".
_RATE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|percent\b|per\s+cent\b)", re.IGNORECASE)
_DOLLARS = re.compile(r"\$\s?(\d+(?:,\d{3})*(?:\.\d+)?)(?:\s*(billion|million|trillion)\b)?")


def stated_amounts(text: str) -> frozenset[str]:
    """Return the rates and amounts `text` states, one form each ("10%" for "10 percent",
    "$2.5 billion"): what a fact sheet and the order it sums up both say."""
    rates = {f"{m.group(1)}%" for m in _RATE.finditer(text)}
    amounts = {
        f"${m.group(1).replace(',', '')} {m.group(2) or ''}".rstrip()
        for m in _DOLLARS.finditer(text)
    }
    return frozenset(rates | amounts)


def same_figures(text: str, other: str) -> bool:
    """Say whether two sentences hold the same figures, in the same order: near-copies that
    differ in them ("25 percent" then "50 percent") say different things."""
    return _FIGURES.findall(text) == _FIGURES.findall(other)


# An enumerated clause of an order's list: "(a) increase the ad valorem rate of duty ... from
# 30 percent to 90 percent;", "(ii) on or after May 2, 2025; and".
_CLAUSE_ITEM = re.compile(r"^[\s*>-]*\\?\(\w{1,4}\\?\)\s.*;(?:\s+(?:and|or))?$", re.DOTALL)


def is_complete_sentence(text: str) -> bool:
    """Say whether `text` ends like a sentence (or an enumerated clause of a list, which says
    as much) rather than a heading or a table row."""
    return text.rstrip("\"'”’)]*").endswith((".", "!", "?")) or bool(
        _CLAUSE_ITEM.match(text.rstrip())
    )


def shortlist(
    candidates: Sequence[Candidate],
    question_terms: frozenset[str],
    cap: int,
    relevance: Callable[[frozenset[str]], float] | None = None,
    also: Callable[[Candidate], bool] | None = None,
    also_cap: int = 0,
) -> list[Candidate]:
    """Keep the `cap` candidates most worth embedding: term overlap, then passage rank.

    `relevance` scores a sentence's terms (the question profile's weighted coverage, where a
    follow-up's borrowed terms count less than its own); by default every term counts alike.
    Up to `also_cap` more candidates for which `also` holds (the best of them by the same
    score) are kept beside those: a sentence that says what became of the matter ("to delay
    for an additional year the increase") shares few of the words that ask about it.
    """
    if len(candidates) <= cap:
        return list(candidates)

    def prescore(i: int) -> float:
        candidate = candidates[i]
        overlap = (
            relevance(candidate.terms) if relevance else coverage(question_terms, candidate.terms)
        )
        return overlap + _RANK_PRIOR / (1 + candidate.rank)

    ranked = sorted(range(len(candidates)), key=lambda i: (-prescore(i), i))
    extra = [i for i in ranked[cap:] if also is not None and also(candidates[i])][:also_cap]
    keep = sorted(ranked[:cap] + extra)
    return [candidates[i] for i in keep]


# A sentence that opens by pointing back finishes the one before it, and its quote needs
# that one: by a connective ("Accordingly, the President signed an Executive Order
# removing that tariff"), or by a determiner whose noun the other sentence names ("These goods
# include ..." after "Some goods have been removed from Annex II"; not "This notice extends
# ..." after a sentence on an extension: the notice is the article itself).
_DETERMINER = re.compile(r"[\s*_>\-•]*(?:this|these|that|those|such)\s+(\S+)", re.IGNORECASE)
# The most a neighbour borrowed into a quote adds to it (characters).
_BORROWED_MAX = 400


def points_back(sentence: str, at: str) -> bool:
    """Say whether `sentence` opens by pointing back at the sentence `at` (see above)."""
    if opens_with_connective(sentence):
        return True
    determined = _DETERMINER.match(sentence)
    return determined is not None and bool(content_terms(determined.group(1)) & content_terms(at))


def in_context(candidate: Candidate, joins: Callable[[str], bool] | None = None) -> Candidate:
    """Widen a sentence over its neighbours in the same paragraph that it and they need.

    The sentence before joins when this one opens by pointing back at it ("Accordingly, I
    have decided to terminate ..." after "I have determined that Ethiopia, Guinea, and Mali
    do not meet ..."). The sentence after always joins: official prose sets the scene in one
    sentence and says what was done in the next ("The interagency Trade Policy Staff Committee
    sought public comments ... ." then "USTR is canceling the public hearing ..."; "... the
    Commission has added two additional days to the public hearing ..." then "As rescheduled,
    it will be held on July 20-22, 2022."), and the sentence matching the question's words is
    the first. Only within the passage, never across a line break, at most `_BORROWED_MAX`
    characters each; a table row stays a row; the sentence after only when `joins(its text)`
    (None: always; a question naming a time keeps out one telling of another time).
    """
    if candidate.header:
        return candidate
    passage, offset = candidate.passage, candidate.passage.start
    text = passage.text
    bounds = sentence_bounds(text)
    here = next((i for i, (lo, _) in enumerate(bounds) if lo == candidate.start - offset), None)
    if here is None:
        return candidate
    lo, hi = bounds[here]
    if here > 0:
        before_lo, before_hi = bounds[here - 1]
        if (
            _same_paragraph(text[before_hi:lo])
            and before_hi - before_lo <= _BORROWED_MAX
            and points_back(text[lo:hi], text[before_lo:before_hi])
        ):
            lo = before_lo
    if here + 1 < len(bounds):
        after_lo, after_hi = bounds[here + 1]
        if (
            _same_paragraph(text[hi:after_lo])
            and after_hi - after_lo <= _BORROWED_MAX
            and (joins is None or joins(text[after_lo:after_hi]))
        ):
            hi = after_hi
    if (lo, hi) == bounds[here]:
        return candidate
    return dataclasses.replace(candidate, start=offset + lo, end=offset + hi, text=text[lo:hi])


def _same_paragraph(between: str) -> bool:
    """Say whether two sentences with `between` between them share a line (a list item or a
    new paragraph says something of its own)."""
    return "\n" not in between
