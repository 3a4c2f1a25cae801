"""What an order named only by its number is about, from where the article first cites it.

US legal texts cite an order in full once ("Executive Order 14380 of January 29, 2026
(Addressing Threats to the United States by the Government of Cuba)") and by number after
that ("... Executive Order 14380; and Executive Order 14382 shall no longer be in effect").
The paragraph that ends the Cuba tariffs then names neither Cuba nor oil, and "are the Cuba
oil tariffs still collected?" never finds it. A passage that refers to an order by number is
indexed with the title the same article gives it: what it says is said about that order.
"""

from __future__ import annotations

import re

# "Executive Order 14380 of January 29, 2026 (Title)", "Proclamation 10896 of February 10,
# 2025 (Title)": the number, then its date, then its title in parentheses.
_CITED_IN_FULL = re.compile(
    r"\b(?P<kind>Executive\s+Order|Proclamation)\s+(?P<number>\d{4,5})\s+of\s+"
    r"[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}\s*\((?P<title>[^()]{8,300})\)"
)
# A later mention by number: "Executive Order 14380", "EO 14380", "E.O. 14380",
# "Proclamation 10896" (with "as amended" or a list around it).
_CITED_BY_NUMBER = re.compile(
    r"\b(?P<kind>Executive\s+Orders?|E\.\s?O\.|EO|Proclamations?)\s+(?P<number>\d{4,5})\b"
)


def _kind(word: str) -> str:
    return "proclamation" if word.lower().startswith("proc") else "order"


def order_titles(text: str) -> dict[tuple[str, str], str]:
    """Return the title each order or proclamation cited in full in `text` is given, keyed
    by (kind, number); the first citation's title wins."""
    titles: dict[tuple[str, str], str] = {}
    for match in _CITED_IN_FULL.finditer(text):
        key = (_kind(match.group("kind")), match.group("number"))
        titles.setdefault(key, " ".join(match.group("title").split()))
    return titles


def referred_titles(text: str, titles: dict[tuple[str, str], str]) -> list[str]:
    """Return the titles (from `titles`) of the orders `text` names by number only, once each.

    An order `text` cites in full already carries its title's words and gets none added.
    """
    if not titles:
        return []
    given = {(_kind(m.group("kind")), m.group("number")) for m in _CITED_IN_FULL.finditer(text)}
    found: dict[tuple[str, str], str] = {}
    for match in _CITED_BY_NUMBER.finditer(text):
        key = (_kind(match.group("kind")), match.group("number"))
        if key in titles and key not in given:
            found.setdefault(key, titles[key])
    return list(found.values())


def title_key(title: str) -> str:
    """The form two citations of one title share: "Imposing Tariffs on Countries Importing
    Venezuelan Oil" as an article's own title and as a later order cites it."""
    return " ".join(re.findall(r"[a-z0-9]+", title.lower()))
