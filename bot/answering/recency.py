"""Answer "latest / current / still" questions from the newest relevant article.

An article is relevant when one of its sentences is nearly as good evidence as the best (the
same "nearly as good" ratio the answerer uses for companion sentences), or when retrieval ranks
it nearly as high as the best article: a later notice often says what changed in words of its
own, and so is a later article one of whose sentences tells the status in words close (by
embedding) to the best evidence sentence: it goes on with that story. Within the newest
relevant article, a sentence that tells the status (ended, expired, extended, delayed,
suspended, remains) is preferred to one that restates how things began. An
older article's best relevant sentence that says something else (not a near-copy by
embedding) follows as "Earlier (DATE): ...", so a reader sees what changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from typing import Protocol, TypeVar

import numpy as np

from bot.answering.dating import article_day
from bot.answering.sentence_scoring import same_figures
from bot.terms import content_terms
from ingest.models import Passage

# What a "still / current / did it happen" question is answered by: a sentence that says the
# thing changed state or kept it (ended, expired, was extended, delayed, suspended, lifted,
# continues, remains), not one that restates how it began. Whole word forms, not stems:
# "extensive" is not an extension.
_CHANGE_WORDS = (
    r"\b(?:terminat(?:e|ed|es|ing|ion)|ended|ending|ends|(?:to|will|shall|would) end"
    r"|expir(?:e|ed|es|ing|ation|y)"
    r"|extend(?:s|ed|ing)?|extensions?|delay(?:s|ed|ing)?|suspend(?:s|ed|ing)?|suspensions?"
    r"|revok(?:e|ed|es|ing)|revocation|rescind(?:s|ed|ing)?|lift(?:s|ed|ing)?"
    r"|remov(?:e|ed|es|ing|al)|paus(?:e|ed|es|ing)|postpon(?:e|ed|es|ing|ement)"
    r"|supersed(?:e|ed|es|ing)|resum(?:e|ed|es|ing|ption)|halt(?:s|ed|ing)?"
    r"|withdr(?:aw|aws|ew|awn|awal)|repeal(?:s|ed|ing)?|reinstat(?:e|ed|es|ing|ement)"
    r"|restor(?:e|ed|es|ing|ation)|discontinu(?:e|ed|es|ing)"
    r"|cancel(?:s|led|ed|ling|ing|lation)?|stop(?:s|ped|ping)?"
    r"|waiv(?:e|ed|es|ing|er)|no longer)\b"
)
_STATUS = re.compile(
    _CHANGE_WORDS + r"|\b(?:continu(?:e|ed|es|ing|ation)|remain(?:s|ed)?)\b", re.IGNORECASE
)
# A status that is a change (ended, delayed, suspended), not that things go on as they were.
_CHANGE = re.compile(_CHANGE_WORDS, re.IGNORECASE)
# A figure: a rate, an amount, a date's day or year.
_FIGURE = re.compile(r"\d")
# An article retrieval ranks nearly as high as the best needs a sentence this share as good.
_ARTICLE_EVIDENCE_SHARE = 0.5
# A later article whose title holds this share of the lead article's title terms (of which
# there are at least this many) continues its matter.
_THREAD_TITLE_SHARE = 0.7
_THREAD_TITLE_TERMS = 5
# An order's title names its matter when it holds at least this many terms.
_ORDER_TITLE_TERMS = 3


# Boilerplate of nearly every proclamation tells no status: "goods entered for consumption,
# or withdrawn from warehouse for consumption, on or after ...", "shall continue in effect,
# unless such action is expressly reduced, modified, or terminated"; nor does oversight that
# goes on in every one: "The Secretary shall continue to monitor imports ...", "the tariff
# regime continues to effectively address the threat"; nor the statute each one cites,
# authorizing "the removal, modification, continuance, or imposition of any rate of duty";
# nor the standing charge to report back: "The Secretary shall also inform the President of any
# circumstance that ... might indicate that the increase in duty rate ... is no longer necessary".
_BOILERPLATE = re.compile(
    r"\bwithdrawn from (?:a )?warehouse\b|\b(?:shall )?continue in effect,? unless [^.;]*"
    r"|\binform (?:me|the President) of any circumstances?\b[^.;]*"
    r"|\bremoval, modification, continuance,? or imposition\b"
    r"|\bcontinu\w*\s+to\s+(?:\w+ly\s+)?(?:monitor|review|evaluate|assess|consult|address)\b",
    re.IGNORECASE,
)


# The speaker recalling an act of their own earlier order ("To offset the burden ..., I imposed
# under section 338 additional duties, effective August 19, 2026", "I further stated that on
# January 1, 2026, the duty rate ... would increase"), or a sentence opening on that order
# ("In Proclamation 11046 of July 20, 2026 (...), I found ..."): the order's recitals, not
# what it now does ("I have determined", "is hereby amended").
_RECALLED_ACT = re.compile(
    r"\bI (?:also |further |then |previously |subsequently |initially |originally )?"
    r"(?:imposed|found|stated|determined|declared|proclaimed|directed|ordered|concurred"
    r"|decided|announced|modified|amended|increased|raised|adjusted|explained|noted"
    r"|instructed|signed|issued|established|took|invoked|authorized)\b"
    r"|^\W*(?:\d+\.\s+)?In (?:Proclamation|Executive Order) \d+ of ",
)


# A change that is only intended: "Canada has expressed a commitment to remove ...", "the
# parties intend to lift ...", "will be terminated" tell what may come, not what became of it.
_INTENDED = re.compile(
    r"\b(?:commit(?:s|ted|ment|ments)?|pledg(?:e|es|ed)|promis(?:e|es|ed)|intend(?:s|ed)?"
    r"|intention|plan(?:s|ned)?|aim(?:s|ed)?|seek(?:s|ing)?|expect(?:s|ed)?|propos(?:e|es|ed)"
    r"|willing|ready|will|would|may|could|might)\s+(?:(?:to|be|not|soon|also|further)\s+){0,2}$",
    re.IGNORECASE,
)


def _tells(pattern: re.Pattern[str], sentence: str) -> bool:
    """Say whether `pattern` finds a word of status in `sentence` that is not only intended."""
    text = _BOILERPLATE.sub(" ", sentence)
    return any(not _INTENDED.search(text[: m.start()]) for m in pattern.finditer(text))


def tells_status(sentence: str) -> bool:
    """Say whether a sentence says that something ended, changed or continues."""
    return _tells(_STATUS, sentence)


def says_what_it_was(sentence: str) -> bool:
    """Say whether an older sentence can tell how things stood: it holds a figure (a rate, a
    date, an amount) or a status. "Today's actions ... raise costs across the board" is no
    earlier word on the Board of Trade."""
    return bool(_FIGURE.search(sentence)) or tells_status(sentence)


def recalls_its_act(sentence: str) -> bool:
    """Say whether an order's sentence recalls what its speaker did before ("I imposed ...",
    "In Proclamation 11046 of July 20, 2026 ..."), not what the order does now."""
    return bool(_RECALLED_ACT.search(sentence))


def tells_change(sentence: str) -> bool:
    """Say whether a sentence says that something ended or changed (not that it goes on)."""
    return _tells(_CHANGE, sentence)


class _Sourced(Protocol):
    @property
    def passage(self) -> Passage: ...

    @property
    def start(self) -> int: ...

    @property
    def text(self) -> str: ...

    @property
    def refers(self) -> tuple[str, ...]: ...


class Scored(Protocol):
    """A scored candidate sentence (the extractive answerer's `ScoredSentence`)."""

    @property
    def candidate(self) -> _Sourced: ...

    @property
    def evidence(self) -> float: ...

    @property
    def score(self) -> float: ...

    @property
    def vector(self) -> np.ndarray: ...


S = TypeVar("S", bound=Scored)


def choose_latest(
    scored: Sequence[S],
    threshold: float,
    close_ratio: float,
    redundant_cosine: float,
    max_newest: int = 2,
    status_bonus: float = 0.0,
    thread_cosine: float = 1.0,
    on_subject: Callable[[S, S], bool] | None = None,
    status_share: float = 1.0,
    told_day: Callable[[S], str] | None = None,
    covers: Callable[[S], bool] | None = None,
) -> tuple[list[S], list[S]]:
    """Return (the newest relevant article's sentences, [an older, different one] or []).

    An article is relevant when one of its sentences is nearly as good evidence as the best,
    or when retrieval ranks it nearly as high as the best article and one of its sentences
    is at least half as good evidence: a later notice often says what changed in other
    words than the question's ("extend the 178 current exclusions" for "did the carve-outs
    expire?"), so its sentences score lower though the article is on the point.

    Args:
        scored: candidate sentences with evidence and choice scores.
        threshold: the evidence a sentence needs to answer at all.
        close_ratio: a sentence (or an article's retrieval score) is relevant when it is at
            least this share of the best; the newest article's other sentences join its
            best one at this share of its score.
        redundant_cosine: a sentence this similar to one already chosen adds nothing.
        max_newest: how many sentences of the newest article to quote at most.
        status_bonus: within an article, a sentence that tells the status (ended, expired,
            extended, delayed, suspended, remains) counts 1 + this times its score.
        thread_cosine: a later article's sentence that tells the status and is this similar
            (by embedding) to the best evidence sentence continues its story, and counts as
            relevant however few of the question's words it uses ("This notice announces
            the determination to extend the 178 current exclusions" after "The United States
            will further extend ... Section 301 tariff exclusions ... until November 10, 2026").
        on_subject: `on_subject(sentence, lead)` says whether a sentence's article is about
            what the best evidence sentence's is (None: every one is); one that is not never
            counts as relevant ("China will suspend ... countermeasures" is no news on EVs),
            nor as the earlier word (a 2025 trade statistic is no earlier word on a Board of
            Trade chartered in 2026).
        status_share: when none of the newest article's chosen sentences tells the status,
            its best sentence that does, with at least this share of the evidence of the
            article's best, is quoted too (in the last place): the article that recalls "on
            January 1, 2026, the duty rate ... would increase" says further on that it
            decided "to delay for an additional year the increase" (1: never).
        told_day: the day (YYYY-MM-DD) a sentence tells of, when not its article's: a 2026
            fact sheet's "In June 2025, President Trump signed an Executive Order ..." is
            June 2025's word, not the newest (None: every sentence tells of its article's day).
        covers: whether a sentence holds every term of the question; a later one that does
            and tells the status is relevant however its embedding scores ("the additional
            duties imposed ... in Executive Order 14257 ... shall no longer be collected" for
            "are the reciprocal tariffs still collected?", a long list of orders)
    """
    day = told_day or _day
    relevant = [s for s in scored if s.evidence >= threshold]
    if not relevant:
        return [], []
    best = max(s.evidence for s in relevant)
    top = max(s.candidate.passage.score for s in scored)  # 0 when retrieval gave no scores

    def ranked_close(s: S) -> bool:
        return top > 0 and s.candidate.passage.score >= top * close_ratio

    lead = max(relevant, key=lambda s: s.evidence)
    close = [
        s
        for s in scored
        if (
            s.evidence >= max(threshold, best * close_ratio)
            or (ranked_close(s) and s.evidence >= best * _ARTICLE_EVIDENCE_SHARE)
            or _continues(s, lead, thread_cosine)
            or (
                covers is not None
                and _day(s) > _day(lead)
                and tells_status(s.candidate.text)
                and covers(s)
            )
        )
        and (on_subject is None or s is lead or on_subject(s, lead))
    ]
    newest_day = max(day(s) for s in close)
    newest_docs = {s.candidate.passage.doc_id for s in close if day(s) == newest_day}

    def weight(s: S) -> float:
        return s.score * (1.0 + status_bonus * tells_status(s.candidate.text))

    ranked = sorted(scored, key=lambda s: -weight(s))
    # The newest word is told on the newest day: a sentence of the newest article recalling
    # an earlier time is not, unless that recall is what made the article the newest.
    # Nor is the order's recital of what its speaker did before ("I stated that on January 1,
    # 2026, the tariff ... would increase"), when the order says what it now does.
    # A recap in the newest article of a day after every other relevant article's is still
    # news: "On December 1, 2025, the United States entered into an agreement with Israel to
    # make permanent modifications" in the proclamation of December 29 carrying it out.
    prior = max(
        (day(s) for s in close if s.candidate.passage.doc_id not in newest_docs), default=""
    )

    def is_news(s: S) -> bool:
        return day(s) == _day(s) or day(s) > prior

    own = [
        s
        for s in ranked
        if s.candidate.passage.doc_id in newest_docs and (day(s) == newest_day or is_news(s))
    ]
    primary = next((s for s in own if not recalls_its_act(s.candidate.text)), own[0])
    doc_id = primary.candidate.passage.doc_id
    newest = [primary]
    for other in ranked:
        if len(newest) >= max_newest or weight(other) < weight(primary) * close_ratio:
            break
        if (
            other.candidate.passage.doc_id == doc_id
            and is_news(other)
            and not recalls_its_act(other.candidate.text)
            and _novel(other, newest, redundant_cosine)
        ):
            newest.append(other)
    same_day = {s.candidate.passage.doc_id for s in scored if _day(s) == newest_day}
    # Of the newest day's articles, a sentence on the subject telling of that day (not a
    # recap: "Similarly, on March 4, 2025, the province of Quebec asked ... to remove").
    fresh = [s for s in ranked if day(s) == _day(s) and (on_subject is None or on_subject(s, lead))]
    status = _status_sentence(fresh, newest, same_day, status_share, redundant_cosine)
    if status is not None:
        newest = [*newest[: max_newest - 1], status] if max_newest > 1 else newest
    older = [
        s
        for s in relevant
        if "" < _day(s) < newest_day
        and s.candidate.passage.doc_id != doc_id
        and says_what_it_was(s.candidate.text)
        and not recalls_its_act(s.candidate.text)
        and (on_subject is None or on_subject(s, lead))
        and _novel(s, newest, redundant_cosine)
    ]
    earlier = max(older, key=lambda s: s.score, default=None)
    newest.sort(key=lambda s: s.candidate.start)
    return newest, [earlier] if earlier is not None else []


def _status_sentence(
    ranked: Sequence[S],
    chosen: Sequence[S],
    doc_ids: Collection[str],
    share: float,
    redundant_cosine: float,
) -> S | None:
    """The newest articles' best sentence telling a change of status, when no chosen one
    does and it holds at least `share` of the evidence of their best sentence (else None).
    The newest articles are those of the newest day: a fact sheet recalls the measure, the
    proclamation of the same day says what became of the old one."""
    if any(tells_change(s.candidate.text) for s in chosen):
        return None
    own = [s for s in ranked if s.candidate.passage.doc_id in doc_ids]
    if not own:
        return None
    floor = share * max(s.evidence for s in own)
    return next(
        (
            s
            for s in own
            if tells_change(s.candidate.text)
            and not recalls_its_act(s.candidate.text)
            and s.evidence >= floor
            and _novel(s, chosen, redundant_cosine)
        ),
        None,
    )


def _continues(sentence: Scored, lead: Scored, thread_cosine: float) -> bool:
    """Say whether a later sentence that tells the status goes on with the lead's story: it
    is close to the lead by embedding, its article is titled as the lead's, or it names by
    number the order the lead's article is titled by ("Executive Order 14380 ... shall no
    longer be in effect" after the order "Addressing Threats ... by the Government of Cuba")."""
    lead_title = lead.candidate.passage.title
    return (
        _day(sentence) > _day(lead)
        and tells_status(sentence.candidate.text)
        and (
            float(sentence.vector @ lead.vector) >= thread_cosine
            or same_thread(sentence.candidate.passage.title, lead_title)
            or any(titled_by(order, lead_title) for order in sentence.candidate.refers)
        )
    )


def titled_by(order_title: str, title: str) -> bool:
    """Say whether an article's title names an order: it holds every term of the order's
    title, of which there are at least `_ORDER_TITLE_TERMS` (the order itself, or the fact
    sheet on it: "Fact Sheet: President Donald J. Trump Imposes Tariffs on Countries
    Importing Venezuelan Oil")."""
    order = content_terms(order_title)
    return len(order) >= _ORDER_TITLE_TERMS and order <= content_terms(title)


def same_thread(title: str, lead_title: str) -> bool:
    """Say whether an article's title names the lead article's matter (a later notice in
    the same investigation, "Notice of Modification of Section 301 Action: China's Targeting
    of the Maritime ... Sectors"): it holds `_THREAD_TITLE_SHARE` of the lead title's terms,
    of which there are at least `_THREAD_TITLE_TERMS` ("Fact Sheet" names no matter)."""
    lead = content_terms(lead_title)
    if len(lead) < _THREAD_TITLE_TERMS:
        return False
    return len(lead & content_terms(title)) >= _THREAD_TITLE_SHARE * len(lead)


def _novel(sentence: Scored, chosen: Sequence[Scored], redundant_cosine: float) -> bool:
    """Say whether a sentence differs from every chosen one: not a near-copy by embedding
    with the same figures (an older "charges a 15 percent tariff" beside the newest "charges a
    25 percent tariff" is the earlier word the answer adds)."""
    return all(
        sentence is not c
        and (
            float(sentence.vector @ c.vector) < redundant_cosine
            or not same_figures(sentence.candidate.text, c.candidate.text)
        )
        for c in chosen
    )


def _day(sentence: Scored) -> str:
    """The sentence's article date as YYYY-MM-DD ("" when undated, so never the newest)."""
    return article_day(sentence.candidate.passage.published_at) or ""
