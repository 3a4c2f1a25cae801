"""Which later article continues a matter: a notice titled as the lead article is."""

from __future__ import annotations

import pytest

from bot.answering.recency import same_thread

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
