"""The lexical half of the extractive answerer: terms, coverage, candidates, question profile."""

from __future__ import annotations

import dataclasses

import pytest

from bot.answering.answerability import SentenceSignals
from bot.answering.dating import shown_quote
from bot.answering.question_profile import profile_question
from bot.answering.sentence_scoring import (
    Candidate,
    about_the_referent,
    amendment_terms,
    in_context,
    is_complete_sentence,
    shortlist,
    split_candidates,
    stated_amounts,
)
from bot.terms import content_terms
from ingest.models import Passage
from ingest.text import continued_table_headers, sentence_bounds, table_rows
from tests.support.passages import whole_article

ARTICLE = (
    "Tariff news.\n"
    "The U.S. raised duties on steel to 50 percent. Canada objected at once. "
    "Talks resume in May. Ok.\n"
    "| HTS code | rate |"
)


def _passage(start: int, end: int, chunk: str = "c0", score: float = 0.5) -> Passage:
    return Passage(
        chunk_id=chunk,
        doc_id="steel",
        text=ARTICLE[start:end],
        start=start,
        end=end,
        title="Steel duties rise",
        published_at="2025-06-03",
        source="Desk",
        url=None,
        score=score,
    )


def test_content_terms_stem_and_drop_stopwords_and_question_framing() -> None:
    assert content_terms("What did the articles say about the tariffs?") == {"tariff"}
    assert content_terms("Exports of rare earths") == {"export", "rare", "earth"}


def test_country_abbreviations_survive_as_terms() -> None:
    assert "us" in content_terms("What did the U.S. decide?")
    assert "us" in content_terms("US tariffs")
    assert "eu" in content_terms("The E.U. replied")
    assert "us" not in content_terms("tell us more")


def test_candidates_carry_article_offsets_and_appear_once() -> None:
    first = _passage(0, ARTICLE.index("Talks"), "c0")
    second = _passage(ARTICLE.index("Canada"), len(ARTICLE), "c1")  # overlaps the first

    candidates = split_candidates([first, second])

    texts = [c.text for c in candidates]
    assert texts == [  # "Tariff news." and "Ok." are too short to answer anything
        "The U.S. raised duties on steel to 50 percent.",
        "Canada objected at once.",
        "Talks resume in May.",
        "| HTS code | rate |",
    ]
    for candidate in candidates:
        assert ARTICLE[candidate.start : candidate.end] == candidate.text
    assert [c.rank for c in candidates] == [0, 0, 1, 1]
    assert "steel" in candidates[2].context_terms  # the title and passage give context


def test_a_sentence_naming_an_order_by_number_holds_its_titles_terms() -> None:
    # "reduce the rate of duty applicable under Executive Order 14195 to 10 percent" answers
    # "what did the china fentanyl tariff go down to?": the order's title, where the article
    # first cites it, says what the duty is about.
    text = (
        "In Executive Order 14195 of February 1, 2025 (Imposing Duties to Address the "
        "Synthetic Opioid Supply Chain in the People's Republic of China), I imposed duties. "
        "I am reducing the rate of duty applicable under Executive Order 14195 to 10 percent."
    )
    passage = dataclasses.replace(_passage(0, 0), text=text, end=len(text))
    titles = {("order", "14195"): "Imposing Duties to Address the Synthetic Opioid Supply Chain"}

    (cited, reducing) = split_candidates([passage], lambda doc_id: titles)

    assert {"opioid", "synthet"} <= reducing.terms
    assert reducing.refers == (titles[("order", "14195")],)
    assert "opioid" in cited.terms and not cited.refers  # cited in full: its own words


def test_a_sentence_one_passage_cuts_short_is_quoted_whole_from_the_next() -> None:
    # Chunks overlap: the first passage ends inside a sentence, just after "U.S.", so its
    # last sentence looks complete; the second passage holds it whole. The whole one counts.
    text = (
        "Officials met in Geneva on Monday. This notice announces the U.S. Trade "
        "Representative's decision to extend the exclusions for six months."
    )
    cut, notice = text.index(" Trade"), text.index("This")
    first = dataclasses.replace(_passage(0, 0, "c0"), text=text[:cut], end=cut)
    second = dataclasses.replace(
        _passage(0, 0, "c1"), text=text[notice:], start=notice, end=len(text)
    )

    candidates = split_candidates([first, second])

    found = [c for c in candidates if c.text.startswith("This notice")]
    assert [c.text for c in found] == [text[notice:]]
    assert found[0].passage.chunk_id == "c1" and found[0].start == notice


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        (  # cut at abbreviations and initials: rejoined; at a label's letter ("Plan B."): not
            "The U.S. Trade Representative met Mr. Li. Into the U.S. The tariff rose.\nU.S. "
            "exports\nToday, President Donald J. Trump signed it. It covers Annex I. Products "
            "of Plan B. Go.\nIt was noticed at 91 *Fed*. *Reg*. 12884 (Initiation). Done.",
            [
                "The U.S. Trade Representative met Mr. Li.",
                "Into the U.S.",
                "The tariff rose.",
                "U.S. exports",
                "Today, President Donald J. Trump signed it.",
                "It covers Annex I.",
                "Products of Plan B.",
                "Go.",
                "It was noticed at 91 *Fed*. *Reg*. 12884 (Initiation).",
                "Done.",
            ],
        ),
        (  # a line break with no end mark before it and a number or lower case after
            "Background. On May 8,\n2025, the leaders announced the terms.\n- the first item\n"
            "- the second item\nHeading\nThe text follows:\nduties apply.\n\nrates of\n\n"
            "duty apply.",
            [
                "Background.",
                "On May 8,\n2025, the leaders announced the terms.",
                "- the first item",  # a list item is its own line
                "- the second item",
                "Heading",
                "The text follows:",  # a colon ends its line
                "duties apply.",
                "rates of",  # a blank line ends a paragraph
                "duty apply.",
            ],
        ),
        (  # a hard-wrapped federal text: a line of prose ending on no end mark goes on
            "I, Joseph R. Biden Jr., President of the United\nStates of America, proclaim it.\n"
            "Section 1. Background. Executive\nOrder 12957 of March 15, 1995, found a threat.\n"
            "THE WHITE HOUSE\nApril 15, 2025.\nU.S. exports\nToday, it was signed.\n"
            "- the first item\nThe next paragraph.",
            [
                "I, Joseph R. Biden Jr., President of the United\nStates of America, proclaim it.",
                "Section 1.",
                "Background.",
                "Executive\nOrder 12957 of March 15, 1995, found a threat.",
                "THE WHITE HOUSE",  # a heading in capitals
                "April 15, 2025.",
                "U.S. exports",  # a short line of its own: a heading
                "Today, it was signed.",
                "- the first item",  # a list item
                "The next paragraph.",
            ],
        ),
    ],
)
def test_sentences_end_at_end_marks_not_inside_abbreviations_or_broken_lines(
    text: str, pieces: list[str]
) -> None:
    assert [text[lo:hi] for lo, hi in sentence_bounds(text)] == pieces


def test_an_answer_shows_a_line_break_inside_a_sentence_as_a_space() -> None:
    text = "Background. On May 8,\n2025, the leaders announced the terms."
    passage = dataclasses.replace(_passage(0, 0), text=text, end=len(text))
    joined = next(c for c in split_candidates([passage]) if c.text.startswith("On May 8"))
    assert shown_quote(joined.display) == "On May 8, 2025, the leaders announced the terms."


def test_headings_and_table_rows_are_not_complete_sentences() -> None:
    assert is_complete_sentence("Canada objected at once.")
    assert is_complete_sentence('"We have reached a framework," he said.”')
    assert not is_complete_sentence("| HTS code | rate |")
    # An enumerated clause of an order's list says as much as a sentence.
    assert is_complete_sentence("(a) increase the rate from 30 percent to 90 percent;")
    assert is_complete_sentence("\\(ii\\) on or after May 2, 2025; and")
    assert not is_complete_sentence("the rate rose from 30 percent to 90 percent;")
    assert not is_complete_sentence("US and China Reach Trade Framework")


def test_a_passage_opening_inside_a_table_heads_its_rows_with_nothing_rather_than_a_row() -> None:
    timeline = (
        "| Step | Steel | Copper |\n"
        "|---|---|---|\n"
        "| Investigation opened | April 19, 2017 | March 10, 2025 |\n"
        "| Report submitted | January 11, 2018 | June 30, 2025 |\n"
        "| Total days to tariffs | 338 days | 144 days |"
    )
    total = "| Total days to tariffs | 338 days | 144 days |"
    whole = {c.text: c for c in split_candidates([whole_article(timeline, "crs")])}
    assert whole[total].display == "Step: Total days to tariffs; Steel: 338 days; Copper: 144 days"
    # A later passage opens at the report row: the table's header lies in the one before it.
    start = timeline.index("| Report")
    later = dataclasses.replace(
        whole_article(timeline[start:], "crs"), start=start, end=len(timeline)
    )
    rows = {c.text: c for c in split_candidates([later])}
    assert rows[total].header == ""  # not "| Report submitted | January 11, 2018 | ..."
    assert rows[total].display == total
    # A header row without a separator, naming no figure, still heads the rows after it.
    htsus = (
        "| Heading/ Subheading | Article Description | Rate |\n"
        "| 9903.01.16 | Goods transshipped to evade duties | 40% |"
    )
    row = next(c for c in split_candidates([whole_article(htsus)]) if "9903" in c.text)
    assert row.display.startswith("Heading/ Subheading: 9903.01.16; Article Description: ")


def test_rows_continuing_a_table_an_earlier_passage_began_are_headed_by_its_header() -> None:
    header = "| Countries and Territories | Reciprocal Tariff, Adjusted |"
    first = f"**ANNEX I**\n\n{header}\n| Afghanistan | 15% |\n| Algeria | 30% |"
    # A page break (a blank line) inside the table does not start another one.
    second = (
        "| Algeria | 30% |\n| Mozambique | 15% |\n\n| Myanmar (Burma) | 40% |\n| Namibia | 15% |"
    )
    third = "| Namibia | 15% |\n| Vietnam | 20% |\n\nThis order is effective on August 7, 2025."
    prose = "The Secretary shall publish the rates."
    assert continued_table_headers([first, second, third, prose]) == ["", header, header, ""]
    # Each row with the header it is read with (the header row is none of them).
    assert table_rows(first) == [("| Afghanistan | 15% |", header), ("| Algeria | 30% |", header)]
    assert table_rows(third, header)[1] == ("| Vietnam | 20% |", header)
    assert table_rows(third)[1] == ("| Vietnam | 20% |", "")

    passage = dataclasses.replace(whole_article(second), chunk_id="annex::v::00001")
    rows = {
        c.text: c
        for c in split_candidates(
            [passage], table_header=lambda chunk_id: {passage.chunk_id: header}.get(chunk_id, "")
        )
    }
    assert rows["| Namibia | 15% |"].display == (
        "Countries and Territories: Namibia; Reciprocal Tariff, Adjusted: 15%"
    )
    assert rows["| Mozambique | 15% |"].header == header
    # Without it, no row after the break heads the others ("Myanmar (Burma): Namibia").
    alone = {c.text: c for c in split_candidates([passage])}
    assert alone["| Namibia | 15% |"].header == ""


def test_shortlist_keeps_overlapping_sentences_in_retrieval_order() -> None:
    candidates = split_candidates([_passage(0, len(ARTICLE))])
    terms = content_terms("When do talks resume?")

    assert [c.text for c in shortlist(candidates, terms, cap=1)] == ["Talks resume in May."]
    assert [c.text for c in shortlist(candidates, terms, cap=2)] == [
        "The U.S. raised duties on steel to 50 percent.",
        "Talks resume in May.",
    ]
    assert shortlist(candidates, terms, cap=10) == candidates


def test_shortlist_also_keeps_the_sentences_a_test_picks_up_to_their_own_cap() -> None:
    candidates = split_candidates([_passage(0, len(ARTICLE))])
    terms = content_terms("When do talks resume?")

    def objected(candidate: Candidate) -> bool:
        return "objected" in candidate.text or "raised" in candidate.text

    kept = shortlist(candidates, terms, cap=1, also=objected, also_cap=1)
    assert [c.text for c in kept] == [
        "The U.S. raised duties on steel to 50 percent.",  # the better of the two, by overlap
        "Talks resume in May.",
    ]
    assert len(shortlist(candidates, terms, cap=1, also=objected, also_cap=5)) == 3
    assert shortlist(candidates, terms, cap=1, also=objected) == shortlist(candidates, terms, 1)


def test_a_signature_date_line_or_section_number_is_not_a_candidate() -> None:
    text = (
        "Sec. 2. Duties on derivative steel articles rise to 50 percent.\n"
        "DONALD J. TRUMP\nTHE WHITE HOUSE,\nFebruary 5, 2025.\nSec. 3."
    )
    texts = [c.text for c in split_candidates([whole_article(text, "eo", title="Steel duties")])]

    assert "February 5, 2025." not in texts and "Sec. 3." not in texts
    assert any("50 percent" in t for t in texts)


def test_a_follow_ups_shortlist_favours_its_own_terms_over_borrowed_ones() -> None:
    text = (
        "Section 232 tariffs of 25 percent apply to medium and heavy-duty trucks. "
        "Truck parts from Mexico and Canada pay the truck tariff on their non-US content. "
        "Buses pay a 10 percent tariff."
    )
    profile = profile_question(
        "what about buses?", "Did the US put Section 232 tariffs on heavy-duty trucks?"
    )
    candidates = split_candidates([whole_article(text, "trucks", title="Trucks")])

    kept = shortlist(candidates, profile.wanted_terms, cap=1, relevance=profile.coverage)

    assert [c.text for c in kept] == ["Buses pay a 10 percent tariff."]
    # Counting every term alike, the borrowed ones win.
    assert shortlist(candidates, profile.wanted_terms, cap=1)[0].text.startswith("Section 232")


def test_a_follow_ups_pronoun_keeps_to_articles_that_name_what_it_stands_for() -> None:
    surcharge = whole_article(
        "The surcharge may stay in force for up to 150 days.",
        "surcharge",
        title="Temporary import surcharge under Section 122",
    )
    steel = whole_article(
        "The Section 232 tariff on steel can last for as long as the threat does.",
        "steel",
        title="Steel tariff has no end date",
    )
    candidates = split_candidates([steel, surcharge])
    previous = "What is the Section 122 surcharge?"

    pronoun = profile_question("how long can it last?", previous)
    kept = about_the_referent(candidates, pronoun)

    assert [c.passage.doc_id for c in kept] == ["surcharge"]
    # The whole article counts, not only the passage retrieved.
    whole = about_the_referent(candidates, pronoun, lambda doc_id: frozenset({"sec122"}))
    assert whole == candidates
    # A short question without a pronoun may have moved on; so may one no article answers.
    moved_on = profile_question("steel tariff duration?", previous)
    assert about_the_referent(candidates, moved_on) == candidates
    unrelated = profile_question("how long can it last?", "What did Peru say about copper?")
    assert about_the_referent(candidates, unrelated) == candidates


def test_a_follow_ups_pronoun_stands_for_a_thing_not_for_the_month_it_was_in() -> None:
    deal = whole_article(
        "This volume will be determined by the quantity of US cotton exports.",
        "bangladesh",
        title="Framework for a United States-Bangladesh Agreement on Reciprocal Trade",
    )
    other = whole_article(
        "In February 2026 the United States set an 18 percent rate for India.",
        "india",
        title="United States-India joint statement",
    )
    candidates = split_candidates([deal, other])
    previous = "Bangladesh reciprocal trade deal (Feb 2026) - did it get a special break?"

    follow_up = profile_question("how's the volume for that going to be set?", previous)
    kept = about_the_referent(candidates, follow_up)

    # "Feb" is the rarest word the previous question wrote, but "that" is the deal.
    assert not follow_up.referent & content_terms("Feb 2026")
    assert [c.passage.doc_id for c in kept] == ["bangladesh"]


def test_an_article_published_in_the_time_asked_about_covers_its_words() -> None:
    question = "early Feb 2025: how big was the duty on Chinese goods?"
    text = "A 10 percent duty applies to Chinese goods."
    window = ("early Feb 2025", "2025-02-01", "2025-02-28")
    profile = profile_question(question, named_time=window)
    measure = SentenceSignals(profile, None)

    inside, outside = (
        split_candidates([whole_article(text, doc_id, published_at=day)])[0]
        for doc_id, day in (("february-order", "2025-02-01"), ("april-order", "2025-04-02"))
    )
    timed, untimed = measure(inside, 0.5), measure(outside, 0.5)

    assert profile.dated_terms == {"earli", "feb", "2025"}
    assert timed["passage_coverage"] > untimed["passage_coverage"]
    assert timed["article_coverage"] > untimed["article_coverage"]
    assert timed["sentence_coverage"] == untimed["sentence_coverage"]  # the quote is as written
    assert measure(inside, 0.5)["missing_rarity"] <= untimed["missing_rarity"]
    # Without a named time, publication dates change nothing.
    plain = SentenceSignals(profile_question(question), None)
    assert plain(inside, 0.5) == plain(outside, 0.5)


def test_warm_analysis_analyses_passages_before_any_question() -> None:
    from bot.answering.sentence_scoring import _analyse, warm_analysis

    passages = [_passage(0, len(ARTICLE), chunk=f"warm-{n}") for n in range(3)]
    passages = [dataclasses.replace(p, title=f"Warm title {n}") for n, p in enumerate(passages)]
    before = _analyse.cache_info()

    assert warm_analysis(iter(passages)) == 3
    after = _analyse.cache_info()
    assert after.misses - before.misses == 3  # each passage analysed once, ahead of questions
    split_candidates(passages)
    assert _analyse.cache_info().hits - after.hits == 3


def _only(text: str, sentence: str) -> Candidate:
    """The candidate holding `sentence` of a one-passage article `text`."""
    passage = dataclasses.replace(_passage(0, 0), text=text, end=len(text))
    return next(c for c in split_candidates([passage]) if c.text == sentence)


def test_a_sentence_opening_with_a_connective_brings_the_one_it_concludes() -> None:
    text = (
        "Intro line.\nThe President determined that Mali does not meet the requirements. "
        "Accordingly, he terminated its designation as a beneficiary country."
    )
    conclusion = "Accordingly, he terminated its designation as a beneficiary country."
    wide = in_context(_only(text, conclusion))

    assert wide.text == text[wide.start : wide.end]
    assert wide.text.startswith("The President determined that Mali")
    assert wide.text.endswith("beneficiary country.")


def test_a_neighbour_across_a_line_break_or_naming_nothing_of_it_stays_out() -> None:
    text = (
        "Steel derivative products now pay the duty on their steel content.\n"
        "These products must declare the country of melt and pour. "
        "This notice opens a docket for written comments."
    )
    first = _only(text, "Steel derivative products now pay the duty on their steel content.")
    last = _only(text, "This notice opens a docket for written comments.")

    assert in_context(first) == first  # "These products" sits on the next line
    assert in_context(last) == last  # "This notice" names nothing of the sentence before


def test_a_sentence_is_quoted_with_the_next_one_of_its_paragraph() -> None:
    text = (
        "SUMMARY: The committee sought public comments on China's WTO compliance. "
        "USTR is canceling the public hearing that was scheduled for October 4, 2023.\n"
        "Comments are due by September 20."
    )
    scene = _only(text, "SUMMARY: The committee sought public comments on China's WTO compliance.")
    hearing = _only(
        text, "USTR is canceling the public hearing that was scheduled for October 4, 2023."
    )

    wide = in_context(scene)
    assert wide.text == text[wide.start : wide.end]
    assert wide.text.startswith("SUMMARY: The committee")
    assert wide.text.endswith("October 4, 2023.")  # what was done, said after the scene
    assert in_context(hearing) == hearing  # the next line is its own point


def test_a_sentence_a_passage_cuts_at_an_abbreviation_is_shown_cut() -> None:
    whole = "- China restored market access for U.S. beef by renewing 400 listings."
    text = f"The deal covers farm goods.\n{whole} More follows."
    cut_at = text.index("U.S.") + len("U.S.")
    cutting = dataclasses.replace(_passage(0, 0), text=text[:cut_at], end=cut_at)
    holding = dataclasses.replace(_passage(0, 0, chunk="c1"), text=text, end=len(text))

    alone = split_candidates([cutting])[-1]
    assert alone.cut and alone.text.endswith("for U.S.")
    assert alone.display.endswith("for U.S. …"), "the answer shows the quote is cut short"
    both = split_candidates([cutting, holding])
    kept = next(c for c in both if c.text.startswith("- China restored"))
    assert kept.text == whole and not kept.cut and kept.display == whole


def test_a_passage_opening_inside_a_sentence_shows_it_cut_at_the_start() -> None:
    text = "Under section 338 duties on dairy and\nalcoholic beverages, I imposed duties on Canada."
    start = text.index("alcoholic")
    inside = dataclasses.replace(_passage(0, 0), text=text[start:], start=start, end=len(text))
    opening = dataclasses.replace(_passage(0, 0, chunk="c1"), text=text[start:], start=0)

    cut = split_candidates([inside])[0]
    assert cut.cut_before and cut.display == f"… {cut.text}"
    assert not split_candidates([opening])[0].cut_before, "an article may open in lower case"


@pytest.mark.parametrize(
    ("sentence", "change"),
    [
        ("Section 2(a) of Executive Order 14195 is hereby amended by striking the words "
         "“10 percent” and inserting in lieu thereof the words “20 percent”.", "raise"),
        ("Note 2 is amended by deleting “20%” each place that it appears and inserting “10%” "
         "in lieu thereof.", "cut"),
        ("The chapeau of Annex II is amended by deleting the effective date “August 19, 2026” "
         "and inserting “August 22, 2026” in lieu thereof.", "delay"),
        ("The chapeau is amended by replacing “August 19, 2026” with “August 2, 2026”.",
         "advance"),
        # Struck words that are no figure change nothing a question asks about.
        ("Clause 2 is amended by deleting “and” before “(g)” and inserting before the period "
         "at the end: “, and (h) on or after 12:01 a.m.”.", None),
        ("The Secretary raised the rate from 10 percent to 20 percent.", None),
    ],
)  # fmt: skip
def test_an_amending_sentence_says_in_plain_words_how_it_changes_a_figure(
    sentence: str, change: str | None
) -> None:
    terms = amendment_terms(sentence)
    if change is None:
        assert terms == frozenset()
        return
    assert content_terms(change) <= terms and content_terms("amended") <= terms
    opposite = {"raise": "lower", "cut": "increase", "delay": "earlier", "advance": "delay"}[change]
    assert not content_terms(opposite) & terms
    # The words count for the sentence: "what did Trump raise the fentanyl tariff to?"
    (candidate,) = [
        c
        for c in split_candidates([whole_article(sentence, "order", title="Amendment")])
        if c.text == sentence
    ]
    assert content_terms(change) <= candidate.terms


def test_a_bare_follow_ups_article_coverage_is_of_what_the_conversation_is_about() -> None:
    # "until when?" has no terms of its own: the article holding the tariffs the conversation
    # is about covers it, one about something else does not.
    previous = "did Trump keep the higher China reciprocal tariffs paused in August 2025?"
    profile = profile_question("until when?", previous)
    measure = SentenceSignals(profile, None)
    on_it, elsewhere = (
        split_candidates([whole_article(text, doc_id, published_at="2025-08-11")])[0]
        for doc_id, text in (
            (
                "china-pause",
                "The pause of the higher reciprocal tariffs on China shall continue until "
                "November 10, 2025.",
            ),
            ("vietnam-deal", "Vietnam will pay a 20 percent tariff until its deal is signed."),
        )
    )

    assert measure(on_it, 0.5)["article_coverage"] > measure(elsewhere, 0.5)["article_coverage"]


@pytest.mark.parametrize(
    ("fact_sheet", "order", "shared"),
    [
        (
            "A lower 10% tariff on potash.",
            "shall be reduced to 10 percent in lieu of 25 percent",
            {"10%"},
        ),
        ("invest $550 billion in the US", "investments of $550 billion", {"$550 billion"}),
        ("a duty of $1,000 per item", "a duty equal to $1000 per item", {"$1000"}),
        ("from 25% to 15%", "a 15.5 percent rate", set()),
        ("Section 232 tariffs", "Proclamation 9704 of March 8, 2018", set()),
    ],
)
def test_a_rate_or_amount_is_one_figure_however_it_is_written(
    fact_sheet: str, order: str, shared: set[str]
) -> None:
    assert stated_amounts(fact_sheet) & stated_amounts(order) == shared
