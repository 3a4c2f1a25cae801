"""Read a mistyped word as the corpus word it was meant to be ("tarrif" -> "tariff").

Analysts type fast: "investigaton", "dealine", "alumnium", "Malasia". A word the corpus never
uses finds nothing in BM25 and little in the embedding, so the question misses its evidence;
a mistyped name is worse, since a name no article mentions refuses the question. A word is
corrected only when it is plainly a typo of a corpus word:

- it has at least `min_length` letters, is not a stopword, and is written in lower case or
  capitalised ("Malasia"; an acronym in capitals, "TSMC", is left alone);
- its stem is in no indexed passage, the trade vocabulary does not know it ("pharma"), and
  it is rare in English (wordfreq's Zipf frequency below `real_word`): "stuff" or "struck"
  are words the corpus lacks, not typos; "Pakistani" or "Nissan" are names, not typos;
- one edit (a letter left out, two neighbours swapped, a doubled letter moved: "tarrif" ->
  "tariff"; or, in a word of at least `long_word` letters, a letter replaced or added: a
  short rare word is too near too many common ones, "rebar" -> "rear") turns it into a
  word whose stem the corpus holds. A lower-case word must become a common English word (at
  least `real_word`, and `margin` above the typed word); a capitalised one may become any
  word or name English knows (at least `known_name`: "Liechtenstein" is rare in English
  but is what "Lichtenstein" means in a trade corpus). An unknown name with no such
  neighbour ("Temu", "Hanwha") stays unknown, so the question is still refused. The
  likeliest wins: English frequency, plus `slip_bonus` for the commonest slips (a letter
  left out, neighbours swapped, a doubling moved), as a noisy-channel speller would weigh
  them.

The corrected question is what retrieval and the answerer read; the asker's words are kept
in the conversation, and the answer says how a word was read.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from text_to_num import text2num

from bot.terms import CONTENT_STOPWORDS, INDEX_STOPWORDS, english_frequency, stem_words

_WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
# "the us", "a us data center", "us-china": the country, not the pronoun.
_THE_US = re.compile(r"\b(the |an? )us\b|\bus(?=-[A-Za-z])")
# The longest acronym read in capitals when typed in lower case ("usmca").
_ACRONYM_MAX = 5
# A word in lower case or a compound of such ("us-china"), without the "s" of a possessive
# ("biden's" -> "biden"); not the "commerce" of "e-commerce".
_LOWER_WORD = re.compile(r"(?<![\w.-])[a-z]{2,}(?:-[a-z]{2,})*(?![\w.])")
_POSSESSIVE = re.compile(r"['’]s$")
# A question with at least this many words, nearly all in capitals, was typed with caps lock.
_SHOUTED_MIN = 3
_SHOUTED_SHARE = 0.8
# A lone word of at least this many letters typed in capitals may be stressed ("STILL"); a
# shorter one is an acronym ("US", "EU").
_STRESSED_MIN = 3
# What ends a sentence between two words: the next one starts the sentence, capitalised.
_SENTENCE_END = re.compile(r"[.?!:;]|\s[-–—]\s")
# A question whose words nearly all start with a capital, "The", "Of" and "Did" among them, was
# typed in title case (at least this many words, this share of them).
_TITLED_MIN = 4
_TITLED_SHARE = 0.8
# Desk shorthand for amounts: "550bn", "$2.5b", "300mn", "1.2tn", "50pc". Documents spell
# them out ("$550 billion", "50 percent"), so BM25 and the answerer would miss them. A bare
# "b" or "m" counts only after a currency sign ("$5b"; "H-1B" and "5m" stay as typed); a
# thousand, "k", in lower case without one ("the 100k quota"; "4K" stays) and is written in
# figures, as documents write counts ("100,000").
_AMOUNT = re.compile(
    r"(?<![\w.-])(?P<cur>[$€£])?(?P<num>\d+(?:[.,]\d+)?)\s?"
    r"(?P<unit>bn|bln|tn|trn|mn|mln|pct|pc|b|m|k)\b",
    re.IGNORECASE,
)
# An amount written with its currency's code ("USD 800", "800 USD", "US$3.2bn", "EUR 93 billion"):
# documents write the sign ("$800"), which the amount's terms and the answerer's figures read.
_YEAR = re.compile(r"(?:19|20)\d\d")
_CODES = {"usd": "$", "us$": "$", "eur": "€", "gbp": "£"}
_SCALE = r"\s?(?:billion|million|trillion|bn|bln|tn|trn|mn|mln|b|m|k)\b"
_CODED_AMOUNT = re.compile(
    rf"(?<![\w$])(?P<code>USD|US\$|EUR|GBP)\s?(?P<num>\d[\d,]*(?:\.\d+)?)(?P<unit>{_SCALE})?"
    rf"|(?<![\w.$])(?P<num2>\d[\d,]*(?:\.\d+)?)(?P<unit2>{_SCALE})?\s?(?P<code2>USD|EUR|GBP)\b",
    re.IGNORECASE,
)
# A rate or a span in words ("the fifty percent", "twenty-five per cent", "a ninety-day
# pause"): documents write both in figures ("50 percent", "90-day"), the terms BM25 and the
# answerer's figures match. Years stay as typed, and "zero percent", "one day": documents
# write them in words as often ("five years", "four-year").
_NUMBER_WORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety|hundred)"
)
_WORDED_NUMBER = re.compile(
    rf"(?<![\w-])(?P<words>{_NUMBER_WORD}(?:(?:[\s-]+|\s+and\s+){_NUMBER_WORD})*)"
    r"(?=[\s-]?(?:%|(?:percent|per[\s-]?cent|percentage\s+points?|days?)\b))",
    re.IGNORECASE,
)
# Desk shorthand for a statute's section: "s232", "s.301", "sec 122", "Sec232", "sect 201", and
# the word run into its number, "Section338". Documents write "Section 232", the identifier term
# BM25 and the answerer match; typed the short way it was a bare number and a stray word (run in,
# a word no passage holds). Read so only when the corpus knows that section.
_SECTION = re.compile(
    r"(?<![\w.])(?:section(?=\d)|sect\.?\s?|sec\s?|s\.?|\u00a7\s?)(?P<num>\d{3,4})\b", re.IGNORECASE
)
# A model or code in the plural: "H200s", "737s", "F-35s" (a digit or a capital before "s").
_CODE_PLURAL = re.compile(r"\b(?P<code>[A-Za-z-]*\d[\w-]*?[\dA-Z])s\b")
# A name with an "s" joined on, the apostrophe of its possessive left out ("BISs rule", "the
# EUs quota", "Britains DST") or an acronym's plural ("MOUs"): an acronym, or a capitalised word.
_NAME_S = re.compile(r"(?<![\w'’.-])(?P<name>[A-Z]{2,6}|[A-Z][a-z]{2,})s\b")
_UNITS = {
    "bn": "billion",
    "bln": "billion",
    "b": "billion",
    "tn": "trillion",
    "trn": "trillion",
    "mn": "million",
    "mln": "million",
    "m": "million",
    "pc": "percent",
    "pct": "percent",
}
_NEEDS_CURRENCY = frozenset({"b", "m", "k"})
_LETTERS = string.ascii_lowercase
# A key's neighbours on a QWERTY keyboard (same row, and the two above and below it): a letter
# replaced by one of them ("fentsnyl") is a slip of the finger, as common as one left out.
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY_NEIGHBOURS = {
    key: frozenset(
        row[j]
        for r, row in enumerate(_ROWS)
        for j in range(len(row))
        if (r == line and abs(j - i) == 1)
        or (r == line - 1 and j in (i, i + 1))
        or (r == line + 1 and j in (i - 1, i))
    )
    for line, keys in enumerate(_ROWS)
    for i, key in enumerate(keys)
}
# A word typed without capitals that no article writes is read as a name when it has at least
# `_UNKNOWN_NAME_MIN` letters ("dji") and at most `_UNKNOWN_NAME_MAX`, is no inflection ("griped",
# "prepping"), and no compound of two words of at least `_COMPOUND_PART_MIN` letters each this
# common in English (Zipf): "stop" + "gap", "counter" + "top"; not "han" + "wha".
_UNKNOWN_NAME_MIN = 3
_UNKNOWN_NAME_MAX = 30  # "x" * 2000 is no name, and its compounds are not worth looking up
# Nor is it a mistyped word: a word longer than this is left as typed, unlooked-up (its edits
# number 54 per letter, each as long as the word: 2,000 letters took 45 s of a worker).
_LONGEST_WORD = 30
_INFLECTED = ("ing", "ed")
# ... nor does a corpus term of at least this many letters open it.
_TERM_OPENING = 6
_COMPOUND_PART_MIN = 3
# The shortest part of a word typed run together that is read as two ("de" of "deminimis").
_JOINED_PART_MIN = 2
# ... and the Zipf frequency below which English does not know the word typed ("stopgap": 2.4).
_RUN_TOGETHER_ZIPF = 1.0
# The heads of closed compounds English writes as one word ("chipmaking", "automaker",
# "shipbuilders", "stakeholder"): a word ending in one is no two words run together.
_COMPOUND_ENDINGS = (
    "making",
    "maker",
    "makers",
    "building",
    "builder",
    "builders",
    "holder",
    "holders",
)
_COMPOUND_PART = 3.5
# Shorter words are read as a slip on a stopword only from this length ("teh", "bein").
_SHORT_SLIP_MIN = 3
# ... when the stopword is this much commoner in English (Zipf): "bein" 3.2, "being" 5.95.
_STOPWORD_MARGIN = 2.0

# Given the stems of candidate words, return the IDF of each one an indexed passage holds.
KnownStems = Callable[[Iterable[str]], Mapping[str, float]]


@dataclass(frozen=True)
class Reading:
    """A question as retrieval reads it, and the corrections made to the asker's words."""

    text: str
    fixes: tuple[tuple[str, str], ...] = ()

    @property
    def notice(self) -> str | None:
        """Say how mistyped words were read ("Read “tarrif” as “tariff”."), or None."""
        if not self.fixes:
            return None
        pairs = ", ".join(f"“{typed}” as “{read}”" for typed, read in self.fixes)
        return f"Read {pairs}."


class Speller:
    """Correct rare words the corpus does not know into likely one-edit neighbours it does."""

    def __init__(
        self,
        known_stems: KnownStems,
        protected: Callable[[str], bool] = lambda word: False,
        frequency: Callable[[str], float] | None = None,
        *,
        min_length: int = 5,
        long_word: int = 6,
        real_word: float = 3.0,
        margin: float = 1.5,
        slip_bonus: float = 1.0,
        known_name: float = 1.5,
        everyday_word: float = 4.0,
        written_as: Callable[[str], str | None] | None = None,
        everyday_name: float = 4.5,
        begins: Callable[[str], bool] | None = None,
        unknown_name: float = 2.5,
        writes: Callable[[Sequence[str]], bool] | None = None,
    ) -> None:
        """Args: `known_stems` looks stems up in the index; `protected` says a word is meant
        as typed (a vocabulary alias); `frequency` gives a word's Zipf frequency in English
        (wordfreq by default); `written_as` says how the articles write a word they write as
        a name ("biden" -> "Biden"; None: not a name, or no such knowledge); `begins` says
        whether the index holds a longer term beginning with a word (its clipped form);
        `writes` whether an article writes index terms side by side ("fact", "sheet")."""
        self.writes = writes
        self.written_as = written_as
        self.begins = begins
        self.unknown_name = unknown_name
        self.everyday_name = everyday_name
        self.known_stems = known_stems
        self.protected = protected
        self.frequency = frequency or english_frequency
        self.min_length = min_length
        self.long_word = long_word
        self.real_word = real_word
        self.margin = margin
        self.slip_bonus = slip_bonus
        self.known_name = known_name
        self.everyday_word = everyday_word

    def read(self, question: str) -> Reading:
        """Return `question` with amounts spelled out and plainly mistyped words corrected;
        typed without capitals, with the names the articles write capitalised so."""
        unshouted = self._unemphasised(self._untitled(self._unshouted(question)))
        # Typed in capitals (or title case), it was typed without them: its names are written
        # as the articles write them, its chat shorthand ("WHAT YR") read as the words.
        shouted = unshouted != question
        if shouted:
            unshouted = spelled_out_shorthand(unshouted)
        plain = shouted or self._writes_no_capitals(unshouted)
        amounts = spell_out_amounts(unshouted)
        sections = self._spell_out_sections(amounts.text)
        codes = self._singular_codes(sections.text)
        names = self._names_without_s(codes.text)
        typos = self._read_words(names.text, plain)
        text = self._as_written(typos.text) if plain else typos.text
        fixes = amounts.fixes + sections.fixes + codes.fixes + names.fixes + typos.fixes
        return Reading(text, fixes)

    def _as_written(self, question: str) -> str:
        """Return a question typed without capitals with the names the articles write
        capitalised written so: "did biden and xi talk about the usmca?" -> "did Biden and Xi
        talk about the USMCA?". A writer who uses no capitals names no one by them, and a name
        read as a plain word is neither looked for as a name nor missed in an answer."""
        written_as = self.written_as
        if written_as is None:
            return question

        def as_written(match: re.Match[str]) -> str:
            return "-".join(
                self._name_as_written(part) or self._unknown_name(part) or part
                for part in match.group().split("-")
            )

        read = _LOWER_WORD.sub(as_written, question)
        return _THE_US.sub(lambda m: f"{m.group(1) or ''}US", read)

    def _name_as_written(self, word: str) -> str | None:
        """Return how the articles write `word` as a name, unless it is an everyday English
        word ("round", "list", "trump"), which the asker may mean as one ("the Entity List"
        is not what "the list" always means); as an acronym, unless it is an English word at
        all and no acronym of the vocabulary's ("doc" is not the DOC; "hts" is the HTS, "wto"
        the WTO)."""
        if self.written_as is None:
            return None
        frequency = self.frequency(word)
        if frequency >= self.everyday_name:
            return None
        written = self.written_as(word)
        acronym = word.upper()
        if written is None and len(word) <= _ACRONYM_MAX and not self.protected(word):
            # "which eo ...", "the wto ...": an acronym of the vocabulary's that it reads only in
            # capitals, its lower case being rare English ("eo", "bis"; not "us", "eu").
            written = acronym if self.protected(acronym) else None
        if (
            written is not None
            and written.isupper()
            and frequency >= self.real_word
            and not self.protected(written)
        ):
            return None  # "doc" is no DOC
        return written

    def _unknown_name(self, word: str) -> str | None:
        """Return `word` capitalised when it is a name no article writes: no passage holds it,
        English hardly knows it (Zipf below `unknown_name`: "hanwha", "inspur", "piyush"), and
        it is no word English makes of others (an inflection, "griped"; a compound of two
        common words, "stopgap", "countertop") nor the clipped form of a corpus term ("litho"),
        nor a corpus word mistyped beyond mending ("investigtaon").
        Typed without capitals, "what did piyush goyal say" asks about a person as "What did
        Piyush Goyal say" does, and an article that never names him cannot answer."""
        if (
            self.begins is None
            or not _UNKNOWN_NAME_MIN <= len(word) <= _UNKNOWN_NAME_MAX
            or word in CONTENT_STOPWORDS
            or word in INDEX_STOPWORDS
            or word.endswith(_INFLECTED)
            or self.protected(word)
            or self._commonness(word) >= self.unknown_name
            or self._compound(word)
        ):
            return None
        stem = stem_words([word])[0]
        # Held by a passage; or "litho" of "lithographic"; or a corpus word mistyped past its
        # first letters, which the speller could not mend ("investigtaon": "investig").
        opening = [word[:i] for i in range(_TERM_OPENING, len(word))]
        if self.known_stems([stem, *opening]) or self.begins(stem):
            return None
        return word[0].upper() + word[1:]

    def _compound(self, word: str) -> bool:
        """Say whether `word` joins two common English words ("stop" + "gap")."""
        common = self.frequency
        return any(
            common(word[:i]) >= _COMPOUND_PART and common(word[i:]) >= _COMPOUND_PART
            for i in range(_COMPOUND_PART_MIN, len(word) - _COMPOUND_PART_MIN + 1)
        )

    @staticmethod
    def _writes_no_capitals(question: str) -> bool:
        """Say whether `question` capitalises no word but its first and "I"."""
        return not any(not w.islower() and w != "I" for w in _WORD.findall(question)[1:])

    def _singular_codes(self, question: str) -> Reading:
        """Read "H200s" as "H200" when the corpus writes the one and not the other."""
        return self._read_as_base(
            question,
            list(_CODE_PLURAL.finditer(question)),
            "code",
            lambda match, typed, base, known: typed not in known and base in known,
        )

    def _names_without_s(self, question: str) -> Reading:
        """Read "BISs" as "BIS" and "Britains" as "Britain": a name typed with its possessive's
        "s" and no apostrophe, or an acronym's plural. As typed, "BISs" and "EUs" were names
        no article writes, and the question was refused; "Britains" was no place the
        vocabulary knows. An acronym is read so when the index or the vocabulary knows it and
        the index not the word typed ("IFRs", whose stem is "ifr", is left); a capitalised
        word, when the vocabulary knows it and not the word typed, and English hardly knows
        the word typed ("Philippines", "Americas" are left)."""
        found = [
            m
            for m in _NAME_S.finditer(question)
            if m.group("name").isupper()
            or (self.protected(m.group("name")) and not self.protected(m.group(0)))
        ]

        def reads(match: re.Match[str], typed: str, base: str, known: Mapping[str, float]) -> bool:
            name = match.group("name")
            if name.isupper():
                return (
                    typed != base and typed not in known and (base in known or self.protected(name))
                )
            return self.frequency(match.group(0).lower()) < self.real_word

        return self._read_as_base(question, found, "name", reads)

    def _read_as_base(
        self,
        question: str,
        found: list[re.Match[str]],
        group: str,
        reads: Callable[[re.Match[str], str, str, Mapping[str, float]], bool],
    ) -> Reading:
        """Read each word `found` as its `group` ("H200s" as "H200", "BISs" as "BIS") where
        `reads(match, typed stem, base stem, the stems the index knows of both)` says so."""
        if not found:
            return Reading(question)
        typed = stem_words([m.group(0).lower() for m in found])
        bases = stem_words([m.group(group).lower() for m in found])
        known = self.known_stems(set(typed) | set(bases))
        fixes: list[tuple[str, str]] = []
        out = question
        for match, typed_stem, base_stem in zip(found, typed, bases, strict=True):
            word, base = match.group(0), match.group(group)
            if (word, base) not in fixes and reads(match, typed_stem, base_stem, known):
                fixes.append((word, base))
                out = re.sub(rf"(?<![\w'’.-]){re.escape(word)}\b", base, out)
        return Reading(out, tuple(fixes))

    def _spell_out_sections(self, question: str) -> Reading:
        """Read "s232" or "sec 301" as "Section 232" / "Section 301" when the corpus has it."""
        found = list(_SECTION.finditer(question))
        if not found:
            return Reading(question)
        known = self.known_stems({f"sec{m.group('num')}" for m in found})
        fixes: list[tuple[str, str]] = []

        def section(match: re.Match[str]) -> str:
            if f"sec{match.group('num')}" not in known:
                return match.group(0)
            read = f"Section {match.group('num')}"
            fixes.append((match.group(0), read))
            return read

        return Reading(_SECTION.sub(section, question), tuple(fixes))

    def _unshouted(self, question: str) -> str:
        """Return a question typed in capitals in lower case, but for the acronyms the
        vocabulary reads only in capitals ("WHAT DID THE US SAY" -> "what did the US say"): in
        capitals every word would read as a name, and a name no article mentions refuses the
        question. Any other word the vocabulary knows ("USTR", "JORDAN", "DEAL") goes to lower
        case too, and is then written as the articles write it ("USTR", "Jordan", "deal"):
        kept in capitals, "DEAL" and "PART" were names no article writes so."""
        words = [w for w in _WORD.findall(question) if len(w) > 1]
        shouted = [w for w in words if w.isupper()]
        if len(shouted) < _SHOUTED_MIN or len(shouted) < _SHOUTED_SHARE * len(words):
            return question

        def unshouted(match: re.Match[str]) -> str:
            word = match.group()
            only_in_capitals = self.protected(word) and not self.protected(word.lower())
            return word if only_in_capitals else word.lower()

        return _WORD.sub(unshouted, question)

    @staticmethod
    def _untitled(question: str) -> str:
        """Return a question typed in title case ("What Did Scotus Hold On Feb 20 2026 About
        IEEPA?") with its capitalised words in lower case, its acronyms ("IEEPA") as typed:
        capitalised, "Hold", "Slap" and "Told" were names no article writes, and refused the
        question. The names among them are then written as the articles write them."""
        words = [w for w in _WORD.findall(question) if len(w) > 1]
        titled = [w for w in words if w[0].isupper()]
        if len(titled) < _TITLED_MIN or len(titled) < _TITLED_SHARE * len(words):
            return question
        if not any(w[1:].islower() and w.lower() in CONTENT_STOPWORDS for w in titled[1:]):
            return question  # names only ("Did Nippon Steel Buy US Steel?"), no title case

        def untitled(match: re.Match[str]) -> str:
            word = match.group()
            return word.lower() if word[0].isupper() and word[1:] == word[1:].lower() else word

        return _WORD.sub(untitled, question)

    def _unemphasised(self, question: str) -> str:
        """Return `question` with each lone capitalised everyday word in lower case: "what new
        export filing Obligation came with the rule?", "how many partner Countries joined?",
        "Entity List rule - Besides the delisting, what else?" (the question's first word is
        no name already).
        Capitalised, it was a name the answer had to hold, and the articles that answer write
        no such name. A word stays as typed when the articles write it as a name ("Trump",
        "Commerce"), the vocabulary knows it, English hardly knows it ("Temu"), or a capitalised
        word stands next to it ("the Entity List", "Nippon Steel")."""
        if self.written_as is None:
            return question
        words = list(_WORD.finditer(question))
        # A clause's first word ("- Besides ...", ": Deadline for ...", "? Flat 10%?") is
        # capitalised for its place, and names nothing by it; nor does it make its neighbour
        # part of a name of several words.
        opens = [
            i == 0 or bool(_SENTENCE_END.search(question[words[i - 1].end() : w.start()]))
            for i, w in enumerate(words)
        ]
        capitalised = [w.group()[0].isupper() and not opens[i] for i, w in enumerate(words)]
        out, end = [], 0
        for i, match in enumerate(words):
            word = match.group()
            lone = (
                not (i > 0 and not opens[i] and capitalised[i - 1])
                and not (i + 1 < len(words) and capitalised[i + 1])
                # "the US-China Board of Trade", "Ways and Means": a name's words joined by
                # "of" or "and" ("board of trade" was no body of the articles).
                and not (
                    i > 1
                    and not opens[i]
                    and words[i - 1].group().lower() in _NAME_JOINERS
                    and capitalised[i - 2]
                )
                and not (
                    i + 2 < len(words)
                    and words[i + 1].group().lower() in _NAME_JOINERS
                    and capitalised[i + 2]
                )
            )
            # "Are licences STILL denied?", "did USTR ACTUALLY conclude ...": a word typed in
            # capitals for emphasis, which the articles write in lower case.
            # After a name ("China STILL", "USTR ACTUALLY") it stays stressed; before one
            # ("CHIPS Act") it is part of a name.
            stressed = (
                len(word) >= _STRESSED_MIN
                and word.isupper()
                and not (i + 1 < len(words) and capitalised[i + 1])
            )
            if (
                (i > 0 or stressed)
                and word[0].isupper()
                and (lone or stressed)
                and (word[1:].islower() or stressed)
                and question[match.end() : match.end() + 1] not in ("-", "'", "’")
                and question[match.start() - 1 : match.start()] != "-"
                and not self.protected(word)
                and (stressed or not self.protected(word.lower()))
                # "NHS" is no stressed word: the articles must write it in lower case.
                and not (stressed and not self.known_stems(stem_words([word.lower()])))
                and self.frequency(word.lower()) >= self.everyday_word
                and self.written_as(word.lower()) is None
            ):
                out += [question[end : match.start()], word.lower()]
                end = match.end()
        return "".join([*out, question[end:]]) if out else question

    def _read_words(self, question: str, plain: bool = False) -> Reading:
        # "Amercia's": the word is read without its possessive, which is kept as typed.
        words = [
            (m.start(), m.start() + len(_POSSESSIVE.sub("", m.group())))
            for m in _WORD.finditer(question)
        ]
        suspects = [
            (lo, hi)
            for lo, hi in words
            if self._suspect(question[lo:hi]) or self._short_slip(question[lo:hi])
        ]
        if not suspects:
            return Reading(question)
        stems = stem_words([question[lo:hi].lower() for lo, hi in suspects])
        known = self.known_stems(stems)
        fixes: list[tuple[int, int, str, str]] = []
        for (lo, hi), stem in zip(suspects, stems, strict=True):
            word = question[lo:hi]
            if stem in known or self.protected(word):
                continue
            fixed = (
                self._correct(word.lower())
                if len(word) >= self.min_length
                else self._stopword(word.lower())
            )
            if fixed is None and word[0].isupper() and len(word) >= self.min_length:
                fixed = self._correct(word.lower(), name=True)
            if fixed is None and len(word) >= self.min_length:
                fixed = self._run_together(word.lower(), apart=word.islower() and not plain)
            if fixed is not None:
                if word[0].isupper():
                    fixed = fixed[0].upper() + fixed[1:]
                fixes.append((lo, hi, word, fixed))
        if not fixes:
            return Reading(question)
        text = question
        for start, end, _, fixed in reversed(fixes):
            text = text[:start] + fixed + text[end:]
        return Reading(text, tuple((typed, fixed) for _, _, typed, fixed in fixes))

    def _run_together(self, word: str, apart: bool = True) -> str | None:
        """Return the two words an article writes side by side that `word` runs together
        ("factsheet" -> "fact sheet", "deminimis" -> "de minimis"), or None; `apart`: also
        two it writes apart. Typed so, it was a word no passage holds, or a name no article
        writes."""
        if self.writes is None:
            return None
        splits = [
            (word[:i], word[i:]) for i in range(_JOINED_PART_MIN, len(word) - _JOINED_PART_MIN + 1)
        ]
        written = [pair for pair in splits if self.writes(stem_words(list(pair)))]
        if not written and apart and self.frequency(word) < _RUN_TOGETHER_ZIPF:
            # "fentanyltariff", "beingcollected", "thetariff": words the articles write (or
            # the vocabulary reads), though not side by side, run into one English does not
            # know: a space missed. Only a word typed in lower case among capitals ("Metinvest"
            # is a name), and no closed compound of a maker or making ("chipmaking").
            known = self.known_stems(stem_words([part for pair in splits for part in pair]))
            written = [
                pair
                for pair in splits
                if not pair[1].endswith(_COMPOUND_ENDINGS) and self._words_apart(pair, known)
            ]
        if not written:
            return None
        first, second = max(written, key=lambda pair: min(map(self.frequency, pair)))
        return f"{first} {second}"

    def _words_apart(self, pair: tuple[str, str], known: Mapping[str, float]) -> bool:
        """Say whether `pair` are two words of 3 letters at least, each a corpus word, the
        vocabulary's or a stopword, not both stopwords ("the" + "tariff"; not "in" + "spur"
        of "inspur", a name)."""
        stopwords = CONTENT_STOPWORDS | INDEX_STOPWORDS
        if min(map(len, pair)) < _COMPOUND_PART_MIN or all(part in stopwords for part in pair):
            return False
        return all(
            part in stopwords or stem in known or self.protected(part)
            for part, stem in zip(pair, stem_words(list(pair)), strict=True)
        )

    def _suspect(self, word: str) -> bool:
        lower = word.lower()
        if not self.min_length <= len(word) <= _LONGEST_WORD or not word.isalpha():
            return False
        if lower in CONTENT_STOPWORDS or lower in INDEX_STOPWORDS:
            return False
        return word.islower() or word[1:].islower()

    def _short_slip(self, word: str) -> bool:
        """A short lower-case word that may be a slip on a stopword ("bein", "waht", "hte")."""
        lower = word.lower()
        return (
            _SHORT_SLIP_MIN <= len(word) < self.min_length
            and word.isalpha()
            and word.islower()
            and lower not in CONTENT_STOPWORDS
            and lower not in INDEX_STOPWORDS
        )

    def _stopword(self, word: str) -> str | None:
        """Return the stopword one slip (a letter left out, neighbours swapped) from a short
        word English uses far less ("is it still bein collected?"), or None: read as
        typed, "bein" was the question's rarest term, which no article holds."""
        typed = self.frequency(word)
        found = [
            w
            for w, slip in _edits(word).items()
            if slip
            and (w in CONTENT_STOPWORDS or w in INDEX_STOPWORDS)
            and self.frequency(w) >= max(self.real_word, typed + _STOPWORD_MARGIN)
        ]
        return max(found, key=lambda w: (self.frequency(w), w)) if found else None

    def _commonness(self, word: str) -> float:
        """How common a word is in English: a plural as common as its singular ("exclusions"
        is rarer in English than "exclusion", as plurals are, yet no rare word)."""
        common = self.frequency(word)
        if len(word) > self.min_length and word.endswith("s") and not word.endswith("ss"):
            common = max(common, self.frequency(word[:-1]))
        return common

    def _correct(self, word: str, name: bool = False) -> str | None:
        """Return the likeliest corpus word one edit from `word`, or None; a `name` (written
        capitalised) may become a rare word or name, a lower-case word only a common one."""
        typed = self.frequency(word)
        if typed >= self.real_word:
            return None
        # A word English has never seen ("anitdumping", "poatsh") is no word of its own: one
        # slip from a corpus word, it is that word however rare English finds it.
        unseen = typed <= 0.0
        edits = _edits(word)
        struck = _struck(word)
        if len(word) < self.long_word:  # only the common slips
            edits = {w: slip for w, slip in edits.items() if slip}
        candidates = sorted(edits)
        stems = stem_words(candidates)
        known = self.known_stems(set(stems))
        best: tuple[float, float, str] | None = None
        for candidate, stem in zip(candidates, stems, strict=True):
            slip = edits[candidate]
            common = self._commonness(candidate)
            vocabulary_slip = slip and candidate not in struck
            if stem in known or (vocabulary_slip and self.protected(candidate)):
                # The corpus's word, or one slip from a word the vocabulary reads for it
                # ("Bankgok" -> "Bangkok", "phrama" -> "pharma"; not "Airbis" -> "Airbus", a
                # letter replaced in a name no article writes, even by a key beside it).
                if name or (unseen and slip):
                    if common < self.known_name:
                        continue
                    # "Inspur" is not "Insur": a name becomes a word English hardly knows only
                    # when the articles write that word as a name ("Malasia" -> "Malaysia"),
                    # not when an index term merely shares its stem ("insurance").
                    if (
                        name
                        and common < self.real_word
                        and self.written_as is not None
                        and self.written_as(candidate) is None
                        and not self.protected(candidate)
                    ):
                        continue
                elif common < self.real_word or common < typed + self.margin:
                    continue
            elif not (unseen and slip and common >= self.everyday_word):
                # "kciked" is "kicked", though no article writes it: read as typed it was the
                # question's rarest term.
                continue
            score = common + (self.slip_bonus if slip else 0.0)
            key = (score, -known.get(stem, 0.0), candidate)
            if best is None or key[:2] > best[:2]:
                best = key
        return best[2] if best else None


# What an analyst adds around a question in chat that asks nothing of the articles: a greeting
# or an apology before it ("quick q:", "sorry if dumb q but"), thanks or the purpose after it
# ("thx", "(asking for a client)", "- need a cite"). Read as terms, "client" and "cite" were
# words no answering sentence holds.
_CHATTER_START = re.compile(
    r"^\W*(?:(?:hey|hi|hello|yo|gm|good\s+(?:morning|afternoon|evening))(?:\s+(?:all|team|folks|guys))?|quick\s+(?:q|question)"
    r"|(?:q|question)(?:\s*#?\d{1,2}(?!\d)(?=\s*[:.)\-\u2013\u2014]))?|sorry\s+if\s+(?:this\s+is\s+)?(?:a\s+)?(?:dumb|silly|stupid|basic)\s+"
    r"(?:q|question)(?:\s+but)?|(?:does\s+)?any\s*(?:one|body)\s+know|fwiw|iirc|afaik|imo|tbh|tl\s*;?\s*dr"
    r"|urgent|important|asap|high[-\s]priority"
    # the bot addressed by name: "tradebot, what ...", "hey bot:"
    r"|(?:(?:hey|hi|hello|ok|okay)\s+)?(?:trade\s?bot|bot)(?=\s*[,:!\-\u2013\u2014])"
    # A subject line's label: "re:", "RE:", "follow-up:".
    r"|(?:re|fwd?|follow[-\s]?up)(?=\s*:)"
    # A request wrapped around the question: "can you tell me", "could you check", "do you
    # know if", "I was wondering", "any idea", "pls confirm:".
    r"|(?:(?:can|could|would)\s+(?:you|u|some\s*one|any\s*one)\s+(?:please\s+|pls\s+|plz\s+)?"
    r"|(?:please|pls|plz)\s+)?(?:tell\s+me|remind\s+me|check|confirm|verify|clarify"
    r"|find\s+out|look\s+up|help\s+me\s+understand)"
    r"|(?:do|does)\s+(?:you|u)\s+know|(?:i\s+)?need\s+to\s+know"
    r"|(?:i\s*(?:'m|’m)\s+|i\s+(?:was|am)\s+|i\s+)?(?:wondering|curious)|i\s+wonder"
    r"|(?:any|no)\s+idea|just\s+(?:checking|confirming)"
    # A word that only carries the chat on: "ok so", "so", "also", "btw", "one more:" (not
    # "so far", which asks for the newest word; not "and", which continues a conversation).
    r"|(?:ok(?:ay)?|alright)(?:\s+so)?(?=[\s,:])|(?:right|well)(?:\s+so\b|(?=\s*,))"
    r"|so(?!\s+far\b)(?=[\s,:])|btw|fyi|also(?=\s*[,:]|\s+(?:what|which|who|when|where"
    r"|why|how|is|are|was|were|did|does|do|has|have|can|could|will|would)\b)"
    r"|one\s+more(?:\s+(?:q|question|thing))?(?=\s*:)|another\s+(?:one|q|question)(?=\s*:)"
    r"|trying\s+to\s+(?:figure\s+out|understand|find\s+out)"
    # What the asker wants done with it, or who asks: "Sanity check:", "ELI5:", "Correct me if
    # I'm wrong, but", "A client asks:", "My boss wants to know:", "is it possible to find out".
    r"|(?:quick\s+)?(?:sanity|fact|double)[-\s]?check(?=\s*[:,\-\u2013\u2014])|eli5"
    r"|correct\s+me\s+if\s+i\s*(?:'m|’m|am)\s+wrong(?:\s*,?\s*but)?"
    r"|(?:an?\s+|my\s+|our\s+|the\s+)?(?:client|customer|boss|editor|manager|team|desk|reader)s?"
    r"\s+(?:(?:is\s+|are\s+)?ask(?:s|ed|ing)|wants?\s+to\s+know|wanted\s+to\s+know)"
    r"(?=\s*[:,\-\u2013\u2014])"
    r"|is\s+it\s+possible\s+to\s+(?:find\s+out|check|confirm|tell\s+me|know)"
    # "do we know", "Does anyone here know", "Would you happen to know", "Kindly confirm",
    # "Can I ask:", "Quick one -", "Last one:", "Hoping you can help:", "Looking for an answer
    # on this:", "This might be a silly question, but".
    r"|(?:do|does)\s+(?:we|any\s*(?:one|body)|some\s*(?:one|body))(?:\s+here)?\s+know"
    r"|would\s+(?:you|u|any\s*one)\s+(?:happen\s+to\s+)?know"
    r"|kindly\s+(?:confirm|check|advise|clarify|verify)|(?:can|may|could)\s+i\s+ask(?:\s+you)?"
    r"(?=\s*[:,\-\u2013\u2014]|\s+(?:what|which|who|when|where|why|how|whether|if|is|are|was"
    r"|were|did|does|do|has|have)\b)"
    r"|(?:quick|last|final)\s+one(?=\s*[:,\-\u2013\u2014])|last\s+(?:q|question)(?=\s*:)"
    r"|hoping\s+(?:you|some\s*one|any\s*one)\s+can\s+help"
    r"|looking\s+for\s+(?:an?\s+)?(?:answer|info|information|help)(?:\s+on\s+(?:this|something))?"
    r"|(?:this\s+)?(?:might|may)\s+be\s+a\s+(?:silly|dumb|stupid|basic)\s+(?:q|question)"
    r"(?:\s*,?\s*but)?)"
    # ("Please confirm whether the terms bind" asks its question in the words after it.)
    r"(?:\s+(?:for\s+me|again))?(?!\s+(?:if|whether)\b)"
    r"\s*(?:[:,!\])\-\u2013\u2014]+\s*|\s(?=\w))",
    re.IGNORECASE,
)
_CHATTER_END = re.compile(
    r"(?:[\s,;\-\u2013\u2014(]+(?:(?:thx|thanks(?:\s+(?:all|in advance|so\s+much|a\s+lot))?"
    r"|thank\s+you|cheers)"
    # signed off with a name: "Thanks, Jane", "cheers - JM"
    r"(?:\s*[,\-\u2013\u2014~]?\s*[A-Za-z][\w.]*(?:\s+[A-Za-z]\.?)?(?=\W*$))?|ty|tia|pls|plz"
    # more sign-offs: "Many thanks.", "Thank you in advance.", "Regards, Tom", "Best, Tom"
    r"|many\s+thanks|thank\s+you\s+(?:in\s+advance|so\s+much|very\s+much)"
    r"|(?:thx|thanks|ty)\s+in\s+adv(?:ance)?|(?:much\s+)?obliged|fyi"
    # a mail's footer: "Sent from my iPhone"
    r"|sent\s+from\s+my\s+[\w-]+(?:\s+[\w-]+)?"
    r"|(?:(?:best|kind|warm)\s+)?regards(?:\s*,?\s*[A-Za-z][\w.]*)?(?=\W*$)"
    r"|best\s*,\s*[A-Za-z][\w.]*(?=\W*$)"
    # ... and when or whether it suits: "(when you get a chance)", "if you can", "please advise"
    r"|when\s+you\s+(?:get|have)\s+a\s+(?:chance|sec|second|minute|moment)|if\s+you\s+can"
    r"|if\s+possible|if\s+you\s+have\s+(?:a\s+)?(?:time|sec|second|minute|moment)"
    r"|(?:please|pls|plz)\s+advise"
    # a part of a thread, Slack's mark of an edit, a vote: "(1/2)", "(edited)", "+1"
    r"|(?<=\()\s*\d{1,2}\s*/\s*\d{1,2}\s*\)|(?<=\()edited\)|\+1"
    # when it is needed: "(need by EOD)", "by COB tomorrow", "EOD pls"
    r"|(?:(?:i\s+)?need(?:ed)?\s+(?:it\s+|this\s+|an?\s+answer\s+)?)?(?:by\s+)?(?:eod|cob|eow)"
    r"(?:\s+(?:today|tomorrow|friday))?|(?:i\s+)?need(?:ed)?\s+(?:it\s+|this\s+)?by\s+"
    r"(?:today|tomorrow|tonight|(?:the\s+)?end\s+of\s+(?:the\s+)?(?:day|week))"
    r"|please|asap|lmk|(?:i\s+)?need\s+(?:a|the)\s+(?:cite|citation|source|link)s?"
    # a sign-off or an aside that asks nothing: "appreciate it", "lol", "hmm", "idk", "no rush"
    r"|(?:(?:much|really)\s+)?appreciate(?:d|\s+it|\s+(?:the|your)\s+help)|lol|lmao|haha\w*"
    r"|hmm+|idk|no\s+rush|no\s+worries|just\s+(?:wondering|curious|checking|asking)"
    r"|asking\s+for\s+a\s+(?:client|friend|colleague)|for\s+(?:a|my|the)\s+(?:memo|client|deck"
    r"|brief(?:ing)?|boss)"
    # How the answer should come: "keep it short", "one line pls", "tl;dr", "source please",
    # "with sources", "pls cite".
    r"|keep\s+it\s+(?:short|brief|simple|tight|quick)|(?:short|brief|quick)\s+answer"
    r"(?:\s+(?:is\s+fine|is\s+ok|please|pls|plz))?|(?:in\s+)?(?:one|a|1)[-\s]+(?:line|sentence)"
    r"(?:\s+answer)?(?:\s+(?:is\s+fine|please|pls|plz))?|one[-\s]?liner|tl\s*;?\s*dr"
    r"|(?:sources?|citations?|cites?|links?|refs?)\s+(?:please|pls|plz)"
    r"|(?:with|w/|incl(?:ude)?|cite|and)\s+(?:a\s+|the\s+|your\s+)?(?:sources?|citations?"
    r"|cites?|links?|refs?)|(?:please|pls|plz)\s+cite(?:\s+(?:it|them))?"
    r"|cite\s+(?:your|the|a)\s+sources?)\W*)+$",
    re.IGNORECASE,
)

# A tag asking the reader to confirm ("..., right?", ", correct?", " - yes?", "... or not?"):
# the question before it asks the same, and "right" or "correct" were terms no sentence holds.
_TAG_END = re.compile(
    r"(?:\s*,\s*|\s+[-\u2013\u2014]\s+)(?:right|correct|yes|yeah|no|true|isn['’]?t\s+it"
    r"|am\s+i\s+right|or\s+am\s+i\s+(?:misremembering|wrong|mistaken|confused|misreading)"
    r"|i\s+think|i\s+believe)\s*\?*\s*$|\s*,?\s+or\s+not\s*\?*\s*$"
    # ... or the answer's form, asked after the question: "? Yes or no?", ". y/n?"
    r"|\s*[?.!]\s*(?:yes\s+or\s+no|y\s*/\s*n)\s*\?*\s*$"
    # ... or an aside after its mark that asks the reader, not the articles: "? Thoughts?",
    # "? Any idea?", ". Let me know." (not "what are USTR's thoughts?": no mark before it).
    r"|\s*[?.!]\s*(?:(?:any\s+)?(?:thoughts|ideas?)|let\s+me\s+know|if\s+you\s+know"
    r"|anyone|not\s+sure|i\s+(?:think|believe))\s*[?.!]*\s*$",
    re.IGNORECASE,
)

# A sentence or clause before the question that only greets, apologises or says where the
# asker is ("Morning all.", "Sorry to bug you again.", "Following up on yesterday's
# thread."): made of these words and stopwords alone, it asks nothing of the articles. A
# clause naming anything else ("Following up on the Vietnam deal.") is kept, and so is one
# saying when ("Yesterday,", "Still,").
_CHAT_WORDS = frozenset(
    re.findall(
        r"[\w’']+",
        "one ones desk team teams folks everyone everybody guys all morning afternoon evening "
        "sorry apologies bug bother again another next question questions follow following "
        "followup yesterday's yesterday’s thread channel chat convo conversation discussion "
        "hope right place ask asking asked thanks thank cheers sure dumb silly basic random "
        "quick real thing things couple help hello hey hi yo ok okay so well hmm um also btw "
        "fyi good great happy trying understand curious wondering anyone anybody someone "
        "somebody q qs bit back gm need needed something group room "
        # ... or says what the asker is doing it for ("Working on a client memo.", "Prepping
        # a briefing for my boss.", "For a note I'm drafting:").
        "working work writing write drafting draft prepping prep preparing prepare putting "
        "pulling together doing client clients customer customers memo memos note notes brief "
        "briefs briefing briefings deck slides boss manager call meeting tomorrow's "
        "tomorrow’s research newsletter piece i i'm i’m im i've i’ve we we're we’re my our "
        # ... or asks for the answer's form ("Keep it short.", "Give me a one-line answer:").
        "keep short shorter brief briefly simple tight answer reply version line liner sentence "
        "tl dr tldr source sources cite citation citations link links please pls plz give "
        # ... or asks for a check, or says what set the asker asking ("Can you double-check
        # something for me?", "Saw a headline about this.")
        "double check checking sanity saw seen headline headlines",
    )
)
_LEAD_CLAUSE = re.compile(r"^\s*([^.!?:,;]+?)\s*(?:[.!?:;]+|,)\s+(?=\S)")
# ... or set off by a dash, of two words or more ("Sorry to bother - what rate?"; a lone
# "memo -- what new agency?" names the document asked about).
_LEAD_DASHED = re.compile(
    r"^\s*([^\s.!?:,;\u2013\u2014]+(?:\s+[^\s.!?:,;\u2013\u2014-]+)+?)\s*(?:\s-+|[\u2013\u2014]+)\s+(?=\S)"
)
_CHAT_WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?|\S")
_LEAD_CLAUSES_MAX = 3

# Emoji: pictographs (with their joiners and variation selectors) and Slack's shortcodes
# (":thinking_face:", ":+1:"), whose words ("thinking", "face") no article is asked for.
_EMOJI = re.compile(
    r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]+"
    r"|(?<![\w:]):(?=[a-z0-9_+-]*[a-z])[a-z0-9_+-]+:(?![\w:])",
    re.IGNORECASE,
)
# "@tradebot what's ...", "cc @jane": a name to notify, not one to search for (not an address,
# nor "@25%"). Chat markup around words ("`TRQ`", "*IEEPA*", "_in force_", "~old~"): emphasis.
_HANDLE = re.compile(r"(?<![\w@])(?:cc:?\s*)?@[A-Za-z][\w.-]*", re.IGNORECASE)
_MARKUP = re.compile(r"[`*~]+|(?<!\w)_+(?=\w)|(?<=\w)_+(?!\w)")
# A link pasted with the question, bare or as Slack sends it ("<https://...|the fact sheet>"),
# with the words that point at it ("saw this:", "source:"): its words name no article's
# terms (Slack's label is kept, the words its reader saw). A tag's "#" ("#tariffs") marks a
# word; a question typed inside quotes or brackets asks what it asks without them.
_LINK = re.compile(
    r"(?:\b(?:(?:i\s+)?saw\s+(?:this|it)(?:\s+here)?|link|source|see|via|here|ref)\s*:?\s*)?"
    r"(?:<(?:https?://|mailto:|www\.)[^>|\s]*(?:\|(?P<label>[^>]*))?>"
    r"|\b(?:https?://|www\.)[^\s<>()\[\]{}\"']*[^\s<>()\[\]{}\"'.,;:!?])",
    re.IGNORECASE,
)
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")
_LEFT_MARKS = re.compile(r"[\s,;:\u2014-]+([.?!]*)\s*$")
_HASHTAG = re.compile(r"(?<![\w&#])#(?=[A-Za-z])")
_WRAPPED = re.compile(r"\s*([\"'(\[])(.+)([\"')\]])\s*", re.DOTALL)
_CLOSING = {'"': '"', "'": "'", "(": ")", "[": "]"}
_STRAY_QUOTE = re.compile(r"(?<![A-Za-z])'|'(?![A-Za-z])")
# A question pasted from a list or quoted in Slack: "1) ...", "(b) ...", "- ...", "> ...".
_LIST_MARK = re.compile(
    r"^\s*(?:(?:>|&gt;)+\s*|[-\u2022\u00b7\u25aa]\s+|\(?(?:\d{1,2}|[a-h])[.)]\s+"
    # ... or numbered as in a thread: "#1 ...", "1/ ..." (not a day, "4/2 ...")
    r"|#\d{1,2}[.):]?\s+|\d{1,2}/\s+)"
)
# "amendment,what", "Feb 5,2025": a comma typed without its space (not "12,000").
# "...the secondary tariff...?", "still on…": a trailing ellipsis is a pause, not a word.
_TRAILING_ELLIPSIS = re.compile(r"\s*(?:\.{2,}|\u2026)+(?=\s*[?!]*\s*$)")
# "...surcharge??", "still on?!", "really? ?": one question mark asks as well.
_MARKS_END = re.compile(r"(?:\s*[?!])*\s*\?(?:\s*[?!])*\s*$")
_JOINED_COMMA = re.compile(r"(?<=[A-Za-z\d]),(?=[A-Za-z]|(?:19|20)\d\d\b)")
# "America First Trade Policy memo -- what new agency ...?": two hyphens typed for a dash.
_DOUBLE_HYPHEN = re.compile(r"(?<=\S)\s*-{2,}\s*(?=\S)")
_SPACES = re.compile(r"\s{2,}")
# A question pasted from a web page or a document: no-break and thin spaces, line breaks and
# tabs are spaces; zero-width characters and soft hyphens are nothing ("de\u00a0minimis",
# "Fed\u00aderal"); full-width letters and figures are the plain ones (Unicode's NFKC).
_ANY_SPACE = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200d\u2060\ufeff]")
# A phone's or a word processor's curly quotes and apostrophes ("Trump’s", "“aligned
# partners”") read as the straight ones most questions are typed with.
_CURLY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})

# Why or for whom the asker asks, set off after the question by a mark ("? - need it for a memo
# today", " (for the weekly note)", ", boss is asking", ". sorry, couldn't find it"): to the
# end, unless a question mark closes it. Read as terms, "memo" and "slide" were words the
# answering sentence lacks.
_PURPOSE_END = re.compile(
    r"(?:(?<=[?.!])\s*|\s*[,;(]\s*|\s+[-\u2013\u2014]+\s+|\s*[\u2013\u2014]\s*)"
    r"(?:context\s*[:\-]\s*)?"  # "? Context: for a client memo."
    r"(?:(?:i\s+)?(?:need|needed|want|wanted)\s+(?:it|this|that)\b"
    r"|(?:i\s+)?(?:need|want)\s+to\s+(?:make\s+sure|double[-\s]?check|be\s+sure)\b"
    r"|(?:just\s+)?(?:want(?:ed)?\s+to\s+)?double[-\s]?check(?:ing)?\b"
    r"|(?:i\s*['’]?m\s+|i\s+am\s+)?(?:trying\s+to\s+(?:update|finish|write|fill\s+in|put\s+together)"
    r"|working\s+on|prepping(?:\s+for)?|writing|putting\s+together|updating)"
    r"\s+(?:a|an|the|my|our|this|some)\b"
    r"|for\s+(?:a|an|the|my|our|this|today['’]?s|tomorrow['’]?s)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:memo|notes?|deck|slides?|call|meeting|brief|briefing|client|boss|report|newsletter"
    r"|story|piece|presentation|email|update|doc|write-?up)\b"
    r"|(?:my\s+|the\s+|our\s+)?(?:boss|client|team|editor|manager|desk|chief|lead)\s+"
    r"(?:(?:is\s+|was\s+)?asking|wants?\s+to\s+know|needs\s+(?:it|this))\b"
    r"|(?:i\s+)?(?:need|have)\s+to\s+(?:send|file|share|get)\s+(?:it|this|that)\b"
    r"|asking\s+for\s+(?:a|an|the|my|our)\b|urgent\b|(?:pretty\s+)?time[-\s]sensitive\b"
    r"|sorry\b|(?:i\s+)?(?:couldn['’]?t|could\s+not|can['’]?t|cannot)\s+find\b"
    # "? P.S. thanks for the last answer": a postscript after the question
    r"|(?<=[?.!]\s)p\.?\s?s\.?(?=[\s:,-]))"
    r"[^?]*$",
    re.IGNORECASE,
)

# What the asker is writing, said before the matter it is about ("putting together a comment
# for a client on the copper 232 - which part of Commerce ...?", "Working on a memo about the
# Vietnam deal: ..."): the matter and the question stay; "comment" and "client" were terms
# no answering sentence holds.
_WORK = (
    r"(?:comments?|memos?|notes?|brief(?:ing)?s?|decks?|slides?|pieces?|stor(?:y|ies)|reports?"
    r"|newsletters?|emails?|updates?|docs?|write-?ups?|analys[ie]s|summar(?:y|ies)"
    r"|presentations?|posts?|explainers?|primers?|timelines?|submissions?)"
)
_PURPOSE_START = re.compile(
    r"^\W*(?:i\s*['’]?m\s+|i\s+am\s+|we\s*['’]?re\s+|we\s+are\s+)?(?:putting\s+together"
    r"|working\s+on|writing|drafting|prepping|preparing|doing|updating|finishing)\s+"
    r"(?:a|an|the|my|our|some|this)\s+(?:[\w-]+\s+){0,2}?" + _WORK + r"\s+"
    r"(?:for\s+(?:a|an|the|my|our)\s+(?:[\w-]+\s+){0,2}?)?(?:on|about|re|regarding)\s+(?=\S)",
    re.IGNORECASE,
)

# Chat shorthand for everyday words, read as the words: "say anything abt Macau?" asks what
# "say anything about Macau?" asks, "sit down w/ Xi" is "sit down with Xi", and "the final
# agmt" names no business called "Agmt". Lower case only ("UR" may be a name).
_SHORTHAND_WORDS = {
    "abt": "about",
    "btwn": "between",
    "thru": "through",
    "ppl": "people",
    "cuz": "because",
    "coz": "because",
    "tho": "though",
    "smth": "something",
    "wrt": "with respect to",
    "agmt": "agreement",
    "agmts": "agreements",
    "agrmt": "agreement",
    "gov't": "government",
    "int'l": "international",
    "nat'l": "national",
    "natl": "national",
    "approx": "approximately",
    "econ": "economic",
    "info": "information",
    "mkt": "market",
    "mkts": "markets",
    "mfr": "manufacturer",
    "mfrs": "manufacturers",
    "prod": "product",
    "prods": "products",
    "secy": "secretary",
    # "the exec order number", "auto execs".
    "exec": "executive",
    "execs": "executives",
    # Units of time: "last yr", "2 yrs ago", "the 3-yr term", "last qtr".
    "yr": "year",
    "yrs": "years",
    "wk": "week",
    "wks": "weeks",
    "qtr": "quarter",
    "qtrs": "quarters",
    "mos": "months",
}
_SHORTHAND_WORD = re.compile(
    r"(?<![\w'’])(" + "|".join(re.escape(w) for w in _SHORTHAND_WORDS) + r")(?![\w'’])"
)
# "the Int'l Trade Commission", "Gov't of Canada": a clipped word capitalised in a name is
# the word (an apostrophe inside it makes it no acronym); "Int'l" was read as a name no
# article writes, and refused.
_SHORTHAND_TITLED = re.compile(r"(?<![\w'’])(Gov|Int|Nat)['’](t|l)(?![\w'’])")
_TITLED_WORDS = {"Gov't": "Government", "Int'l": "International", "Nat'l": "National"}
# "w/ Xi", "w/o a license", "b/c of the ruling", "b/w April and May"; "w/Xi" too.
_SHORTHAND_SLASHED = re.compile(r"(?<![\w/])(w/o|b/c|b/w|w/)(?![\d/])\s*", re.IGNORECASE)
_SLASHED_WORDS = {"w/o": "without", "b/c": "because", "b/w": "between", "w/": "with"}
# "did the order say anything re: Macau?", "what did USTR say re the exclusions": about (after
# a word; a subject line's "RE:" before the question is chat, `without_chatter`).
_RE_ABOUT = re.compile(r"(?<=\w)\s+re:?\s+(?=[\w\"'(])")
# "the USA", "U.S.A.": the country the articles write "U.S." (and questions "US"); as a name
# no article writes, "USA" cost the answer its best sentence.
_USA = re.compile(r"(?<![\w.])(?:USA|U\.S\.A\.?)(?![\w])")


def spelled_out_shorthand(question: str) -> str:
    """Return `question` with chat shorthand for everyday words written out ("abt" ->
    "about", "re:" -> "about", "w/" -> "with", "w/o" -> "without", "b/c" -> "because", "b/w" ->
    "between", "agmt" -> "agreement", "USA" -> "US"):
    what a question asks is read from its words ("say anything about X"), and a shorthand
    no article writes was a rare term, or, typed without capitals, a name no article writes."""

    def slashed(match: re.Match[str]) -> str:
        rest = match.string[match.end() : match.end() + 1]
        return _SLASHED_WORDS[match.group(1).lower()] + (" " if rest.isalnum() else "")

    text = _USA.sub("US", _SHORTHAND_SLASHED.sub(slashed, _RE_ABOUT.sub(" about ", question)))
    text = _SHORTHAND_TITLED.sub(
        lambda m: _TITLED_WORDS.get(f"{m.group(1)}'{m.group(2)}", m.group(0)), text
    )
    return _SHORTHAND_WORD.sub(lambda m: _SHORTHAND_WORDS[m.group(1)], text)


# The small words inside a name of several words: "Board of Trade", "Ways and Means".
_NAME_JOINERS = frozenset({"of", "and", "&"})


# A signature after the question's mark, set off by a dash: "? -- Jane Doe Trade Desk" (a mail's
# footer joined into one line), "? --Jane": capitalised words alone to the end.
_SIGNATURE = re.compile(
    r"(?<=[?.!])\s*(?:-{1,2}|[\u2013\u2014])\s*[A-Z][\w.'’-]*(?:,?\s+[A-Z][\w.'’-]*){0,5}\s*$"
)


def without_chatter(question: str) -> str:
    """Return `question` without the greeting before it and the thanks or purpose after it
    ("quick q: ...", "... (asking for a client)", "... - need a cite"), and without emoji,
    as pictures or as Slack writes them (":pray:"), "@handles", chat markup ("`TRQ`",
    "*IEEPA*") and the mark of a list or a quote ("1) ", "> "), with a comma typed without
    its space spaced ("Feb 5,2025"), two hyphens read as the dash they stand for and one
    question mark for several ("??", "?!"), and spaces pasted from a page read as typed ones;
    the question itself when nothing would be left."""
    question = _ANY_SPACE.sub(" ", unicodedata.normalize("NFKC", _INVISIBLE.sub("", question)))
    typed = question.translate(_CURLY)
    unlinked = _LINK.sub(lambda match: match.group("label") or " ", typed)
    if unlinked != typed:  # "what rate, see <link>.": no mark is left at the end for it
        unlinked = _LEFT_MARKS.sub(r"\1", _EMPTY_BRACKETS.sub(" ", unlinked))
    unlinked = _HASHTAG.sub("", unlinked)
    unmarked = _MARKUP.sub("", _HANDLE.sub(" ", _EMOJI.sub(" ", unlinked)))
    unmarked = _JOINED_COMMA.sub(", ", _unwrapped(_LIST_MARK.sub("", unmarked)))
    unmarked = _DOUBLE_HYPHEN.sub(" \u2014 ", _SIGNATURE.sub("", unmarked))
    unmarked = _MARKS_END.sub("?", _TRAILING_ELLIPSIS.sub("", unmarked))
    plain = _without_lead_chat(_SPACES.sub(" ", unmarked).strip())
    text = plain
    for _ in range(2):  # "hi tradebot - ...": a greeting, then a name
        start = _CHATTER_START.match(text)
        text = text[start.end() :] if start else text
    start = _PURPOSE_START.match(text)
    text = text[start.end() :] if start and len(text[start.end() :].split()) >= 2 else text
    purpose = _PURPOSE_END.search(text)
    if purpose:
        text = text[: purpose.start()]
    end = _CHATTER_END.search(text)
    if end:
        kept = text[: end.start()]
        text = kept + "?" if question.rstrip().endswith("?") and not kept.endswith("?") else kept
    text = _TAG_END.sub(lambda match: "?" if "?" in match.group() else "", text)
    return text.strip() if len(text.split()) >= 2 else question


def _unwrapped(text: str) -> str:
    """Return `text` without the quotes or brackets around all of it."""
    wrapped = _WRAPPED.fullmatch(text)
    if wrapped is None or _CLOSING[wrapped.group(1)] != wrapped.group(3):
        return text
    opening, inner = wrapped.group(1), wrapped.group(2)
    if opening in "([":
        depth = 0
        for char in inner:
            depth += (char == opening) - (char == _CLOSING[opening])
            if depth < 0:  # "(cells) and (modules)": two brackets, not one around all
                return text
        return inner if depth == 0 else text
    if opening == "'":
        return text if _STRAY_QUOTE.search(inner) else inner
    return text if opening in inner else inner


def _without_lead_chat(text: str) -> str:
    """Return `text` without the clauses before its question that are only chat."""
    for _ in range(_LEAD_CLAUSES_MAX):
        leads = (pattern.match(text) for pattern in (_LEAD_CLAUSE, _LEAD_DASHED))
        chat = [lead for lead in leads if lead is not None and _only_chat(lead.group(1))]
        if not chat:
            break
        text = text[min(lead.end() for lead in chat) :]
    return text


def _only_chat(clause: str) -> bool:
    """Say whether `clause` is made of chat words and stopwords alone, a chat word among
    them."""
    # "yesterday's thread" is chat; "yesterday" alone says when. A name ("the US", "Japan")
    # is no chat word, though its lower case may be a stopword.
    typed = _CHAT_WORD.findall(clause)
    # "under it," before a follow-up's question points back at the conversation: a clause of
    # stopwords alone is no chat.
    return any(word.lower() in _CHAT_WORDS for word in typed) and all(
        word.lower() in _CHAT_WORDS
        or (
            (index == 0 or word.islower() or word in "'’-")
            and not (len(word) > 1 and word.isupper())
            and (_POSSESSIVE.sub("", word.lower()) in CONTENT_STOPWORDS or word in "'’-")
        )
        for index, word in enumerate(typed)
    )


# A question ending on a word, a figure or a closing bracket or quote: chat drops the mark.
_UNMARKED_END = re.compile(r"[\w)\]\"'’”%]\s*$")


def as_asked(question: str) -> str:
    """Return `question` with the question mark chat leaves off ("which minerals will be added
    to the next usgs list", "... - need a cite"): what asks, and what kind of answer it asks
    for, is read from the sentence that ends with one. A question ending in a full stop (a
    request: "Please confirm whether ...") or any other mark is left as typed."""
    return question.rstrip() + "?" if _UNMARKED_END.search(question) else question


# "and", "but", "plus" opening a question continue a conversation ("and for Mexico?").
_CONTINUING = re.compile(r"^\s*(?:and|but|plus)\b[\s,]*(?=\w)", re.IGNORECASE)


def unconnected(question: str) -> str:
    """Return `question` without the "and" or "but" that opens it, for a question that starts a
    conversation: it continues nothing, and its words ask what they ask without it (with it,
    the question's vector drifted from the sentences that answer it)."""
    rest = _CONTINUING.sub("", question)
    return rest if len(rest.split()) >= 2 else question


def spell_out_amounts(question: str) -> Reading:
    """Return `question` with desk shorthand for amounts spelled out ("550bn" -> "550 billion")."""
    fixes: list[tuple[str, str]] = []

    def spelled(match: re.Match[str]) -> str:
        unit = match.group("unit").lower()
        if unit == "k" and (match.group("cur") or match.group("unit") == "k"):
            # "the 100k quota": documents write a count of thousands in figures, "100,000".
            read = _thousands(match.group("num"))
            if read is None:
                return match.group(0)
            read = f"{match.group('cur') or ''}{read}"
            fixes.append((match.group(0), read))
            return read
        if unit in _NEEDS_CURRENCY and not match.group("cur"):
            return match.group(0)
        read = f"{match.group('cur') or ''}{match.group('num')} {_UNITS[unit]}"
        fixes.append((match.group(0), read))
        return read

    def signed(match: re.Match[str]) -> str:
        code = (match.group("code") or match.group("code2")).lower()
        number = match.group("num") or match.group("num2")
        unit = match.group("unit") or match.group("unit2") or ""
        if match.group("code2") and not unit and _YEAR.fullmatch(number):
            return match.group(0)  # "the 2025 USD figure": a year
        read = _AMOUNT.sub(quietly, f"{_CODES[code]}{number}{unit}")
        fixes.append((match.group(0), read))
        return read

    def quietly(match: re.Match[str]) -> str:
        before = len(fixes)
        read = spelled(match)
        del fixes[before:]
        return read

    def in_figures(match: re.Match[str]) -> str:
        read = _figures(match.group("words"))
        if read is None:
            return match.group(0)
        fixes.append((match.group(0), read))
        return read

    text = _WORDED_NUMBER.sub(in_figures, question)
    text = _AMOUNT.sub(spelled, _CODED_AMOUNT.sub(signed, text))
    return Reading(text, tuple(fixes))


def _figures(words: str) -> str | None:
    """Return the number `words` write in figures ("twenty-five" -> "25"), or None when
    documents write it in words as often ("zero", "one") or it is no number."""
    try:
        value = text2num(words.lower(), "en")
    except ValueError:  # "twenty hundred five": no number
        return None
    return str(value) if value > 1 else None


def _thousands(number: str) -> str | None:
    """Return `number` thousands as documents write the count ("100" -> "100,000", "1.5" ->
    "1,500"), or None when it is no whole number of units ("1.2345")."""
    value = float(number.replace(",", "")) * 1000
    return f"{int(value):,}" if value.is_integer() else None


def _edits(word: str) -> dict[str, bool]:
    """Words one edit from `word`, each marked True when the edit is a common slip (a letter
    left out, a key struck twice or its neighbour struck, two neighbours swapped, a doubled
    letter moved), False otherwise."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    extra = {a + b[1:] for a, b in splits if b}
    replaced = {a + c + b[1:] for a, b in splits if b for c in _LETTERS if c != b[0]}
    left_out = {a + c + b for a, b in splits for c in _LETTERS}
    swapped = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    moved: set[str] = set()
    for i in range(len(word) - 1):
        if word[i] == word[i + 1]:  # "tarrif": undo the doubling, double another letter
            single = word[:i] + word[i + 1 :]
            # "fentaanyl": a key struck twice, undone.
            moved |= {single} | {
                single[: j + 1] + single[j] + single[j + 1 :] for j in range(len(single))
            }
    slips = left_out | swapped | moved | _struck(word)
    out = {w: False for w in extra | replaced} | {w: True for w in slips}
    out.pop(word, None)
    return {w: slip for w, slip in out.items() if len(w) > 2}


def _struck(word: str) -> set[str]:
    """Words one key's neighbour from `word`: a letter replaced by one beside it ("fentsnyl")."""
    return {
        word[:i] + c + word[i + 1 :]
        for i in range(len(word))
        for c in _KEY_NEIGHBOURS.get(word[i], ())
    }
