"""The query-side trade vocabulary: packaged data, a user's extra file, matching rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.retrieval.expansion import Vocabulary, load_vocabulary


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return load_vocabulary()


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("What did Beijing retaliate with?", "China"),
        ("Is Brussels preparing countermeasures?", "European Union"),
        ("What did Hanoi agree to?", "Vietnam"),
        ("how much is Japan investing in the US?", "United States"),
        ("due diligence rule for AI chips", "advanced computing"),
        ("export rules for AI models", "artificial intelligence"),
        ("How did Ottawa respond?", "Canada"),
        ("what's the levy on Canadian lumber?", "tariffs"),
        ("is the import tax on cars still 25%?", "tariffs"),
        ("when did the US Trade Rep get the petition?", "USTR"),
        ("what did the trade rep propose?", "Trade Representative"),
        # A bloc's or country's name finds its initials, as the initials find the name.
        ("what did the European Union agree to buy?", "EU"),
        ("is the United Kingdom quota still open?", "UK"),
        ("how much will they invest in the United States?", "U.S."),
        ("Is Skopje buying American LNG?", "North Macedonia"),
        # A region's demonym finds the region the documents name.
        ("could importers stockpile SE Asian solar panels?", "Southeast Asia"),
        ("did Asian steel get a quota?", "Asia"),
        ("what did Malaysia sign in KL?", "Kuala Lumpur"),
        ("when does it come off for a country that stops buying?", "purchase"),
        ("when did the China tariff truce get extended?", "suspension"),
        ("are they still rolling over the deal each year?", "extend"),
        ("which ch. 99 heading applies?", "chapter"),
        ("did de minimis end for China/HK?", "Hong Kong"),
        ("any relief for fabs in China?", "fabrication facilities"),
        ("are express carriers in the AEO program?", "Authorized Economic Operator"),
        ("if China gets hit with it, does it cover Hong Kong?", "imposes"),
        ("if China gets hit with it, does it cover Hong Kong?", "apply"),
        ("why did Amman get left out of the safeguard?", "Jordan"),
        ("did Bangkok promise not to tax US tech firms?", "commits"),
        ("do importers get their money back?", "refunded"),
        ("how many exclusions were still alive?", "effective"),
        ("any rule on telco network fees?", "telecommunications"),
        ("anything for couriers like FedEx?", "express delivery"),
        ("can Amman buy nuclear power plants from Russia?", "nuclear reactors"),
        ("does the chip probe cover fab tools?", "semiconductor manufacturing equipment"),
        ("what happened to the pandemic-era carve-outs?", "COVID"),
        ("what are the Vietnamese doing about US-spec cars?", "motor vehicles"),
        ("what are the Vietnamese doing about US-spec cars?", "standards"),
        ("why were the DST cases on Czechia closed?", "Czech Republic"),
        ("goods routed thru a 3rd country to dodge the rate", "transshipped"),
        ("goods routed thru a 3rd country to dodge the rate", "evade"),
        ("goods routed thru a 3rd country to dodge the rate", "third"),
        ("did BIS take anybody off the MEU list?", "Military End-User"),
        ("which HTS number when it comes in under bond (TIB)?", "temporarily under bond"),
        ("does the surcharge stack on top of 232 duties?", "in addition to"),
        ("buying Iranian crude via a middleman", "intermediaries"),
        ("is aerospace exempt from the Brazil tariff?", "aircraft"),
        ("what if Beijing hit back?", "retaliate"),
        ("could low-value parcels from Canada still come in duty free?", "de minimis"),
        ("what was the latest date the 25% could kick in?", "no later than"),
        ("which Brazilian judge does the order name?", "Justice"),
        ("Did the Japanese side accept?", "Japan"),
        ("tariffs on chips", "semiconductors"),
        ("tariffs on semis", "semiconductors"),  # or on semi trucks
        ("tariffs on semis", "trucks"),
        ("what's the tax on booze", "alcoholic beverages"),
        ("are Canadian provinces still off US bourbon?", "alcoholic beverages"),
        ("what do Canadian cheese quotas look like?", "dairy"),
        ("are phones still exempt from the reciprocal tariff?", "smartphones"),
        ("what do imported meds pay under the 232?", "pharmaceuticals"),
        ("did garments get any special break?", "apparel"),
        ("what changed for farm imports in mid-Nov 2025?", "agricultural"),
        ("how long was the 24-pt suspension extended?", "percent"),
        ("until when did the pause on the higher rates get pushed?", "suspension"),
        ("what steel rate was Trump putting back in place?", "restore"),
        # An order raises a rate by amending the older one's words.
        ("what did Trump raise the fentanyl tariff on Chinese goods to?", "in lieu thereof"),
        ("duties on cars from Mexico", "automobiles"),
        ("new duties on steel", "tariffs"),
        ("what did USTR find", "United States Trade Representative"),
        ("what did the Bureau of Industry and Security add", "BIS"),
        ("who can claim CUSMA treatment", "USMCA"),
        ("is GSP coming back", "Generalized System of Preferences"),
        ("what did POTUS sign", "President"),
        ("Did the US approve South Korea building subs?", "ROK"),  # the documents' acronym
        ("Did the US approve South Korea building subs?", "submarines"),
        ("what did China agree to buy", "PRC"),
        ("Entity List additions of Sept 2023", "September"),  # documents spell months out
        ("nov 2025 brazil change", "November"),
        ("what did AMLO agree to on steel", "López Obrador"),
        ("the Biden-AMLO steel statement", "López Obrador"),  # a hyphen joins two names
        ("Beijing-backed buyers", "China"),
        ("govt of japan investment amt", "government"),
        # Desk shorthand no article writes (and no name, typed without capitals).
        ("the qty cap on pkgs, ytd", "quantity"),
        ("the qty cap on pkgs, ytd", "packages"),
        ("the qty cap on pkgs, ytd", "year to date"),
        ("how many wks did other govts get", "weeks"),
        ("how many wks did other govts get", "governments"),
        ("a DST on American tech companies?", "technology"),
        ("tariffs on steel and alu", "aluminum"),
        ("are LNG exports affected", "liquefied natural gas"),
        ("which ECCN covers it", "Export Control Classification Number"),
        ("USMCA RVC for cars", "regional value content"),
        ("did ag goods stay under the 40%?", "agricultural"),
        ("America First Trade Policy memo: what agency?", "memorandum"),
        ("how many workers, per the WH fact sheet", "White House"),
        ("what did USTR conclude about Hanoi's FX interventions?", "currency"),
        ("blocked over common food names like in GI disputes?", "geographical indications"),
        ("could SE Asian cells come in duty-free?", "Southeast Asian"),
        ("in-quota cap for solar cells", "CSPV"),  # safeguard notices' acronym
        ("two-sided solar panels out of the safeguard", "bifacial"),
        ("Spanish olives AD case: what margins?", "antidumping"),
        # Notices write it with a hyphen as often as without.
        ("moroccan fertilizer AD/CVD suspended?", "anti-dumping and countervailing duties"),
        ("which whiskey names are protected?", "whisky"),
        ("spirits names kept after Brexit", "exit from the EU"),
        ("in-quota cap for solar cells", "limit"),
        ("what did the Section 201 safeguard cover?", "safeguard measure"),
        ("IPEF leaders in SF, Nov 2023", "San Francisco"),
        ("a $20 bn fund", "billion"),
        # Everyday verbs and nouns for the words notices use.
        ("when was the magnet report finished?", "completed"),
        ("by when did they hope to wrap up the agreement?", "conclude"),
        ("hong kong origin marking WTO case - whats the DS number?", "dispute settlement"),
        ("when did it go up on the BIS site?", "website"),
        ("the rate starts at 0%: when does it go up?", "increase"),
        ("what was canadian potash cut to?", "reduce"),
        ("and for the parts?", "components"),
        ("which proc raised it?", "proclamation"),
        ("when did DOC kick off the polysilicon 232?", "Commerce"),
        ("when did the steel tariff kick in?", "take effect"),
        ("when does the exclusion run out?", "expire"),
        ("which countries' preferences were scrapped?", "terminated"),
        ("why were 60 codes left out of the derivatives list?", "include"),
        ("which goods were left out of the tariff?", "excluded"),
        ("until when did the pause get pushed?", "extend"),
        ("the deadline got pushed back to when?", "delay"),
        ("what if China doesn't follow through?", "implement"),
        ("does the new order override the aircraft deals?", "supersede"),
        ("which countries lost GSP eligibility?", "terminated"),
        ("what did Biden say when he phoned Xi?", "call"),
        ("what tariffs did Trump put on Brazil?", "imposes"),
        ("did Biden keep the steel tariff holiday for Ukraine going?", "suspension"),
        ("was Ukrainian steel still getting a pass on the 232s?", "exemption"),
        # The orders name the fentanyl duties by the crisis they answer.
        ("what did the fentanyl tariff on China go up to?", "illicit drugs"),
        # An acronym's plural.
        ("which EOs are still in effect?", "executive order"),
        ("which TRQs did the UK get?", "tariff-rate quota"),
        ("In which city did Biden roll out IPEF?", "launch"),
        ("how many outfits did BIS blacklist in March?", "entities"),
        ("how many parties did BIS blacklist on March 28?", "entities"),
        ("does the pharma 232 reach KSMs?", "key starting materials"),
        ("or just finished drugs and APIs?", "active pharmaceutical ingredients"),
        # A cap on a rate is written as one it shall not exceed.
        ("is there a ceiling on what British lumber pays?", "not exceed"),
        ("do british-made ones get a break under it?", "exemption"),
        ("any strings attached?", "provided that"),
        ("what products is the wood 232 actually looking at?", "investigation"),
        # An OEM is the manufacturer the orders name; an allowance drawn down is decremented.
        ("can an OEM use the parts offset?", "manufacturer"),
        ("can its suppliers draw down the offset?", "decrement"),
        # Readouts: "competition" between the two, a "virtual meeting"; a reaction is a statement.
        ("how do they keep the rivalry from turning into conflict?", "competition"),
        ("what came out of the Biden/Xi video call?", "virtual meeting"),
        ("Lighthizer's reaction to the SOTU?", "statement"),
        ("what does it do for small biz?", "businesses"),
        # Agreements' "Parties" and MOUs' "Participants"; wanting out is terminating.
        ("how often do the two sides meet under the MOU?", "Participants"),
        ("if either side wants out, how long before that takes effect?", "Party"),
        ("if either side wants out, how long before that takes effect?", "terminate"),
    ],
)
def test_everyday_words_capitals_and_acronyms_add_the_documents_terms(
    vocabulary: Vocabulary, question: str, term: str
) -> None:
    assert term in vocabulary.expand(question).added


def test_aliases_go_one_way_and_acronyms_both_ways(vocabulary: Vocabulary) -> None:
    assert "Beijing" not in vocabulary.expand("What did China announce?").added
    assert "USTR" in vocabulary.expand("the United States Trade Representative said").added


def test_only_an_acronyms_plural_matches(vocabulary: Vocabulary) -> None:
    assert not vocabulary.expand("what about EOS?").added
    assert not vocabulary.expand("which chipss?").added


def test_short_capital_aliases_match_only_in_capitals(vocabulary: Vocabulary) -> None:
    assert vocabulary.expand("what does BIS control").added
    assert not vocabulary.expand("tell us what it is").added
    assert "Bureau of Industry and Security" not in vocabulary.expand("this bis is").added


def test_acronyms_that_are_no_english_word_match_in_lower_case_too(
    vocabulary: Vocabulary,
) -> None:
    assert "HTSUS" in vocabulary.expand("hts subheadings for quartz surfaces").added
    assert "investor-state dispute settlement" in vocabulary.expand("usmca isds coverage?").added
    # Lower case, these are English words: "us", "it", "ear", "ad valorem".
    assert not vocabulary.expand("tell us if the ear of corn is ad valorem").added
    assert "Commerce" not in vocabulary.expand("the FR doc number for it?").added  # a document
    assert vocabulary.expand("what does the EAR control").added


def test_a_days_nickname_stands_for_its_date(vocabulary: Vocabulary) -> None:
    # Documents cite the measure by its date: "Executive Order 14257 of April 2, 2025".
    assert "April 2, 2025" in vocabulary.expand("EO number for the Liberation Day tariffs?").added


def test_a_disputes_everyday_name_stands_for_its_formal_one(vocabulary: Vocabulary) -> None:
    # USTR's notices name the Airbus-Boeing dispute "Large Civil Aircraft"; without the
    # alias, "Airbus" was a name missing from the very notice that answers.
    added = vocabulary.expand("Jan 2021 revision to the Airbus retaliation: what was mirrored?")
    assert "large civil aircraft" in added.added


def test_terms_already_in_the_question_are_not_added(vocabulary: Vocabulary) -> None:
    assert "China" not in vocabulary.expand("Beijing and China").added


def test_an_alias_keeps_its_alternatives_when_the_question_names_them_too(
    vocabulary: Vocabulary,
) -> None:
    # "Hanoi" appears in no article: without its alternative it was a name no article
    # mentions, and the question was refused outright.
    expansion = vocabulary.expand("Vietnam currency 301: what did USTR conclude about Hanoi's FX?")
    assert "Vietnam" not in expansion.added
    assert frozenset({"vietnam"}) in expansion.alternatives()["hanoi"]


def test_alternatives_let_a_document_word_stand_for_the_questions(
    vocabulary: Vocabulary,
) -> None:
    alternatives = vocabulary.expand("What did Hanoi offer on chips?").alternatives()
    assert frozenset({"vietnam"}) in alternatives["hanoi"]
    assert frozenset({"semiconductor"}) in alternatives["chip"]


def test_a_users_file_extends_the_packaged_vocabulary(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text("aliases:\n  Kazakhstan: [Astana, Kazakh]\nequivalents:\n  - [FOO, Foo Bar]\n")
    vocabulary = load_vocabulary(extra)
    assert vocabulary.expand("What did Astana say?").added == ["Kazakhstan"]
    assert vocabulary.expand("FOO rules").added == ["Foo Bar"]
    assert "China" in vocabulary.expand("Beijing").added  # the packaged data stays


def test_a_malformed_user_file_is_a_clear_error(tmp_path: Path) -> None:
    extra = tmp_path / "bad.yaml"
    extra.write_text("- just a list\n")
    with pytest.raises(ValueError, match="aliases"):
        load_vocabulary(extra)


def test_places_a_question_names_come_with_every_word_that_names_them(
    vocabulary: Vocabulary,
) -> None:
    (australia,) = vocabulary.places("what tariff did the US put on Australian beef?")
    assert frozenset({"australia"}) in australia and frozenset({"canberra"}) in australia
    (korea, china) = vocabulary.places("Did Seoul and Beijing agree?")
    assert frozenset({"korea"}) in korea and frozenset({"china"}) in china
    # The home country is no partner: documents are about it without naming it.
    assert vocabulary.places("what did the US and America agree?") == ()
    # A place still expands the question like an alias.
    assert "Australia" in vocabulary.expand("Australian beef").added
    # A people named in the plural names its country, though the file lists the singular.
    (thailand,) = vocabulary.places("how many US planes are the Thais buying under it?")
    assert frozenset({"thailand"}) in thailand
    assert "Philippines" in vocabulary.expand("do Filipinos pay it?").added


def test_places_joined_by_or_are_one_place_and_examples_none(vocabulary: Vocabulary) -> None:
    (either,) = vocabulary.places("Did Canada or Mexico get a carve-out?")
    assert frozenset({"canada"}) in either and frozenset({"mexico"}) in either
    assert len(vocabulary.places("Did Canada and Mexico get a carve-out?")) == 2
    assert vocabulary.places("buying reactors from, say, Russia or China?") == ()
    assert vocabulary.places("allies (e.g. Japan, Korea and the EU)?") == ()
    # "say," as a verb names what follows.
    assert vocabulary.places("what did they say, China?") != ()


@pytest.mark.parametrize(
    "question",
    [
        "when do the Kuala Lumpur arrangement's tariff cuts on China end?",
        "who announced the London framework on the US side?",
        "What did Beijing agree to in the Stockholm talks?",
        "Biden-Xi in Lima, Nov 2024: what did Xi promise on fentanyl?",
        "what did the US and China settle at Kuala Lumpur?",
    ],
)
def test_a_city_naming_a_meeting_held_there_names_no_partner(
    vocabulary: Vocabulary, question: str
) -> None:
    named = {term for place in vocabulary.places(question) for words in place for term in words}

    assert not named & {"malaysia", "kuala", "unit", "kingdom", "london", "sweden", "stockholm"}
    assert not named & {"peru", "lima"}
    added = vocabulary.expand(question).added
    assert not {"Malaysia", "United Kingdom", "Sweden", "Peru"} & set(added)
    # Not followed by a meeting, the city is its country's.
    assert vocabulary.expand("What did Kuala Lumpur offer?").added == ["Malaysia"]


@pytest.mark.parametrize(
    ("question", "terms"),
    [
        ("whats in the US-Thailand trade framework from the KL summit?", {"kl"}),
        ("what did Beijing agree to at the Kuala Lumpur round?", {"kuala", "lumpur"}),
        ("Biden-Xi in Lima: what was said?", {"lima"}),
        ("What did Kuala Lumpur offer?", set()),  # the capital itself, no meeting
        ("what did the UK agree on steel?", set()),
    ],
)
def test_the_city_a_meeting_was_held_in_is_told_in_any_of_its_names(
    vocabulary: Vocabulary, question: str, terms: set[str]
) -> None:
    assert vocabulary.meeting_terms(question) == terms


def test_a_users_file_may_add_venues(tmp_path: Path) -> None:
    extra = tmp_path / "venues.yaml"
    extra.write_text("venues: [Canberra]\n")
    vocabulary = load_vocabulary(extra)

    assert vocabulary.places("What came out of the Canberra talks?") == ()
    assert vocabulary.places("What did Canberra offer?") != ()


def test_a_partners_acronym_in_the_plural_names_the_partner(vocabulary: Vocabulary) -> None:
    # "the EUs case" (an apostrophe left out) matched the acronym's plural and then failed to
    # look it up: the question was a 500.
    named = vocabulary.places("What did the panel rule in the EUs case against US duties?")

    assert any("european" in words for place in named for words in place)


def test_the_border_orders_name_canada_and_mexico(vocabulary: Vocabulary) -> None:
    # "Imposing Duties To Address the Flow of Illicit Drugs Across Our Northern Border".
    (canada,) = vocabulary.places("Did Trump restore de minimis for Canadian goods?")
    assert frozenset({"northern", "border"}) in canada
    (mexico,) = vocabulary.places("What duty did Mexican goods pay?")
    assert frozenset({"southern", "border"}) in mexico
    assert "Canada" in vocabulary.expand("the Northern Border tariffs").added


def test_a_users_file_may_add_places(tmp_path: Path) -> None:
    extra = tmp_path / "places.yaml"
    extra.write_text("places:\n  Kazakhstan: [Astana, Kazakh]\n")
    vocabulary = load_vocabulary(extra)
    (kazakhstan,) = vocabulary.places("What did Astana say?")
    assert frozenset({"kazakhstan"}) in kazakhstan
    assert vocabulary.expand("What did Astana say?").added == ["Kazakhstan"]


def test_products_a_question_names_come_with_every_word_that_names_them(
    vocabulary: Vocabulary, tmp_path: Path
) -> None:
    (cars,) = vocabulary.products("What tariff applies to Japanese cars?")
    assert frozenset({"automobil"}) in cars and frozenset({"car"}) in cars
    assert vocabulary.products("What did the US and Japan agree?") == ()
    # Farm goods as a class: a passage on fentanyl duties names none.
    (farm,) = vocabulary.products("what changed for farm imports under the reciprocal tariffs?")
    assert frozenset({"agricultur"}) in farm
    # The wood proclamation names furniture by its kind: "upholstered wooden products".
    (furniture,) = vocabulary.products("what did upholstered wood furniture pay in Oct 2025?")
    assert frozenset({"upholst"}) in furniture
    extra = tmp_path / "products.yaml"
    extra.write_text("products:\n  cocoa: [cacao]\n")
    (cocoa,) = load_vocabulary(extra).products("duties on cacao beans?")
    assert frozenset({"cocoa"}) in cocoa


@pytest.mark.parametrize(
    ("question", "term"),
    [("tariffs on CHIPS from KOREA", "semiconductors"), ("BOOZE tariffs", "alcoholic beverages")],
)
def test_a_word_typed_in_capitals_is_the_word(
    vocabulary: Vocabulary, question: str, term: str
) -> None:
    # "CHINA", "CHIPS" are words in capitals, matched as typed in lower case.
    assert term in vocabulary.expand(question).added
    assert [sorted(words[0]) for words in vocabulary.places("tariffs on CHINA and JAPAN")] == [
        ["china"],
        ["japan"],
    ]


def test_ship_as_a_verb_names_no_vessels(vocabulary: Vocabulary) -> None:
    # "licenses to ship chips": a question about chips is not one about ships.
    assert vocabulary.products("Are licenses to ship Nvidia chips to China still denied?") == (
        vocabulary.products("Are licenses for Nvidia chips to China still denied?")
    )
    (vessels,) = vocabulary.products("port fees on Chinese ships")
    # A shipbuilding or maritime notice's passage is about ships.
    assert frozenset({"shipbuild"}) in vessels and frozenset({"maritim"}) in vessels
