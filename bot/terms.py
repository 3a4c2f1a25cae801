"""The one term analyzer: words, stopwords, stems, identifiers and anaphora words.

BM25 (index and query side), the extractive answerer's sentence scoring, the citation check and
the engine's follow-up detection all read text through this module, so a word means the same
thing everywhere. Identifiers ("Executive Order 14257", "E.O. 14257", "HTS 9903.01.63",
"90 FR 15625", "Section 232", "Pub. L. 115-232") also become one exact term each, written the
same way whatever variant the text uses, so a question naming one finds the passages naming it.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_EN_PLUS

WORD = re.compile(r"[^\W_]+", re.UNICODE)
# A rate's percent sign after its figure, or "per cent" as British and Indian writers spell it.
_PERCENT = re.compile(r"(?<=\d)\s?%|\bper[ -]cent\b", re.IGNORECASE)
# A prefix joined by a hyphen to a word that is no acronym ("anti-dumping", "Non-Market",
# "e-commerce"; not "non-USMCA").
_PREFIXED = re.compile(
    r"\b((?i:anti|non|counter|co|re|e|sub|semi|multi|inter|pre|post))-(?=[a-z]|[A-Z][a-z])"
)
# BM25 keeps words of two or more characters (the bm25s/scikit-learn token pattern).
_INDEX_WORD = re.compile(r"(?u)\b\w\w+\b")
# Words that make a question lean on an earlier turn ("what did he say", "that deal").
ANAPHORA = frozenset(
    re.findall(
        r"\w+",
        "he she it they him her them his hers their theirs this that these those there "
        "former latter earlier previous",
    )
)
# Pronouns that stand for what the previous question was about ("how long can it last?").
_REFERRING = re.compile(
    r"\b(?:it|its|they|them|their|this|that|these|those|he|she|him|her|his)\b", re.IGNORECASE
)
# Openings that continue the previous question ("and for steel?", "what about Japan?").
_CONTINUATIONS = tuple(
    tuple(opening.split())
    for opening in ("and", "also", "but", "plus", "then", "what about", "how about", "same for")
)
# Words that frame a question or pad a sentence without saying what it is about.
_FRAMING_WORDS = frozenset(
    re.findall(
        r"\w+",
        "according also anything article articles could describe describes detail details does "
        "explain explains get gets getting got happen happened happening happens know latest "
        "let many may me mean means meant might much please say said saying says something "
        "tell telling tells thing things told us would "
        # contractions typed without the apostrophe, as in chat ("whats IEEPA")
        "whats hows whos wheres whens whys thats theres isnt arent wasnt werent dont doesnt "
        "didnt cant couldnt wouldnt shouldnt hasnt havent hadnt "
        # chat filler and shorthand for function words ("pls", "thx", "thru", "abt")
        "pls plz thx thanks thank hey hi hello bot tradebot fyi btw asap ok okay quick "
        "thru abt wat ur",
    )
)
# Lucene's short list for BM25 (what the SciFact tuning used); the long one for answering.
INDEX_STOPWORDS = frozenset(STOPWORDS_EN)
CONTENT_STOPWORDS = frozenset(STOPWORDS_EN_PLUS) | _FRAMING_WORDS
# "U.S." -> "US", "E.U." -> "EU", so country abbreviations survive as one term.
_DOTTED_ABBREVIATION = re.compile(r"\b((?:[A-Z]\.){2,})")

# Names given only as examples, not asked about: "from, say, Russia or China", "e.g. Japan,
# Korea", "for instance the EU".
_EXAMPLE_NAMES = re.compile(
    r"((?:,\s*say,|\be\.\s?g\.,?|\bfor example,?|\bfor instance,?)\s+(?:the\s+)?)"
    r"([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*"
    r"(?:\s*(?:,|,?\s*(?:and|or|/))\s*(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)*)"
)

# Identifier patterns -> the one term each variant becomes (prefixed so no word collides).
_DIGIT = re.compile(r"\d")
_NUMBER_SUFFIX = r"(?:No\.?\s*)?"
_IDENTIFIERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            rf"\b(?:Executive\s+Orders?|E\.\s?O\.|EO)\s*{_NUMBER_SUFFIX}(\d{{4,5}})\b",
            re.IGNORECASE,
        ),
        "eo{0}",
    ),
    (re.compile(rf"\bProclamations?\s*{_NUMBER_SUFFIX}(\d{{4,5}})\b", re.IGNORECASE), "proc{0}"),
    (re.compile(r"(?:\bSections?|\bSec\.|§)\s*(\d{3,4}[a-z]?)\b", re.IGNORECASE), "sec{0}"),
    # A WTO dispute: "DS543", "WT/DS597", "DS 597".
    (re.compile(r"\b(?:WT/)?DS\s?(\d{2,4})\b", re.IGNORECASE), "ds{0}"),
    # "90 FR 15625", "91 Fed. Reg. 12884", and as Markdown writes it, "91 *Fed*. *Reg*. 12884".
    (
        re.compile(r"\b(\d{2,3})\s+(?:FR|\*?Fed\*?\.?\s*\*?Reg\*?\.?)\s+(\d{2,6})\b"),
        "{0}fr{1}",
    ),
    (
        re.compile(
            r"\b(?:Pub(?:lic)?\.?\s*L(?:aw)?\.?|P\.L\.)\s*(?:No\.?\s*)?(\d{2,3})[-–‑](\d{1,4})\b",
            re.IGNORECASE,
        ),
        "pl{0}-{1}",
    ),
    # Dotted or hyphenated numbers: HTS lines (9903.01.63), agreement articles (32.10), cases;
    # not a range ("aged 18-45", "10-15%", "2024-2025"), whose numbers stay terms of their own.
    (
        re.compile(
            r"(?<![\w.])(?!(?:\d{1,3}|(?:19|20)\d\d)[\-–](?:\d{1,3}|(?:19|20)\d\d)(?![\w.\-–]))"
            r"(\d+(?:[.\-–]\d+)+)(?![\w]|\.\d)"
        ),
        "{0}",
    ),
)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def stem_words(words: list[str]) -> list[str]:
    """Return the Snowball English stems of lower-case `words`, accents folded ("šefčovič" and
    "sefcovic", "brasília" and "brasilia" are one term: people type names without them) and
    British spellings read as American ("labour" and "labor", "licence" and "license",
    "programme" and "program" are one term: analysts and news articles write either)."""
    if not words:
        return []
    american = _british_to_american()
    folded = (w if w.isascii() else _fold(w) for w in words)
    stems = _stemmer().stemWords([american.get(w, w) for w in folded])
    return [_VERB_OF_NOUN.get(stem, stem) for stem in stems]


# A Latin noun and its verb, which Snowball stems apart: "which part of Commerce is collecting
# submissions?" is answered by "submit written comments to the Department of Commerce", "the
# suspension" by "shall be suspended", "exclusions" by "excluded". Not "commission" (a body,
# not "commit") nor "provision" (a clause, not "provide").
_VERB_OF_NOUN = {
    "submiss": "submit",
    "permiss": "permit",
    "transmiss": "transmit",
    "admiss": "admit",
    "omiss": "omit",
    "emiss": "emit",
    "suspens": "suspend",
    "extens": "extend",
    "expans": "expand",
    "exclus": "exclud",
    "inclus": "includ",
    "conclus": "conclud",
    "decis": "decid",
    "evas": "evad",
    "invas": "invad",
    "intervent": "interven",
    "reduct": "reduc",
    "retent": "retain",
    "revoc": "revok",
    "invoc": "invok",
    "descript": "describ",
    "denial": "deni",
    "imposit": "impos",
    # ... and a material's adjective its noun: "upholstered wooden products" are wood products.
    "wooden": "wood",
    "woolen": "wool",
}


@lru_cache(maxsize=1)
def _british_to_american() -> dict[str, str]:
    # breame's table of about 1,700 British spellings and their American forms; loaded on first
    # use, not at import.
    from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS

    return dict(BRITISH_ENGLISH_SPELLINGS)


@lru_cache(maxsize=8192)
def _fold(word: str) -> str:
    """Return `word` without its accents (compatibility decomposition, combining marks dropped)."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


@lru_cache(maxsize=8192)
def english_frequency(word: str) -> float:
    """Return `word`'s Zipf frequency in English (wordfreq: 0 unseen, 3 rare, 7+ for "the")."""
    from wordfreq import zipf_frequency  # loads its word list on first use, not at import

    return float(zipf_frequency(word, "en"))


def identifier_terms(text: str) -> list[str]:
    """Return one normalised term per identifier in `text` ("EO 14257" -> "eo14257")."""
    found: list[str] = []
    if not _DIGIT.search(text):  # every identifier holds a number; most sentences none
        return found
    for pattern, template in _IDENTIFIERS:
        for match in pattern.finditer(text):
            parts = [part.lower().replace("–", "-") for part in match.groups()]
            found.append(template.format(*parts))
    return found


# "19 U.S.C. 2411", "50 USC 1702(b)": statute citations, numbers that count nothing.
_STATUTE = re.compile(r"\b\d{1,2}\s+U\.?\s?S\.?\s?C\.?\s*(?:§\s*)?\d+[a-z]?\b")


def without_identifiers(text: str) -> str:
    """Return `text` with its identifiers ("Section 232", "EO 14257", "90 FR 15625", HTS
    lines) and statute citations blanked: what is left of its numbers are amounts, counts
    and dates."""
    if not _DIGIT.search(text):
        return text
    for pattern, _ in (*_IDENTIFIERS, (_STATUTE, "")):
        text = pattern.sub(" ", text)
    return text


def without_examples(text: str) -> str:
    """Blank the names `text` gives only as examples ("from, say, Russia or China"), keeping
    every offset: a passage need not name them to answer."""
    return _EXAMPLE_NAMES.sub(lambda m: m.group(1) + " " * len(m.group(2)), text)


def _percent_spelled(text: str) -> str:
    """Return `text` with a percent sign after a figure and "per cent" written "percent":
    "25%", "25 per cent" and "25 percent" are the same rate, whichever a question or an
    article writes (as typed, "cent" was a rare term, "%" none); and a word joined to its
    prefix by a hyphen written as one ("anti-dumping" as "antidumping", "e-commerce" as
    "ecommerce"), the prefix's hyphen being a matter of house style."""
    return _PREFIXED.sub(r"\1", _PERCENT.sub(" percent", text))


def index_terms(text: str) -> list[str]:
    """Return BM25 terms: stemmed words (Lucene stopwords dropped), then identifier terms."""
    plain = _percent_spelled(text).lower()
    words = [w for w in _INDEX_WORD.findall(plain) if w not in INDEX_STOPWORDS]
    return stem_words(words) + identifier_terms(text)


@lru_cache(maxsize=16384)  # popular passages come back question after question
def content_terms(text: str) -> frozenset[str]:
    """Return the stemmed content words of `text` and its identifiers (framing words removed)."""
    plain = _DOTTED_ABBREVIATION.sub(lambda m: m.group(1).replace(".", ""), text)
    words = [w.lower() for w in WORD.findall(_percent_spelled(plain)) if _is_content_word(w)]
    return frozenset(stem_words(words)) | frozenset(identifier_terms(text))


def _is_content_word(word: str) -> bool:
    """Keep names in capitals ("US", "IT") and every non-stopword longer than a letter; a
    longer stopword in capitals is emphasis ("NOT subject", "ALL countries"), not a name."""
    lower = word.lower()
    if word.isupper() and len(word) > 1 and (len(word) <= 2 or lower not in CONTENT_STOPWORDS):
        return True
    return lower not in CONTENT_STOPWORDS and (len(lower) > 1 or lower.isdigit())


def lower_words(text: str) -> list[str]:
    """Return the lower-case words of `text`, in order."""
    return [w.lower() for w in WORD.findall(text)]


def with_referent(question: str, previous_question: str) -> str:
    """Return a follow-up with its first pronoun replaced by what the previous question was
    about ("how long can it last?" after "What is the Section 122 surcharge?" -> "how long
    can Section 122 surcharge last?"), for embedding: alone, "it" matches any sentence."""
    if not _REFERRING.search(question):
        return question
    topic = " ".join(w for w in WORD.findall(previous_question) if _is_content_word(w))
    return _REFERRING.sub(topic, question, count=1) if topic else question


def has_anaphora(words: Iterable[str]) -> bool:
    """Say whether the lower-case `words` of a question lean on an earlier turn: a word that
    refers back ("he", "that deal"), an opening that continues it ("and after the Feb 2026
    deal?", "what about buses?", "same for Japan?"), or a thing named only by its kind ("when
    does the deal take effect?", "what's the HTS code?": which deal, which code, the turn
    before says)."""
    words = list(words)
    if not ANAPHORA.isdisjoint(words):
        return True
    if any(words[: len(opening)] == list(opening) for opening in _CONTINUATIONS):
        return True
    return _names_only_a_kind(words)


# The kinds of thing a trade question asks about, and the words asking about one that say
# nothing of which: "the deal", "the rate", "take effect", "how much".
_KINDS = frozenset(
    re.findall(
        r"\w+",
        "deal agreement framework truce pause order eo proclamation rule notice measure program "
        "tariff tariffs duty duties rate rates surcharge quota quotas exemption exemptions "
        "exclusion exclusions investigation probe review hts code codes heading number",
    )
)
_ASKING_ABOUT_A_KIND = _KINDS | frozenset(
    re.findall(
        r"\w+",
        "take takes effect start starts begin begins end ends expire expires last lasts apply "
        "applies cover covers pay paid mean means say says current currently new now latest "
        "still status exactly signed announced agreed agree set final level",
    )
)


def _names_only_a_kind(words: Sequence[str]) -> bool:
    """Say whether the question's subject is "the <kind>" and it says nothing else of which."""
    named = any(a == "the" and b in _KINDS for a, b in itertools.pairwise(words))
    content = [w for w in words if w not in CONTENT_STOPWORDS and len(w) > 1]
    return named and all(w in _ASKING_ABOUT_A_KIND for w in content)


class Analyzer:
    """BM25's analyzer: `index_terms`, named so a persisted index built otherwise is rebuilt."""

    name = "words-en-stop-snowball-ids-folded-american-percent-prefix-verbs-v10"

    def tokens(self, text: str) -> list[str]:
        """Return the index terms of `text`."""
        return index_terms(text)
