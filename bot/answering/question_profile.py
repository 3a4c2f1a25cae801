"""What a question asks about: its terms weighed by rarity, and how a text's terms cover them.

The question half of the extractive answerer's lexical scoring: stemmed content terms (a
follow-up's borrowed ones counting less), IDF weights, vocabulary alternatives, the kind of
answer asked for, the names asked about, what a follow-up's pronoun stands for and the
calendar time the question names; prefix-tolerant matching of stems.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Literal

from bot.answering.answer_types import (
    MONTH_ABBREVIATIONS,
    MONTHS,
    AnswerType,
    asking_terms,
    counted_terms,
    countries_in,
    countries_named,
    days_named,
    defined_term,
    defines,
    expected_type,
    figures_named,
    fits,
    home_terms,
    identifier_kind,
    location_terms,
    new_identifiers,
    organization_terms,
    payer_terms,
    signed_days,
    someone_terms,
    speaker_terms,
    what_counts_count,
    without_values,
)
from bot.retrieval.time_scope import labels_a_document
from bot.terms import (
    content_terms,
    english_frequency,
    has_anaphora,
    identifier_terms,
    index_terms,
    lower_words,
    stem_words,
    without_examples,
    without_identifiers,
)

_MIN_PREFIX_MATCH = 5
# Words in a passage (the chunker's 200 tokens): how often a word turns up in one.
_PASSAGE_WORDS = 150
_MAX_PREFIX_GAP = 4
# Earlier questions count lightly, and only for a follow-up: a question that leans on a
# pronoun ("what did he say") or has almost no words of its own ("how much?").
_HISTORY_WEIGHT = 0.3
_FOLLOW_UP_MAX_TERMS = 2
# Term sets whose hits one question profile remembers (its sentences' and passages').
_MEMO_SETS = 4096
# The coverages a profile remembers: plain, IDF-weighed, of the asking clause, own terms.
_Measure = Literal["plain", "weighed", "ask", "share"]
# "the Trump-era aluminum proclamation", "the Clinton-era EO": when it was made, not someone the
# answer must name.
_ERA = re.compile(r"\b[A-Z][\w'’]*-era\b")
# A capitalised word after the first word: a country, a body, a person, a product name.
# A capitalised word past the first; of a hyphenated one, the parts that are names too:
# "Biden-Xi" names two people, "H200-class" and "China-based" one thing each.
_NAME = re.compile(
    r"(?<=\S\s)(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mon|Tue|Wed|Thu"
    r"|Fri|Sat|Sun)[a-z]*\b)[A-Z][\w'’]*(?:-[A-Z0-9][\w'’]*)*"
)

# A name of several capitalised words ending in the kind of thing it names ("the Minerals
# Security Partnership", "Brazil's Economic Reciprocity Law", "the US-China Board of Trade"):
# an article naming it writes those words in that order.
_TITLE_WORD = (
    r"(?!(?:Which|What|Whose|Who|When|Where|Why|How|Did|Does|Do|Is|Are|Was|Were|Has|Have|Had"
    r"|Will|Would|Can|Could|Should|The|In|On|Under|For|After|Before|Per|And|Or)\b)"
    r"(?:[A-Z][a-z][\w'’]*|[A-Z]{2,}s?|\d+(?:st|nd|rd|th))"
)
_TITLE_JOIN = r"(?:[ \-–]|\s+(?:of|on|for)\s+(?:the\s+)?)"
_TITLED_NAME = re.compile(
    rf"\b{_TITLE_WORD}(?:{_TITLE_JOIN}{_TITLE_WORD})*?{_TITLE_JOIN}(?:Partnership|Fund|Act"
    r"|Law|Body|Agreement|Accords?|Initiative|Program|Programme|Plan|Council|Committee"
    r"|Commission|Board|Forum|Alliance|Framework|Strategy|Treaty|Dialogue|Mechanism|Facility"
    rf"|Compact|Pact|Coalition)\b(?:\s+(?:of|on)\s+(?:the\s+)?{_TITLE_WORD}"
    rf"(?:[ \-–]{_TITLE_WORD})*)?"
)
# Its index terms may sit this many others apart in the article ("the CHIPS and Science Act"
# writes the "CHIPS Act").
TITLED_NAME_GAP = 2


@dataclass(frozen=True)
class QuestionProfile:
    """What a question asks about: its terms and their weights, borrowed terms, an answer type.

    `weights` (a term's IDF in the corpus; 1 when unknown) make rare, distinctive terms count
    for more than common ones; `alternatives` are the document words a term may stand for
    (from the trade vocabulary: "beij" -> {"china"}), each a set of stems found together.
    """

    terms: frozenset[str]
    history_terms: frozenset[str] = frozenset()
    answer_type: AnswerType = "any"
    weights: Mapping[str, float] = field(default_factory=dict)
    alternatives: Mapping[str, tuple[frozenset[str], ...]] = field(default_factory=dict)
    names: frozenset[str] = frozenset()  # terms of capitalised names and identifiers asked about
    # How distinctive the thing a term names is: its weight, or less when the articles write it
    # in commoner words ("hit" for "imposes"): what tells the subject a sentence is about.
    # Empty: the weights.
    concept_weights: Mapping[str, float] = field(default_factory=dict)
    # A follow-up's borrowed terms that say what it is about: the previous question's names
    # (its other borrowed terms when it named none). Empty for a standalone question.
    referent: frozenset[str] = frozenset()
    # The terms of the calendar time the question names ("early Feb 2025") and that time's
    # first and last days (ISO): an article published then is about that time whether or
    # not its text repeats the words.
    dated_terms: frozenset[str] = frozenset()
    window: tuple[str, str] | None = None
    # The trading partners the question names, each as the stem sets of the words that name
    # it (`Vocabulary.places`): a passage must name every one to answer.
    places: tuple[tuple[frozenset[str], ...], ...] = ()
    # The traded products the question names, the same way (`Vocabulary.products`).
    products: tuple[tuple[frozenset[str], ...], ...] = ()
    # What a "how many" question counts ("barrels"): an answer names it beside its number.
    counted: frozenset[str] = frozenset()
    # Whose money a "how much" question asks about ("Roche"): a sum must be told of it.
    payer: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()  # the country names the question writes
    # The kind of identifier asked for ("eo" for "EO number for ...", None: any kind) and the
    # identifiers the question writes itself (no answer to "which proclamation amended 9704?").
    identifier: str | None = None
    own_identifiers: frozenset[str] = frozenset()
    # The days (first, last, ISO) an asked-for order was signed in: "which proclamation put
    # the steel 232 back in feb 2025?" is not answered by "Proclamation 9705 of March 8, 2018".
    signed_in: tuple[str, str] | None = None
    # The term a "what does X mean?" question asks the definition of ("" when none).
    defined: str = ""
    # The days and numbers the question writes itself ("the Oct 7 2025 hearing", "the 25%
    # penalty"): no answer to a question asking for a date or an amount.
    own_days: frozenset[tuple[str, int]] = frozenset()
    own_figures: frozenset[str] = frozenset()
    # The terms of the clause that asks ("what did USTR propose" of "After the Nov 1 deal with
    # Xi, what did USTR propose?"); the rest names the context. Empty: the whole question asks.
    ask_terms: frozenset[str] = frozenset()
    # What a question asks a document says "anything about" ("seabed mining plans" of "Does
    # the US-Norway MOU say anything about Norway's seabed mining plans?"), without the places
    # it names: the article answering must write its rarest term.
    about_terms: frozenset[str] = frozenset()
    # The names of several words the question asks about ("the Minerals Security Partnership"),
    # each as its index terms in order, without the places it names ("US-China"): a name no
    # article writes cannot be answered about, though every word of it is common.
    titled_names: tuple[tuple[str, ...], ...] = ()
    # The question asks what else there is besides what it names ("did it change anything
    # else?", "besides X, what ...", "other countries"): a sentence telling an addition answers.
    asks_else: bool = False
    # The question asks whether something happened again ("Has Commerce caught India buying
    # Russian oil again and recommended putting the 25% back on?"): only a sentence telling a
    # recurrence answers, not the first time.
    asks_again: bool = False
    # The question asks for a new date ("what new date did USTR set for the postponed
    # hearing?"): the day a thing "was scheduled to take place on" is the old one.
    asks_new_date: bool = False
    # The party whose words or response the question asks for ("how did Xi respond on
    # Taiwan?"): a sentence telling them names that party, or is a quotation.
    speaker: frozenset[str] = frozenset()
    # The question asks what was said or agreed when parties met ("at their Lima meeting in Nov
    # 2024 did Biden and Xi say anything about AI?"): the announcement of the meeting ("Biden
    # will meet with Xi in Lima on November 16") tells nothing said there.
    asks_what_was_said: bool = False
    # An alternative question ("Is the heavy truck 232 still just a Commerce investigation, or
    # are there actual duties on trucks now?") is answered by either alternative: the terms
    # each reading needs (`alternative_readings`). Empty: the question asks one thing.
    readings: tuple[frozenset[str], ...] = ()
    # Memos (not part of what the question asks): which wanted terms a text term matches, and
    # the hits of term sets seen already. One question meets the same words and sentences
    # again and again: a passage's sentences, its context, reranking, then the answer.
    _seen_terms: set[str] = field(default_factory=set, init=False, repr=False, compare=False)
    # Of the text terms seen, those matching wanted terms other than themselves, by stem.
    _stem_hits: dict[str, tuple[str, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _set_hits: dict[frozenset[str], frozenset[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    # Coverages by the hits found (subsets of the question's few terms), by kind.
    _coverages: dict[tuple[_Measure, frozenset[str]], float] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def names_places(self, terms: frozenset[str]) -> bool:
        """Say whether `terms` (a passage's and its title's) name every place asked about."""
        return all(any(words <= terms for words in place) for place in self.places)

    def under_another_partner(self, heading: str) -> bool:
        """Say whether a section heading names trading partners, none of them one the question
        asks about: in a fact sheet on four deals, "- Purchase of 30 Boeing aircraft" under
        "**ENHANCING THE U.S.-MALAYSIA RELATIONSHIP:**" is no answer about Thailand's."""
        if not self.places or not heading:
            return False
        terms = content_terms(heading)
        if any(any(words <= terms for words in place) for place in self.places):
            return False
        # A heading in capitals names its partner all the same ("U.S.-MALAYSIA").
        return bool(countries_in(heading.title()) - self.countries)

    def names_a_product(self, terms: frozenset[str]) -> bool:
        """Say whether `terms` (a passage's and its title's) name a product asked about (or the
        question names none)."""
        if not self.products:
            return True
        return any(any(words <= terms for words in product) for product in self.products)

    @cached_property
    def wanted_terms(self) -> frozenset[str]:
        """Every term worth finding in a sentence, borrowed ones included."""
        return self.terms | self.history_terms

    def coverage(self, terms: frozenset[str], plain: bool = False) -> float:
        """Weighted share of the question's terms in `terms`; borrowed terms help a little."""
        return self.coverage_of(self.hits(terms), plain)

    def hits(self, terms: frozenset[str]) -> frozenset[str]:
        """Return the wanted terms (own and borrowed) that `terms` holds, alternatives included."""
        known = self._set_hits.get(terms)
        if known is None:
            known = self._hits(terms)
            if len(self._set_hits) < _MEMO_SETS:
                self._set_hits[terms] = known
        return known

    def hits_together(self, term_sets: Sequence[frozenset[str]]) -> frozenset[str]:
        """Return `hits` of the union of `term_sets` (neighbouring sentences read as one),
        from each set's remembered hits: only an alternative whose words the sets share
        between them ("United" in one, "States" in the next) is looked for anew."""
        found = set().union(*map(self.hits, term_sets))
        if len(term_sets) > 1:
            together = frozenset().union(*term_sets)
            for term, groups in self._wanted_alternatives:
                if term not in found and any(g <= together for g in groups):
                    found.add(term)
        return frozenset(found)

    @cached_property
    def _wanted_by_prefix(self) -> dict[str, tuple[str, ...]]:
        """The wanted terms long enough for prefix matching, by their first letters."""
        return _by_prefix(self.wanted_terms)

    @cached_property
    def _wanted_alternatives(self) -> tuple[tuple[str, tuple[frozenset[str], ...]], ...]:
        """The wanted terms that have vocabulary alternatives, with them."""
        wanted = self.wanted_terms
        return tuple((t, groups) for t, groups in self.alternatives.items() if t in wanted)

    def _hits(self, terms: frozenset[str]) -> frozenset[str]:
        """`hits` worked out with set operations: the wanted terms among `terms`, those a
        text term matches by stem (worked out once per text term), then alternatives.

        A passage's sentences hold hundreds of terms, of which few match anything: only the
        terms not seen before are looked at one by one.
        """
        seen, stems = self._seen_terms, self._stem_hits
        for other in terms.difference(seen):
            seen.add(other)
            near = self._wanted_by_prefix.get(other[:_MIN_PREFIX_MATCH], ())
            same = tuple(t for t in near if t != other and _same_stem(t, other))
            if same:
                stems[other] = same
        found = set(terms & self.wanted_terms)
        for other in terms.intersection(stems):
            found.update(stems[other])
        for term, groups in self._wanted_alternatives:
            if term not in found and any(g <= terms for g in groups):
                found.add(term)
        return frozenset(found)

    def coverage_of(self, hits: frozenset[str], plain: bool = False) -> float:
        """Coverage given the `hits` found; `plain` counts every term alike (no IDF)."""
        return self._remembered("plain" if plain else "weighed", hits, self._coverage_of)

    def _coverage_of(self, hits: frozenset[str], plain: bool) -> float:
        weight = _equal if plain else self.weight
        own = self._best_share(self.terms, hits, weight)
        if not self.history_terms:
            return own
        mine = sum(weight(t) for t in self.terms)
        theirs = _HISTORY_WEIGHT * sum(weight(t) for t in self.history_terms)
        borrowed = _share(self.history_terms, hits, weight)
        return max(own, (mine * own + theirs * borrowed) / max(mine + theirs, 1e-9))

    def ask_coverage(self, hits: frozenset[str]) -> float:
        """Weighted share of the asking clause's terms among `hits` (all terms when no clause
        stands apart)."""
        return self._remembered(
            "ask",
            hits,
            lambda found, _: self._best_share(self.ask_terms or self.terms, found, self.weight),
        )

    def _best_share(
        self, wanted: frozenset[str], hits: frozenset[str], weight: Callable[[str], float]
    ) -> float:
        """Return the weighted share of `wanted` among `hits`, of the reading of an
        alternative question that `hits` answer best."""
        share = _share(wanted, hits, weight)
        for reading in self.readings:
            if wanted & reading:
                share = max(share, _share(wanted & reading, hits, weight))
        return share

    def missing(self, present: frozenset[str]) -> list[str]:
        """Return the question's terms not in `present`, rarest first: of an alternative
        question, those of the reading whose rarest missing term is the least rare."""

        def absent(wanted: frozenset[str]) -> list[str]:
            return sorted(
                (t for t in wanted if t not in present), key=lambda t: (-self.weight(t), t)
            )

        return min(
            (absent(reading) for reading in (self.terms, *self.readings)),
            key=lambda terms: (self.weight(terms[0]) if terms else 0.0, len(terms)),
        )

    def _remembered(
        self, kind: _Measure, hits: frozenset[str], measure: Callable[[frozenset[str], bool], float]
    ) -> float:
        """Return `measure(hits, plain)`, worked out once per kind and set of hits."""
        key = (kind, hits)
        known = self._coverages.get(key)
        if known is None:
            known = self._coverages[key] = measure(hits, kind == "plain")
        return known

    def dated_hits(self, published_at: str | None) -> frozenset[str]:
        """Return the time's terms an article published at `published_at` stands for."""
        if self.window is None or not published_at:
            return frozenset()
        day = published_at[:10]
        return self.dated_terms if self.window[0] <= day <= self.window[1] else frozenset()

    def found(self, term: str, terms: frozenset[str]) -> bool:
        """Say whether `term`, or a vocabulary alternative of it, is among `terms`."""
        if _has_term(term, terms):
            return True
        return any(group <= terms for group in self.alternatives.get(term, ()))

    def share(self, present: frozenset[str]) -> float:
        """Weighted share of the question's own terms among `present`; of its borrowed ones
        when it has none of its own ("until when?" after "did Trump keep the higher China
        reciprocal tariffs paused?" is about those tariffs)."""
        return self._remembered(
            "share",
            present,
            lambda found, _: self._best_share(self.subject_terms, found, self.weight),
        )

    @property
    def subject_terms(self) -> frozenset[str]:
        """The question's own terms; its borrowed ones when it has none of its own."""
        return self.terms or self.history_terms

    def in_large(self, term: str, terms: frozenset[str]) -> bool:
        """Like `found`, exact stems only: for an article's thousands of terms."""
        return term in terms or any(group <= terms for group in self.alternatives.get(term, ()))

    def weight(self, term: str) -> float:
        """Return how distinctive `term` is (its IDF; 1 without statistics)."""
        return self.weights.get(term, 1.0)

    def concept_weight(self, term: str) -> float:
        """Return how distinctive what `term` names is: its weight, at most that of the
        commonest vocabulary alternative the articles write for it."""
        return self.concept_weights.get(term, self.weight(term))

    def cited_in_full(self, sentence: str) -> frozenset[str]:
        """Return the orders of the kind asked for, none the question names, that `sentence`
        cites with the day each was signed: "Executive Order 12957 of March 15, 1995
        (Prohibiting Certain Transactions ...)" tells which order it is, "the national
        emergency declared in Executive Order 12957" only its number."""
        if self.identifier not in ("eo", "proclamation"):
            return frozenset()
        signed = signed_days(sentence)
        return frozenset(t for t in self.new_identifiers(sentence) if t in signed)

    def new_identifiers(self, sentence: str) -> frozenset[str]:
        """Return the identifiers of the kind asked for that `sentence` holds and the question
        does not name."""
        return new_identifiers(self.identifier, sentence, self.own_identifiers)

    def could_answer(self, sentence: str) -> bool:
        """Say whether a sentence could answer at all: it holds the kind of thing asked for
        (any sentence, when the question asks for no particular kind)."""
        if self.answer_type == "place":
            # "Which EU member states ...?" is not answered by "the United States and the EU".
            if not countries_in(sentence) - self.countries:
                return False
        elif self.answer_type != "any" and not fits(self.answer_type, self._new_values(sentence)):
            return False
        elif self.answer_type == "organization" and not self._new(organization_terms(sentence)):
            # "Which Malaysian airline is taking the 30 Boeing jets?" is not answered by
            # "Purchase of 30 Boeing aircraft": no business the question does not name.
            return False
        elif self.answer_type == "location" and not self._new(location_terms(sentence)):
            # "where was the US-Japan framework signed?" is not answered by "the United States
            # and Japan signed it": a place it does not ask with ("Signed in Tokyo").
            return False
        elif self.answer_type == "who" and not self._names_someone_new(sentence):
            # "who was on the Norwegian side of the MOU?" is not answered by "The MoU is a
            # step in the United States and Norway's cooperation": a name it does not ask with.
            return False
        if self.defined and not defines(self.defined, sentence):
            # "what does the EO mean by timber?" is not answered by "The term “lumber” refers
            # to wood that has been processed".
            return False
        if self.identifier is not None and not new_identifiers(
            self.identifier, sentence, self.own_identifiers
        ):
            return False
        if self.signed_in is not None and self.answer_type == "identifier":
            # A sentence citing an order signed at another time recites that time's orders
            # ("In Proclamation 10783 of July 10, 2024, President Biden noted ... Proclamation
            # 9894"), unless it also cites one of the time asked.
            first, last = self.signed_in
            signed = signed_days(sentence)
            if any(not first <= day <= last for day in signed.values()) and not any(
                first <= signed.get(t, "") <= last
                for t in new_identifiers(self.identifier, sentence, self.own_identifiers)
            ):
                return False
        if self.payer and not any(self.found(t, content_terms(sentence)) for t in self.payer):
            # "How much is Roche putting into the US?" is not answered by "Swiss companies
            # will invest at least $200 billion", for all the passage's list naming Roche.
            return False
        if self.asks_again and not _TELLS_AGAIN.search(sentence):
            return False
        if (
            self.speaker
            and not _QUOTATION.match(sentence)
            and not any(self.found(t, content_terms(sentence)) for t in self.speaker)
            and (self.answer_type == "statement" or _HOME_SPEECH.search(sentence))
        ):
            # "What did Piyush Goyal say?" is told by a sentence naming him; "How did Xi respond
            # on Taiwan during the July 2022 call?" is not answered by "On Taiwan, President
            # Biden underscored that ...": the home side's words. (A party's response may be
            # its country's act: "Mexico announced retaliatory tariffs" for Sheinbaum's.)
            return False
        if (
            self.asks_what_was_said
            and _ANNOUNCES_MEETING.search(sentence)
            and not _AGREEMENT.search(sentence)
            and not fits("statement", sentence)
        ):
            return False
        if self.counted:
            of_time = bool(self.counted & _TIME_UNITS)
            # The count is of what is asked: "how many requests did USTR receive?" is not
            # answered by "USTR is opening dockets in two time windows for requests".
            return any(
                self.found(t, content_terms(words))
                for words in what_counts_count(sentence, of_time)
                for t in self.counted
            )
        return True

    @property
    def asks_value(self) -> bool:
        """Say whether the question asks for a value: an amount, a rate or a date."""
        return self.answer_type in _VALUE_TYPES

    def _new_values(self, sentence: str) -> str:
        """Return `sentence` without the question's own days and numbers when it asks for a
        date or an amount (`answer_types.without_values`)."""
        if self.asks_new_date:
            sentence = _OLD_DATE.sub(" ", sentence)
        if self.answer_type not in _VALUE_TYPES or not (self.own_days or self.own_figures):
            return sentence
        return without_values(sentence, self.own_days, self.own_figures)

    def _names_someone_new(self, sentence: str) -> bool:
        """Say whether a sentence names someone the question does not (nor its alternatives),
        other than the home country, whose name nearly every document writes: "who testified
        at the Trade Representative's hearing?" is not answered by "The United States and its
        Trade Representative held a hearing"."""
        return self._new(someone_terms(sentence) - home_terms())

    def _new(self, names: frozenset[str]) -> bool:
        """Say whether any of `names` is neither asked about nor an alternative of a term."""
        asked = self.terms | self.history_terms
        known = {t for groups in self.alternatives.values() for g in groups for t in g}
        return any(t not in asked and t not in known for t in names)

    def answer_type_fits(self, sentence: str) -> bool:
        """Say whether a sentence holds the kind of thing asked for (a name, amount, date, id)."""
        return self.answer_type != "any" and fits(self.answer_type, sentence)


# Months and years: when something was, not what it is.
_CALENDAR = re.compile(
    rf"\b(?:{MONTHS}|{MONTH_ABBREVIATIONS})\b\.?|\b(?:19|20)\d\d\b", re.IGNORECASE
)
# What a "how many days / years" question counts: then a span of time is its count.
_TIME_UNITS = content_terms("day days week weeks month months year years")


def _share(wanted: frozenset[str], hits: frozenset[str], weight: Callable[[str], float]) -> float:
    """Return the weighted share of `wanted` among `hits`."""
    total = sum(weight(t) for t in wanted)
    if total <= 0:
        return 0.0
    return sum(weight(t) for t in wanted if t in hits) / total


def _equal(term: str) -> float:
    """Weigh every term alike."""
    return 1.0


# What else, besides what the question names: "anything else", "besides X", "apart from China",
# "other countries", "any listing outside China" ("beyond" a date asks about time, not this).
# "... again?", "... put the 25% back on?": a question about a recurrence, and a sentence
# telling one ("reimposed", "restore", "again", "reinstate", "once more").
_AGAIN = re.compile(
    r"\bagain\b|\bonce more\b"
    r"|\b(?:put|puts|putting|slap|slaps|slapped|slapping|go|goes|going|went|gone|come|comes"
    r"|came|coming)\s+(?:\S+\s+){0,3}?back\s+on\b",
    re.IGNORECASE,
)
_NEW_DATE = re.compile(
    r"\b(?:new|revised|rescheduled|updated)\s+(?:[\w-]+\s+){0,2}?(?:dates?|days?|deadlines?|time)\b"
    r"|\breschedul\w*\s+(?:for|to)\s+when\b|\bpushed\s+(?:back\s+)?to\s+when\b",
    re.IGNORECASE,
)
# The day a thing was set for before it moved: "the public hearing that was scheduled to take
# place on October 7, 2025", "originally scheduled for June 1".
_OLD_DATE = re.compile(
    r"\b(?:(?:was|were|had\s+been|previously|originally|initially)\s+)?(?:scheduled|set|due|slated)"
    r"\s+(?:to\s+(?:take\s+place|be\s+held|begin|start|occur|close|end)\s+)?(?:on|for)\s+"
    r"(?:[A-Z][a-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?|\d{4}-\d{2}-\d{2})"
    # nor the day the notice itself was published ("..., published 2025-10-07.")
    r"|\bpublished\s+(?:on\s+)?(?:\d{4}-\d{2}-\d{2}|[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4})"
)
# A sentence opening on a quotation ("“This new agreement is a model ...”"): whoever speaks
# is named around it.
_QUOTATION = re.compile(r"^[\s\-•*>]*[\"“‘']")
# The home side speaking, as readouts tell it: "President Biden underscored that ...", "the
# United States reiterated ...".
_HOME_SPEECH = re.compile(
    r"\b(?:President\s+(?:Joseph\s+R\.\s+)?(?:Biden|Trump|Donald\s+J\.\s+Trump)|Biden|Trump"
    r"|the\s+United\s+States|Washington)(?:,?\s+Jr\.)?\s+(?:also\s+|again\s+)?"
    r"(?:underscored|said|stressed|emphasized|emphasised|noted|reiterated|raised|made clear"
    r"|told|expressed|affirmed|reaffirmed|highlighted|outlined|conveyed|urged|welcomed)\b"
)
_TELLS_AGAIN = re.compile(
    r"\bagain\b|\bonce more\b|\bback\b|\bre-?(?:impos|instat|stor|sum|new|appl|add|list|enter)\w*",
    re.IGNORECASE,
)
# "did Biden and Xi say / discuss / agree ... at their meeting / summit / call?", "had they
# discussed ...": the verb asking, and the gathering, before or after it.
_SAID_VERB = (
    r"(?:say|said|discuss(?:ed)?|raised?|agreed?|talk(?:ed)?|mention(?:ed)?|announced?"
    r"|commit(?:ted)?|promised?|address(?:ed)?|tell|told|bring up|brought up)"
)
_GATHERING = r"(?:meetings?|summit|call|talks|visit|video conference|bilateral)"
_SAID_AT_MEETING = re.compile(
    rf"\b(?:did|had)\b[^?]*?\b{_SAID_VERB}\b(?=[^?]*\b{_GATHERING}\b)"
    rf"|\b(?:at|during|on|in)\s+(?:their|the|his|her)\s+(?:[\w'’.-]+\s+){{0,4}}?"
    rf"{_GATHERING}\b[^?]*?\b(?:did|had)\b[^?]*?\b{_SAID_VERB}\b",
    re.IGNORECASE,
)
# A meeting announced before it is held: "President Biden will meet with President Xi in Lima
# on November 16", "will host", "will travel to".
_ANNOUNCES_MEETING = re.compile(
    r"\b(?:will|is (?:scheduled|set|expected) to|plans? to)\s+(?:\w+\s+)?"
    r"(?:meet|hold|host|travel|visit|attend|convene|hold a call|speak)\b",
    re.IGNORECASE,
)
# What was agreed or decided: "The two leaders agreed to resume talks and will hold them
# monthly" answers what they agreed, for all its "will hold" (as does what was said, a
# statement's speech verb: `answer_types.fits("statement", ...)`).
_AGREEMENT = re.compile(
    r"\b(?:agreed|discussed|committed|announced|reached|decided|reaffirmed|raised)\b",
    re.IGNORECASE,
)
_ELSE = re.compile(
    r"\belse\b|\bbesides\b|\b(?:apart|aside) from\b|\bother than\b|\bin addition to\b"
    rf"|\bbeyond\b(?!\s+(?:the\s+)?(?:\d|end\b|{MONTHS}|{MONTH_ABBREVIATIONS}))"
    r"|\bany \w+ outside\b|\bother (?:countries|places|destinations|partners|products|goods"
    r"|items|changes|measures|entities|companies)\b",
    re.IGNORECASE,
)

# A question word of its own (not "what about", "how about"): the follow-up says what it asks.
_ASKS_ITSELF = re.compile(
    r"\b(?:what|which|who|whom|whose|when|where|why|how)\b(?!\s+about\b)"
    # A yes-no question asks itself too: "are farm goods like beef exempt from it?" after
    # "what tariff did Trump put on imports?" asks for no amount.
    r"|^\W*(?:is|are|was|were|do|does|did|can|could|will|would|has|have|had|should|must)\b",
    re.IGNORECASE,
)


def _calendar_terms(text: str) -> frozenset[str]:
    """The terms of the months and years `text` names ("Feb 2026" -> feb, 2026)."""
    return content_terms(" ".join(m.group(0) for m in _CALENDAR.finditer(text)))


# A quarter, a half or a fiscal or calendar year as desks write it, read as a term: "q3",
# "3q25", "h1", "2h25", "2025q3", "fy2026", "cy2025".
_CALENDAR_SHORTHAND = re.compile(
    r"^(?:q[1-4]|[1-4]q(?:\d\d){0,2}|h[12]|[12]h(?:\d\d){0,2}|(?:\d\d){1,2}[qh][1-4]"
    r"|[fc]y(?:\d\d){0,2})$"
)


def profile_question(
    question: str,
    previous_question: str | None = None,
    idf: Callable[[str], float] | None = None,
    alternatives: Mapping[str, tuple[frozenset[str], ...]] | None = None,
    idf_reliance: float = 1.0,
    named_time: tuple[str, str, str] | None = None,
    dated_from: str | None = None,
    framing: str = "",
    places: tuple[tuple[frozenset[str], ...], ...] = (),
    products: tuple[tuple[frozenset[str], ...], ...] = (),
    known: Callable[[str], bool] | None = None,
    passages: int = 0,
    previous_venues: frozenset[str] = frozenset(),
) -> QuestionProfile:
    """Describe `question`; borrow the previous question's terms when it is a follow-up.

    `idf` weighs each term by how rare it is in the corpus, scaled by `idf_reliance` (how
    well the corpus can tell rare terms from common ones, see `AnswerabilityModel.reliance`);
    `alternatives` come from the trade vocabulary (`Expansion.alternatives()`);
    `named_time` is the calendar time the question names: its words, first and last day (ISO);
    `framing` the words that ask for the newest word ("current", "still"), which chose the
    articles already and are no term an answer must hold.

    `known` says whether any of the corpus's `passages` holds a term: a word no passage holds
    gets the ceiling IDF, the weight of the rarest name, yet an everyday word the corpus never
    uses ("came", "stuff", "gripe") says how the asker writes, not what sets an answer apart.
    Such a word (not a name, no vocabulary alternative the corpus holds) weighs what English
    predicts (`unseen_idf`): "came" as a common word, "durian" still as a rare one.
    """
    # "the Clinton-era EO" says when the order was made: no term the answer must hold.
    terms = content_terms(_ERA.sub(" ", question)) - asking_terms(question) - content_terms(framing)
    # "Q3", "3Q25", "H1", "FY2026" say when (the time scope reads them), not what: no article
    # writes them, so as terms they were names no article mentions and refused the question.
    terms = frozenset(t for t in terms if not _CALENDAR_SHORTHAND.match(t))
    borrowed: frozenset[str] = frozenset()
    words = lower_words(question)
    if previous_question and (len(terms) <= _FOLLOW_UP_MAX_TERMS or has_anaphora(words)):
        borrowed = content_terms(previous_question) - terms
    # Only a pronoun ties the question to the previous one's subject: a short question
    # without one ("and semiconductors?") may have moved on.
    referent: frozenset[str] = frozenset()
    if previous_question and has_anaphora(words):
        referent = named_terms(previous_question) & borrowed or borrowed
        # "how's the volume for that going to be set?" after "Bangladesh trade deal (Feb
        # 2026): did garments get a break?" points at the deal, not at February: an article
        # need not write the month it is about.
        referent = referent - _calendar_terms(previous_question) or referent
        # "how many US planes are the Thais buying under it?" after "whats in the US-Thailand
        # trade framework from the KL summit?" points at the framework, whose joint statement
        # names Thailand, not the city where it was signed (`previous_venues`).
        referent = referent - previous_venues or referent
    answer_type = expected_type(question)
    if answer_type == "any" and borrowed and not _ASKS_ITSELF.search(question):
        # "and on buses?" after "what 232 tariff did Trump put on heavy trucks?": the same
        # kind of answer, for another subject.
        answer_type = expected_type(previous_question or "")
    names = named_terms(question) & terms
    if named_time and named_time[0] in question:
        # "at the end of the first Trump term" names a time, not someone an answer must name.
        names &= named_terms(question.replace(named_time[0], " "))
    alternatives = dict(alternatives or {})
    if idf is not None and known is not None and passages > 0:
        idf = _with_unseen(
            idf,
            known,
            passages,
            _surface_words(f"{previous_question or ''} {question}"),
            lambda t: t in names or any(all(map(known, g)) for g in alternatives.get(t, ())),
        )
    # 1 + IDF: rare terms count for more, yet in a small corpus (where IDF swings wildly) a
    # common term still counts. A one-character term ("2" of "April 2") is one the index never
    # keeps: its rarity is unknown, not the ceiling a term no passage holds gets, so it counts
    # as common.
    weights = (
        {t: 1.0 + (idf_reliance * idf(t) if len(t) > 1 else 0.0) for t in terms | borrowed}
        if idf
        else {}
    )
    concept_weights = (
        {
            t: min(weights[t], _alternatives_weight(groups, idf, known, idf_reliance))
            for t in weights
            if (groups := alternatives.get(t))
        }
        if idf and known is not None
        else {}
    )
    return QuestionProfile(
        terms=terms,
        history_terms=borrowed,
        answer_type=answer_type,
        weights=weights,
        concept_weights=concept_weights,
        alternatives=alternatives,
        names=names,
        referent=referent,
        dated_terms=content_terms(named_time[0]) & terms if named_time else frozenset(),
        window=(dated_from or named_time[1], named_time[2]) if named_time else None,
        places=places,
        products=products,
        counted=counted_terms(question),
        payer=payer_terms(question) if answer_type == "money" else frozenset(),
        # The home country is in nearly every document: naming it answers no "which countries".
        countries=countries_named(question) | {"US"},
        identifier=identifier_kind(question) if answer_type == "identifier" else None,
        defined=(defined_term(question) or "") if answer_type == "definition" else "",
        own_identifiers=frozenset(identifier_terms(question)),
        signed_in=(
            (named_time[1], named_time[2])
            if named_time and not labels_a_document(question, named_time[0])
            else None
        ),
        own_days=days_named(question),
        own_figures=figures_named(without_identifiers(question)),
        ask_terms=content_terms(asking_clause(question)) & terms,
        about_terms=_about_terms(question, terms, places),
        titled_names=titled_names(question, places),
        asks_else=bool(_ELSE.search(question)),
        asks_again=bool(_AGAIN.search(question)),
        asks_new_date=answer_type in ("date", "past_date") and bool(_NEW_DATE.search(question)),
        speaker=speaker_terms(question)
        if answer_type in ("reaction", "statement")
        else frozenset(),
        asks_what_was_said=bool(_SAID_AT_MEETING.search(question)),
        readings=_readings(question, terms, _subject(terms, names, (*places, *products), weights)),
    )


def _alternatives_weight(
    groups: Iterable[frozenset[str]],
    idf: Callable[[str], float],
    known: Callable[[str], bool],
    reliance: float,
) -> float:
    """Return the weight of the commonest alternative (a group of words found together weighs
    what its rarest word does) the articles hold; infinity when they hold none."""
    held = [g for g in groups if g and all(map(known, g))]
    return min((1.0 + reliance * max(map(idf, g)) for g in held), default=math.inf)


def unseen_idf(zipf: float, passages: int) -> float:
    """Return the IDF a word of English frequency `zipf` would have in `passages` passages of
    `_PASSAGE_WORDS` words, had the corpus used it as English does (BM25's IDF formula)."""
    share = 1.0 - math.exp(-_PASSAGE_WORDS * 10.0 ** (zipf - 9.0))
    df = passages * share
    return math.log1p((passages - df + 0.5) / (df + 0.5))


def _with_unseen(
    idf: Callable[[str], float],
    known: Callable[[str], bool],
    passages: int,
    words: Mapping[str, str],
    kept: Callable[[str], bool],
) -> Callable[[str], float]:
    """Return `idf` where a term no passage holds, and not `kept` (a name, a term with
    alternatives), weighs at most what English predicts for the word it came from."""

    def weigh(term: str) -> float:
        rarity = idf(term)
        word = words.get(term)
        if word is None or kept(term) or known(term):
            return rarity
        return min(rarity, unseen_idf(english_frequency(word), passages))

    return weigh


def _surface_words(text: str) -> dict[str, str]:
    """Return each stem of `text`'s words with the (last) word it came from."""
    words = lower_words(text)
    return dict(zip(stem_words(words), words, strict=True))


# "context: ask", "context - ask", "context — ask"; "After the deal with Xi, what did ...".
_CONTEXT_SEPARATOR = re.compile(r"\s*(?::|\s-\s|\u2014|\u2013)\s*")
_LEADING_CONTEXT = re.compile(
    r"^(?:after|before|under|in|for|following|per|since|during|with|when|given|on|as of"
    r"|now that|once)\b"
    r"(?:[^,?]|,(?=\s*\d)){3,},\s*",  # a date's comma ("Nov 1, 2025") is no clause end
    re.IGNORECASE,
)


# "..., per the WH fact sheet on the truce?": the source named last is context too.
# So is a body named by its acronym: "what is copper used for, per CRS?" ("per day" is no source).
_TRAILING_SOURCE = re.compile(
    r"(?:,\s*|\s+)(?:per|according to|as per)\s+(?:(?:the|his|her|its|their|a|an)\b"
    r"|(?-i:[A-Z]{2,}\b)(?!\s*\d))[^?]*\??\s*$",
    re.IGNORECASE,
)


# A sentence's end: a stop after a word of 3+ letters or digits (not "U.S." or "e.g."), then space.
_SENTENCE_END = re.compile(r"(?<=[a-z0-9]{3}[.!])\s+|(?<=[a-z0-9][a-z0-9][?])\s+", re.IGNORECASE)
# What the asker says of themselves after asking: "I know India was about market access".
_ASIDE = re.compile(r"^(?:I|I'm|I’m|I've|I’ve|we|we're|we’re)\b")


def asked_sentences(question: str) -> str:
    """Return the sentences of `question` that ask, without the statements around them: "we
    move small parcels into Quito. does the Ecuador deal do anything for express carriers?",
    "why is Jordan left out? I thought the ITC wanted it excluded"."""
    sentences = [s for s in _SENTENCE_END.split(question.strip()) if s.strip()]
    first = next((i for i, s in enumerate(sentences) if s.rstrip().endswith("?")), None)
    if first is None:
        return question.strip()
    last = first
    while last + 1 < len(sentences) and not _ASIDE.match(sentences[last + 1].strip()):
        last += 1
    return " ".join(sentences[first : last + 1])


# "Did the April 2025 order killing de minimis for China/HK parcels say anything about Macau?":
# the document is named to say where to look; what is asked after is what follows "about".
_ANYTHING_ABOUT = re.compile(
    r"\b(?:(?:say|said|says|saying|mention|mentioned|mentions|note|noted|address|addressed"
    r"|cover|covered|include|included)\s+(?:anything|something)"
    # "what does the Cambodia agreement say about casinos?": what it says about them, if
    # anything, which an agreement never writing "casinos" does not tell.
    r"|(?:say|said|says|saying)|mention(?:s|ed)?\s+(?:anything|something))\s+"
    r"(?:about|on|regarding|concerning)\s+(?=\w)",
    re.IGNORECASE,
)


def _about_terms(
    question: str, terms: frozenset[str], places: tuple[tuple[frozenset[str], ...], ...]
) -> frozenset[str]:
    """The terms of what a question asks a document says "anything about", apart from an aside
    in parentheses or quotes and the places it names (empty when it asks no such thing)."""
    about = _ANYTHING_ABOUT.search(asked_sentences(question))
    if about is None:
        return frozenset()
    asked = re.sub(r"\([^)]*\)|['‘’\"“”][^'‘’\"“”]*['‘’\"“”]", " ", about.string[about.end() :])
    named = {t for place in places for words in place for t in words}
    return (content_terms(asked) & terms) - named


def titled_names(
    question: str, places: tuple[tuple[frozenset[str], ...], ...] = ()
) -> tuple[tuple[str, ...], ...]:
    """Return the index terms, in order, of each name of several capitalised words that
    `question` asks about ("Which countries belong to the Minerals Security Partnership?" ->
    ("miner", "secur", "partnership")), apart from the places it names and identifiers; only
    names left with two terms or more."""
    named = {t for place in places for words in place for t in words} | home_terms()
    found: list[tuple[str, ...]] = []
    for match in _TITLED_NAME.finditer(without_examples(question)):
        text = match.group(0)
        if identifier_terms(text):
            continue
        words = tuple(t for t in index_terms(text) if t not in named)
        if len(words) >= 2 and words not in found:
            found.append(words)
    return tuple(found)


def asking_clause(question: str) -> str:
    """Return the part of `question` that asks, without a context it names first ("Jan 2021
    revision to the Airbus retaliation: what was USTR trying to mirror?"; a statement before
    the question, an aside after it) or a source it names last ("how many workers does Boeing
    have, per the WH fact sheet?"); "" when the whole question asks."""
    text = asked_sentences(question)
    parts = [p for p in _CONTEXT_SEPARATOR.split(text) if p.strip()]
    if len(parts) > 1:
        text = parts[-1]
    else:
        lead = _LEADING_CONTEXT.match(text)
        text = text[lead.end() :] if lead else text
    source = _TRAILING_SOURCE.search(text)
    if source is not None and source.start() > 0:
        text = text[: source.start()]
    about = _ANYTHING_ABOUT.search(text)
    if about is not None:
        text = text[about.end() :]
    return text if text != question.strip() else ""


# The "or" between the two alternatives a question asks about: "..., or has it been signed?",
# "... or is Commerce still just collecting comments?", "... or just lower-level people?";
# not "reciprocal or 232 rates" (one thing named two ways).
_ALTERNATIVE = re.compile(
    r",\s*or\s+(?=\w)|\s+or\s+(?=(?:is|are|was|were|has|have|had|do|does|did|can|could|will"
    r"|would|should|must|may|might|just|only|merely|simply|still|instead|rather|how|what|which"
    r"|who|when|where|why)\b)",
    re.IGNORECASE,
)


def alternative_readings(question: str) -> tuple[str, str] | None:
    """Return the two alternatives of the clause that asks ("Is the heavy truck 232 still
    just a Commerce investigation", "are there actual duties on trucks now?"), or None when
    it asks no choice between two."""
    clause = asking_clause(question) or asked_sentences(question)
    split = _ALTERNATIVE.search(clause)
    if split is None:
        return None
    return clause[: split.start()], clause[split.end() :]


def _readings(
    question: str,
    terms: frozenset[str],
    subject: Callable[[str], bool],
) -> tuple[frozenset[str], ...]:
    """Return the terms each alternative of an alternative question needs: the question's
    terms less the other alternative's own ones, except what it is about (`subject`), which
    every reading keeps: "Is Commerce still collecting comments on the semiconductor 232, or
    has the investigation wrapped up?" is answered by the investigation's end only if the
    semiconductors' one, and "Are small submarines getting a tariff yet, or is Commerce still
    collecting comments?" not by comments on drones. A second alternative that leans on the
    first (`_OWN_SUBJECT`) gives no reading of its own."""
    alternatives = alternative_readings(question)
    if alternatives is None:
        return ()
    first, second = (content_terms(part) & terms for part in alternatives)
    if not first or not second:  # "... or not?"
        return ()

    def own(alternative: frozenset[str]) -> frozenset[str]:
        return frozenset(t for t in alternative if not subject(t))

    readings = [terms - own(second - first)]
    if _OWN_SUBJECT.match(alternatives[1]):
        readings.append(terms - own(first - second))
    return tuple(r for r in readings if r != terms)


_DIGITS = re.compile(r"\d")
# The kinds of answer a question's own days and numbers do not give.
_VALUE_TYPES = frozenset({"number", "money", "rate", "date", "past_date"})


def _subject(
    terms: frozenset[str],
    names: frozenset[str],
    kinds: Sequence[tuple[frozenset[str], ...]],
    weights: Mapping[str, float],
) -> Callable[[str], bool]:
    """Return the test that a term tells what a question is about: a name, a number, a
    trading partner or product the vocabulary knows (`kinds`, as stem sets), or the rarest
    term (every term, when all weigh alike)."""
    named = {t for kind in kinds for words in kind for t in words} | names
    ceiling = max((weights.get(t, 1.0) for t in terms), default=1.0)
    return lambda t: t in named or weights.get(t, 1.0) >= ceiling or bool(_DIGITS.search(t))


# A second alternative naming what it is about ("or has the investigation wrapped up?", "or
# are there actual duties on trucks now?") needs none of the first's own words; one leaning on
# the first ("or did it get extended?", "or still suspended?", "or just lower-level people?")
# needs its subject, which the first's words do not tell apart from what it says of it.
_OWN_SUBJECT = re.compile(
    r"(?:(?:how|what|which|who|when|where|why)\s+)?(?:is|are|was|were|has|have|had|do|does|did"
    r"|can|could|will|would|should|must|may|might)\s+(?!(?:it|its|they|them|that|this|these"
    r"|those|he|she|we|you|i|one)\b)\w",
    re.IGNORECASE,
)


def named_terms(question: str) -> frozenset[str]:
    """Return the terms of the names (capitalised words past the first) and identifiers asked
    (not those given as examples: "from, say, Russia or China")."""
    words = _NAME.findall(_ERA.sub(" ", without_examples(question)))
    return content_terms(" ".join(words)) | frozenset(identifier_terms(question))


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
        _same_stem(term, other) for other in _by_prefix(terms).get(term[:_MIN_PREFIX_MATCH], ())
    )


def _same_stem(term: str, other: str) -> bool:
    """Say whether two stems match: equal, or one a prefix of the other (both long enough)."""
    if term == other:
        return True
    return (
        len(term) >= _MIN_PREFIX_MATCH
        and len(other) >= _MIN_PREFIX_MATCH
        and abs(len(other) - len(term)) <= _MAX_PREFIX_GAP
        and (other.startswith(term) or term.startswith(other))
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
