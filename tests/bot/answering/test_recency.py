"""The newest word on a matter: which later article continues it (a notice titled as the
lead article is), what tells a status, and which time a sentence tells of."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from bot.answering.extractive import told_day
from bot.answering.recency import choose_latest, recalls_its_act, same_thread, tells_status
from ingest.models import Passage
from tests.support.passages import whole_article

_LEAD = (
    "Notice of Modification and Proposed Modification of Section 301 Action: China's "
    "Targeting of the Maritime, Logistics, and Shipbuilding Sectors for Dominance"
)


@pytest.mark.parametrize(
    ("title", "lead", "same"),
    [
        (
            "Notice of Modification of Section 301 Action: China's Targeting of the Maritime, "
            "Logistics, and Shipbuilding Sectors for Dominance",
            _LEAD,
            True,
        ),
        ("Fact Sheet: President Trump Secures a Deal With China", _LEAD, False),
        # A short title names no particular matter: every fact sheet would share it.
        ("Fact Sheet: Steel", "Fact Sheet: Steel", False),
    ],
)
def test_a_later_notice_titled_as_the_lead_continues_its_matter(
    title: str, lead: str, same: bool
) -> None:
    assert same_thread(title, lead) is same


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        # What becomes of the matter, said ahead of time, is its status.
        ("As committed, the bridge will end as scheduled on June 6, 2024.", True),
        ("The exclusions shall end on May 31, 2026.", True),
        ("The exclusions were extended until November 10, 2026.", True),
        ("The tariff stays in place.", False),
        # "end" as a noun tells nothing.
        ("Comments are due at the end of the year.", False),
        ("The end user must certify the goods.", False),
        # Oversight that goes on in every proclamation is no status of the measure.
        ("(3) The Secretary shall continue to monitor imports of aluminum.", False),
        ("The Secretary shall continue\nto review the status of such imports.", False),
        (
            "To ensure that the tariff regime continues to effectively address the threat, "
            "the Secretary recommended an increase.",
            False,
        ),
        # Nor is the statute every proclamation cites.
        (
            "Section 604 authorizes the President to embody in the HTSUS the substance of "
            "statutes, including the removal, modification, continuance, or imposition of "
            "any rate of duty.",
            False,
        ),
        # Nor is the charge to report back that every proclamation gives.
        (
            "The Secretary shall also inform the President of any circumstance that, in the "
            "Secretary's opinion, might indicate that the increase in duty rate provided for "
            "in this proclamation is no longer necessary.",
            False,
        ),
        ("The tariffs continue to apply to steel.", True),
        ("The duties remain in effect.", True),
    ],
)
def test_a_sentence_telling_what_became_or_will_become_of_a_matter_tells_its_status(
    sentence: str, status: bool
) -> None:
    assert tells_status(sentence) is status


@dataclass(frozen=True)
class _Candidate:
    passage: Passage
    start: int
    text: str
    refers: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Scored:
    candidate: _Candidate
    evidence: float
    score: float
    vector: np.ndarray


def _sentence(doc_id: str, day: str, text: str, evidence: float, axis: int) -> _Scored:
    """A candidate sentence alone in its passage; `axis` gives it a vector of its own (no two
    sentences are near-copies)."""
    passage = whole_article(text, doc_id, title=doc_id, published_at=day, source="The White House")
    vector = np.zeros(8, dtype=np.float32)
    vector[axis] = 1.0
    return _Scored(_Candidate(passage, 0, text), evidence, evidence, vector)


@pytest.mark.parametrize(
    ("sentence", "recalls"),
    [
        ("To offset the burden, I imposed additional duties, effective August 19, 2026.", True),
        ("I further stated that on January 1, 2026, the duty rate would increase.", True),
        ("In Proclamation 11046 of July 20, 2026 (Dairy), I found as a fact that ...", True),
        ("2.  In Executive Order 14257 of April 2, 2025, I declared a national emergency.", True),
        # What the order does now.
        ("I have determined that it is necessary to suspend the duties for 3 days.", False),
        ("I determine that the public interest requires suspending the duties.", False),
        ("Section 2(a) of Executive Order 14195 is hereby amended.", False),
    ],
)
def test_an_orders_recital_of_its_speakers_earlier_act_is_told(
    sentence: str, recalls: bool
) -> None:
    assert recalls_its_act(sentence) is recalls


@pytest.mark.parametrize(
    ("sentence", "published_at", "day"),
    [
        (
            "In June 2025, the Secretary opened an investigation into drones.",
            "2026-05-20",
            "2025-06-30",
        ),
        ("- Similarly, on March 4, 2025, Quebec pulled U.S. liquor.", "2026-07-20", "2025-03-04"),
        # Its own article's time, a time still running or ahead: the article's day.
        ("The drone tariffs take effect on February 1, 2026.", "2026-01-14", "2026-01-14"),
        ("Since June 2025, the tariffs have raised $30 billion.", "2026-05-20", "2026-05-20"),
        ("By 2030, capacity will double.", "2026-05-20", "2026-05-20"),
        ("In May 2026, the tariffs took effect.", "2026-05-20", "2026-05-20"),
        ("In June 2025, the Secretary opened an investigation.", None, ""),
        # A summary of a whole term is no one day's word.
        (
            "- Since returning to office, President Trump has continued taking actions under "
            "Section 232, including tariffs on steel, trucks and lumber.",
            "2026-07-20",
            "",
        ),
        ("This term, the President has continued taking actions on steel.", "2026-06-01", ""),
    ],
)
def test_a_sentence_opening_on_an_earlier_time_tells_of_that_time(
    sentence: str, published_at: str | None, day: str
) -> None:
    assert told_day(sentence, published_at) == day


def test_a_later_articles_recap_of_an_earlier_time_is_not_the_newest_word() -> None:
    # The May 2026 fact sheet recalls how the drone investigation began (June 2025); the
    # January 2026 proclamation is the newest word on it.
    opened = _sentence(
        "drones-2025-06",
        "2025-06-06",
        "The Secretary opened an investigation into drones; comments are due in 21 days.",
        0.7,
        0,
    )
    imposed = _sentence(
        "drones-2026-01",
        "2026-01-14",
        "The President imposed a 25 percent tariff on drones.",
        0.6,
        1,
    )
    recap = _sentence(
        "robots-2026-05",
        "2026-05-20",
        "In June 2025, the Secretary opened an investigation into drones and invited comments.",
        0.7,
        2,
    )

    def day(s: _Scored) -> str:
        return told_day(s.candidate.text, s.candidate.passage.published_at)

    newest, earlier = choose_latest([recap, opened, imposed], 0.5, 0.8, 0.95, told_day=day)

    assert newest == [imposed]
    assert earlier == [opened]
    # Read by its article's day, the recap would be the newest word.
    assert choose_latest([recap, opened, imposed], 0.5, 0.8, 0.95)[0] == [recap]


def test_the_newest_articles_recap_of_a_day_after_every_other_article_is_the_newest_word() -> None:
    # The December 29 proclamation carries out what was agreed on December 1, after the
    # December 2024 extension: that is the news, not its recital of the years before.
    extended = _sentence(
        "israel-2024-12",
        "2024-12-20",
        "The United States and Israel extended the 2004 Agreement through December 31, 2025.",
        0.7,
        0,
    )
    yearly = _sentence(
        "israel-2025-12",
        "2025-12-29",
        "Each year from 2008 through 2024, the United States and Israel extended the 2004 "
        "Agreement for 1-year periods.",
        0.69,
        1,
    )
    permanent = _sentence(
        "israel-2025-12",
        "2025-12-29",
        "On December 1, 2025, the United States entered into an agreement with Israel to make "
        "permanent modifications to the 2004 Agreement.",
        0.75,
        2,
    )

    def day(s: _Scored) -> str:
        return told_day(s.candidate.text, s.candidate.passage.published_at)

    newest, earlier = choose_latest([permanent, extended, yearly], 0.5, 0.8, 0.95, told_day=day)

    assert newest[0] is permanent
    assert earlier == [extended]


def test_an_orders_recital_is_neither_the_status_nor_the_earlier_word() -> None:
    # The same day's other order recalls how its speaker raised the rate and later suspended
    # it; the older order recalls one of its own. Neither says what became of the matter.
    kept = _sentence(
        "rates-2025-11",
        "2025-11-04",
        "The United States will keep the 10 percent reciprocal rate on goods of China.",
        0.7,
        0,
    )
    recital = _sentence(
        "opioid-2025-11",
        "2025-11-04",
        "In Executive Order 14228 of March 3, 2025, I raised the rate on goods of China from "
        "10 percent to 20 percent, and I later suspended part of it.",
        0.65,
        1,
    )
    older_recital = _sentence(
        "rates-2025-07",
        "2025-07-07",
        "In Executive Order 14266 of April 9, 2025, I modified the reciprocal rate on China.",
        0.6,
        2,
    )
    older = _sentence(
        "rates-2025-05",
        "2025-05-12",
        "The reciprocal rate on goods of China is 10 percent for 90 days.",
        0.55,
        3,
    )

    newest, earlier = choose_latest(
        [kept, recital, older_recital, older], 0.5, 0.8, 0.95, status_share=0.5
    )

    assert newest == [kept]
    assert earlier == [older]


def test_the_best_evidence_is_the_newest_word_when_no_sentence_is_found_on_the_subject() -> None:
    # The subject test may refuse every sentence, the best one included (it names the subject
    # only in a roundup of goods): the best evidence still stands, alone.
    roundup = _sentence(
        "metals-2026-04",
        "2026-04-02",
        "The tariffs cover steel, aluminum, copper, lumber, trucks, and pharmaceuticals.",
        0.7,
        0,
    )
    older = _sentence("lumber-2025-09", "2025-09-29", "Lumber pays 10 percent.", 0.4, 1)

    newest, earlier = choose_latest(
        [roundup, older], 0.5, 0.8, 0.95, on_subject=lambda sentence, lead: False
    )

    assert newest == [roundup]
    assert earlier == []
