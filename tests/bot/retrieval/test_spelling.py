"""The query-side speller: which words it corrects, into what, and which it leaves alone."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pytest

from bot.retrieval.spelling import (
    Speller,
    as_asked,
    spelled_out_shorthand,
    unconnected,
    without_chatter,
)
from bot.terms import stem_words

# The stems of a small trade corpus, with IDFs (lower: more passages hold it).
CORPUS_WORDS = {
    "tariff": 1.0,
    "investigation": 2.0,
    "deadline": 3.0,
    "dealing": 1.5,
    "aluminum": 2.0,
    "export": 1.2,
    "quota": 2.5,
    "staff": 3.0,
    "rear": 4.0,
    "semiconductors": 2.0,
    "liechtenstein": 6.0,
    "malaysia": 4.0,
    "pakistan": 4.0,
    "exclusions": 3.0,
    "antidumping": 4.7,
    "potash": 5.5,
    "polysilicon": 4.3,
    "commerce": 2.0,
    "bis": 4.0,
    "mou": 5.0,
    "still": 0.8,
    "actually": 3.0,
}
CORPUS = {stem: idf for (stem,), idf in ((stem_words([w]), i) for w, i in CORPUS_WORDS.items())}
CORPUS |= {"sec232": 3.0, "sec301": 3.0}  # identifier terms: the corpus has these sections
CORPUS |= {"h200": 5.0, "737s": 5.0}  # a chip the corpus names, a plural it writes


def known(stems: Iterable[str]) -> Mapping[str, float]:
    return {s: CORPUS[s] for s in stems if s in CORPUS}


# Words the trade vocabulary reads for others, which no article need write.
VOCABULARY = frozenset(
    {"pharma", "bangkok", "brussels", "taiwanese", "britain", "philippines", "america"}
)


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller(known, protected=lambda word: word.lower() in VOCABULARY)


def test_a_name_is_not_read_as_a_rare_word_sharing_an_index_terms_stem() -> None:
    # "insurance" gives the index term "insur"; "Insur" is one slip from "Inspur", a company
    # no article names, but no word the articles write: the question keeps its name (and is
    # refused for it), while "Malasia" is still the corpus's "Malaysia".
    corpus = {**CORPUS, "insur": 3.0}
    speller = Speller(
        lambda stems: {s: corpus[s] for s in stems if s in corpus},
        written_as={"malaysia": "Malaysia", "bis": "BIS"}.get,
    )

    assert speller.read("Did BIS list Inspur?").text == "Did BIS list Inspur?"
    assert "Malaysia" in speller.read("chip exports from Malasia?").text


@pytest.mark.parametrize(
    "question",
    [
        "what about the stuff travelers bring back",  # a real word the corpus lacks ("staff")
        "Did Temu move its warehouses?",  # a name: unknown names must stay unknown
        "Did Hanwha buy the shipyard?",  # a name with no corpus word one slip away
        "Pakistani textile quotas",  # a real English word, not a slip for "Pakistan"
        "Did TSMC get a licence?",  # an acronym in capitals
        "pharma tariffs",  # the vocabulary knows it
        "tariffs on aluminum exports",  # the corpus knows every word
        "qota rules",  # too short to judge
        "rebar imports",  # short and rare: "rear" is one added letter away, not a slip
    ],
)
def test_names_real_words_and_known_words_are_left_as_typed(
    speller: Speller, question: str
) -> None:
    reading = speller.read(question)

    assert reading.text == question
    assert reading.fixes == () and reading.notice is None


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        # Rare in English, but the corpus's name: a capitalised word may become one.
        ("how much are Swiss and Lichtenstein firms investing", "Liechtenstein"),
        ("chip exports from Malasia?", "Malaysia"),
    ],
)
def test_a_mistyped_name_is_read_as_the_corpus_name(
    speller: Speller, typed: str, read: str
) -> None:
    reading = speller.read(typed)

    assert read in reading.text
    assert reading.fixes and reading.fixes[0][1] == read


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        # no English word: one slip from a corpus word English finds rare
        ("us anitdumping duties on OCTG", "us antidumping duties on OCTG"),
        ("did canadian poatsh pay 25%?", "did canadian potash pay 25%?"),
        ("when did the poylsilicon 232 start?", "when did the polysilicon 232 start?"),
        # a key struck twice, or its neighbour struck in its place
        ("did canadian potassh pay 25%?", "did canadian potash pay 25%?"),
        ("when did the polysiilicon 232 start?", "when did the polysilicon 232 start?"),
        ("did canadian potaah pay 25%?", "did canadian potash pay 25%?"),
        ("us antidimping duties on OCTG", "us antidumping duties on OCTG"),
        # one slip from a word the vocabulary reads, though no article writes it
        ("scope of the phrama 232", "scope of the pharma 232"),
        ("did Bankgok promise anything?", "did Bangkok promise anything?"),
        ("how are Taiwaense goods rated?", "how are Taiwanese goods rated?"),
        # one slip from an everyday English word no article writes: read as typed, it was
        # the question's rarest term
        ("why was India kciked out of GSP?", "why was India kicked out of GSP?"),
        # a possessive keeps its ending
        ("Commecre's request for comments", "Commerce's request for comments"),
        # a rare real word stays as typed: English knows it
        ("how long was the stopgap extension?", "how long was the stopgap extension?"),
    ],
)
def test_slips_in_words_english_does_not_know_are_read_as_meant(
    speller: Speller, typed: str, read: str
) -> None:
    assert speller.read(typed).text == read


# Index terms the articles write side by side.
PHRASES = {
    tuple(stem_words(phrase.split())) for phrase in ("de minimis", "fact sheet", "steel tariff")
}


@pytest.mark.parametrize(
    ("typed", "read", "notice"),
    [
        ("is deminimis back?", "is de minimis back?", "Read “deminimis” as “de minimis”."),
        ("the Feb 2025 factsheet", "the Feb 2025 fact sheet", "Read “factsheet” as “fact sheet”."),
        # the first word's capital kept
        ("Steeltariff rates", "Steel tariff rates", "Read “Steeltariff” as “Steel tariff”."),
        # words the articles write, though not side by side, or the vocabulary reads, typed
        # in lower case among capitals
        (
            "potashtariff rates, US",
            "potash tariff rates, US",
            "Read “potashtariff” as “potash tariff”.",
        ),
        (
            "the EU pharmaexport data",
            "the EU pharma export data",
            "Read “pharmaexport” as “pharma export”.",
        ),
        (
            "is thetariff quota full, US?",
            "is the tariff quota full, US?",
            "Read “thetariff” as “the tariff”.",
        ),
        # typed without capitals, or capitalised, it may be a name no article writes
        ("potashtariff rates", "potashtariff rates", None),
        ("the Potashtariff rates", "the Potashtariff rates", None),
        ("did US inspur buy potash", "did US inspur buy potash", None),  # "in" is too short
        ("US potashmakers", "US potashmakers", None),  # a closed compound
        ("the stopgapquota", "the stopgapquota", None),  # "stopgap" is no corpus word
        ("the stopgap extension", "the stopgap extension", None),  # no phrase of the articles
        ("Did Hanwha buy the shipyard?", "Did Hanwha buy the shipyard?", None),
    ],
)
def test_two_words_typed_run_together_are_read_as_the_articles_write_them(
    typed: str, read: str, notice: str | None
) -> None:
    speller = Speller(
        known,
        protected=lambda word: word.lower() in VOCABULARY,
        writes=lambda phrase: tuple(phrase) in PHRASES,
    )

    reading = speller.read(typed)

    assert (reading.text, reading.notice) == (read, notice)


def test_a_word_with_no_likely_neighbour_is_left_alone(speller: Speller) -> None:
    assert speller.read("what about semicndctrs").text == "what about semicndctrs"


def test_every_correction_is_listed_in_the_notice(speller: Speller) -> None:
    reading = speller.read("tarrif and quotta on alumnium")

    assert reading.text == "tariff and quota on aluminum"
    assert (
        reading.notice
        == "Read “tarrif” as “tariff”, “quotta” as “quota”, “alumnium” as “aluminum”."
    )


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        # a rare word one slip from a corpus word
        ("which drones get the 100% tarrif?", "which drones get the 100% tariff?"),
        ("did commerce open a 232 investigaton", "did commerce open a 232 investigation"),
        ("extended comment dealine?", "extended comment deadline?"),  # not "dealing"
        ("new alumnium rates", "new aluminum rates"),
        ("Exprot controls on chips", "Export controls on chips"),  # first word, capital kept
        ("How big is the Tarif quota?", "How big is the Tariff quota?"),
        # a plural as common as its singular ("exclusions" is below the bar in English)
        ("can importers still file exlcusions?", "can importers still file exclusions?"),
        # a short slip on a word too common to be a term: read as typed, "bein" was the
        # question's rarest term, which no article holds
        ("is the tariff still bein collected?", "is the tariff still being collected?"),
        ("waht is teh quota?", "what is the quota?"),
        ("tariffs fro aluminum", "tariffs for aluminum"),
        ("aluminum rod and bar quota", "aluminum rod and bar quota"),  # real words
        # desk shorthand for amounts
        ("japan 550bn investment", "japan 550 billion investment"),
        ("a $2.5b fund", "a $2.5 billion fund"),
        # An amount written with its currency's code, as documents write it: with the sign.
        ("what do parcels under USD 800 owe?", "what do parcels under $800 owe?"),
        ("the framework had ~3.2bn USD", "the framework had ~$3.2 billion"),
        ("a US$3.2 bn deal", "a $3.2 billion deal"),
        ("the EUR 93 billion list", "the €93 billion list"),
        ("the 2025 USD figures", "the 2025 USD figures"),  # a year
        ("1.2tn deficit and 300mn in aid", "1.2 trillion deficit and 300 million in aid"),
        ("the 50pc tariff", "the 50 percent tariff"),
        # a rate or a span in words, written in figures as documents write them
        ("did UK steel pay the fifty percent?", "did UK steel pay the 50 percent?"),
        ("the twenty-five per cent rate", "the 25 per cent rate"),
        ("one hundred and fifty percent", "150 percent"),
        ("a ten% surcharge", "a 10% surcharge"),
        ("up twenty percentage points", "up 20 percentage points"),
        ("a ninety-day pause", "a 90-day pause"),
        ("for five years", "for five years"),  # documents write years in words as often
        ("zero percent in one day", "zero percent in one day"),  # and these
        ("the phase one deal", "the phase one deal"),  # no rate nor span
        ("H-1B visas", "H-1B visas"),  # a bare "b" or "m" is an amount only after a currency sign
        ("5m tons of steel", "5m tons of steel"),
        # a count of thousands, written in figures as documents write it
        ("is the 100k quota full?", "is the 100,000 quota full?"),
        ("a $250k fine", "a $250,000 fine"),
        ("4K televisions", "4K televisions"),  # in capitals and no currency: no amount
        # a statute's section, when the corpus has it
        ("s232 tariffs on lumber?", "Section 232 tariffs on lumber?"),
        ("what did sec 301 do", "what did Section 301 do"),
        ("S.301 action", "Section 301 action"),
        ("the Section232 tariffs", "the Section 232 tariffs"),  # the word run into it
        ("sect 301 action", "Section 301 action"),
        ("\u00a7232 on lumber", "Section 232 on lumber"),
        ("\u00a7 301 action", "Section 301 action"),
        ("Sec. 232 rates", "Sec. 232 rates"),  # already the documents' form
        ("Section 232 rates", "Section 232 rates"),
        ("s999 rule", "s999 rule"),  # a section the corpus does not have
        ("S100 proteins", "S100 proteins"),
        # a model or code in the plural, read as the corpus writes it
        ("licenses to ship H200s to China?", "licenses to ship H200 to China?"),
        ("how many 737s did they order?", "how many 737s did they order?"),  # written so
        ("F-35s for Poland", "F-35s for Poland"),  # no "F-35" in the corpus either
        # a possessive typed without its apostrophe, or an acronym's plural: read as the name
        ("what did BISs rule change?", "what did BIS rule change?"),
        ("how many MOUs on potash?", "how many MOU on potash?"),
        ("Britains digital tax", "Britain digital tax"),
        ("IFRs on semiconductors", "IFRs on semiconductors"),  # "ifr" is the stem as typed
        ("what did the ZQXs say?", "what did the ZQXs say?"),  # an acronym no one knows
        ("tariffs on the Philippines", "tariffs on the Philippines"),  # known as typed
        ("the Americas quota", "the Americas quota"),  # English knows the word
    ],
)
def test_slips_and_desk_shorthand_are_read_as_the_corpus_writes_them(
    speller: Speller, typed: str, read: str
) -> None:
    reading = speller.read(typed)

    assert reading.text == read
    if typed == read:
        assert reading.notice is None
    else:
        assert reading.notice is not None and reading.notice.startswith("Read “")


def test_a_question_typed_in_capitals_is_read_in_lower_case_but_for_known_acronyms() -> None:
    speller = Speller(known, protected=lambda word: word in {"USTR", "UK"})

    assert speller.read("WHAT DID USTR SAY ABOUT THE UK TARRIF?").text == (
        "what did USTR say about the UK tariff?"
    )
    assert speller.read("What did USTR say about the UK?").text == (
        "What did USTR say about the UK?"
    )


def test_a_question_in_capitals_reads_its_words_as_the_articles_write_them() -> None:
    # The vocabulary knows "USTR" and "deal" typed either way, "US" only in capitals (its
    # lower case is the pronoun): kept in capitals, "DEAL" was a name no article writes.
    vocabulary = {"USTR", "ustr", "DEAL", "deal", "US"}
    names = {**NAMES, "ustr": "USTR"}  # how the articles write it
    speller = Speller(known, protected=vocabulary.__contains__, written_as=names.get)

    assert speller.read("WHAT DID USTR SAY ABOUT THE US DEAL W/ BIDEN LAST YR?").text == (
        "what did USTR say about the US deal with Biden last year?"
    )


def test_a_question_in_title_case_reads_its_words_as_the_articles_write_them() -> None:
    # Every word capitalised, "Did", "The" and "On" among them: "Slap" and "Jet" were names
    # no article writes. Its acronyms stay as typed; its names are written as the articles do.
    names = {**NAMES, "ustr": "USTR"}
    speller = Speller(known, protected={"USTR", "ustr"}.__contains__, written_as=names.get)

    assert speller.read("Did Biden Slap 232 Tariffs On Jet Engines After USTR Spoke?").text == (
        "did Biden slap 232 tariffs on jet engines after USTR spoke?"
    )
    # Names only, no word but a name capitalised, or too short to tell: as typed.
    for typed in (
        "Did Nippon Steel Buy US Steel?",
        "What did Biden and Xi agree in Lima?",
        "USMCA ISDS Coverage?",
    ):
        assert speller.read(typed).text == typed


def test_a_lone_capitalised_everyday_word_is_read_in_lower_case() -> None:
    names = {**NAMES, "commerce": "Commerce", "entity": "Entity"}
    speller = Speller(known, protected={"USTR"}.__contains__, written_as=names.get)

    assert speller.read("what new filing Obligation came with the BIS rule?").text == (
        "what new filing obligation came with the BIS rule?"
    )
    # A clause's first word is capitalised for its place.
    assert speller.read("BIS rule - Besides the listings, which Countries? Flat 10%?").text == (
        "BIS rule - besides the listings, which countries? flat 10%?"
    )
    for typed in (
        "did Commerce open the probe?",  # written as a name
        "who is on the Entity List now?",  # next to a capitalised word
        "did Biden and Xi agree?",
        "what did USTR say about Temu?",  # the vocabulary's; English hardly knows it
        "who chairs the US-China Board of Trade?",  # a name's words joined by "of"
        "what did Neal ask at the Ways and Means hearing?",
    ):
        assert speller.read(typed).text == typed


def test_a_lone_everyday_word_typed_in_capitals_for_stress_is_read_in_lower_case() -> None:
    # "STILL", "ACTUALLY": stressed, not names; in capitals they were names no article
    # writes, and the question was refused.
    names = {**NAMES, "act": "Act"}
    speller = Speller(known, protected={"USTR", "CHIPS"}.__contains__, written_as=names.get)

    assert speller.read("are licences to China STILL denied?").text == (
        "are licences to China still denied?"
    )
    assert speller.read("did USTR ACTUALLY conclude it?").text == "did USTR actually conclude it?"
    for typed in (
        "is the STEEL Act done?",  # before a name: part of it
        "what does the CHIPS Act say?",  # the vocabulary's, and before a name
        "what did the EU say?",  # too short to be stressed
        "did the ACT pass?",  # the articles write it as a name
        "what NHS price rise?",  # the articles do not write it in lower case
    ):
        assert speller.read(typed).text == typed


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("quick q: did canadian potash pay 25%?", "did canadian potash pay 25%?"),
        # A handle to notify and chat markup are not what is asked about.
        ("@tradebot is the `TRQ` still *in force*?", "is the TRQ still in force?"),
        ("cc @jane.doe what did USTR say? cc @bob", "what did USTR say?"),
        ("ask jane@x.com about the steel_tariff @25%?", None),  # an address, a rate
        # Pasted from a list or quoted in Slack; a comma typed without its space.
        ("1) pharma 232 rate on patented drugs?", "pharma 232 rate on patented drugs?"),
        ("> where was the framework signed?", "where was the framework signed?"),
        ("(b) what rate applies?", "what rate applies?"),
        ("Under the Feb 5,2025 EO,what ends?", "Under the Feb 5, 2025 EO, what ends?"),
        ("10.5% on 12,000 tons?", None),  # a rate and a count, not list marks or commas
        # Words that only carry the chat on, a trailing pause.
        ("ok so pharma 232 rate on patented drugs?", "pharma 232 rate on patented drugs?"),
        ("also, what about Canada?", "what about Canada?"),
        ("btw did BIS add firms...?", "did BIS add firms?"),
        ("one more: is it still on…", "is it still on"),
        ("what rate applies to it??", "what rate applies to it?"),
        ("is it still on ?!", "is it still on?"),
        ("so far, how many deals?", None),  # the newest word is asked for
        ("right to appeal under 301?", None),
        ("also known as what?", None),
        ("sorry if dumb q but why was India dropped from GSP?", "why was India dropped from GSP?"),
        ("anyone know: USMCA ISDS coverage?", "USMCA ISDS coverage?"),
        ("who brought the OCTG case - need a cite", "who brought the OCTG case"),
        (
            "can travelers bring goods back duty-free (asking for a client)?",
            "can travelers bring goods back duty-free?",
        ),
        ("is the solar safeguard still in force thx", "is the solar safeguard still in force"),
        ("size of the EU steel TRQ?? pls", "size of the EU steel TRQ??"),
        ("did hanwha get a waiver? lmk", "did hanwha get a waiver?"),
        # a request wrapped around the question
        (
            "could you check pharma 232 rate on patented drugs?",
            "pharma 232 rate on patented drugs?",
        ),
        ("pls confirm: did commerce open a 232 on drones?", "did commerce open a 232 on drones?"),
        ("I was wondering which countries were covered?", "which countries were covered?"),
        ("I'm curious what USTR said", "what USTR said"),
        ("any idea HTS stat number for CSPV modules?", "HTS stat number for CSPV modules?"),
        ("can you tell me in Feb 2025, what rate?", "in Feb 2025, what rate?"),
        ("do you know what Lighthizer said?", "what Lighthizer said?"),
        ("I need to know nov 2025 brazil change", "nov 2025 brazil change"),
        # emoji, as pictures or as Slack writes them, and a subject line's label
        (":thinking_face: is the steel tariff 50%?", "is the steel tariff 50%?"),
        ("is the steel tariff 50%? :pray: 🙏", "is the steel tariff 50%?"),
        ("RE: steel tariff rate?", "steel tariff rate?"),
        ("Follow-up: what rate?", "what rate?"),
        ("Fwd: what rate?", "what rate?"),
        ("FW: what rate?", "what rate?"),
        # a clause before the question that is only chat
        ("Sorry to bug you again. What rate applies?", "What rate applies?"),
        ("Following up on yesterday's thread. Is it 50%?", "Is it 50%?"),
        ("Morning all. Hope this is the right channel. What rate?", "What rate?"),
        # ... or says what the asker is doing, or how the answer should come
        ("Working on a client memo. who brought the OCTG case?", "who brought the OCTG case?"),
        ("For a client note I'm drafting: what rate?", "what rate?"),
        ("Give me a one-line answer: what rate?", "what rate?"),
        ("Keep it short. what rate?", "what rate?"),
        ("iirc USMCA ISDS coverage?", "USMCA ISDS coverage?"),
        ("who brought the OCTG case Keep it short.", "who brought the OCTG case"),
        ("is it still 50%? Source please.", "is it still 50%?"),
        ("what rate on steel? one line pls", "what rate on steel?"),
        ("what rate, tl;dr?", "what rate?"),
        ("what rate? pls cite", "what rate?"),
        ("tl;dr: what rate?", "what rate?"),
        # signed off, or said when it is needed
        ("what rate? Thanks, Jane", "what rate?"),
        ("what rate? cheers - JM", "what rate?"),
        ("is it still 50%? (need by EOD)", "is it still 50%?"),
        ("what rate on steel, need it by tomorrow", "what rate on steel"),
        ("URGENT: what rate on steel?", "what rate on steel?"),
        ("tradebot, what rate on steel?", "what rate on steel?"),
        ("hey bot: what rate?", "what rate?"),
        ("hi tradebot - is it on?", "is it on?"),
        ("gm! what rate?", "what rate?"),
        ("Need help with something. what rate?", "what rate?"),
        ("Question for the group: what rate?", "what rate?"),
        ("good morning team, what rate?", "what rate?"),
        ("is it in force? Yes or no?", "is it in force?"),
        ("is it in force. y/n", "is it in force"),
        # a check asked for, or who asks, before it; an aside or sign-off after it
        ("Sanity check: who brought the OCTG case?", "who brought the OCTG case?"),
        ("ELI5: what rate?", "what rate?"),
        ("Correct me if I'm wrong, but is it 50%?", "is it 50%?"),
        ("A client asks: what rate?", "what rate?"),
        ("My boss wants to know: what rate?", "what rate?"),
        ("is it possible to find out what rate?", "what rate?"),
        ("Can you double-check something for me? Is it 50%?", "Is it 50%?"),
        ("Saw a headline about this. Is it 50%?", "Is it 50%?"),
        ("btw America First memo: what agency?", "America First memo: what agency?"),
        ("what rate? Thoughts?", "what rate?"),
        ("what rate? Any idea?", "what rate?"),
        ("what rate. Let me know.", "what rate"),
        ("what rate? Appreciate it.", "what rate?"),
        ("what rate? Just wondering.", "what rate?"),
        ("what rate? lol", "what rate?"),
        ("what rate? hmm", "what rate?"),
        ("what rate idk", "what rate"),
        ("Hi Tradebot! what rate?", "what rate?"),
        ("Would you happen to know what rate?", "what rate?"),
        ("Does anyone here know what rate?", "what rate?"),
        ("do we know what rate?", "what rate?"),
        ("Kindly confirm the rate?", "the rate?"),
        ("Can I ask: what rate?", "what rate?"),
        ("Quick one - what rate?", "what rate?"),
        ("Last one: what rate?", "what rate?"),
        ("Hoping you can help: what rate?", "what rate?"),
        ("Looking for an answer on this: what rate?", "what rate?"),
        ("what rate? Regards, Tom", "what rate?"),
        ("what rate? Best, Tom", "what rate?"),
        ("what rate? Many thanks.", "what rate?"),
        ("what rate? Thank you in advance.", "what rate?"),
        ("what rate (when you get a chance)?", "what rate?"),
        ("what rate? Please advise.", "what rate?"),
        ("who is it, or am I misremembering?", "who is it?"),
        ("is it 50%, I think?", "is it 50%?"),
        ("is it 50%? Not sure.", "is it 50%?"),
        # a mail's footer and signature, a bracketed label, a postscript, a lead-in set off by
        # a dash
        ("what rate? Sent from my iPhone", "what rate?"),
        ("what rate?\n\n--\nJane Doe\nTrade Desk", "what rate?"),
        ("what rate? --Jane", "what rate?"),
        ("what rate? thx in adv", "what rate?"),
        ("what rate? Much obliged.", "what rate?"),
        ("what rate? FYI", "what rate?"),
        ("[URGENT] what rate?", "what rate?"),
        ("what rate? P.S. thanks for the last answer", "what rate?"),
        ("Sorry to bother - what rate?", "what rate?"),
        ("Sorry to bother - which rule for China, Russia?", "which rule for China, Russia?"),
        ("Hope this is the right channel \u2014 what rate?", "what rate?"),
        # numbered as in a list or a thread, Slack's mark of an edit, a vote
        ("Q1: what rate?", "what rate?"),
        ("Question 1: what rate?", "what rate?"),
        ("#1 what rate?", "what rate?"),
        ("1/ what rate?", "what rate?"),
        ("what rate? (1/2)", "what rate?"),
        ("what rate? (edited)", "what rate?"),
        ("what rate? +1", "what rate?"),
        # what the asker is writing, before the matter it is about
        (
            "putting together a comment for a client on the copper 232 - who takes submissions?",
            "the copper 232 - who takes submissions?",
        ),
        ("Working on a memo about the Vietnam deal: what rate?", "the Vietnam deal: what rate?"),
        ("I'm drafting a client note on the EU deal. Is it 15%?", "the EU deal. Is it 15%?"),
        ("Are countries doing a deal on steel?", None),
        # why or for whom it is asked, set off after it
        ("did UK steel pay 50%? - need it for a memo today", "did UK steel pay 50%?"),
        ("robotics 232 scope? (for the weekly note)", "robotics 232 scope?"),
        ("how much did Swiss firms pledge, boss is asking", "how much did Swiss firms pledge"),
        ("is it still in force? sorry, couldn't find it", "is it still in force?"),
        ("what rate? (writing a piece on this)", "what rate?"),
        ("what rate? Context: for a client memo.", "what rate?"),
        ("the EU deal -- our editor wants to know", "the EU deal"),
        # two hyphens typed for a dash, curly quotes and apostrophes typed on a phone
        ("memo -- what new agency?", "memo \u2014 what new agency?"),
        ("memo--what new agency?", "memo \u2014 what new agency?"),
        ("Trump\u2019s \u201caligned partners\u201d annex?", 'Trump\'s "aligned partners" annex?'),
        # spaces and marks pasted from a page: no-break and thin spaces, a line break, a
        # zero-width space or a soft hyphen inside a word, full-width letters
        (
            "is the\u00a0de\u202fminimis\u2009suspension still on?",
            "is the de minimis suspension still on?",
        ),
        ("steel 232:\nwhat rate\tnow?", "steel 232: what rate now?"),
        (
            "who brought the antidu\u200bmping case on OC\u00adTG?",
            "who brought the antidumping case on OCTG?",
        ),
        ("\ufeffwhat rate on \uff36\uff49\uff45\uff54\uff4e\uff41\uff4d?", "what rate on Vietnam?"),
        # a link pasted with it, bare or as Slack sends it, and the words pointing at it
        ("what rate? (saw this: https://www.whitehouse.gov/x/)", "what rate?"),
        ("https://www.reuters.com/us/story-2025-04-02/ who announced it?", "who announced it?"),
        ("what rate, see www.cbp.gov/x.", "what rate."),
        ("what does <https://wh.gov/x|the fact sheet> say?", "what does the fact sheet say?"),
        # a tag's "#", quotes or brackets around the whole question
        ("what is the #tariff on #steel? #2", "what is the tariff on steel? #2"),
        ('"pharma 232 rate on patented drugs?"', "pharma 232 rate on patented drugs?"),
        ("'what's the rate?'", "what's the rate?"),
        (
            "(is the safeguard (cells/modules TRQ) in force?)",
            "is the safeguard (cells/modules TRQ) in force?",
        ),
        ("(cells) and (modules) rate?", None),  # two brackets, none around all
        # a tag asking the reader to confirm
        ("did ag goods stay under the 40%, right?", "did ag goods stay under the 40%?"),
        ("the rate is 50% - correct?", "the rate is 50%?"),
        ("is it still in force or not?", "is it still in force?"),
        ("did USTR hold its hearing, or not?", "did USTR hold its hearing?"),
        ("did it pass, right? thx", "did it pass?"),
        # what asks something stays
        ("Please confirm whether the UK terms bind either government.", None),
        ("do you know if the solar safeguard is still in force?", None),
        ("do importers need it for entry?", None),  # no mark sets the purpose off
        ("effective 12:01 a.m. on Aug 1?", None),  # a time is no shortcode
        # a lead clause naming something, saying when, or pointing back, is the question's
        ("Following up on the Vietnam deal. What rate applies?", None),
        ("Working on the Vietnam deal. What rate applies?", None),
        ("Morning all, 2025 tariffs on steel?", "2025 tariffs on steel?"),
        ("I'm confused. what rate?", None),
        ("Need the steel rate. what is it?", None),
        ("what rate? Context: we import steel from Mexico.", None),  # what may matter stays
        ("what did the order cite?", None),  # what is asked, not how to answer
        ("what is the source of the rule?", None),
        ("who are the sources", None),
        ("what is the best rate?", None),
        ("what is the rate for Tia Corp?", None),
        ("The US, what rate?", None),
        ("Yesterday, did the EU retaliate?", None),
        ("under it, does the auto 232 apply?", None),
        ("what did the memo say about the call for comments?", None),
        ("which statute was used? need the section number", None),
        ("q3 revenue from tariffs?", None),
        ("which figure is correct?", None),  # no tag: what is asked
        ("what are USTR's thoughts?", None),  # no mark sets the aside off
        ("can I ask for an exclusion?", None),  # asks to ask, in the words after it
        ("what do I think of it?", None),
        ("what regards the rate?", None),
        ("what did the fyi say?", None),
        ("steel 232 \u2014 what rate?", None),  # a lead-in naming something
        ("what rate? PS what about Mexico?", None),  # a postscript asking again
        ("Q1 2025 imports of steel?", None),  # a quarter, not a label
        ("4/2 what changed?", None),  # a day
        ("what rate on 1/2 inch pipe?", None),
        ("if you can import it, what rate?", None),
        ("what did the fact check say?", None),
        ("Is it 50%? What was it before?", None),  # a lead question naming nothing is no chat
        ("Saw the Vietnam headline. Is it 50%?", None),
        ("who are the clients asking for exclusions?", None),
        ("is that right?", None),
        ("was the answer yes or no?", None),
        ("thanks", None),
    ],
)
def test_chat_around_a_question_is_not_read_as_part_of_it(typed: str, read: str | None) -> None:
    assert without_chatter(typed) == (typed if read is None else read)


# How the articles write the words they write as names (`LexicalIndex.written_as`).
NAMES = {"biden": "Biden", "xi": "Xi", "usmca": "USMCA", "china": "China", "doc": "DOC"}


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        # Typed without capitals: the names read as the articles write them.
        ("did biden and xi talk about the usmca?", "did Biden and Xi talk about the USMCA?"),
        ("biden's call with xi", "Biden's call with Xi"),
        ("the usmca rule for biden-era trade", "the USMCA rule for Biden-era trade"),
        # An everyday word is left as typed ("china" the plates, 5.1), so is an acronym whose
        # lower case is a word ("doc"); so are "e-" compounds.
        ("is china tableware covered?", "is china tableware covered?"),
        ("fr doc number for it?", "fr doc number for it?"),
        # A writer who capitalises a name means the lower-case words as typed.
        ("Did Biden and xi meet?", "Did Biden and xi meet?"),
        # The vocabulary's acronyms read only in capitals, unless their lower case is an
        # everyday word ("us").
        ("which eo did the wto order cite?", "which EO did the WTO order cite?"),
        ("do us firms pay it?", "do us firms pay it?"),
        # "the us", "a us plant", "us-" compounds: the country, not the pronoun.
        ("how much will they invest in the us?", "how much will they invest in the US?"),
        ("can a us plant claim it? tell us", "can a US plant claim it? tell us"),
        ("did the us-xi talks end?", "did the US-Xi talks end?"),
    ],
)
def test_a_question_typed_without_capitals_reads_its_names_as_the_articles_write_them(
    typed: str, read: str
) -> None:
    acronyms = {"EO", "WTO", "US"}  # read only as typed in capitals
    speller = Speller(known, protected=acronyms.__contains__, written_as=NAMES.get)

    assert speller.read(typed).text == read
    assert speller.read(typed).notice is None


def begins(prefix: str) -> bool:
    """The index holds a longer term beginning with `prefix` (`LexicalIndex.begins`)."""
    return any(stem.startswith(prefix) and stem != prefix for stem in CORPUS)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        # A name no article writes, typed without capitals, reads as the name it is.
        ("what did piyush goyal say on quotas?", "what did Piyush Goyal say on quotas?"),
        ("did hanwha buy the shipyard", "did Hanwha buy the shipyard"),
        # Not a word English makes of others: a compound of two common words, an inflection,
        # the clipped form of a corpus word; nor a word the corpus or the vocabulary knows.
        ("is the stopgap quota still on?", "is the stopgap quota still on?"),
        ("has commerce griped about it?", "has commerce griped about it?"),
        ("what about polysil imports?", "what about polysil imports?"),
        ("did commerce open an investigtaon?", "did commerce open an investigtaon?"),
        ("antidumping on pharma", "antidumping on pharma"),
        # A typo of a corpus word is corrected, not taken for a name.
        ("the tarrif on potash", "the tariff on potash"),
    ],
)
def test_a_name_no_article_writes_is_read_as_a_name_when_typed_without_capitals(
    typed: str, read: str
) -> None:
    speller = Speller(
        known, protected=lambda word: word.lower() in VOCABULARY, written_as={}.get, begins=begins
    )

    assert speller.read(typed).text == read


def test_a_writer_who_capitalises_keeps_lower_case_words_as_typed() -> None:
    speller = Speller(known, written_as={}.get, begins=begins)

    assert speller.read("What did piyush say to Biden?").text == "What did piyush say to Biden?"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        # Chat leaves the question mark off: it is read as if typed.
        (
            "which minerals will be added to the next list",
            "which minerals will be added to the next list?",
        ),
        (
            "what rate applies to Annex I (the 10% list)",
            "what rate applies to Annex I (the 10% list)?",
        ),
        ("is it still 25%  ", "is it still 25%?"),
        # Asked already, or not asked at all: left as typed.
        ("is it still 25%?", "is it still 25%?"),
        ("Please confirm whether the UK terms bind either government.", None),
        ("no way!", None),
    ],
)
def test_a_question_without_its_question_mark_is_read_as_asked(
    typed: str, read: str | None
) -> None:
    assert as_asked(typed) == (typed if read is None else read)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        (
            "and for how long has the US imported lumber?",
            "for how long has the US imported lumber?",
        ),
        ("And, in Feb 2025, what rate?", "in Feb 2025, what rate?"),
        ("but is it still in force?", "is it still in force?"),
        ("andean pact rates?", None),  # a word beginning so
        ("and Mexico?", None),  # nothing left to ask without it
    ],
)
def test_a_first_question_opening_with_and_is_read_without_it(typed: str, read: str | None) -> None:
    assert unconnected(typed) == (typed if read is None else read)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("did sullivan sit down w/ Xi himself?", "did sullivan sit down with Xi himself?"),
        ("sit down w/Xi", "sit down with Xi"),
        ("can you import it w/o a license?", "can you import it without a license?"),
        ("refused b/c of the ruling?", "refused because of the ruling?"),
        ("cars built b/w April and May?", "cars built between April and May?"),
        ("exec order # for the copper probe?", "executive order # for the copper probe?"),
        ("did it say anything re: Macau?", "did it say anything about Macau?"),
        ("what did USTR say re the exclusions", "what did USTR say about the exclusions"),
        ("the re-export rule", "the re-export rule"),
        ("did the order say anything abt Macau?", "did the order say anything about Macau?"),
        ("or only once the final agmt is done?", "or only once the final agreement is done?"),
        ("what did Macau's gov't say?", "what did Macau's government say?"),
        # ... capitalised in a name: no acronym holds an apostrophe
        ("who told the Int'l Trade Commission?", "who told the International Trade Commission?"),
        ("the Gov’t of Canada", "the Government of Canada"),
        ("Nat'l security", "National security"),
        ("goods shipped thru vietnam", "goods shipped through vietnam"),
        ("the quartz surface prods safeguard", "the quartz surface products safeguard"),
        ("shut out of the EU mkt?", "shut out of the EU market?"),
        ("approx how many US mfrs?", "approximately how many US manufacturers?"),
        ("tariffs last yr, or 2 yrs ago?", "tariffs last year, or 2 years ago?"),
        ("when the 3-yr term runs out", "when the 3-year term runs out"),
        ("imports last qtr and the past 6 mos", "imports last quarter and the past 6 months"),
        # The country as the articles write it ("U.S.") or as questions do.
        ("did the provinces dump USA alcohol?", "did the provinces dump US alcohol?"),
        ("its framework with the U.S.A.?", "its framework with the US?"),
        # Not shorthand: a ratio, a name in capitals, a word that begins like one.
        ("km/h and w/2", None),
        ("USAID grants to the U.S. firms", None),
        ("ABT Corp's exports", None),
        ("the abbott deal", None),
    ],
)
def test_chat_shorthand_for_everyday_words_is_read_as_the_words(
    typed: str, read: str | None
) -> None:
    assert spelled_out_shorthand(typed) == (typed if read is None else read)


def test_a_word_longer_than_any_english_word_is_not_looked_up() -> None:
    # "x" * 2000 has about 100,000 one-edit neighbours, each 2,000 letters long: looking them up
    # held a worker for 45 s.
    looked_up: list[str] = []

    def recording(stems: Iterable[str]) -> Mapping[str, float]:
        stems = list(stems)
        looked_up.extend(stems)
        return known(stems)

    long_word = "x" * 2000
    reading = Speller(recording).read(f"what about {long_word}?")

    assert reading.text == f"what about {long_word}?"
    assert not any(len(stem) > 100 for stem in looked_up)
