"""Query-side vocabulary: the words people type mapped to the words trade documents use.

The vocabulary is data (`bot/retrieval/vocabulary/trade.yaml`, shipped with the package, plus
an optional user file named by `TRADEBOT_VOCABULARY_PATH`). `Vocabulary.expand(question)` says
which document terms a question's words stand for ("Beijing" -> "China", "chips" ->
"semiconductors", "USTR" <-> "United States Trade Representative"); retrieval searches for
them beside the question, and the answerer accepts them where the question's own word is absent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from bot.terms import content_terms, english_frequency, without_examples

# Short all-capital aliases ("BIS", "EO", "IT") match only as written, never as plain words.
_CASE_SENSITIVE_MAX = 5
# Zipf frequency from which a lower-case word is English ("us" 6.0, "ear" 4.4, "wto" 3.2 as
# people write the acronym in lower case too); below it, no word to mistake ("hts" 2.7).
_ENGLISH_WORD_ZIPF = 3.0
_CACHE_SIZE = 1024


@dataclass(frozen=True)
class Expansion:
    """What a question's words stand for: each matched alias and the terms it adds."""

    matches: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Aliases whose terms the question names already ("Vietnam ... Hanoi's FX"): they add
    # nothing to the search, but the alias may still be read as them.
    named: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def added(self) -> list[str]:
        """Every added phrase, once each, in order of first appearance."""
        return list(dict.fromkeys(term for _, terms in self.matches for term in terms))

    def text(self) -> str:
        """The added phrases as one search text ("" when nothing was added)."""
        return " ".join(self.added)

    def alternatives(self) -> dict[str, tuple[frozenset[str], ...]]:
        """Map each stemmed term of a matched alias to the stem sets that may replace it."""
        out: dict[str, list[frozenset[str]]] = {}
        for alias, terms in (*self.matches, *self.named):
            groups = [content_terms(t) for t in terms]
            for term in content_terms(alias):
                out.setdefault(term, []).extend(g for g in groups if g and term not in g)
        return {term: tuple(dict.fromkeys(groups)) for term, groups in out.items() if groups}


class Vocabulary:
    """Aliases (one way) and equivalents (every way), matched as whole words in a question;
    trading partners (places) and traded products with the words that name each."""

    def __init__(
        self,
        expansions: Mapping[str, Iterable[str]],
        places: Mapping[str, Iterable[str]] | None = None,
        products: Mapping[str, Iterable[str]] | None = None,
        venues: Iterable[str] = (),
    ) -> None:
        self._venues = _venue_pattern(sorted(set(venues), key=len, reverse=True))
        # The venues and their aliases ("the KL summit"): where the sides met, in any words.
        cities = {_key(v).lower() for v in venues}
        named_so = {
            a for a, terms in expansions.items() if any(_key(t).lower() in cities for t in terms)
        }
        self._meeting_places = _venue_pattern(sorted({*venues, *named_so}, key=len, reverse=True))
        self._places = _Names(places or {})
        self._products = _Names(products or {})
        self._targets: dict[str, tuple[str, ...]] = {}
        for alias, terms in expansions.items():
            key = _key(alias)
            merged = dict.fromkeys([*self._targets.get(key, ()), *terms])
            self._targets[key] = tuple(t for t in merged if _key(t) != key)
        aliases = sorted(expansions, key=len, reverse=True)  # longest phrase wins
        self._pattern = _alternation(aliases) if aliases else None
        # Retrieval and the answerer expand the same question; the pattern is long.
        self._cached = lru_cache(maxsize=_CACHE_SIZE)(self._expand)

    @classmethod
    def from_data(cls, documents: Sequence[Mapping[str, Any]]) -> Vocabulary:
        """Build from parsed vocabulary files (`aliases`, `equivalents`, `places`, `products`,
        `venues`)."""
        expansions: dict[str, list[str]] = {}
        places: dict[str, list[str]] = {}
        products: dict[str, list[str]] = {}
        venues: list[str] = []
        for document in documents:
            venues.extend(str(v) for v in document.get("venues") or ())
            for name, words in (document.get("places") or {}).items():
                places.setdefault(str(name), []).extend(_with_plurals(words or ()))
            for name, words in (document.get("products") or {}).items():
                products.setdefault(str(name), []).extend(str(w) for w in words or ())
            aliases_of = {
                **(document.get("aliases") or {}),
                **{n: _with_plurals(w or ()) for n, w in (document.get("places") or {}).items()},
            }
            for term, aliases in aliases_of.items():
                for alias in aliases or ():
                    expansions.setdefault(str(alias), []).append(str(term))
            for group in document.get("equivalents") or ():
                members = [str(m) for m in group]
                for member in members:
                    expansions.setdefault(member, []).extend(m for m in members if m != member)
        return cls(expansions, places, products, venues)

    def expand(self, question: str) -> Expansion:
        """Return the aliases found in `question` and the terms each stands for."""
        return self._cached(question)

    def places(self, question: str) -> tuple[tuple[frozenset[str], ...], ...]:
        """Return, for each trading partner `question` names, the stem sets of the words that
        name it ("Australian" -> {australia}, {canberra}, {australian}, ...); a city naming
        a meeting held there ("the Kuala Lumpur arrangement") names no partner."""
        return self._places.named(self._without_venues(without_examples(question)))

    def products(self, question: str) -> tuple[tuple[frozenset[str], ...], ...]:
        """Return, for each traded product `question` names, the stem sets of the words that
        name it ("cars" -> {automobil}, {car}, ...)."""
        return self._products.named(question)

    def meeting_terms(self, question: str) -> frozenset[str]:
        """Return the terms of the cities `question` names as where the sides met ("KL" of
        "the framework from the KL summit"): where a thing was agreed, which its own articles
        need not write."""
        if self._meeting_places is None:
            return frozenset()
        return frozenset(
            term
            for match in self._meeting_places.finditer(question)
            for term in content_terms(match.group(0))
        )

    def knows(self, word: str) -> bool:
        """Say whether `word` is an alias or equivalent in the vocabulary ("pharma")."""
        return bool(self.expand(word).matches)

    def _expand(self, question: str) -> Expansion:
        if self._pattern is None:
            return Expansion()
        asked = content_terms(question)
        found: list[tuple[str, tuple[str, ...]]] = []
        named: list[tuple[str, tuple[str, ...]]] = []
        for match in self._pattern.finditer(self._without_venues(question)):
            alias = match.group(0)
            key = _key(alias)  # "CHIPS" matched as "chips" is (case ignored)
            targets = self._targets.get(key) or self._targets.get(key.lower(), ())
            if not targets and alias.endswith("s"):  # an acronym's plural ("EOs")
                alias = alias[:-1]
                key = _key(alias)
                targets = self._targets.get(key) or self._targets.get(key.lower(), ())
            terms = tuple(t for t in targets if not content_terms(t) <= asked)
            if terms:
                found.append((alias, terms))
            if len(terms) < len(targets):
                named.append((alias, tuple(t for t in targets if t not in terms)))
        return Expansion(tuple(found), tuple(named))

    def _without_venues(self, question: str) -> str:
        """Blank the cities that name a meeting held there ("the London framework", "the
        Stockholm talks", "Biden-Xi in Lima": the sides met there), keeping every offset."""
        if self._venues is None:
            return question
        return self._venues.sub(lambda m: " " * len(m.group(0)), question)

    def __len__(self) -> int:
        return len(self._targets)


# Between two things named as alternatives: "Russia or China", "Japan/Korea", "Mexico, or Canada".
_EITHER = re.compile(r"\s*,?\s*(?:or|/)\s*", re.IGNORECASE)


class _Names:
    """Things a question may name (trading partners, products), each with the words naming it."""

    def __init__(self, words_of: Mapping[str, Iterable[str]]) -> None:
        self._words = {name: (name, *words) for name, words in words_of.items()}
        self._name_of = {_key(w): name for name, words in self._words.items() for w in words}
        self._pattern = (
            _alternation(sorted(self._name_of, key=len, reverse=True)) if self._words else None
        )

    def _name(self, words: str) -> str:
        """The thing `words` name. "CHINA" is matched as "China" is (case ignored), though
        as a short word in capitals its key would keep them."""
        key = _key(words)
        name = self._name_of.get(key) or self._name_of.get(key.lower())
        if name is None and words.endswith("s"):  # an acronym's plural: "the EUs case"
            return self._name(words[:-1])
        if name is None:
            raise KeyError(words)
        return name

    def named(self, question: str) -> tuple[tuple[frozenset[str], ...], ...]:
        """Return, for each thing `question` names, the stem sets of the words naming it.

        Things joined by "or" ("from Russia or China") are one thing named either way; things
        given as examples ("from, say, Russia or China"; "e.g. Japan") are not asked about.
        """
        if self._pattern is None:
            return ()
        groups: list[list[str]] = []
        end = 0
        for match in self._pattern.finditer(question):
            name = self._name(match.group(0))
            before = question[end : match.start()]
            if groups and _EITHER.fullmatch(before):
                groups[-1].append(name)
            else:
                groups.append([name])
            end = match.end()
        named = dict.fromkeys(tuple(dict.fromkeys(g)) for g in groups)
        return tuple(
            tuple(
                dict.fromkeys(
                    t for name in names for t in map(content_terms, self._words[name]) if t
                )
            )
            for names in named
        )


def load_vocabulary(extra_path: Path | None = None) -> Vocabulary:
    """Load the packaged trade vocabulary, plus a user's file of the same shape.

    Raises:
        ValueError: the user's file is not a mapping with `aliases`, `equivalents`, `places`
            or `products`.
    """
    packaged = resources.files("bot.retrieval").joinpath("vocabulary/trade.yaml").read_text()
    documents = [yaml.safe_load(packaged)]
    if extra_path is not None:
        extra = yaml.safe_load(extra_path.read_text(encoding="utf-8"))
        sections = {"aliases", "equivalents", "places", "products", "venues"}
        if not isinstance(extra, dict) or not sections & set(extra):
            raise ValueError(
                f"{extra_path}: expected a mapping with aliases, equivalents, places and/or"
                " products"
            )
        documents.append(extra)
    return Vocabulary.from_data(documents)


# A people's name (a demonym: "Thai", "Malaysian", "Filipino", "Argentine", "Emirati").
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:an|i|ino|ine)")


def _with_plurals(words: Iterable[Any]) -> list[str]:
    """Return a place's words with its demonyms' plurals: "the Thais" name Thailand too."""
    found = [str(w) for w in words]
    return found + [f"{w}s" for w in found if _DEMONYM.fullmatch(w) and f"{w}s" not in found]


def _key(phrase: str) -> str:
    phrase = " ".join(phrase.split())
    return phrase if _case_sensitive(phrase) else phrase.lower()


def _is_acronym(alias: str) -> bool:
    """Say whether `alias` is one word in capitals ("EO", "TRQ", "USMCA")."""
    return " " not in alias and alias.isupper() and alias.isalpha()


def _case_sensitive(alias: str) -> bool:
    """A short alias in capitals whose lower case is an English word ("US", "IT", "AD")
    matches only in capitals; one that is no word ("USMCA", "HTS") matches as typed in chat."""
    letters = re.sub(r"[^A-Za-z]", "", alias)
    if not (alias.isupper() and len(letters) <= _CASE_SENSITIVE_MAX):
        return False
    return english_frequency(alias.lower()) >= _ENGLISH_WORD_ZIPF


# What a city names when it names a meeting held there rather than its country.
_MEETINGS = (
    r"(?:joint\s+)?(?:talks|framework|arrangements?|agreements?|summit|rounds?|consensus"
    r"|meetings?|declaration|statement|accords?|deal|truce|ministerial|negotiations"
    r"|understanding|process)"
)


def _venue_pattern(venues: Sequence[str]) -> re.Pattern[str] | None:
    """The cities of `venues` followed by a word naming a meeting ("the Lima summit"), or
    after "in" / "at" ("Biden-Xi in Lima"): where the sides met, not a side."""
    if not venues:
        return None
    cities = "|".join(r"\s+".join(re.escape(word) for word in v.split()) for v in venues)
    return re.compile(
        rf"(?<!\w)(?:(?i:{cities})(?=[\s-]+(?i:{_MEETINGS})(?!\w))"
        rf"|(?<=(?:\b[iI]n|\b[aA]t)\s)(?i:{cities})(?!\w))"
    )


def _alternation(aliases: Sequence[str]) -> re.Pattern[str]:
    """One regex for every alias, whole words only; short capitals match case-sensitively.

    A hyphen separates words: "Beijing-backed" names Beijing, "Biden-AMLO" names AMLO.
    """
    parts = []
    for alias in aliases:
        body = r"\s+".join(re.escape(word) for word in alias.split())
        body = body if _case_sensitive(alias) else f"(?i:{body})"
        # An acronym's plural names it too ("which EOs ...", "TRQs").
        parts.append(f"{body}s?" if _is_acronym(alias) else body)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")
