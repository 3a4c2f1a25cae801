"""What a question asks about: its terms, their weights, a follow-up's borrowed terms."""

from __future__ import annotations

import pytest

from bot.answering.question_profile import (
    QuestionProfile,
    alternative_readings,
    asking_clause,
    coverage,
    profile_question,
)
from bot.retrieval.expansion import load_vocabulary
from bot.retrieval.time_scope import latest_words
from bot.terms import content_terms


def test_coverage_matches_related_stems_by_prefix() -> None:
    question = content_terms("presidential approval")
    sentence = content_terms("It goes to Presidents Trump and Xi for final approval.")

    assert coverage(question, sentence) == 1.0
    assert coverage(question, content_terms("Rare earth magnets")) == 0.0
    assert coverage(frozenset(), sentence) == 0.0


def test_a_follow_up_borrows_the_previous_questions_terms() -> None:
    previous = "What duties did the US put on steel?"

    follow_up = profile_question("What did they say about it?", previous)
    standalone = profile_question("Which countries export copper to Chile?", previous)

    assert follow_up.history_terms == {"duti", "us", "put", "steel"}
    assert standalone.history_terms == frozenset()
    steel = content_terms("The US raised steel duties.")
    assert follow_up.coverage(steel) > profile_question("What did they say about it?").coverage(
        steel
    )


def test_questions_asking_for_amounts_or_dates_prefer_sentences_with_them() -> None:
    amount = profile_question("How high is the tariff on steel?")
    date = profile_question("When do the talks resume?")
    plain = profile_question("Who objected?")

    assert amount.answer_type_fits("Duties rose to 50 percent.")
    assert not amount.answer_type_fits("Canada objected at once.")
    assert date.answer_type_fits("Talks resume in May.")
    assert not plain.answer_type_fits("Talks resume in May.")


@pytest.mark.parametrize(
    ("question", "number"),
    [
        ("What is the tariff rate on cars?", True),
        ("From Aug 1, 2024, what was the in-quota cap for solar cells?", True),
        ("what's the duty on Canadian lumber now?", True),
        ("What offtake volumes of rare earths did the US lock in?", True),
        ("what's the year-one in-quota volume for slabs?", True),
        ("what quantity of ethanol can Brazil send duty free?", True),
        # Typed the way people type: "whats"; a "figure" is an amount too.
        ("whats the current 232 tariff on patented drugs from the UK", True),
        ("aircraft purchase: what's the current figure now that the deal is final?", True),
        # A percent sign is a measure asked for, as "what percent" is.
        ("what % tariff did Mexico put on steel from non-FTA countries?", True),
        # A tariff by another name: an add-on, a surcharge, a levy.
        ("as of early March 2025, what was the fentanyl IEEPA add-on for PRC goods?", True),
        ("what's the balance-of-payments surcharge on imports now?", True),
        ("What annual GDP growth target does China's 15th Five-Year Plan set?", True),
        ("What is the tariff dispute about?", False),
        ("What was the surcharge proclamation about?", False),
        ("What does the January 2026 Cuba executive order target?", False),
        ("What was the outcome of the review?", False),
    ],
)
def test_what_is_the_rate_asks_for_an_amount(question: str, number: bool) -> None:
    profile = profile_question(question)

    assert (profile.answer_type in ("number", "rate")) is number
    assert profile.answer_type_fits("The rate is 25 percent.") is number


@pytest.mark.parametrize(
    ("sentence", "amount"),
    [
        ("Goods of these economies pay tariffs of 12.5% ad valorem.", True),
        ("The modified TRQ limit is 12.5 GW.", True),
        ("The rate rose to 27.5 per cent.", True),
        ("$1.5 billion of purchases were agreed.", True),
        ("(14) The Secretary shall continue to monitor imports of buses.", False),
        ("3. Duty Rates for International Postal Shipments.", False),
        ("Goods under heading 9903.01.63 are covered.", False),
        # A subsection's designators are no amount: "1702(a)(1)(B)" holds no "1".
        ("I invoked my authority under section 1702(a)(1)(B) of IEEPA to impose tariffs.", False),
        ("Section 2(a) of the order is amended by striking “10 percent”.", True),
    ],
)
def test_a_decimal_is_an_amount_and_a_list_items_number_is_none(
    sentence: str, amount: bool
) -> None:
    assert profile_question("What rate applies?").answer_type_fits(sentence) is amount


def test_how_long_or_how_big_asks_for_a_measure_not_for_the_word() -> None:
    assert profile_question("how long can the surcharge last?").terms == {"surcharg", "last"}
    assert profile_question("how big was the duty on Chinese goods?").terms == {
        "duti",
        "chines",
        "good",
    }
    assert "long" in profile_question("Is the long-grain rice quota full?").terms
    # The unit asked for is written as a sign in the answer ("$800 or less", "25%").
    assert profile_question("what's the de minimis threshold in dollars?").terms == {
        "de",
        "minimi",
        "threshold",
    }
    assert "percent" not in profile_question("what percentage of imports pay it?").terms
    assert "dollar" in profile_question("Is the dollar weakening?").terms


def test_a_one_character_term_counts_as_common_not_as_the_rarest() -> None:
    # The index keeps no one-character term, so "2" of "April 2" has no IDF of its own;
    # taken as the ceiling a term no passage holds gets, it was the "rarest" term.
    def idf(term: str) -> float:
        return {"reciproc": 2.0, "tariff": 1.0}.get(term, 9.0)

    profile = profile_question("the April 2 reciprocal tariffs", idf=idf)

    assert profile.weight("2") == 1.0
    assert profile.weight("reciproc") == 3.0
    assert profile.weight("april") == 10.0


def test_a_word_no_passage_holds_weighs_what_english_predicts_unless_a_name() -> None:
    # "stay" weighed as the rarest term of "did ag goods stay under the 40%?" (no passage
    # says it), so every sentence about agricultural goods left it uncovered and was refused.
    corpus = {"ag": 5.0, "good": 1.5, "40": 2.5, "durian": 9.0, "temu": 9.0, "stay": 9.0}

    def idf(term: str) -> float:
        return corpus.get(term, 9.0)

    def known(term: str) -> bool:
        return term in {"ag", "good", "40"}

    question = "did ag goods stay under the 40% or is Temu durian duty-free?"
    profile = profile_question(question, idf=idf, known=known, passages=2600)
    unweighed = profile_question(question, idf=idf)

    assert unweighed.weight("stay") == 10.0
    assert profile.weight("stay") < profile.weight("ag") < profile.weight("durian")
    assert profile.weight("temu") == 10.0  # a name: no article mentioning it refuses
    assert profile.weight("good") == 2.5  # a term the corpus holds keeps its own IDF


def test_the_words_asking_for_the_newest_word_are_no_terms_to_cover() -> None:
    # "still" and "current" chose the newest articles already; as terms they made "the supply
    # of aluminum is still insufficient" answer "is the steel tariff still 50%?".
    question = "is the steel tariff still 50%?"
    framed = profile_question(question, framing=latest_words(question))

    assert framed.terms == {"steel", "tariff", "50", "percent"}
    assert "still" in profile_question(question).terms
    assert latest_words("what's the current reciprocal tariff on Vietnam?") == "current"
    # "where do X stand", "where did X end up": X is the matter asked about, no framing.
    for question in ("where do the Swiss talks stand?", "where did the pharma 232 end up?"):
        framed = profile_question(question, framing=latest_words(question))
        assert {"swiss", "pharma"} & framed.terms, framed.terms


def test_an_era_says_when_and_is_no_term_to_cover() -> None:
    # The 2026 order cites "Executive Order 12957 of March 15, 1995"; it never writes
    # "Clinton", and "Clinton-era" as terms made the order's sentence too poor a match.
    profile = profile_question("what's the Clinton-era EO number the Feb 2026 Iran order cites?")

    assert not {"clinton", "era"} & profile.terms, profile.terms
    assert {"iran", "order"} <= profile.terms


@pytest.mark.parametrize(
    ("question", "sentence", "could"),
    [
        ("EO number for the Cuba oil tariffs?", "It was issued as Executive Order 14380.", True),
        ("EO number for the Cuba oil tariffs?", "The President signed an Executive Order.", False),
        ("which HTS heading?", "Goods under heading 9903.01.63 pay more.", True),
        # The kind of identifier may come several words after "which".
        ("which existing Venezuela national emergency EO was it built on?", "See EO 13692.", True),
        ("which existing Venezuela national emergency EO was it built on?", "It cites it.", False),
        ("what is the HTS heading for them?", "They enter under heading 9903.01.15.", True),
        ("what is the HTS heading for them?", "They enter duty-free.", False),
        ("which ch. 99 heading applies?", "Heading 9903.78.01 applies.", True),
        ("which ch. 99 heading applies?", "It applies to copper.", False),
        # ... or after the number's sign, with the clause saying which order.
        ("EO # that launched the copper probe?", "It was launched by EO 14220.", True),
        ("EO # that launched the copper probe?", "An EO launched the copper probe.", False),
        ("the EO number the Iran order builds on?", "It builds on EO 12957.", True),
        ("public law # for the act?", "It became Public Law 118-13.", True),
        ("public law # for the act?", "The act was signed.", False),
        ("Biden 301 increases - rate on cranes?", "Cranes pay 25 percent.", True),
        ("Biden 301 increases - rate on cranes?", "Cranes were named.", False),
        ("which HTS heading?", "Rates range from 16.88 to 25.50 percent since 2019.", False),
        # The kind of identifier named is the kind that answers, and not the question's own.
        ("EO number for the Cuba oil tariffs?", "Section 301 tariffs of 2019 stay.", False),
        ("proclamation number for the auto tariffs?", "See Executive Order 14257.", False),
        ("proclamation number for the auto tariffs?", "See Proclamation 10908.", True),
        # An ordinal is no amount.
        (
            "how much did the EU pledge to invest in the US?",
            "They pledged to update the rules of the 21st century.",
            False,
        ),
        (
            "how much did the EU pledge to invest in the US?",
            "The EU will invest $600 billion.",
            True,
        ),
        # Chat shortens the kind: "proc".
        ("proc number for the 2019 auto action?", "See Executive Order 14257.", False),
        ("proc number for the 2019 auto action?", "In Proclamation 9888 of May 17, 2019.", True),
        ("which proc raised it to 50%?", "The President raised it to 50%.", False),
        ("Which proclamation amended Proclamation 9704?", "Proclamation 9704 set it.", False),
        ("Which proclamation amended Proclamation 9704?", "Proclamation 10139 did.", True),
        ("what new HTSUS heading did it create?", "Proclamation 10522 raised it.", False),
        ("what new HTSUS heading did it create?", "It created heading 9903.90.12.", True),
        ("what new HTSUS heading did it create?", "It created heading 9903 for it.", True),
        ("FR cite for the initiation notice?", "It ran at 91 *Fed*. *Reg*. 12884.", True),
        ("FR cite for the initiation notice?", "Proclamation 10908 started it.", False),
        ("docket number for the comments?", "See docket USTR-2025-0001.", True),
        # Which shipbuilders, which steelmaker: a business the question does not name.
        (
            "Which Chinese shipbuilders did USTR name in the maritime 301 determination?",
            "USTR determined that China's targeting of the shipbuilding sector is actionable.",
            False,
        ),
        (
            "which korean steelmaker was thinking about a US mill?",
            "It was recently announced that Hyundai Steel is considering a plant in Louisiana.",
            True,
        ),
        # A new date is not the day a thing was scheduled for before it moved.
        (
            "What new date did USTR set for the postponed hearing?",
            "USTR is postponing the public hearing that was scheduled to take place on "
            "October 7, 2025.",
            False,
        ),
        (
            "What new date did USTR set for the postponed hearing?",
            "The hearing has been rescheduled to November 18, 2025.",
            True,
        ),
        (
            "What new date did USTR set for the postponed hearing?",
            "Federal Register document number 2025-19488, published 2025-10-07.",
            False,
        ),
        # Where an event took place is answered by a place the question does not name.
        ("where was the US-Japan framework signed?", "Signed in Tokyo this 28th day.", True),
        ("where was the US-Japan framework signed?", "The US and Japan signed it.", False),
        ("where was the US-Japan framework signed?", "It was signed in Japan.", False),
        (
            "Where was USTR's Jan 2019 hearing held?",
            "The hearing will take place at 1724 F Street NW, Washington, DC.",
            True,
        ),
        ("where'd Trump and Xi sit down?", "Trump and Xi met in Busan on October 30.", True),
        # Someone's words or response are told by a sentence naming them, or quoting them.
        (
            "How did Xi respond on Taiwan during the July 2022 call with Biden?",
            "On Taiwan, President Biden underscored that the United States policy has not changed.",
            False,
        ),
        (
            "How did Xi respond on Taiwan during the July 2022 call with Biden?",
            "President Xi said that the two sides should respect each other.",
            True,
        ),
        ("What did Piyush Goyal say about the deal?", "The US and India announced it.", False),
        ("What did Piyush Goyal say about the deal?", "“A historic day,” the minister said.", True),
        # A WTO dispute's number is answered by a dispute's, not an FR document number.
        (
            "WTO DS number for Argentina's OCTG case?",
            "Federal Register document number 2023-25802, published 2023-11-22.",
            False,
        ),
        ("WTO DS number for Hong Kong's marking case?", "It requested a panel (WT/DS597/8).", True),
        ("wto dispute number for the olives case?", "See FR Doc. 2023-25802.", False),
        ("what rate applies to Vietnam?", "Vietnam pays 20 percent.", True),
        ("what rate applies to Vietnam?", "Vietnam pays the rate in Annex I.", False),
        ("what did the deal cover?", "Vietnam pays the rate in Annex I.", True),
        # An identifier's number or a date's is no amount; naming "Section 232" asks no section.
        ("What Section 232 rate did Commerce set on turbines?", "Turbines pay 25 percent.", True),
        ("What Section 232 rate did Commerce set on turbines?", "See Section 232 of 1962.", False),
        ("What Section 232 rate did Commerce set on turbines?", "It began on August 13.", False),
        ("what rate applies to Vietnam?", "Under 19 U.S.C. 2411, Vietnam pays it.", False),
        ("which section of the Trade Act allows it?", "Section 122 allows it.", True),
        # A part of a document is no amount: "section 3 of", "clause (6)", "Annex I".
        ("what rate applies to China?", "Under section 3 of the order, China pays it.", False),
        ("what rate applies to China?", "Clause (6) of the proclamation revokes it.", False),
        ("what rate applies to China?", "Section 2(a) now reads 20 percent.", True),
        # "what did it go up to?" asks for the level reached.
        ("what did the fentanyl tariff go up to?", "It was amended on March 3.", False),
        ("what did the fentanyl tariff go up to?", "It now reads 20 percent.", True),
        ("what was the duty cut to in May?", "It now reads 20 percent.", True),
        ("feb 2025: what did the aluminum rate go from/to?", "It was amended on Feb 10.", False),
        ("feb 2025: what did the aluminum rate go from/to?", "It went to 25 percent.", True),
        ("what was the duty cut to in May?", "The duty was cut after talks.", False),
        ("what did Trump raise the tariff on China to?", "It was amended on March 3.", False),
        ("what did Trump raise the tariff on China to?", "It now reads 20 percent.", True),
        # A tariff's level is a rate or an amount of money, not any number at all.
        (
            "In Feb 2025, what did Trump raise the 232 tariff on aluminum to?",
            "It ended hundreds of thousands of exclusions.",
            False,
        ),
        ("what did Trump raise the 232 tariff on aluminum to?", "It rose to 25 percent.", True),
        ("what was the steel duty cut to?", "Steel pays 15 cents per kilogram.", True),
        ("what did they lower the tariff to?", "Cars now enter duty-free.", True),
        ("what did the price of steel go up to?", "It went up to two thousand.", True),
        ("what did imported kitchen cabinets pay?", "Cabinets pay 25 percent.", True),
        ("what did imported kitchen cabinets pay?", "Cabinets were named in Annex I.", False),
        # ... as does what goods owe, whatever the question writes before the verb.
        (
            "what did postal parcels from China under $800 owe once de minimis ended?",
            "Postal items are subject to a duty rate of 30% of their value.",
            True,
        ),
        (
            "what did postal parcels from China under $800 owe once de minimis ended?",
            "The order ends de minimis treatment for covered goods from China.",
            False,
        ),
        # "What legal authority": a law answers, not the measure taken under it.
        ("legal authority for the Canada tariffs?", "Proclamation 11048 set them.", False),
        ("legal authority for the Canada tariffs?", "It acts under section 338.", True),
        ("under what statute were they imposed?", "They rest on IEEPA.", True),
        ("under what statute were they imposed?", "They were imposed in May.", False),
        ("when is the next meeting?", "They meet this fall.", True),
        ("when is the next meeting?", "They meet upon completion of the review.", True),
        ("when is the next meeting?", "They meet to discuss tariffs.", False),
        # Shorthand that names what it wants as a clause's head noun, with no verb.
        ("Start date for the baseline tariff?", "This will take effect April 5, 2025.", True),
        ("Start date for the baseline tariff?", "The baseline tariff helps workers.", False),
        ("size of the EU steel TRQ in the Dec 2021 deal?", "It totals 3.3 million tons.", True),
        ("size of the EU steel TRQ in the Dec 2021 deal?", "The EU got a TRQ on steel.", False),
        ("what was the size of the EU steel TRQ?", "It totals 3.3 million tons.", True),
        ("what was the size of the EU steel TRQ?", "The EU got a TRQ on steel.", False),
        ("FR cite for the initiation notice?", "The notice ran at 90 FR 12884.", True),
        ("FR cite for the initiation notice?", "USTR initiated the investigations.", False),
        ("Oct 2025 modification: duty on cranes?", "Cranes pay 100 percent.", True),
        ("Oct 2025 modification: duty on cranes?", "Cranes were named in the notice.", False),
        ("hts subheadings covered by the safeguard", "It covers 6810.99.0020.", True),
        ("hts subheadings covered by the safeguard", "It covers quartz slabs.", False),
        ("extended comment deadline for the chip rules", "Comments are due January 17.", True),
        ("extended comment deadline for the chip rules", "BIS extended the period.", False),
        ("the 15% tranche got cut to what?", "It fell to 7.5 percent.", True),
        ("the 15% tranche got cut to what?", "The tranche was cut.", False),
        ("When IPEF launched, how many partners joined?", "It had a dozen partners.", True),
        ("When IPEF launched, how many partners joined?", "It launched in May.", False),
        # A leading "when" clause sets the scene; the question after it asks.
        (
            "When the US and EU settled the steel fight, what was the first step?",
            "They set up a working group on carbon.",
            True,
        ),
        # "How many X": the answer counts X, not any number at all.
        ("how many barrels a day of Russian crude?", "India bought 1.7 million barrels.", True),
        ("how many barrels a day of Russian crude?", "The tariff rose by 25 percent.", False),
        ("How many Boeing jets did China order?", "China ordered 200 Boeing aircraft.", True),
        ("how many times did they meet?", "They met twice in 2025.", True),
        ("how many minerals are on the list?", "The list includes 60 minerals.", True),
        ("how many minerals are on the list?", "Copper joined the 2025 minerals list.", False),
        # The head noun of a longer phrase is what is counted.
        (
            "how many China 301 product exclusions were still alive?",
            "There are currently 178 effective exclusions.",
            True,
        ),
        # A span of time, a date's day or a numbered list is no count of requests.
        (
            "How many requests did USTR get in the windows?",
            "Requests were due in the 60-day window before the four-year anniversary, between "
            "May 7, 2022, and July 5, 2022, for the List 1 action.",
            False,
        ),
        (
            "How many requests did USTR get in the windows?",
            "USTR received more than 400 requests in the windows.",
            True,
        ),
        # A name typed in quotes is counted as typed without them, in either's text.
        (
            'how many China-based "Entity List" parties got hit?',
            "It adds twenty-eight entities on the Entity List.",
            True,
        ),
        ('how many "Entity List" parties got hit?', "It adds 28 “entities”.", True),
        ('how many "Entity List" parties got hit?', "It adds 28 new rules.", False),
        ("how many days do importers have to comment?", "Comments are due within 30 days.", True),
        (
            "how many GW can come in?",
            "Cells entered after May 7 fall within the 12.5 GW limit.",
            True,
        ),
        ("a ministerial is planned, on what timeline?", "It meets within 180 days.", True),
        ("a ministerial is planned, on what timeline?", "The ministerial promotes mining.", False),
        # "When did it start": a calendar date; a plan ("upon completion") is no answer.
        ("When did Macedonia start buying LNG?", "It began buying LNG in May 2026.", True),
        ("When did Macedonia start buying LNG?", "It will buy LNG upon completion.", False),
        ("When would Macedonia start buying LNG?", "It will buy LNG upon completion.", True),
        # "what dates", "which days": a plural asks for dates all the same.
        ("what dates did the hearing run?", "It will be held on July 20-22, 2022.", True),
        ("what dates did the hearing run?", "The hearing drew many requests.", False),
        # "How long": a span, or when it ends or began.
        ("How long was the pause on steel duties?", "Duties were suspended for 1 year.", True),
        ("How long was the pause on steel duties?", "Duties were suspended on steel.", False),
        ("how long can the surcharge stay?", "It stays until Congress extends it.", True),
        ("how much more time did the exclusions get?", "They got an additional 6 months.", True),
        ("how much more time did the exclusions get?", "The 81 exclusions were extended.", False),
        # "Which countries": a country the question does not name itself (nor the US, the
        # home country of nearly every document).
        ("Which countries joined the partnership?", "Mali and Viet Nam joined.", True),
        ("Which countries joined the partnership?", "Both countries joined.", False),
        ("Which countries joined the partnership?", "The United States joined.", False),
        ("Which EU member states objected to the US deal?", "The U.S. and the EU agreed.", False),
        ("Which EU member states objected to the US deal?", "France and Germany objected.", True),
        ("entities added: how do they break down by country?", "Burma (1), Pakistan (1).", True),
        # "Who": a name the question does not write, nor the home country's.
        (
            "who testified at the Trade Representative's hearing on fees?",
            "The United States and its Trade Representative held a hearing on fees.",
            False,
        ),
        (
            "who testified at the Trade Representative's hearing on fees?",
            "Steelworkers President David McCall testified at the hearing.",
            True,
        ),
        # A title in capitals names no one, nor does a country.
        (
            "who testified at the Trade Representative's hearing on fees?",
            "Notice of Proposed Action in Section 301 Investigation of Targeting the Maritime, "
            "Logistics, and Shipbuilding Sectors for Dominance",
            False,
        ),
        (
            "who testified at the Trade Representative's hearing on fees?",
            "The fees fall on ships built in China and operated from Singapore.",
            False,
        ),
        # "What did <a person> say": words someone said; a document's own voice is any sentence.
        ("What did Kim Darroch say at the signing?", "Darroch signed two agreements.", False),
        ("What did Kim Darroch say at the signing?", "Darroch said the deal helps.", True),
        ("What did Maroš Šefčovič say?", "Šefčovič called it “a good deal”.", True),
        ("What did the White House say about steel?", "Steel duties rise to 50%.", True),
        ("What did China say about it?", "China suspended its rare earth controls.", True),
        ("What did Lighthizer say the talks must end up with?", "A binding deal.", True),
        # Another party's reaction: someone speaking or responding, not the measure told.
        (
            "How did Iran's foreign ministry react to the order?",
            "Today, President Trump signed an order with respect to Iran.",
            False,
        ),
        (
            "How did Iran's foreign ministry react to the order?",
            "Iran's foreign ministry said the order violates international law.",
            True,
        ),
        (
            "What was Claudia Sheinbaum's reaction to the tariffs?",
            "Mexico announced retaliatory tariffs on U.S. pork.",
            True,
        ),
        (
            "What did Macau's government say about the controls?",
            "The rule adds Macau to the controls implemented on China.",
            False,
        ),
        # A term in quotation marks is no one's words; a quoted phrase is.
        (
            "What did Macau's government say about the controls?",
            'The rule applies the controls on "U.S. persons." to Macau.',
            False,
        ),
        (
            "What did Kim Darroch say at the signing?",
            'Darroch signed the "Mutual Recognition" agreements.',
            False,
        ),
        (
            "What did Kim Darroch say at the signing?",
            'Darroch called the agreements "a sign of continuity".',
            True,
        ),
        (
            "How did the US respond to China's export controls?",
            "The President imposed an additional 100 percent tariff.",
            True,
        ),
        # "Did the panel side with ...": a decision of the panel's or the court's own.
        ("Did the WTO panel side with the EU on olives?", "The panel found for the EU.", True),
        ("Did the WTO panel side with the EU on olives?", "The EU requested a panel.", False),
        ("Did the WTO panel side with the EU on olives?", "Commerce found subsidies.", False),
        ("what did SCOTUS hold about IEEPA?", "The Supreme Court held that it does not.", True),
        # ... however it is asked: "how did the panel end up ruling", "finally decide".
        (
            "How did the WTO panel end up ruling in Hong Kong's origin-marking dispute?",
            "The panel found that the marking requirement breached GATT.",
            True,
        ),
        (
            "How did the WTO panel end up ruling in Hong Kong's origin-marking dispute?",
            "Hong Kong, China has requested the establishment of a dispute settlement panel.",
            False,
        ),
        ("what did the court finally decide on IEEPA?", "The Court held that it does not.", True),
        ("what did the court finally decide on IEEPA?", "The court heard arguments.", False),
        # What a measure spares is told by a sentence saying it does not apply to them.
        ("338 tariffs on Canada: what's carved out?", "They will not apply to energy.", True),
        ("which Canadian goods are carved out?", "They cover dairy, alcohol and autos.", False),
        ("what's exempt from the Brazil tariff?", "Civil aircraft are excepted from it.", True),
        ("what does the Brazil tariff cover?", "The tariff covers coffee.", True),
        # "What happens if ...?" is answered by what a text provides for that case.
        (
            "what happens if China doesn't keep its commitments?",
            "Should the PRC fail to implement its commitments, I may modify this order.",
            True,
        ),
        ("what if a partner retaliates?", "(b) Should any partner retaliate, I may act.", True),
        ("what if a partner retaliates?", "If a partner retaliates, the rate rises.", True),
        ("what if a partner retaliates?", "The Secretary should monitor retaliation.", False),
        ("what if a partner retaliates?", "China retaliated with tariffs of its own.", False),
        # The legal conditional: goods "determined by CBP to have been transshipped ...".
        (
            "what happens if CBP catches goods being transshipped?",
            "Articles determined by U.S. Customs and Border Protection (CBP) to have been "
            "transshipped shall be subject to a 40 percent duty.",
            True,
        ),
        (
            "what happens if CBP catches goods being transshipped?",
            "CBP collects the duty on transshipped goods.",
            False,
        ),
        # An FR document number is a Federal Register identifier as much as its citation.
        ("FR doc number for the drone 232 notice?", "FR Doc. 2025-13365 Filed 7-15-25.", True),
        ("FR doc number for the drone 232 notice?", "Comments are due 2025-08-16.", False),
        ("FR cite for the forced labor 301?", "See 91 FR 12884 (March 2026).", True),
        # A verb makes it a real question, which may be answered without an amount.
        ("duties on steel still in place?", "The duties were terminated.", True),
        ("Oct 2025 notice: is the duty on cranes final?", "The action is final.", True),
        # The days and numbers the question writes itself answer no date or amount asked.
        (
            "USTR postponed the Oct 7 2025 hearing — what's the new hearing date?",
            "USTR is postponing the hearing scheduled for October 7, 2025.",
            False,
        ),
        (
            "USTR postponed the Oct 7 2025 hearing — what's the new hearing date?",
            "Federal Register document number 2025-19488, published 2025-10-07.",
            False,
        ),
        (
            "USTR postponed the Oct 7 2025 hearing — what's the new hearing date?",
            "The hearing will be held on November 4, 2025.",
            True,
        ),
        (
            "How much revenue did the 25% Russian-oil penalty on India bring in?",
            "India was charged an additional 25% tariff.",
            False,
        ),
        (
            "How much revenue did the 25% Russian-oil penalty on India bring in?",
            "The 25% tariff on India raised $2 billion.",
            True,
        ),
        (
            "What rate is the UK tax USTR found unfair in 2021?",
            "FR Doc. 2021-01174 of 2021.",
            False,
        ),
        ("What rate is the UK tax USTR found unfair in 2021?", "The tax is 2% of revenue.", True),
        ("when in 2019 did USTR hold the hearing?", "USTR held the hearing in 2019.", False),
        ("when in 2019 did USTR hold the hearing?", "The hearing was on May 13, 2019.", True),
        # What a notice tells it is doing happened on its date.
        (
            "when did USTR find the shipbuilding practices actionable?",
            "The U.S. Trade Representative has determined that they are actionable.",
            True,
        ),
        (
            "when did USTR find the shipbuilding practices actionable?",
            "The practices are actionable under section 301.",
            False,
        ),
        # A decimal amount is no code, whatever year the question names.
        (
            "Apr 2025 auto parts offset: how big is the credit, as a % of the price?",
            "The offset equals 3.75% of the price from April 3, 2025 to April 30, 2026.",
            True,
        ),
        # What a term means is told by its definition, not by another term's.
        (
            "timber vs lumber EO - how does it define timber??",
            "(b) The term “lumber” refers to wood that has been processed, including timber.",
            False,
        ),
        (
            "timber vs lumber EO - how does it define timber??",
            "(a) The term “timber” refers to wood that has not been processed.",
            True,
        ),
        ("does 'oil' mean only crude?", "The term “oil” means crude oil or petroleum.", True),
        ("does 'oil' mean only crude?", "Cuba imports crude oil from Venezuela.", False),
        (
            "what does OSAT mean?",
            "It helps foundries and Outsourced Assembly and Test (“OSATs”).",
            True,
        ),
        # What follows from a deal is no definition.
        ("what does the deal mean for farmers?", "Farmers will sell more soybeans.", True),
        # "the number of entities" asks a count of them, not the number a document is known by.
        (
            "Sept 2025 entity list rule: what's the number of entities BIS added?",
            "Federal Register document number 2025-17893, published 2025-09-16.",
            False,
        ),
        (
            "Sept 2025 entity list rule: what's the number of entities BIS added?",
            "This rule adds 32 entities to the Entity List.",
            True,
        ),
        # ... and so does a plural without its "s".
        (
            "number of aircraft Malaysia Airlines is buying?",
            "Malaysia Airlines will buy 30 Boeing 737 MAX aircraft.",
            True,
        ),
        (
            "number of aircraft Malaysia Airlines is buying?",
            "Malaysia Airlines will buy Boeing aircraft, as Executive Order 14257 foresees.",
            False,
        ),
        ("# of tariff lines in the annex?", "The annex lists 4 tariff lines.", True),
        ("# of tariff lines in the annex?", "The annex is at 90 FR 15625.", False),
        # ... and "#" after a kind of order asks its number.
        (
            "proclamation # for the July 20 2026 section 338 duties?",
            "In Proclamation 11046 of July 20, 2026, I imposed duties under section 338.",
            True,
        ),
        (
            "proclamation # for the July 20 2026 section 338 duties?",
            "On July 20, 2026, I imposed duties under section 338.",
            False,
        ),
        # Whether it happened again is not answered by the first time.
        (
            "Has Commerce caught India buying Russian oil again and put the 25% back on?",
            "The President imposed an additional 25% tariff on India for buying Russian oil.",
            False,
        ),
        (
            "Has Commerce caught India buying Russian oil again and put the 25% back on?",
            "The President reimposed the additional 25% tariff on India.",
            True,
        ),
        # "report back on", "hit back on" ask no recurrence.
        (
            "How did Beijing hit back on April 4, 2025 after the Liberation Day tariffs?",
            "China imposed a 34% tariff on all U.S. goods on April 4, 2025.",
            True,
        ),
        (
            "number of Biden's July 2024 proclamation on Mexican aluminum?",
            "Proclamation 10782 of July 10, 2024 imposed higher tariffs on aluminum from Mexico.",
            True,
        ),
        # What a company invests is a sum of money, not any amount.
        (
            "How much is Rio Tinto investing in its US copper smelting expansion?",
            "Over 4 million tons of new smelting capacity will come online, with investments.",
            False,
        ),
        (
            "How much is Rio Tinto investing in its US copper smelting expansion?",
            "Rio Tinto will invest $2.5 billion in its Utah copper smelter.",
            True,
        ),
        (
            "How much investment into the US is Malaysia supposed to facilitate?",
            "Malaysia shall facilitate approximately USD70 billion in investment.",
            True,
        ),
        # Whose money is asked about: the sum must be told of it, not of others.
        (
            "How much is Roche putting into the US as part of the Swiss trade framework?",
            "Swiss and Liechtenstein companies will invest at least $200 billion in the US.",
            False,
        ),
        (
            "How much is Roche putting into the US as part of the Swiss trade framework?",
            "Roche will invest $50 billion in the United States over five years.",
            True,
        ),
        (
            "How much is Japan investing under the deal?",
            "The country will invest $550 billion in the United States.",
            True,
        ),
        # A sum has a figure: "billions of dollars" tells no amount.
        (
            "How much is Roche putting into the US as part of the Swiss trade framework?",
            "Billions of dollars of investment by Swiss companies such as Roche will flow in.",
            False,
        ),
        (
            "How much did the company pay to settle?",
            "The company agreed to pay 140 million dollars to settle the charges.",
            True,
        ),
        (
            "how much did Cadence pay to settle the BIS case?",
            "Cadence pleaded guilty and paid a penalty.",
            False,
        ),
        # A count answers "how many" when it counts what is asked.
        (
            "How many requests to keep the tariffs did USTR receive in the 2022 windows?",
            "USTR is opening dockets in these two time windows for requests from industries.",
            False,
        ),
        (
            "How many requests to keep the tariffs did USTR receive in the 2022 windows?",
            "If the actions continue as a result of one or more requests, USTR will proceed.",
            False,
        ),
        (
            "How many requests to keep the tariffs did USTR receive in the 2022 windows?",
            "USTR received more than 400 requests to continue the tariffs.",
            True,
        ),
        (
            "how many entities did BIS add to the Entity List in the Sept 2025 rule?",
            "BIS added 32 Chinese and Russian entities to the Entity List.",
            True,
        ),
        # "What tariffs" asks their level.
        (
            "What tariffs is USTR going to impose out of the Phase One compliance 301?",
            "USTR is initiating an investigation of China's compliance with the Phase One deal.",
            False,
        ),
        ("what tariffs did Trump put on Brazil?", "Brazil's goods pay an extra 40 percent.", True),
        (
            "what tariffs did the Supreme Court strike down?",
            "The Court held that IEEPA does not authorize the fentanyl and reciprocal tariffs.",
            True,
        ),
        # A country the question names by its adjective is no answer to "which countries".
        (
            "Which countries has Commerce found to be buying Iranian goods, and what tariff?",
            "A 25 percent duty may be imposed on goods of any country that buys from Iran.",
            False,
        ),
        (
            "Which countries has Commerce found to be buying Iranian goods, and what tariff?",
            "Commerce found that Iraq buys goods from Iran; its goods pay 25 percent.",
            True,
        ),
        (
            "which countries besides the Swiss got a lower pharma rate?",
            "Switzerland's pharmaceutical products pay 15 percent.",
            False,
        ),
        # One country asked for is a country the question does not name.
        (
            "which country was added to the Entity List besides China?",
            "BIS added entities under the destination of China.",
            False,
        ),
        (
            "which country was added to the Entity List besides China?",
            "BIS added entities under the destinations of China and Iran.",
            True,
        ),
        # What was said at a meeting is not its announcement.
        (
            "at their Lima meeting in Nov 2024 did Biden and Xi say anything about AI?",
            "President Biden will meet with President Xi in Lima, Peru on November 16.",
            False,
        ),
        (
            "at their Lima meeting in Nov 2024 did Biden and Xi say anything about AI?",
            "The two leaders affirmed the need to address the risks of AI systems.",
            True,
        ),
        (
            "what did the two sides agree at the Geneva talks?",
            "The delegations will meet in Geneva on May 10.",
            False,
        ),
        (
            "what did the two sides agree at the Geneva talks?",
            "The two sides agreed to lower tariffs and will meet again in 90 days.",
            True,
        ),
        # "may" as a verb names no month.
        (
            "when did it take effect?",
            "The Secretary is authorized to take all actions as may be necessary to effect it.",
            False,
        ),
        (
            "when did it take effect?",
            "The order took effect on May 2, 2025.",
            True,
        ),
        # How much of a quota is no sum of money.
        (
            "how much of it can come in under bond in year one?",
            "In year one, 250 units may enter under bond.",
            True,
        ),
    ],
)
def test_only_a_sentence_holding_the_kind_asked_for_could_answer(
    question: str, sentence: str, could: bool
) -> None:
    assert profile_question(question).could_answer(sentence) is could


def test_what_a_document_is_asked_to_say_anything_about() -> None:
    question = "Does the US-Norway MOU say anything about Norway's seabed mining plans?"
    vocabulary = load_vocabulary()
    profile = profile_question(question, places=vocabulary.places(question))

    # The place named is where to look, not what is asked about.
    assert profile.about_terms == content_terms("seabed mining plans")
    aside = profile_question("did the EU say anything about network fees (the 'fair share' thing)?")
    assert aside.about_terms == content_terms("network fees")
    # What a document says about something asks the same: it must be written ("what does
    # the Cambodia agreement say about casinos?" is not answered by its opening).
    assert profile_question("What does the MOU say about mining?").about_terms == {"mine"}
    assert not profile_question("What does the MOU say?").about_terms
    assert not profile_question("What did USTR say the rate was?").about_terms


def test_a_number_word_opening_a_name_is_no_amount() -> None:
    profile = profile_question("What GDP growth target does China's 15th Five-Year Plan set?")

    assert not profile.could_answer("China's legislature approved the Five-Year Plan in March.")
    assert not profile.could_answer("The Four-Year Review of the tariffs was completed.")
    assert profile.could_answer("The plan sets a growth target of around five percent.")
    assert profile.could_answer("Five ministries will share the work.")


def test_a_count_in_tonnes_is_answered_in_metric_tons() -> None:
    question = "EU aluminum TRQ in the Dec 2021 deal: how many tonnes of unwrought?"
    alternatives = load_vocabulary().expand(question).alternatives()
    profile = profile_question(question, alternatives=alternatives)

    assert profile.could_answer("The quota totals 18,000 metric tons of unwrought aluminum.")
    assert not profile.could_answer("The quota covers unwrought aluminum from the EU.")


@pytest.mark.parametrize(
    ("question", "answer_type"),
    [
        ("what did Trump accuse Mexico's government of when it comes to the cartels?", "any"),
        ("When it comes to steel, what rate applies?", "number"),
        ("What tariff applies to cars when they come from Japan?", "number"),
        ("what was the copper tariff when it first took effect?", "number"),
        # A "when" that asks, or names the date it asks for, still asks for a date.
        ("what's the date when the tariffs start?", "date"),
        ("Tariffs on Japan: what rate, and when does it start?", "date"),
        ("and when did it start?", "past_date"),
        # A "when" clause opening the question sets the scene for the question proper.
        ("back in April 2025, when Trump ended de minimis, what duty did parcels get?", "number"),
        ("when the IEEPA duties got scrapped did that also end the 232s?", "any"),
        ("when the tariffs were announced?", "date"),
        ("when will the tariffs start?", "date"),
        # "Where" an event took place asks a location; where a rule sends things does not.
        ("where were Biden and Xi meeting in nov 2024?", "location"),
        ("in which city did they meet?", "location"),
        ("where do comments on the timber 232 go?", "any"),
        ("where does Mexican steel have to be melted and poured?", "any"),
        ("where did the legacy chip 301 end up?", "any"),
        # "Why" asks a reason, whatever its clause names; another clause may ask a date.
        ("Why did Commerce push back the comment deadline on the chip rules?", "any"),
        ("how come the rate went up to 20%?", "any"),
        ("why was the deadline extended and to when?", "date"),
        ("Why did Trump scrap the carve-out - who was actually benefiting?", "who"),
    ],
)
def test_a_when_clause_inside_another_question_asks_no_date(
    question: str, answer_type: str
) -> None:
    assert profile_question(question).answer_type == answer_type


@pytest.mark.parametrize(
    ("question", "answer_type"),
    [
        # "what" before the kind of thing asked for asks which one, as "which" does.
        ("what agency administers the tariff-rate quota?", "who"),
        ("which ministry announced the export controls?", "who"),
        ("what firms got product exclusions?", "organization"),
        # ... and so does an order to name or list them.
        ("name the companies added to the list", "organization"),
        # "the name of the ... company", with or without its articles.
        ("what's the name of the Pakistani company BIS listed?", "organization"),
        ("whats name of pakistani company BIS listed?", "organization"),
        ("list the countries with 15% rates", "place"),
        # A kind of thing in a compound names none: "company-specific rates".
        ("what company-specific rates apply?", "any"),
        # A verb first: what the businesses or the country did, not which ones.
        ("What did carmakers warn about rare-earth magnets?", "any"),
        ("What duty do importers above the steel quota pay?", "number"),
        ("what did the country of origin rule say?", "any"),
        ("what did countries that were left off the annex get hit with?", "any"),
        ("what rate did countries left off the annex pay?", "number"),
        ("what other countries signed?", "place"),
        # What an order is about is its matter, not its number.
        ("what is the executive order on Cuba?", "identifier"),
        ("What's the Jan 2026 executive order on Cuba about?", "any"),
        ("what was the proclamation about - Cuba?", "any"),
        ("what's the EO number for the order about oil?", "identifier"),
    ],
)
def test_what_or_an_order_before_a_kind_asks_which_one(question: str, answer_type: str) -> None:
    assert profile_question(question).answer_type == answer_type


@pytest.mark.parametrize(
    "question",
    [
        "In his testimony, who did Lighthizer single out as a leader?",
        "Iran EO: who's authorized to single out a leader?",  # chat's contraction of "who is"
    ],
)
def test_a_who_question_asked_mid_sentence_asks_for_a_name(question: str) -> None:
    profile = profile_question(question)

    assert profile.answer_type == "who"
    assert profile.could_answer("The Speaker was an early leader on this issue.")
    assert not profile.could_answer("we are here to talk about trade.")


@pytest.mark.parametrize(
    "question",
    ["In which city did Biden launch IPEF?", "what city hosted the talks?", "which venue?"],
)
def test_the_kind_of_place_asked_for_is_no_term_to_cover(question: str) -> None:
    # "Today in Tokyo, Japan, President Biden launched ..." answers without "city".
    assert not profile_question(question).terms & {"citi", "venu"}


def test_a_time_of_day_names_no_one() -> None:
    # "9:30 AM - 4:00 PM EST" tells when the hearing runs, not who spoke at it.
    profile = profile_question("who were the witnesses at USTR's Jan 29 2019 hearing?")

    assert not profile.could_answer(
        "On January 29, 2019 USTR will hold a public hearing from 9:30 AM - 4:00 PM EST."
    )
    assert profile.could_answer("Witnesses included the National Pork Producers Council.")


@pytest.mark.parametrize(
    "question",
    [
        "which Brazilian judge gets called out by name in the July 2025 order?",
        "Which Chinese vice premier led the talks in Geneva?",
        "which officials signed it?",
    ],
)
def test_which_office_holder_asks_for_a_person(question: str) -> None:
    profile = profile_question(question)

    assert profile.answer_type == "who"
    assert profile.could_answer("It names Justice Alexandre de Moraes.")
    assert not profile.could_answer("the order names a judge of the court.")


@pytest.mark.parametrize(
    ("question", "sentence", "could"),
    [
        # The airline asked for is named nowhere: Boeing is the question's own name.
        ("Which Malaysian airline is taking the 30 Boeing jets?",
         "- Purchase of 30 Boeing aircraft plus a purchase option for 30 more.", False),
        ("Which Malaysian airline is taking the 30 Boeing jets?",
         "The jets go to Malaysia Aviation Group, which takes 30 Boeing 737s.", True),
        # Heads of government and the governments' own bodies are no businesses.
        ("Which Thai companies signed on to the critical minerals MOU?",
         "President Trump and Prime Minister Anutin Charnvirakul signed a MOU to promote "
         "partnerships between U.S. and Thai companies.", False),
        ("whats the name of the pakistani company BIS put on the entity list?",
         "In this rule, the Bureau of Industry and Security (BIS) amends the Export "
         "Administration Regulations (EAR) by adding 13 entities to the Entity List.", False),
        ("How much is Roche investing, and which other Swiss companies?",
         "Investment by major Swiss companies such as Roche, Novartis and ABB was announced.",
         True),
        # A part's numeral, a list item's number or label opens no business's name.
        ("Which drugmakers are on the Annex II list?",
         "The products are listed in Annex VIII to this proclamation.", False),
        ("Which drugmakers are on the Annex II list?",
         "\\(5\\) Generic pharmaceuticals shall not be subject to tariffs at this time.", False),
        ("Which drugmakers are on the Annex II list?",
         "- *Specialty products*: Orphan drugs will be exempt.", False),
        ("Which drugmakers are on the Annex II list?",
         "- *Company deals*: Pfizer and Merck are listed.", True),
        # A title's capitalised words and a department's name are no business's.
        ("which grower associations filed the seasonal produce petition?",
         "Section 301 Petition on Mexico's Acts, Policies, and Practices Concerning Seasonal "
         "and Perishable Agricultural Products", False),
        ("which grower associations filed the seasonal produce petition?",
         "USTR, with the U.S. Department of Agriculture, will establish an advisory panel.",
         False),
        ("which grower associations filed the seasonal produce petition?",
         "The petition was filed by the Florida Fruit and Vegetable Association.", True),
        ("Which Korean companies will invest?",
         "Hanwha Ocean, Samsung Heavy Industries, HD Hyundai and others will invest.", True),
        # A unit's short form and an order's title in parentheses name no business.
        ("which chinese companies were added to the entity list?",
         "China will purchase 12 million metric tons (MMT) of soybeans, and 25 MMT in 2026.",
         False),
        ("which chinese companies were added to the entity list?",
         "Executive Order 14228 of March 3, 2025 (Further Amendment to Duties Addressing the "
         "Synthetic Opioid Supply Chain in the People's Republic of China) raised the rate.",
         False),
        ("which chinese companies were added to the entity list?",
         "The rule adds Inspur Group and Sugon (SGN) to the Entity List.", True),
        # A kind of business named with a plural short form names none of them.
        ("which chip designers got approved as authorized IC designers?",
         "The rule will assist foundries and Outsourced Semiconductor Assembly and Test "
         "(\"OSATs\") companies in complying with the EAR.", False),
        ("which chip designers got approved as authorized IC designers?",
         "The rule lists Nvidia and Ambarella as approved IC designers, unlike the SOEs.", True),
    ],
)  # fmt: skip
def test_a_business_asked_for_by_its_kind_needs_a_name_no_government_gives(
    question: str, sentence: str, could: bool
) -> None:
    profile = profile_question(question)

    assert profile.answer_type == "organization"
    assert profile.could_answer(sentence) is could


def test_asking_what_an_article_says_asks_for_no_identifier() -> None:
    about = profile_question("What does the article about steel coils tell you to reply?")
    number = profile_question("Which article of the USMCA covers autos?")

    assert about.could_answer("The ministry said the duty protects mills.")
    assert not number.could_answer("The ministry said the duty protects mills.")


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Jan 2021 revision to the Airbus retaliation: what was USTR trying to mirror?",
         "what was USTR trying to mirror?"),
        ("nov 2025 brazil change - did ag goods stay under the 40%?",
         "did ag goods stay under the 40%?"),
        ("July 2025 Brazil IEEPA order \u2013 whose prosecution is cited?",
         "whose prosecution is cited?"),
        ("After the Nov 1, 2025 deal with Xi, what did USTR propose for the ships?",
         "what did USTR propose for the ships?"),
        ("how many workers does Boeing have, per the WH fact sheet on the truce",
         "how many workers does Boeing have"),
        ("Per the fact sheet, what is the rate?", "what is the rate?"),
        # What has happened since, named first, is context too.
        ("now that SCOTUS struck down the IEEPA tariffs, is de minimis back?",
         "is de minimis back?"),
        ("once the pharma 232 is out, do generics get tariffed?", "do generics get tariffed?"),
        # A body named by its acronym is a source too; "per day" or "per HTS 8703" is none.
        ("what is copper used for, per CRS?", "what is copper used for"),
        ("how many barrels per day?", ""),
        ("what is the duty per HTS 8703?", ""),
        ("What rate applies to countries left out of Annex I?", ""),
        ("Is the US-EU deal, signed in July, still in force?", ""),
        # A statement before the question, or the asker's aside after it, is context too.
        ("we ship parcels into Quito by courier. does the Ecuador deal help e.g. carriers?",
         "does the Ecuador deal help e.g. carriers?"),
        ("why did Turkey lose GSP in 2019? I know India was about market access",
         "why did Turkey lose GSP in 2019?"),
        ("Did USTR launch a 301 on Mexico? If not, why not", ""),
        ("what did the U.S. agree to? and the E.U.?", ""),
        # What a named document says "anything about" is what is asked after.
        ("Did the April 2025 order killing de minimis for China/HK parcels say anything about "
         "Macau?", "Macau?"),
        ("at their Lima meeting did Biden and Xi say anything on AI?", "AI?"),
    ],
)  # fmt: skip
def test_the_clause_that_asks_stands_apart_from_the_context_named_first(
    question: str, asks: str
) -> None:
    assert asking_clause(question) == asks
    profile = profile_question(question)
    assert profile.ask_terms == (content_terms(asks) & profile.terms)


def test_neighbouring_sentences_hit_as_one_text() -> None:
    question = "What did the US agree to buy from Vietnam?"
    alternatives = load_vocabulary().expand(question).alternatives()
    profile = profile_question(question, alternatives=alternatives)
    first = content_terms("The agreement was signed by officials of the United")
    second = content_terms("States, who said Vietnam would buy aircraft.")

    together = profile.hits_together([first, second])

    # "United States" split across the two still stands for "US".
    assert "us" in together
    assert "us" not in profile.hits(first) | profile.hits(second)
    assert together == profile.hits(first | second)
    assert profile.hits_together([second]) == profile.hits(second)


@pytest.mark.parametrize(
    ("question", "asks_else"),
    [
        ("The Jan 6 2025 rule: only new listings, or did it change anything else?", True),
        ("Besides delisting one Chinese company, what did BIS take off?", True),
        ("Apart from China, which countries did the new listings fall under?", True),
        ("Did the rule change any listing outside China?", True),
        ("Any commitment now beyond the soybean tonnage?", True),
        ("Will the 15% rate be extended beyond Dec 31, 2027?", False),
        ("Which goods made outside the US pay the tariff?", False),
        ("What did the rule add to the Entity List?", False),
    ],
)  # fmt: skip
def test_a_question_asking_what_else_there_is_is_told_apart(question: str, asks_else: bool) -> None:
    assert profile_question(question).asks_else is asks_else


@pytest.mark.parametrize(
    ("question", "alternatives"),
    [
        ("Is the heavy truck 232 still just a Commerce investigation, or are there actual "
         "duties on trucks now?",
         ("Is the heavy truck 232 still just a Commerce investigation",
          "are there actual duties on trucks now?")),
        ("Feb 2025 port fees on Chinese ships: written comments only or is USTR doing an "
         "in-person session too?",
         ("written comments only", "is USTR doing an in-person session too?")),
        ("is de minimis back or still suspended?", ("is de minimis back", "still suspended?")),
        ("did Sullivan sit down with Xi himself, or just lower-level people?",
         ("did Sullivan sit down with Xi himself", "just lower-level people?")),
        # One thing named two ways, or a yes-no question: no choice between two.
        ("Will the US cut reciprocal or 232 rates for a partner with a framework deal?", None),
        ("does that extra duty pile on top of 232 tariffs or not?", None),
        ("What did Canada or Mexico put tariffs on?", None),
    ],
)  # fmt: skip
def test_an_alternative_question_is_split_into_its_two_alternatives(
    question: str, alternatives: tuple[str, str] | None
) -> None:
    assert alternative_readings(question) == alternatives


def _profile(question: str, rare: frozenset[str] = frozenset()) -> QuestionProfile:
    """The question's profile with the trade vocabulary, every term as common as the next
    but the `rare` ones."""
    vocabulary = load_vocabulary()
    return profile_question(
        question,
        idf=lambda term: 8.0 if term in rare else 2.0,
        alternatives=vocabulary.expand(question).alternatives(),
        places=vocabulary.places(question),
        products=vocabulary.products(question),
    )


def test_a_sentence_answering_either_alternative_covers_the_question() -> None:
    profile = _profile(
        "Is Commerce still collecting comments on the semiconductor 232, or has the "
        "investigation wrapped up?",
        rare=frozenset({"semiconductor"}),
    )
    ended = content_terms(
        "The Secretary of Commerce wrapped up the section 232 investigation of semiconductors."
    )
    open_for_comments = content_terms(
        "Commerce is still collecting comments on semiconductors under section 232."
    )
    # Each alternative holds its own reading; neither needs the other's words.
    assert len(profile.readings) == 2
    assert profile.coverage(ended) == 1.0
    assert profile.coverage(open_for_comments) == 1.0
    assert profile.missing(ended) == []
    # A one-thing question needs all its words.
    whole = _profile(
        "Is Commerce still collecting comments on the semiconductor 232 investigation?",
        rare=frozenset({"semiconductor"}),
    )
    assert whole.readings == ()
    assert whole.coverage(ended) < 1.0
    assert set(whole.missing(ended)) == {"still", "collect", "comment"}


def test_every_reading_of_an_alternative_question_keeps_what_it_is_about() -> None:
    # The product (drones), the number and the name stay in both readings: comments on
    # another product do not answer.
    profile = _profile(
        "Are small drones (25 kg and under) getting a 232 tariff, or is Commerce still just "
        "collecting comments?",
        rare=frozenset({"kg"}),
    )
    first, second = profile.readings
    assert {"drone", "25", "232", "commerc", "kg"} <= first & second
    assert {"collect", "comment"} <= second - first
    assert {"small", "tariff"} <= first - second
    on_steel = content_terms("Commerce is collecting comments on section 232 steel tariffs.")
    on_drones = content_terms("Commerce is collecting comments on 25 kg drones under section 232.")
    assert profile.coverage(on_steel) < profile.coverage(on_drones)
    assert "drone" in profile.missing(on_steel)
    # A word the corpus does not know (the rarest) is what the question is about.
    unknown = _profile(
        "Are small submarines getting a tariff yet, or is Commerce still just collecting comments?",
        rare=frozenset({"submarin"}),
    )
    assert all("submarin" in reading for reading in unknown.readings)


def test_a_second_alternative_leaning_on_the_first_gives_no_reading_of_its_own() -> None:
    profile = _profile(
        "Is the two-year solar holiday still in place, or did it get extended?",
        rare=frozenset({"solar"}),
    )
    (only,) = profile.readings
    assert "extend" not in only
    assert {"solar", "holiday"} <= only


@pytest.mark.parametrize(
    ("follow_up", "answer_type"),
    [
        # Elliptical: the same kind of answer, for another subject.
        ("and on buses?", "number"),
        # A yes-no question of its own asks for no amount.
        ("are farm goods like beef exempt from it?", "any"),
        ("does that extra duty pile on top of 232 tariffs?", "any"),
    ],
)
def test_only_an_elliptical_follow_up_asks_for_the_last_questions_kind_of_answer(
    follow_up: str, answer_type: str
) -> None:
    previous = "What tariff did Trump put on imports of heavy trucks in Feb 2026?"
    assert profile_question(follow_up, previous).answer_type == answer_type


def test_an_order_asked_for_by_when_it_was_signed_is_not_one_signed_at_another_time() -> None:
    signed_then = profile_question(
        "which proclamation put the 25% steel 232 on all countries back in feb 2025?",
        named_time=("feb 2025", "2025-02-01", "2025-02-28"),
    )
    recital = "In Proclamation 9705 of March 8, 2018, I concurred; Proclamation 9894 followed."

    assert not signed_then.could_answer(recital)
    assert signed_then.could_answer("In Proclamation 10896 of February 10, 2025, I restored it.")
    # A time labelling the document asked about is not when the order asked for was signed.
    labelled = profile_question(
        "the Feb 2026 Iran tariff order builds on which original EO?",
        named_time=("Feb 2026", "2026-02-01", "2026-02-28"),
    )
    assert labelled.could_answer("Executive Order 12957 of March 15, 1995 declared an emergency.")


@pytest.mark.parametrize(
    ("question", "names"),
    [
        (
            "Which countries belong to the Minerals Security Partnership?",
            [("miner", "secur", "partnership")],
        ),
        # The places a name holds are no words an article must write beside it.
        (
            "When did the US-Bangladesh Agreement on Reciprocal Trade enter into force?",
            [("agreement", "reciproc", "trade")],
        ),
        # A question word opening the run is none of the name's words.
        ("Which Trade Act provision is cited?", [("trade", "act")]),
        # No name of several words: a single capitalised word, an identifier, plain words.
        ("What did the Act change?", []),
        ("What did Proclamation 10896 Act on?", []),
        ("what did the trade agreement say?", []),
    ],
)
def test_a_name_of_several_capitalised_words_is_read_as_its_terms_in_order(
    question: str, names: list[tuple[str, ...]]
) -> None:
    places = ((frozenset({"us"}),), (frozenset({"bangladesh"}),))
    assert list(profile_question(question, places=places).titled_names) == names
