"""The default answerer, no LLM: quote the retrieved sentences that best answer the question.

Every candidate sentence of the retrieved passages is scored against the question by embedding
cosine, stemmed term overlap with the sentence and with its passage and title, and the
passage's retrieval rank. Sentence vectors come from the store (computed at ingest, see
`ingest.text`), so an answer costs one question embedding, which retrieval has usually
just computed; sentences without a stored vector are embedded here in one batch. The best
one to three non-redundant sentences are quoted verbatim, each followed by its `[n]` marker;
when even the best sentence's evidence is below the calibrated threshold the answer is an
honest refusal citing nothing.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from difflib import SequenceMatcher
from typing import Protocol

import numpy as np

from bot.answering.answer_types import (
    MONTH_ABBREVIATIONS,
    MONTHS,
    countries_in,
    names_span_of_time,
)
from bot.answering.answerability import (
    AnswerabilityModel,
    CorpusStatistics,
    SentenceSignals,
    question_signals,
    question_vetoes,
)
from bot.answering.dating import article_day, dated_parts, shown_quote
from bot.answering.question_profile import QuestionProfile, profile_question
from bot.answering.recency import (
    choose_latest,
    same_thread,
    tells_change,
    tells_status,
    titled_by,
)
from bot.answering.sentence_scoring import (
    Candidate,
    about_the_referent,
    in_context,
    same_figures,
    shortlist,
    split_candidates,
    stated_amounts,
)
from bot.models import (
    PLAIN,
    REFUSAL_TEXT,
    Answer,
    AnswerContext,
    AnswerMode,
    Citation,
    QuestionEncoder,
    Turn,
)
from bot.retrieval.expansion import Vocabulary
from bot.retrieval.time_scope import TimeScope, latest_words, parse_time_scope, window_mention
from bot.terms import content_terms, identifier_terms, lower_words, with_referent
from ingest.models import Passage
from ingest.store import SentenceKey
from ingest.text import embedding_text, is_table_row, sentence_bounds, table_cells

# Two sentences this few characters apart (spaces, a line break, a section number) are
# neighbours.
_ADJACENT_GAP = 40
# A second or third sentence must say something new.
_REDUNDANT_COSINE = 0.85
# What became of a plan whose every named time ended this long before the newest article is
# as settled as the articles will say (an outcome question's firm bar is lifted).
_SETTLED_DAYS = 92
# "Latest" questions: sentences whose evidence is this close to the best count as relevant.
_LATEST_CLOSE_RATIO = 0.8
# "Latest" questions: within an article, a sentence telling the status (ended, extended,
# delayed, remains) counts this much more (2.0: three times its score).
_STATUS_BONUS = 2.0
# "Latest" questions: a later sentence telling the status this close (cosine) to the best
# evidence sentence continues its story (0.4 and 0.5 chose the same answers on the dev set).
_THREAD_COSINE = 0.45
# The lexical shortlist keeps the winners: on the calibration questions caps of 8 to 30 chose
# the same sentences (the refusal threshold was calibrated with 12).
_SENTENCE_CAP = 40
# Question profiles remembered (with what they matched): the questions being answered now.
_MEASURES = 16
# Sentences scored, at most, to rerank retrieval's passages by their best sentence.
_RERANK_CAP = 60
# "Latest" questions: sentences telling a status kept beside the shortlist, at most.
_STATUS_CAP = 10
# "Latest" questions: the newest article's best sentence telling the status is quoted when
# it holds this share of the evidence of the article's best sentence.
_STATUS_SHARE = 0.5
_CACHE_SIZE = 4096
# Two sentences of articles of one day are one statement cited twice when this share of their
# words match in order (difflib's ratio) and their figures are the same.
_COPY_RATIO = 0.9
# A sentence opening on a time of its own ("In June 2025, ...", "On March 4, 2025, ...") tells
# of that time, whatever time the sentence before it named (a date inside it may be the very
# answer: "This notification extends the deadline to January 17, 2024").
_OWN_TIME = re.compile(
    r"[\s*_>\-•]*(?:(?:in|on|since|during|by|as of|from)\s+)?(?:(?:early|mid|late)[-\s])?"
    rf"(?:(?:{MONTHS}|{MONTH_ABBREVIATIONS})\.?\s+"
    r"(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?)?(?:19|20)\d\d\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
# A summary of a whole term: "Since returning to office, President Trump has continued taking
# actions under Section 232 ... including ...", "This term, ...", "In his first term, ...".
_SPAN_RECAP = re.compile(
    r"^[\s*_>\-•]*(?:since (?:returning to|taking|re-?entering|coming (?:in)?to) office"
    r"|(?:this|last) term|(?:in|during) (?:his|her|the (?:president's|administration's))"
    r" (?:first|second|previous) (?:term|administration)|since (?:day one|january 20, 2025))\b",
    re.IGNORECASE,
)
# A connective before a sentence's own time: "Similarly, on March 4, 2025, ...".
_CONNECTIVE = re.compile(
    r"^[\s*_>\-•]*(?:similarly|likewise|also|additionally|further(?:more)?|moreover|then|later|"
    r"meanwhile|subsequently|previously|earlier|first|second|third|finally),?\s+",
    re.IGNORECASE,
)
# A date naming a thing, not when the sentence's news happened: "the January 15, 2020,
# Economic and Trade Agreement", "the May 8, 2025 General Terms" ("the", the date, a name).
# So is the date an order is cited by: "Executive Order 14257 of April 2, 2025", "Proclamation
# 9704 of March 8, 2018" ("will maintain at 19 percent the reciprocal tariffs, as set forth in
# Executive Order 14257 of April 2, 2025" is no recap of April).
_LABEL_DATE = re.compile(
    rf"(?<=\b[Tt]he\s)(?:{MONTHS})\s+\d{{1,2}},\s+(?:19|20)\d\d,?"
    r"(?=\s+(?:[A-Z][a-z]+\s+)*[A-Z][a-z]+\b(?!\s*[,.]?\s*(?:the|a|an)\b))"
)
# "Executive Order 14256 of April 2, 2025", "the Executive Order dated April 8, 2025": the day
# names the order.
_CITED_DATE = re.compile(
    rf"(\b(?:Order|Proclamation|Memorandum)\s+(?:\d{{3,5}}\s+of|dated)\s+)(?:{MONTHS})\s+"
    r"\d{1,2},\s+(?:19|20)\d\d"
)
# Questions naming a time: an article of that time joins an answer quoting only later ones
# when its likeliest sentence holds this share of the best sentence's probability (0.1 until
# the window signals' refit rescaled the probabilities: the November 2023 readout then held
# 0.099 of the 2024 recap's; 0.08 changed no answer of the 17 question sets).
_OWN_TIME_SHARE = 0.08
# An order and its fact sheet (or joint statement) of the same day tell one matter in their
# own words: the likeliest sentence of another article of the best chosen sentence's day is
# quoted too when it holds this share of that one's probability (0: never). Dev sets: 0.3 +4
# answered with evidence, 0.15 and 0.05 +6 each, none lost; quoted in the place of the least
# likely sentence instead of beside it, 0.3 lost 4 of its gains.
_COMPANION_SHARE = 0.15
# ... or, holding one of its rates or amounts, this share of its plain evidence (cosine and
# coverage; the order's wording is its own, and the fitted ranking likes it far less).
_STATING_EVIDENCE = 0.5
# The weighted share of what a question asks a document says "anything about" that the
# answering article must write (`QuestionProfile.about_terms`).
_ABOUT_SHARE = 0.5
# Stems that say how much or when, not what: amounts, months, days, "latest" words.
_NOT_A_SUBJECT = re.compile(
    r"[\d.,%]+|januari|februari|march|april|may|june|juli|august|septemb|octob|novemb|decemb"
    r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|(?:mon|tues|wednes|thurs|fri|satur|sun)day"
    r"|still|current|latest|now|today|yet|recent"
)
# A sentence that tells a plan, not what came of it: "will", "is expected to", "plans to",
# "authorizes the Secretary to establish", "directs USTR to"; a report or update due, not
# delivered: "shall provide one of these updates within 120 days", "is to provide an update",
# "requires the USITC to issue a report". ("shall" is how an order enacts, not a plan.)
_PLAN = re.compile(
    r"\b(?:will|would|(?:plans?|intends?|expects?|aims?|seeks?|proposes?) to|(?:is|are) expected"
    r" to|authori[sz](?:es|ed|ing)\b[^.;]{0,80}?\bto|direct(?:s|ed|ing)\b[^.;]{0,80}?\bto"
    # The speaker's own directive: "I therefore direct the Secretary ... to pursue".
    r"|\b(?:I|hereby|therefore|further|also)\s+direct\b[^.;]{0,120}?\bto"
    r"|(?:shall|must|(?:is|are) to|requir(?:es|ed|ing)\b[^.;]{0,80}?\bto)"
    r" (?:provide|submit|issue|transmit|deliver|publish|report)\b)",
    re.IGNORECASE,
)


# A section's heading in a fact sheet: a line opening in bold.
_BOLD_HEADING = re.compile(r"(?m)^[ \t]*\*\*[^*\n]{3,160}\*\*")
# A sentence telling what else there is, for a question asking what else.
_ADDITION = re.compile(
    r"\b(?:also|additionally|in addition|as well as|moreover|furthermore|adds? to|added to)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ScoredSentence:
    """A candidate sentence, its answerability signals and the model's probability."""

    candidate: Candidate
    signals: Mapping[str, float]
    probability: float  # P(this sentence answers the question), from the answerability model
    vector: np.ndarray
    # The same words in other articles of the same day (an order and its fact sheet), cited
    # beside the sentence: a reader sees both sources tell it.
    copies: tuple[Candidate, ...] = ()

    @property
    def cosine(self) -> float:
        """Embedding similarity to the question."""
        return self.signals["cosine"]

    @property
    def evidence(self) -> float:
        """The old evidence score (cosine, unweighted term coverage): what evidence bars use."""
        return self.signals["plain_evidence"]

    @property
    def score(self) -> float:
        """How the sentence ranks among the candidates (its ranking probability)."""
        return self.probability


class SentenceVectorSource(Protocol):
    """Where stored sentence vectors come from (a `PassageStore`)."""

    def sentence_vectors(
        self, sentences: Sequence[SentenceKey]
    ) -> Mapping[SentenceKey, np.ndarray]:
        """Return the stored vectors of these `(chunk_id, lo, hi)` sentences (those stored)."""
        ...


class ExtractiveAnswerer:
    """Answer by quoting the best sentences of the retrieved passages, or refuse."""

    mode: AnswerMode = "extractive"

    def __init__(
        self,
        embedder: QuestionEncoder,
        answerability: AnswerabilityModel | float,
        max_sentences: int = 3,
        sentences: SentenceVectorSource | None = None,
        statistics: CorpusStatistics | None = None,
        vocabulary: Vocabulary | None = None,
        undecided_margin: float = 0.0,
    ) -> None:
        """Args: `answerability` is the model (or, for the old rule, an evidence threshold);
        `max_sentences` bounds the sentences chosen as the answer (a companion article of
        their day may add one: see `_with_companion`); `statistics` (the lexical index)
        weighs terms by rarity and knows whole articles; `vocabulary` lets a sentence's
        "China" answer a question's "Beijing"."""
        if max_sentences < 1:
            raise ValueError("max_sentences must be at least 1")
        self.embedder = embedder
        self.sentences = sentences
        self.statistics = statistics
        self.vocabulary = vocabulary
        self.model = (
            answerability
            if isinstance(answerability, AnswerabilityModel)
            else AnswerabilityModel.threshold_on_evidence(answerability)
        )
        self.max_sentences = max_sentences
        # Something the articles may only announce ("will", "going to") needs firmer evidence.
        self.undecided_margin = undecided_margin
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()
        # The last few questions' profiles, each with its sentence measure: reranking and
        # the answer read the same sentences of one question (see `_measure`).
        self._measures: OrderedDict[tuple[object, ...], SentenceSignals] = OrderedDict()

    def answer(
        self, question: str, passages: Sequence[Passage], context: AnswerContext = PLAIN
    ) -> Answer:
        """Quote the sentences of `passages` that answer `question`, or refuse.

        Args:
            question: the user's question, as asked.
            passages: retrieved passages, best first.
            context: the conversation so far and the question's time (latest: the newest
                article answers).

        Returns:
            A grounded Answer with dated quotes, `[n]` markers and citations, or a refusal
            citing nothing.
        """
        return self._compose(*self._pick(question, passages, context))

    def stream(
        self, question: str, passages: Sequence[Passage], context: AnswerContext = PLAIN
    ) -> Iterator[str | Answer]:
        """Yield the answer text sentence by sentence, then the final Answer."""
        chosen, earlier_from = self._pick(question, passages, context)
        for index, piece in enumerate(_answer_parts(chosen, earlier_from) or [REFUSAL_TEXT]):
            yield piece if index == 0 else " " + piece
        yield self._compose(chosen, earlier_from)

    def _pick(
        self, question: str, passages: Sequence[Passage], context: AnswerContext
    ) -> tuple[list[ScoredSentence], int | None]:
        """Choose the sentences to quote, each with the neighbours it needs (see
        `in_context`); say where an older article's "Earlier" word starts."""
        chosen, earlier_from = self._select(question, passages, context)
        profile = self.profile(question, context.history, context.scope)
        # A question asking "when" may be answered by a time other than the one it names.
        scope = None if profile.answer_type in ("date", "past_date") else context.scope
        return _in_context(_with_copies(chosen, passages), scope), earlier_from

    def _select(
        self, question: str, passages: Sequence[Passage], context: AnswerContext
    ) -> tuple[list[ScoredSentence], int | None]:
        """Choose the sentences to quote; say where an older article's "Earlier" word starts."""
        scope = context.scope
        profile = self.profile(question, context.history, scope)
        embed_as = _referent(question, context.history)
        scored = self._score(question, passages, profile, embed_as, latest=scope.latest)
        scored = _of_its_time(scored, scope, profile)
        if not scope.latest:
            # A latest question's newest word is chosen by its own rules (`choose_latest`).
            scored = self._naming_the_product(scored, profile)
            scored = _citing_in_full(scored, profile)
        extra = self._vetoes(question, profile, scope, scored)

        def beside(day: str) -> list[ScoredSentence]:
            # The companion may come from the other articles of the lead's day too.
            among = frozenset(
                p.chunk_id for p in context.beside if article_day(p.published_at) == day
            )
            if not among:
                return []
            more = self._score(
                question,
                [*passages, *context.beside],
                profile,
                embed_as,
                latest=scope.latest,
                among=among,
            )
            return _of_its_time(more, scope, profile)

        if context.screen and not scope.latest:
            # Whether the articles answer is judged on retrieval's own top passages, the
            # calibration the model was fitted on; what to quote, on the reranked ones.
            screened = self._score(question, context.screen, profile, embed_as)
            # The screen reads an order cited by its day ("Executive Order 14380 of January
            # 29, 2026") as naming that day, as when the model was fitted.
            screened = _of_its_time(screened, scope, profile, labels=True)
            # "EO number for the Liberation Day tariffs?": the fact sheets retrieved first
            # name no order's number (or another order's); the orders citing it, reranked
            # up, do.
            cited = profile.identifier is not None and self.answerable(scored, extra)
            if context.history:
                # A follow-up is searched with the turns it leans on ("how many planes are the
                # Thais buying under it?" with the summit's words): its screen is the earlier
                # question's passages, not its own, while the passages reranked by its own
                # words hold what it asks ("procurement of 80 U.S. aircraft").
                cited = cited or self.answerable(scored, extra)
            if (
                profile.asks_value
                and scored
                and not screened
                and self._about(self._split(context.screen), profile)
            ):
                # "March 2025: what did Trump raise the fentanyl tariff on China to?": the
                # sentences of retrieval's own top passages are on the matter, yet none holds a
                # rate at all (the order amending it to "20 percent" was reranked up), so they
                # cannot judge.
                cited = self.answerable(scored, extra)
            screen_vetoes = self._vetoes(question, profile, scope, screened)
            if (
                not cited
                and not self.answerable(screened, screen_vetoes)
                and not _lists_places(screened, profile, screen_vetoes)
            ):
                return [], None
            if extra.get("veto_plan_for_outcome"):
                # The answer would lead with the plan itself ("The Secretary shall provide
                # one of these updates within 120 days"): what came of it is not told.
                return [], None
            chosen = self._of_the_time(self.choose(scored, extra, decided=True), scored, scope)
            chosen = self._with_addition(chosen, scored, profile)
            return _with_companion(chosen, scored, beside), None
        if not scope.latest:
            chosen = self._of_the_time(self.choose(scored, extra), scored, scope)
            chosen = self._with_addition(chosen, scored, profile)
            return _with_companion(chosen, scored, beside), None
        if not self.answerable(scored, extra) and not self._ended_by_name(scored, extra):
            return [], None
        best = max(s.evidence for s in scored)
        newest, earlier = choose_latest(
            scored,
            min(self.model.fallback_threshold, best),
            _LATEST_CLOSE_RATIO,
            _REDUNDANT_COSINE,
            max_newest=max(1, self.max_sentences - 1),
            status_bonus=_STATUS_BONUS,
            thread_cosine=_THREAD_COSINE,
            on_subject=self._on_subject(profile),
            status_share=_STATUS_SHARE,
            told_day=_told_day,
            covers=lambda s: s.signals.get("sentence_coverage", 0.0) >= 1.0,
        )
        newest = _with_companion(newest, scored, beside)
        return newest + earlier, (len(newest) if earlier else None)

    def _naming_the_product(
        self, scored: list[ScoredSentence], profile: QuestionProfile
    ) -> list[ScoredSentence]:
        """Put first the sentences whose passage names a product the question asks about,
        when one of them may join the best sentence (`AnswerabilityModel.joins`).

        "Under the Salvadoran framework deal, do garments made under CAFTA-DR get relief from
        the reciprocal tariff?": the framework's opening sentence is a little likelier than
        "the United States will also remove the reciprocal tariffs from certain products, such
        as textiles and apparel products", but its passage names no apparel, and the product
        veto would refuse what the next sentence answers. A passage naming the product only
        far below the best sentence's likelihood, or with weaker evidence than the best one's,
        changes nothing: the veto stands. Only the sentences the answer would quote are so
        ordered; whether to answer at all is still judged on retrieval's own top passages as
        they rank.
        """
        if not profile.products or not scored:
            return scored
        best, reliance = scored[0], self.reliance()

        def naming(s: ScoredSentence) -> bool:
            return profile.names_a_product(s.candidate.context_terms)

        if naming(best):
            return scored
        if not any(
            naming(s)
            and s.evidence >= best.evidence
            and self.model.joins(
                s.probability / max(best.probability, 1e-9),
                s.evidence / max(best.evidence, 1e-9),
                reliance,
            )
            for s in scored
        ):
            return scored
        return [s for s in scored if naming(s)] + [s for s in scored if not naming(s)]

    def _ended_by_name(self, scored: Sequence[ScoredSentence], extra: Mapping[str, float]) -> bool:
        """Say whether a "still" question's best evidence is an order that a later one ends
        by its title: "are countries buying from Tehran still on the hook for that secondary
        tariff?" is answered by "Executive Order 14382 of February 6, 2026 (Addressing Threats
        ... by the Government of Iran) ... shall no longer be in effect", however few of the
        question's words that list holds."""
        if not scored or any(k.startswith("veto_") and v > 0 for k, v in extra.items()):
            return False
        lead = max(scored, key=lambda s: s.evidence)
        if lead.evidence < self.model.fallback_threshold:
            return False
        day = article_day(lead.candidate.passage.published_at) or ""
        title = lead.candidate.passage.title
        return any(
            (article_day(s.candidate.passage.published_at) or "") > day
            and tells_change(s.candidate.text)
            and any(titled_by(order, title) for order in s.candidate.refers)
            for s in scored
        )

    def _with_addition(
        self,
        chosen: list[ScoredSentence],
        scored: Sequence[ScoredSentence],
        profile: QuestionProfile,
    ) -> list[ScoredSentence]:
        """Quote what else there is when the question asks for it.

        "The Jan 16 2025 BIS rule that put 11 Chinese companies on the Entity List: did it
        change anything for other countries?": the summary and the China entries are the
        likeliest sentences and fill the answer; "This rule also revises one existing entry
        ... under the destination of India", nearly as likely, answers. When no chosen
        sentence tells an addition, the likeliest one that does and may join the best one
        (`AnswerabilityModel.joins`) takes the place of the least likely chosen sentence. The
        best sentence's own article tells what else it did at any likelihood: "The Jan 6 2025
        BIS entity list rule: was it only new listings or did it change anything else?" is
        answered by the rule's "This rule also amends the EAR by making certain editorial
        corrections", a seventh as likely as its summary.
        """
        if not chosen or not profile.asks_else or any(_adds(s.candidate.text) for s in chosen):
            return chosen
        best = max(chosen, key=lambda s: s.probability)
        reliance = self.reliance()
        addition = next(
            (
                s
                for s in scored
                if _adds(s.candidate.text)
                and s not in chosen
                and (
                    s.candidate.passage.doc_id == best.candidate.passage.doc_id
                    or self.model.joins(
                        s.probability / max(best.probability, 1e-9),
                        s.evidence / max(best.evidence, 1e-9),
                        reliance,
                    )
                )
                and not any(_repeats(s, c) for c in chosen)
            ),
            None,
        )
        if addition is None:
            return chosen
        kept = sorted(chosen, key=lambda s: -s.probability)[: self.max_sentences - 1]
        return _reading_order([*kept, addition])

    def _of_the_time(
        self, chosen: list[ScoredSentence], scored: Sequence[ScoredSentence], scope: TimeScope
    ) -> list[ScoredSentence]:
        """Quote the asked time's own article beside later ones recalling it.

        "where did Biden and Xi hold their summit in November 2023?": a 2024 readout
        recalling "the November 2023 Woodside Summit" may be the likeliest sentence, but the
        November 2023 readout is the record of the time. When no chosen sentence comes from
        an article published within the question's window, the likeliest one that does
        joins, if it holds `_OWN_TIME_SHARE` of the best one's probability (dev: 0.1 and 0.2
        +2 and +1 answered with evidence, held-out unchanged); it takes the place of the
        least likely chosen sentence when the answer is full.
        """
        if not chosen or scope.latest or scope.start is None or scope.end is None:
            return chosen
        start, end = scope.start.isoformat(), scope.end.isoformat()

        def of_the_time(sentence: ScoredSentence) -> bool:
            day = article_day(sentence.candidate.passage.published_at)
            return day is not None and start <= day <= end

        if any(of_the_time(s) for s in chosen):
            return chosen
        best = max(s.probability for s in chosen)
        own = next((s for s in scored if of_the_time(s)), None)
        if own is None or own.probability < _OWN_TIME_SHARE * best:
            return chosen
        kept = sorted(chosen, key=lambda s: -s.probability)[: self.max_sentences - 1]
        return _reading_order([*kept, own])

    def _on_subject(
        self, profile: QuestionProfile
    ) -> Callable[[ScoredSentence, ScoredSentence], bool] | None:
        """Return the test that a sentence's passage (or its article's title) names the
        question's subject: the rarest question term the lead (best evidence) sentence
        holds; not an amount (what changed may be the very amount: "does it still drop to
        2.5%?"), nor a word of the time ("end of Nov 2025", "still", "current"). The passage,
        not the whole article: a later proclamation on lithographic plates and steel racks
        that names metal content pages away says nothing new on how derivatives are charged.
        An article titled as the lead's is on the subject (a later notice in the same
        investigation: "Notice of Modification of Section 301 Action: China's Targeting of
        the Maritime ... Sectors", suspending the port fees in words of its own), and so is
        a sentence naming by number the order the lead's article is titled by. Otherwise, a
        question naming a product needs a passage naming it: a later proclamation's refund
        clause on dairy duties is no newer word on refunds for chips."""
        statistics = self.statistics
        if statistics is None:
            return None

        def on_subject(sentence: ScoredSentence, lead: ScoredSentence) -> bool:
            lead_title = lead.candidate.passage.title
            if same_thread(sentence.candidate.passage.title, lead_title):
                return True
            if any(titled_by(order, lead_title) for order in sentence.candidate.refers):
                return True  # "Executive Order 14380 ... no longer": the lead's own order
            if profile.products and not profile.names_a_product(sentence.candidate.context_terms):
                return False
            held = [
                t
                for t in sorted(profile.terms)
                if not _NOT_A_SUBJECT.fullmatch(t) and profile.found(t, lead.candidate.terms)
            ]
            if not held:
                return True
            # The rarest term, or the rarest by what the articles write for it ("hit" is
            # "imposes": the thing is India, not the verb): either names the subject.
            subjects = {max(held, key=profile.weight), max(held, key=profile.concept_weight)}
            return any(_names_subject(sentence, lead, s, profile) for s in subjects)

        return on_subject

    def score_sentences(
        self,
        question: str,
        passages: Sequence[Passage],
        history: Sequence[Turn] = (),
        scope: TimeScope | None = None,
    ) -> list[ScoredSentence]:
        """Score every candidate sentence of `passages`, most likely answer first."""
        embed_as = _referent(question, history)
        profile = self.profile(question, history, scope)
        latest = scope is not None and scope.latest
        return self._score(question, passages, profile, embed_as, latest=latest)

    def newest_word(
        self,
        question: str,
        passages: Sequence[Passage],
        history: Sequence[Turn] = (),
        scope: TimeScope | None = None,
    ) -> list[Passage]:
        """Return the passages the answer to a "latest" question quotes, in its order: the
        newest relevant article's, then the earlier word's ([] for another question, or when
        the answer would be a refusal)."""
        if scope is None or not scope.latest:
            return []
        chosen, _ = self._select(question, passages, AnswerContext(history, scope))
        return list({s.candidate.passage.chunk_id: s.candidate.passage for s in chosen}.values())

    def passage_evidence(
        self,
        question: str,
        passages: Sequence[Passage],
        history: Sequence[Turn] = (),
        scope: TimeScope | None = None,
    ) -> dict[str, float]:
        """Return, per passage (chunk id), the model's probability for its best sentence."""
        embed_as = _referent(question, history)
        profile = self.profile(question, history, scope)
        best: dict[str, float] = {}
        for s in self._score(question, passages, profile, embed_as, cap=_RERANK_CAP):
            chunk = s.candidate.passage.chunk_id
            best[chunk] = max(best.get(chunk, 0.0), s.probability)
        return best

    def _score(
        self,
        question: str,
        passages: Sequence[Passage],
        profile: QuestionProfile,
        embed_as: str | None = None,
        latest: bool = False,
        cap: int = 0,
        among: frozenset[str] | None = None,
    ) -> list[ScoredSentence]:
        """Score the candidate sentences of `passages` (of the passages `among` names, when
        given: the others still set their ranks), likeliest first."""
        every = self._split(passages)
        # "EO number for the Cuba oil tariffs?" is not answered by a sentence with no number.
        about = [
            c
            for c in self._about(every, profile)
            if profile.could_answer(c.text) and (among is None or c.passage.chunk_id in among)
        ]
        # A "still / current" question is answered by what became of the matter, in words of
        # its own: the sentences telling a status join the shortlist. An order's number is
        # best told where the order is cited in full (`_citing_in_full`), in words of its title.
        also: Callable[[Candidate], bool] | None = None
        if latest:
            also = lambda c: tells_status(c.text)  # noqa: E731
        elif profile.identifier in ("eo", "proclamation"):
            also = lambda c: bool(profile.cited_in_full(c.text))  # noqa: E731
        candidates = shortlist(
            about,
            profile.wanted_terms,
            cap or _SENTENCE_CAP,
            profile.coverage,
            also=also,
            also_cap=_STATUS_CAP if also else 0,
        )
        if not candidates:
            return []
        # The sentences around each candidate are read in the same batch as the candidates.
        around = _neighbours(candidates, every)
        at = {c.key: i for i, c in enumerate(candidates)}
        extra = list({c.key: c for pair in around for c in pair if c and c.key not in at}.values())
        at.update({c.key: len(candidates) + i for i, c in enumerate(extra)})
        everything = self._sentence_vectors([*candidates, *extra])
        vectors = everything[: len(candidates)]
        asked = self.embedder.embed_query(embed_as or question)
        cosines = vectors @ asked
        windows = _window_signals(candidates, around, everything, at, asked, profile)
        measure = self._measure(profile)
        scored = []
        for candidate, cosine, vector, window in zip(
            candidates, cosines, vectors, windows, strict=True
        ):
            signals = {**measure(candidate, float(cosine)), **window}
            scored.append(
                ScoredSentence(candidate, signals, self.model.ranking.probability(signals), vector)
            )
        return sorted(scored, key=lambda s: -s.probability)

    def _split(self, passages: Sequence[Passage]) -> list[Candidate]:
        """Return the candidate sentences of `passages`."""
        statistics = self.statistics
        if statistics is None:
            return split_candidates(passages)
        return split_candidates(passages, statistics.order_titles, statistics.table_header)

    def _about(self, every: Sequence[Candidate], profile: QuestionProfile) -> list[Candidate]:
        """Return the candidates about what the question asks about: its referent, its places."""
        statistics = self.statistics
        about = about_the_referent(
            every,
            profile,
            statistics.article_terms if statistics else None,
        )
        # "Australian beef" is not answered from a passage about Argentine beef. A term's
        # definition is its order's: "what does 'country of most recent cast' mean in the
        # Mexico aluminum proclamation?" is answered by the definitions, which name no country.
        about = [
            c
            for c in about
            if profile.names_places(c.context_terms)
            or (
                profile.defined
                and statistics is not None
                and profile.names_places(statistics.article_terms(c.passage.doc_id))
            )
        ]
        # ... nor from a section of an omnibus fact sheet headed by another partner, nor from
        # a table's row (a list's item) for another partner ("| Norway | 15% |" in the passage
        # holding "| Switzerland | 39% |"; "- South Africa (30%)" beside "- Laos (40%)").
        if profile.places:
            about = [c for c in about if not profile.under_another_partner(_heading(c))]
        if profile.places or profile.own_identifiers:
            keyed = {c.passage.chunk_id for c in about if _keys_the_places(c.passage.text, profile)}
            about = [
                c
                for c in about
                if not _row_key(c)
                or c.passage.chunk_id not in keyed
                or _row_names_places(c, profile)
            ]
        return about

    def profile(
        self, question: str, history: Sequence[Turn] = (), scope: TimeScope | None = None
    ) -> QuestionProfile:
        """Describe the question: terms weighed by rarity, vocabulary alternatives, answer type,
        the calendar time it names (`scope`).

        A question asked moments ago at the same store generation gets the same profile
        back, with what it has already matched (reranking, then the answer, read it).
        """
        previous = history[-1].question if history else None
        with self._cache_lock:
            known = self._measures.get(self._profile_key(question, previous, scope))
            if known is not None:
                return known.profile
        profile = self._new_profile(question, previous, scope)
        # The statistics may have loaded or refreshed while the profile read them.
        key = self._profile_key(question, previous, scope)
        with self._cache_lock:
            self._measures[key] = SentenceSignals(profile, self.statistics)
            while len(self._measures) > _MEASURES:
                self._measures.popitem(last=False)
        return profile

    def _profile_key(
        self, question: str, previous: str | None, scope: TimeScope | None
    ) -> tuple[object, ...]:
        generation = self.statistics.generation if self.statistics is not None else None
        return (question, previous, scope, generation)

    def _measure(self, profile: QuestionProfile) -> SentenceSignals:
        """Return the sentence measure of `profile` (remembered with it when it was)."""
        with self._cache_lock:
            for known in reversed(self._measures.values()):
                if known.profile is profile:
                    return known
        return SentenceSignals(profile, self.statistics)

    def _new_profile(
        self, question: str, previous: str | None, scope: TimeScope | None
    ) -> QuestionProfile:
        alternatives: dict[str, tuple[frozenset[str], ...]] = {}
        if self.vocabulary is not None:
            # A follow-up's borrowed terms keep their alternatives ("US" -> "United States").
            for text in (previous, question):
                if text:
                    alternatives.update(self.vocabulary.expand(text).alternatives())
        return profile_question(
            question,
            previous,
            idf=self.statistics.idf if self.statistics else None,
            alternatives=alternatives,
            idf_reliance=self.reliance(),
            named_time=_named_time(scope),
            dated_from=_dated_from(scope),
            framing=latest_words(question) if scope is not None and scope.latest else "",
            places=self.vocabulary.places(question) if self.vocabulary is not None else (),
            products=self.vocabulary.products(question) if self.vocabulary is not None else (),
            known=self.statistics.knows if self.statistics else None,
            passages=self.statistics.passage_count() if self.statistics else 0,
            previous_venues=(
                self.vocabulary.meeting_terms(previous)
                if self.vocabulary is not None and previous
                else frozenset()
            ),
        )

    def reliance(self) -> float:
        """How far the model (and IDF) can be trusted at this corpus's size, 0..1."""
        passages = self.statistics.passage_count() if self.statistics else None
        return self.model.reliance(passages)

    def vetoes(
        self,
        question: str,
        scored: Sequence[ScoredSentence],
        context: AnswerContext = PLAIN,
    ) -> dict[str, float]:
        """Return the refusal signals the model's decision gets besides the sentences' own:
        a name no article mentions (`question_vetoes`), weak evidence for the undecided."""
        profile = self.profile(question, context.history, context.scope)
        return self._vetoes(question, profile, context.scope, scored)

    def _vetoes(
        self,
        question: str,
        profile: QuestionProfile,
        scope: TimeScope,
        scored: Sequence[ScoredSentence],
    ) -> dict[str, float]:
        extra = question_vetoes(profile, self.statistics)
        if profile.products and scored:
            # "How many tons of beef can Argentina ship?" is not answered from a passage about
            # steel quotas that names Argentina: the best sentence's passage must name a
            # product the question asks about.
            extra["veto_product_absent"] = float(
                not profile.names_a_product(scored[0].candidate.context_terms)
            )
        if profile.about_terms and scored:
            # "Does the US-Norway critical minerals MOU say anything about Norway's seabed mining
            # plans?" is not answered by an MOU that writes "mining" but never "seabed" nor
            # "plans": most of what is asked about, by weight, must be written in the article.
            best = scored[0].candidate
            written = best.context_terms | (
                self.statistics.article_terms(best.passage.doc_id)
                if self.statistics is not None
                else frozenset()
            )
            about = sorted(profile.about_terms)
            total = sum(profile.weight(t) for t in about)
            held = sum(profile.weight(t) for t in about if profile.found(t, written))
            extra["veto_about_absent"] = float(held < _ABOUT_SHARE * total)
        if scope.undecided and scored:
            # Something the articles may only announce ("will", "going to") needs firmer
            # evidence than the old rule's bar.
            firm = self.model.fallback_threshold + self.undecided_margin
            weak = max(s.evidence for s in scored) < firm
            # "What days did the ITC hearing end up running?": "As rescheduled, it will be held
            # on July 20-22, 2022" is the articles' last word on days long past by the newest.
            best = scored[0].candidate
            settled = scope.outcome and (
                self._long_past(best) or _tells_it_done(best.text, _outcome_terms(question))
            )
            extra["veto_weak_for_undecided"] = float(weak and not settled)

        if (scope.outcome or scope.came_about) and scored:
            # "Which companies got approved for the drone onshoring program?" is not answered
            # by "The Proclamation authorizes the Secretary to establish an onshoring program":
            # what became of a plan is not the plan. A plan for days long past by the newest
            # article is the articles' last word on them ("As rescheduled, it will be held on
            # July 20-22, 2022").
            best = scored[0].candidate
            extra["veto_plan_for_outcome"] = float(plans(best.text) and not self._long_past(best))
        return extra

    def _long_past(self, candidate: Candidate) -> bool:
        """Say whether `candidate` sets a day or month still ahead of its article (a plan's
        date) and every time it names ended a quarter or more before the newest article."""
        day = self.statistics.newest_day() if self.statistics is not None else 0
        published = article_day(candidate.passage.published_at)
        if day <= 0 or not published:
            return False
        newest = date(day // 10000, day // 100 % 100, day % 100)
        named = parse_time_scope(candidate.text, newest)
        return (
            named.precision in ("day", "month")  # a date set for it, not "Trump's first term"
            and named.start is not None
            and named.end is not None
            and named.start >= date.fromisoformat(published)
            and named.end <= newest - timedelta(days=_SETTLED_DAYS)
        )

    def answerable(
        self, scored: Sequence[ScoredSentence], extra: Mapping[str, float] | None = None
    ) -> bool:
        """Let the model decide from the best candidates' signals (and any `extra` ones)."""
        if not scored:
            return False
        summary = question_signals([(s.signals, s.probability) for s in scored])
        return self.model.decide({**summary, **(extra or {})}, self.reliance()).answer

    def choose(
        self,
        scored: Sequence[ScoredSentence],
        extra: Mapping[str, float] | None = None,
        decided: bool = False,
    ) -> list[ScoredSentence]:
        """Pick up to `max_sentences` sentences, in reading order; none when unanswerable.

        The model decides whether the best sentence answers at all (with any `extra`
        signals a caller adds; `decided`: the caller has decided it does); once it does,
        sentences nearly as likely join it, the likeliest first, from whichever article (the
        best sentence's own article first cost the answer where another article told the
        matter: dev 85 against 83 answered with evidence; a near-copy of a chosen sentence
        never joins).
        """
        if not scored or not (decided or self.answerable(scored, extra)):
            return []
        best, reliance = scored[0], self.reliance()
        chosen = [best]
        for other in scored[1:]:
            if len(chosen) >= self.max_sentences:
                break
            near = self.model.joins(
                other.probability / max(best.probability, 1e-9),
                other.evidence / max(best.evidence, 1e-9),
                reliance,
            )
            if near and not any(_repeats(other, c) for c in chosen):
                chosen.append(other)
        return _reading_order(chosen)

    def _compose(self, chosen: Sequence[ScoredSentence], earlier_from: int | None = None) -> Answer:
        """Build the Answer quoting `chosen`, or the refusal when nothing was chosen."""
        if not chosen:
            return Answer(answer=REFUSAL_TEXT, citations=[], grounded=False, mode=self.mode)
        quoted = [c for s in chosen for c in (s.candidate, *s.copies)]
        citations = [
            Citation.quoting(n, c.passage, c.start, c.end) for n, c in enumerate(quoted, start=1)
        ]
        text = " ".join(_answer_parts(chosen, earlier_from))
        return Answer(answer=text, citations=citations, grounded=True, mode=self.mode)

    def _sentence_vectors(self, candidates: Sequence[Candidate]) -> np.ndarray:
        """Return one vector per candidate: stored ones, the rest embedded now."""
        keys = [
            (c.passage.chunk_id, c.start - c.passage.start, c.end - c.passage.start)
            for c in candidates
        ]
        stored = self.sentences.sentence_vectors(keys) if self.sentences is not None else {}
        found: list[np.ndarray | None] = [stored.get(key) for key in keys]
        missing = [i for i, vector in enumerate(found) if vector is None]
        if missing:
            fresh = self._embed([embedding_text(candidates[i].text) for i in missing])
            for i, vector in zip(missing, fresh, strict=True):
                found[i] = vector
        return np.stack([vector for vector in found if vector is not None])

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed `texts` in one batch, reusing vectors of texts seen recently."""
        with self._cache_lock:
            known = {t: self._cache[t] for t in texts if t in self._cache}
            for text in known:
                self._cache.move_to_end(text)
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            fresh = self.embedder.embed_passages(missing)
            with self._cache_lock:
                for text, vector in zip(missing, fresh, strict=True):
                    known[text] = vector
                    self._cache[text] = vector
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
        return np.stack([known[t] for t in texts])


def _named_time(scope: TimeScope | None) -> tuple[str, str, str] | None:
    """The calendar time a question names, as (its words, first day, last day), or None.

    Only a bounded window counts: not an open one ("after the Busan summit", "since 2020")
    nor a "latest" one (the newest word may come after it).
    """
    if scope is None or scope.latest or not scope.expression:
        return None
    if scope.start is None or scope.end is None:
        return None
    return (scope.expression, scope.start.isoformat(), scope.end.isoformat())


def _dated_from(scope: TimeScope | None) -> str | None:
    """The first day an article stands for the named time's words: the window's lead-in's
    when it has one (`TimeScope.lead_in`), else None (its first day)."""
    if scope is None or scope.lead_in is None or _named_time(scope) is None:
        return None
    return scope.lead_in.isoformat()


_PAST_VERB = re.compile(r"\b[a-z]{3,}ed\b")
# "which provinces ended up lifting their bans?", "did the duties end up getting scrapped?":
# the verb of what became of it.
_OUTCOME_VERB = re.compile(r"\bend(?:ed|s|ing)?\s+up\s+(?:(?:getting|being)\s+)?([a-z]+)", re.I)


def _outcome_terms(question: str) -> frozenset[str]:
    """Return the terms of the verb a question asks the outcome of ("lift" of "ended up
    lifting"), empty when it names none that way."""
    return content_terms(" ".join(_OUTCOME_VERB.findall(question)))


def _tells_it_done(sentence: str, outcome: frozenset[str]) -> bool:
    """Say whether `sentence` tells in the past tense the very outcome asked about ("which
    provinces ended up lifting their bans?": "Only Alberta and Saskatchewan subsequently
    lifted their bans"), not a plan for it ("after they added more days, what days did it end
    up running?" is not answered by "the Commission has added a second day")."""
    done = content_terms(" ".join(_PAST_VERB.findall(sentence)))
    return bool(done & outcome) and not plans(sentence)


def _heading(candidate: Candidate) -> str:
    """The bold heading of the sentence's section in its passage ("**ENHANCING THE
    U.S.-MALAYSIA RELATIONSHIP:**"), the sentence's own when it opens with one; "" when the
    passage shows none."""
    passage = candidate.passage
    found = _BOLD_HEADING.findall(passage.text[: max(0, candidate.end - passage.start)])
    return found[-1] if found else ""


def _adds(sentence: str) -> bool:
    """Say whether `sentence` tells an addition: "This rule also revises ...", "In addition,
    ...", "This action adds to Mexico's recent tariff increases"."""
    return bool(_ADDITION.search(sentence))


def plans(sentence: str) -> bool:
    """Say whether `sentence` tells a plan or an authority to act, not an outcome."""
    return bool(_PLAN.search(sentence))


# A list's item short enough to be one partner's entry, not a statement.
_KEYED_ITEM_CHARS = 80
# A list's item led by what it is about: "- Laos (40%)", "- Japan: 15%".
_KEYED_ITEM = re.compile(r"^\s*[-*•]\s+([^():;\n]{2,60}?)\s*[(:]")


def _row_key(candidate: Candidate) -> str:
    """What a table row or a short list item is about: its first cell ("| Switzerland | 39% |"),
    its lead ("- Laos (40%)"); "" for any other sentence."""
    if candidate.header:
        return table_cells(candidate.text)[0]
    item = _KEYED_ITEM.match(candidate.text)
    return item.group(1) if item and len(candidate.text) <= _KEYED_ITEM_CHARS else ""


def _keys_the_places(text: str, profile: QuestionProfile) -> bool:
    """Say whether a passage holds a table row or a list item about the places (or the
    identifier: "| 9903.01.80 | ...") the question asks about, quotable or not ("- Laos (40%)"
    is too short to quote)."""
    for line in text.split("\n"):
        if line.lstrip().startswith("|") and is_table_row(line):
            key = table_cells(line)[0]
        else:
            item = _KEYED_ITEM.match(line)
            key = item.group(1) if item and len(line.strip()) <= _KEYED_ITEM_CHARS else ""
        if key and _names_what_is_asked(key, profile):
            return True
    return False


def _names_what_is_asked(key: str, profile: QuestionProfile) -> bool:
    """Say whether a row's key names the places the question asks about or an identifier it
    writes ("9903.01.80")."""
    if profile.own_identifiers & frozenset(identifier_terms(key)):
        return True
    return bool(profile.places) and profile.names_places(content_terms(key))


def _row_names_places(candidate: Candidate, profile: QuestionProfile) -> bool:
    """Say whether a table row's first cell (a list item's lead) names the places the
    question asks about."""
    key = _row_key(candidate)
    return bool(key) and _names_what_is_asked(key, profile)


def _citing_in_full(scored: list[ScoredSentence], profile: QuestionProfile) -> list[ScoredSentence]:
    """Put first, for a question asking an order's number, the likeliest sentence of the best
    sentence's article that cites one of the orders the best sentence names with the day it
    was signed, when the best sentence cites none so.

    "What's the Clinton-era EO number that the Feb 2026 Iran order builds on?": "the national
    emergency declared in Executive Order 12957 and further described in subsequent orders"
    is likelier than the same order's "In Executive Order 12957 of March 15, 1995
    (Prohibiting Certain Transactions ...), the President found ...", which tells the reader
    what the number stands for, and when.
    """
    if not scored or profile.identifier not in ("eo", "proclamation"):
        return scored
    best = scored[0].candidate
    if profile.cited_in_full(best.text):
        return scored
    numbers = profile.new_identifiers(best.text)
    full = next(
        (
            s
            for s in scored
            if s.candidate.passage.doc_id == best.passage.doc_id
            and profile.cited_in_full(s.candidate.text) & numbers
        ),
        None,
    )
    if full is None:
        return scored
    return [full, *(s for s in scored if s is not full)]


def _with_companion(
    chosen: list[ScoredSentence],
    scored: Sequence[ScoredSentence],
    beside: Callable[[str], list[ScoredSentence]] | None = None,
) -> list[ScoredSentence]:
    """Quote a companion article of the chosen sentences' day beside them.

    "Are combines still paying the 25% metals derivative rate?": the fact sheet says "adjusts
    the tariffs on agricultural equipment, like combines ... from 25% to 15%", the
    proclamation it sums up "the temporarily-reduced 15 percent ad valorem duty". A reader
    checks the order itself: the likeliest sentence of another article of the best chosen
    sentence's day joins them (one more than `max_sentences` at most) when it holds
    `_COMPANION_SHARE` of that one's probability and repeats none of them. `beside(day)`
    scores the sentences of that day's other articles that retrieval found apart (asked only
    when an answer has a lead).
    """
    if not chosen or _COMPANION_SHARE <= 0:
        return chosen
    lead = max(chosen, key=lambda s: s.probability)
    day = article_day(lead.candidate.passage.published_at)
    if day is None:
        return chosen
    if beside is not None:
        scored = sorted([*scored, *beside(day)], key=lambda s: -s.probability)
    taken = {s.candidate.passage.doc_id for s in chosen}
    companion = next(
        (
            s
            for s in scored
            if s.candidate.passage.doc_id not in taken
            and article_day(s.candidate.passage.published_at) == day
            and not any(_repeats(s, c) for c in chosen)
        ),
        None,
    )
    if companion is None or companion.probability < _COMPANION_SHARE * lead.probability:
        # "A lower 10% tariff on any potash ...": the order it sums up says so in its own
        # words ("shall be reduced to 10 percent"), far less like the question's.
        figures = stated_amounts(lead.candidate.text)
        companion = next(
            (
                s
                for s in scored
                if figures
                and s.candidate.passage.doc_id not in taken
                and article_day(s.candidate.passage.published_at) == day
                and figures & stated_amounts(s.candidate.text)
                and not any(_repeats(s, c) for c in chosen)
            ),
            None,
        )
        if companion is None or companion.evidence < _STATING_EVIDENCE * lead.evidence:
            return chosen
    return _reading_order([*chosen, companion])


def _repeats(sentence: ScoredSentence, chosen: ScoredSentence) -> bool:
    """Say whether `sentence` says nothing `chosen` does not: a near-copy (cosine), with the
    same figures. "This will take effect April 5, 2025" is no copy of "... April 9, 2025": the
    baseline tariff's start and the higher rates' are two answers a reader tells apart by their
    citations."""
    if float(sentence.vector @ chosen.vector) < _REDUNDANT_COSINE:
        return False
    return same_figures(sentence.candidate.text, chosen.candidate.text)


# A list long enough to be a roundup: this many comma-separated items, each a few words.
_ROUNDUP_ITEMS = 4
_ROUNDUP_ITEM_WORDS = 3


def _names_subject(
    sentence: ScoredSentence, lead: ScoredSentence, subject: str, profile: QuestionProfile
) -> bool:
    """Say whether a sentence's passage names `subject` other than as one item of a roundup
    as new as the lead or newer ("tariffs on key goods such as steel, aluminum, copper, ...,
    timber, lumber, and pharmaceuticals" is no newer word on lumber), unless its article is
    titled by it."""
    if not profile.found(subject, sentence.candidate.context_terms):
        return False
    later = (sentence.candidate.passage.published_at or "") >= (
        lead.candidate.passage.published_at or ""
    )
    return (
        not later
        or profile.found(subject, content_terms(sentence.candidate.passage.title))
        or not _only_listed(sentence.candidate.passage.text, subject, profile)
    )


def _only_listed(text: str, subject: str, profile: QuestionProfile) -> bool:
    """Say whether `text` (a passage) names `subject` only in roundups: sentences listing at
    least `_ROUNDUP_ITEMS` items, the subject in items of a few words."""
    holding = [
        text[lo:hi]
        for lo, hi in sentence_bounds(text)
        if profile.found(subject, content_terms(text[lo:hi]))
    ]
    return bool(holding) and all(_lists(sentence, subject, profile) for sentence in holding)


def _lists(sentence: str, subject: str, profile: QuestionProfile) -> bool:
    """Say whether `sentence` names `subject` only within runs of at least `_ROUNDUP_ITEMS`
    consecutive short items ("steel, aluminum, copper, trucks and automobiles, timber,
    lumber, and pharmaceuticals")."""
    parts = [p for p in re.split(r",|;|\band\b|\bor\b", sentence) if p.strip()]
    short = [len(p.split()) <= _ROUNDUP_ITEM_WORDS for p in parts]
    in_run = [False] * len(parts)
    start = 0
    for end in range(len(parts) + 1):
        if end == len(parts) or not short[end]:
            if end - start >= _ROUNDUP_ITEMS:
                in_run[start:end] = [True] * (end - start)
            start = end + 1
    holding = [i for i, p in enumerate(parts) if profile.found(subject, content_terms(p))]
    return bool(holding) and all(in_run[i] for i in holding)


def _window_signals(
    candidates: Sequence[Candidate],
    around: Sequence[tuple[Candidate | None, Candidate | None]],
    vectors: np.ndarray,
    at: Mapping[tuple[str, int], int],
    asked: np.ndarray,
    profile: QuestionProfile,
) -> list[dict[str, float]]:
    """Measure each candidate with the sentences around it: an order's "section 2(a) of
    Executive Order 14195 is hereby amended by striking “10 percent” and inserting “20
    percent”" answers "what did Trump raise the fentanyl tariff on China to?" when the
    sentence before it names the fentanyl and the PRC it does not.

    `window_cosine` is the question's cosine to the summed vectors of the sentence and its
    neighbours (`around`: the one before and the one after, where the retrieved passages
    hold them; `vectors` holds each sentence's vector at its row in `at`, by sentence key),
    `window_coverage` the share of the question's terms the three hold.
    """
    padded = np.vstack([vectors, np.zeros((1, vectors.shape[1]), dtype=vectors.dtype)])
    none = len(vectors)
    rows = [[none if c is None else at[c.key] for c in pair] for pair in around]
    before, after = np.array(rows, dtype=np.intp).reshape(-1, 2).T
    joined = padded[: len(candidates)] + padded[before] + padded[after]
    norms = np.linalg.norm(joined, axis=1)
    cosines = (joined @ asked) / np.where(norms > 0, norms, 1.0)
    out = []
    for candidate, pair, cosine in zip(candidates, around, cosines, strict=True):
        terms = [candidate.terms, *(c.terms for c in pair if c is not None)]
        hits = profile.hits_together(terms)
        out.append({"window_cosine": float(cosine), "window_coverage": profile.coverage_of(hits)})
    return out


def _neighbours(
    candidates: Sequence[Candidate], every: Sequence[Candidate]
) -> list[tuple[Candidate | None, Candidate | None]]:
    """Return, per candidate, the sentences just before and just after it in its article,
    among `every` (None where the retrieved passages do not hold one)."""
    by_article: dict[str, list[Candidate]] = {}
    for c in every:
        by_article.setdefault(c.passage.doc_id, []).append(c)
    for sentences in by_article.values():
        sentences.sort(key=lambda c: c.start)
    starts = {doc: [c.start for c in sentences] for doc, sentences in by_article.items()}
    out: list[tuple[Candidate | None, Candidate | None]] = []
    for candidate in candidates:
        same, at = (
            by_article.get(candidate.passage.doc_id, []),
            starts.get(candidate.passage.doc_id, []),
        )
        i = bisect_left(at, candidate.start)
        before = same[i - 1] if i > 0 else None
        after = next((c for c in same[i:] if c.start >= candidate.end), None)
        out.append(
            (
                before if before and 0 <= candidate.start - before.end <= _ADJACENT_GAP else None,
                after if after and after.start - candidate.end <= _ADJACENT_GAP else None,
            )
        )
    return out


def _in_context(chosen: Sequence[ScoredSentence], scope: TimeScope | None) -> list[ScoredSentence]:
    """Widen each chosen sentence over the neighbours it needs, unless the wider span would
    overlap another chosen sentence's (then it stays as it is). Where `scope` names a time,
    the sentence after does not join when it tells of another time ("In 2024, the deficit was
    $295.4 billion." is not followed by "In comparison, the 2025 deficit was ..."); None: a
    question asking when ("When was the magnet report completed? the notice came out in
    2023": "This report was completed in June 2022")."""

    def of_the_time(text: str) -> bool:
        return scope is None or not _names_another_time(text, scope)

    named = (
        scope is not None and scope.start is not None and scope.end is not None and not scope.latest
    )
    out: list[ScoredSentence] = []
    for index, sentence in enumerate(chosen):
        wide = in_context(sentence.candidate, of_the_time if named else None)
        others = [s.candidate for s in out] + [s.candidate for s in chosen[index + 1 :]]
        clash = any(
            o.passage.doc_id == wide.passage.doc_id and o.start < wide.end and wide.start < o.end
            for o in others
        )
        out.append(sentence if clash else dataclasses.replace(sentence, candidate=wide))
    return out


# A "which countries" question is answered by a sentence listing this many countries it does
# not name, when the sentence is at least this good evidence.
_LISTED_PLACES = 3
_LISTED_EVIDENCE = 0.45


def _lists_places(
    scored: Sequence[ScoredSentence], profile: QuestionProfile, extra: Mapping[str, float]
) -> bool:
    """Say whether a "which countries" question's best evidence lists the countries asked
    for: "These entries are listed on the Entity List under the destination of China (23),
    India (1), Iran (1), Singapore (1), ..." for "apart from China, which countries did the
    new listings fall under?", however few of the question's words it holds."""
    if profile.answer_type != "place" or not scored:
        return False
    if any(k.startswith("veto_") and v > 0 for k, v in extra.items()):
        return False
    lead = max(scored, key=lambda s: s.evidence)
    listed = countries_in(lead.candidate.text) - profile.countries
    return lead.evidence >= _LISTED_EVIDENCE and len(listed) >= _LISTED_PLACES


def _reading_order(chosen: Sequence[ScoredSentence]) -> list[ScoredSentence]:
    """Group sentences by article (best article first), each article's in text order."""
    articles = list(dict.fromkeys(s.candidate.passage.doc_id for s in chosen))
    return sorted(
        chosen, key=lambda s: (articles.index(s.candidate.passage.doc_id), s.candidate.start)
    )


def _answer_parts(chosen: Sequence[ScoredSentence], earlier_from: int | None = None) -> list[str]:
    """Render each chosen sentence, dated, followed by its marker, numbered in order."""
    return dated_parts(
        [(shown_quote(s.candidate.display), s.candidate.passage) for s in chosen],
        earlier_from,
        [len(s.copies) for s in chosen],
    )


def _with_copies(
    chosen: Sequence[ScoredSentence], passages: Sequence[Passage]
) -> list[ScoredSentence]:
    """Give each chosen sentence its copies: the same words (`copies`), with the same
    figures, in another article of the same day among `passages`, one per article.

    A proclamation and its fact sheet often share a sentence ("The United States' share of
    global polysilicon production capacity has fallen from 50 percent in 2005 to less than
    2 percent in 2024."): the answer quotes it once and cites both.
    """
    if not chosen:
        return list(chosen)
    taken = {s.candidate.passage.doc_id for s in chosen}
    out = []
    for sentence in chosen:
        day = article_day(sentence.candidate.passage.published_at)
        copies: dict[str, Candidate] = {}
        for passage in passages:
            doc_id = passage.doc_id
            if day is None or doc_id in taken or doc_id in copies:
                continue
            if article_day(passage.published_at) != day:
                continue
            found = next(
                (
                    c
                    for c in split_candidates([passage])
                    if _copies(c.text, sentence.candidate.text)
                ),
                None,
            )
            if found is not None:
                copies[doc_id] = found
        out.append(dataclasses.replace(sentence, copies=tuple(copies.values())))
    return out


def _copies(text: str, other: str) -> bool:
    """Say whether two sentences say the same in nearly the same words and figures."""
    if not same_figures(text, other):
        return False
    words, others = lower_words(text), lower_words(other)
    return SequenceMatcher(None, words, others, autojunk=False).ratio() >= _COPY_RATIO


def _referent(question: str, history: Sequence[Turn]) -> str | None:
    """A follow-up as its sentences are compared by embedding: its pronoun read as what the
    previous question was about ("how long can it last?" is about the surcharge, not any "it")."""
    return with_referent(question, history[-1].question) if history else None


def _of_its_time(
    scored: list[ScoredSentence], scope: TimeScope, profile: QuestionProfile, labels: bool = False
) -> list[ScoredSentence]:
    """Keep the sentences that speak of the question's time (see the three steps); with
    `labels`, or for an identifier question, a later article's sentence citing an order by
    the day it was signed names that day."""
    about = _about_the_time(scored, scope, labels=labels or profile.answer_type == "identifier")
    return _ahead_for_when_will(_not_recaps(about, scope), scope, profile)


def _ahead_for_when_will(
    scored: list[ScoredSentence], scope: TimeScope, profile: QuestionProfile
) -> list[ScoredSentence]:
    """For "when will ..." keep only the sentences naming a time still ahead of their article.

    "When will the US and Cambodia sign the agreement?" is answered by a date on or after the
    article's own ("by August 1, 2025") or a span from it ("within 90 days"), not by a date it
    recalls ("the Trade and Investment Framework Agreement signed in 2006") nor by "in the
    coming weeks", which names no time. A question asking what became of something ("when
    did it end up ...") is not one of these; an undated article's sentences stay.
    """
    if not scope.undecided or scope.outcome or profile.answer_type != "date":
        return scored
    return [s for s in scored if _names_a_time_ahead(s.candidate)]


def _names_a_time_ahead(candidate: Candidate) -> bool:
    """Say whether a sentence names a time on or after its article's date, or a span of time."""
    day = article_day(candidate.passage.published_at)
    if not day:
        return True
    text = _without_label_dates(candidate.text)
    named = parse_time_scope(text, date.fromisoformat(day))
    return (named.end is not None and named.end.isoformat() >= day) or names_span_of_time(text)


def _without_label_dates(text: str) -> str:
    """`text` without the dates that name things rather than tell when its news happened."""
    return _CITED_DATE.sub(r"\1 ", _LABEL_DATE.sub(" ", text))


def _about_the_time(
    scored: list[ScoredSentence], scope: TimeScope, labels: bool = False
) -> list[ScoredSentence]:
    """Keep, of an article published after the question's window, only the sentences that
    name the window's time or follow one that does.

    Such an article was retrieved for what it says about that time ("In 2024, Americans
    bought ..."; "On October 25, 2023, BIS published the rules. This notification extends
    the deadline ..."); its other sentences are about its own time ("will meet in Lima on
    November 16" in an article recalling "the November 2023 Woodside Summit"), and so is a
    sentence after one naming the window that names a time of its own ("In February 2025,
    ... In June 2025, President Trump increased the tariffs to 50%"). The day an order is
    cited by names the order, not the news: "In Executive Order 14380 of January 29, 2026
    (... Cuba) ... I declared ... emergencies" in the February order ending it does not speak
    of January (unless `labels`: "which proclamation ... in July 2024?" is answered by the
    citation "Proclamation 10782 of July 10, 2024"). When nothing inside the window was
    retrieved (the search ran without it) every sentence stays.
    """
    mention = window_mention(scope)
    if mention is None or scope.end is None:
        return scored
    end = scope.end.isoformat()
    later = [(article_day(s.candidate.passage.published_at) or "") > end for s in scored]
    kept = [
        s
        for s, after in zip(scored, later, strict=True)
        if not after
        or mention.names(
            s.candidate.text if labels else _without_label_dates(s.candidate.text),
            s.candidate.passage.published_at,
        )
        or (
            mention.names(_sentence_before(s.candidate), s.candidate.passage.published_at)
            and not _names_another_time(s.candidate.text, scope)
        )
    ]
    if all(later):
        return kept or scored
    return kept


def _not_recaps(scored: list[ScoredSentence], scope: TimeScope) -> list[ScoredSentence]:
    """Drop the sentences that name only times before the question's window, when others stay.

    A notice of the asked time recalls what came before: "In November 2021, the Trade
    Representative determined to extend 81 exclusions for 6 months" in the June 2022 notice
    that extends them again; "In Executive Order 14195 of February 1, 2025 ..." in the March
    order that raised the rate. The question asks what happened in its own time. Only dates
    to the month or day count (a year is as often a statistic's: "45% of consumption in
    2024"); a sentence's relative times ("last month") count from its article's date.
    """
    if scope.start is None or scope.end is None:
        return scored
    start = scope.start.isoformat()

    def recap(sentence: ScoredSentence) -> bool:
        day = article_day(sentence.candidate.passage.published_at)
        if not day:
            return False
        text = _without_label_dates(sentence.candidate.text)
        named = parse_time_scope(text, date.fromisoformat(day))
        return (
            named.end is not None
            and named.precision in ("day", "month")  # an event, not a year's statistic
            and named.end.isoformat() < start
        )

    kept = [s for s in scored if not recap(s)]
    return kept or scored


def told_day(sentence: str, published_at: str | None) -> str:
    """The day (YYYY-MM-DD) a sentence tells of: the end of the earlier time it opens on
    ("In June 2025, President Trump signed ...", "Similarly, on March 4, 2025, the province of
    Quebec asked ..." in a 2026 fact sheet), else its article's day ("" when undated, and for a
    summary of a whole term, "Since returning to office, President Trump has continued taking
    actions under Section 232 ... including ...": no one day's word).

    A "latest" question's newest word is the newest told, not a later article's recap of what
    happened before the matter's own latest article.
    """
    day = article_day(published_at)
    if not day or _SPAN_RECAP.match(sentence):
        return ""  # "Since returning to office, President Trump has continued ...": no day's word
    opening = _OWN_TIME.match(_CONNECTIVE.sub("", sentence, count=1))
    if opening is None:
        return day
    named = parse_time_scope(opening.group(0), date.fromisoformat(day))
    if named.start is None or named.end is None or named.end.isoformat() >= day:
        return day  # "Since 2019, ...", "By 2030, ...": no earlier time of its own
    return named.end.isoformat()


def _told_day(sentence: ScoredSentence) -> str:
    return told_day(sentence.candidate.text, sentence.candidate.passage.published_at)


def _names_another_time(sentence: str, scope: TimeScope) -> bool:
    """Say whether `sentence` tells of a time of its own, outside the question's window: it
    opens on one ("In June 2025, ..."), or, for a window of years, names another year ("In
    comparison, the 2025 deficit was ..." after "In 2024, the deficit was ...")."""
    if _OWN_TIME.match(sentence):
        return True
    if scope.precision != "year" or scope.start is None or scope.end is None:
        return False
    years = {int(y) for y in _YEAR.findall(sentence)}
    return any(not scope.start.year <= y <= scope.end.year for y in years)


def _sentence_before(candidate: Candidate) -> str:
    """The text of the sentence before `candidate` in its passage ("" at the passage start)."""
    before = candidate.passage.text[: max(candidate.start - candidate.passage.start, 0)].rstrip()
    cut = max(before.rfind(mark, 0, len(before) - 1) for mark in (". ", "? ", "! ", "\n"))
    return before[cut + 1 :]
