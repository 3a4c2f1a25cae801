"""Which later article continues a matter: a notice titled as the lead article is."""

from __future__ import annotations

import pytest

from bot.answering.recency import same_thread, tells_status

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
    ],
)
def test_a_sentence_telling_what_became_or_will_become_of_a_matter_tells_its_status(
    sentence: str, status: bool
) -> None:
    assert tells_status(sentence) is status
