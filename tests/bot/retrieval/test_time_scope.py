"""The time-expression parser: explicit, relative and open windows; latest and undecided words."""

from __future__ import annotations

from datetime import date

import pytest

from bot.retrieval.time_scope import (
    TimeScope,
    dated_things_after,
    dates_in_words,
    parse_time_scope,
)

TODAY = date(2026, 12, 1)
D = date


@pytest.mark.parametrize(
    ("question", "start", "end", "precision"),
    [
        ("in 2019, which new trade negotiations began?", D(2019, 1, 1), D(2019, 12, 31), "year"),
        ("back in May 2025, what did the EU say?", D(2025, 5, 1), D(2025, 5, 31), "month"),
        ("Jan 2020 tariffs on steel", D(2020, 1, 1), D(2020, 1, 31), "month"),
        # A part of a month, as loosely as people use it.
        ("early Feb. 2025: how big was the duty?", D(2025, 2, 1), D(2025, 2, 15), "month"),
        (
            "what changed for farm imports in mid-Nov 2025?",
            D(2025, 11, 6),
            D(2025, 11, 25),
            "month",
        ),
        ("the late Oct 2025 deal", D(2025, 10, 16), D(2025, 10, 31), "month"),
        ("Swiss rate under the end of July 2025 order", D(2025, 7, 16), D(2025, 7, 31), "month"),
        ("at the beginning of Feb 2025", D(2025, 2, 1), D(2025, 2, 15), "month"),
        ("in the first week of April 2025", D(2025, 4, 1), D(2025, 4, 7), "month"),
        ("what did BIS do in the week of April 7, 2025?", D(2025, 4, 7), D(2025, 4, 13), "day"),
        # Not "last week" (the one before today) and July 2025 together.
        ("in the last week of July 2025", D(2025, 7, 25), D(2025, 7, 31), "month"),
        ("the second half of Feb 2024", D(2024, 2, 16), D(2024, 2, 29), "month"),
        # A part of a year.
        ("at the start of 2025, what was the rate?", D(2025, 1, 1), D(2025, 4, 30), "month"),
        ("what was the rate at the end of 2024?", D(2024, 9, 1), D(2024, 12, 31), "month"),
        (
            "any new Entity List rules in the last week of 2025?",
            D(2025, 12, 25),
            D(2025, 12, 31),
            "day",
        ),
        ("what did BIS do late last year?", D(2025, 9, 1), D(2025, 12, 31), "month"),
        ("what did USTR do earlier this year?", D(2026, 1, 1), D(2026, 12, 1), "month"),
        ("what changed in Q4'25?", D(2025, 10, 1), D(2025, 12, 31), "quarter"),
        ("exclusions granted in Q1 of 2025", D(2025, 1, 1), D(2025, 3, 31), "quarter"),
        ("what did USTR do Jan-Mar 2025?", D(2025, 1, 1), D(2025, 3, 31), "month"),
        ("the order of the 2nd of April 2025", D(2025, 4, 2), D(2025, 4, 2), "day"),
        # The federal fiscal year runs from October.
        ("how much did CBP collect in FY2025?", D(2024, 10, 1), D(2025, 9, 30), "year"),
        ("exclusions used in fiscal year 2021", D(2020, 10, 1), D(2021, 9, 30), "year"),
        # "before the end of" a time is within it, not before its last part begins.
        ("Will they lift it before the end of 2026?", D(2026, 1, 1), D(2026, 12, 31), "month"),
        ("before the end of July 2025, did", D(2025, 7, 1), D(2025, 7, 31), "month"),
        ("What did USTR publish in Q3 2024?", D(2024, 7, 1), D(2024, 9, 30), "quarter"),
        ("exports in the third quarter of 2024", D(2024, 7, 1), D(2024, 9, 30), "quarter"),
        ("between March and June 2025 what changed?", D(2025, 3, 1), D(2025, 6, 30), "month"),
        ("from 2019 to 2021, how many exclusions?", D(2019, 1, 1), D(2021, 12, 31), "month"),
        ("since 2024 how many tariff hikes?", D(2024, 1, 1), None, "year"),
        ("before 2021, what was the rate?", None, D(2020, 12, 31), "year"),
        # Desk shorthand for parts of a year.
        ("what was decided at end-2025?", D(2025, 9, 1), D(2025, 12, 31), "month"),
        ("what was the rate at year-end 2025?", D(2025, 9, 1), D(2025, 12, 31), "month"),
        ("what was the rate at mid-year 2025?", D(2025, 5, 1), D(2025, 8, 31), "month"),
        # Shorthand: "pre-" is before, "post-" after.
        ("what was the steel rate pre-2021?", None, D(2020, 12, 31), "year"),
        ("post-Feb 2025, what did aluminum pay?", D(2025, 3, 1), None, "month"),
        ("Will it be extended past January 2029?", D(2029, 2, 1), None, "month"),
        ("Did it take effect on Aug 19, 2026?", D(2026, 8, 19), D(2026, 8, 19), "day"),
        ("What happened on 2025-04-09?", D(2025, 4, 9), D(2025, 4, 9), "day"),
        # A run of days of one month.
        ("it will be held on July 20-22, 2022", D(2022, 7, 20), D(2022, 7, 22), "day"),
        ("what came of the May 5–7th 2025 talks?", D(2025, 5, 5), D(2025, 5, 7), "day"),
        ("What happened on 9 April 2025?", D(2025, 4, 9), D(2025, 4, 9), "day"),
        ("4/2/2025 order: what rate did Japan get?", D(2025, 4, 2), D(2025, 4, 2), "day"),
        ("the 4/2/25 order: what rate did Japan get?", D(2025, 4, 2), D(2025, 4, 2), "day"),
        ("right after April 2, 2025, what was the baseline?", D(2025, 4, 3), D(2025, 5, 3), "day"),
        ("the China rate in the first half of 2025", D(2025, 1, 1), D(2025, 6, 30), "quarter"),
        ("entity list additions in H2 2024", D(2024, 7, 1), D(2024, 12, 31), "quarter"),
        # Desk shorthand for quarters and halves, a two-digit year attached.
        ("what did steel importers pay in 3Q25?", D(2025, 7, 1), D(2025, 9, 30), "quarter"),
        ("BIS rules in 4Q 2024", D(2024, 10, 1), D(2024, 12, 31), "quarter"),
        ("tariff revenue in 1H 2025", D(2025, 1, 1), D(2025, 6, 30), "quarter"),
        ("what changed for Vietnam in 2H25?", D(2025, 7, 1), D(2025, 12, 31), "quarter"),
        ("China rates in H1'25", D(2025, 1, 1), D(2025, 6, 30), "quarter"),
        # The year first, as data desks write it; the calendar year against a fiscal one.
        ("steel imports in 2025Q3", D(2025, 7, 1), D(2025, 9, 30), "quarter"),
        ("steel imports in 2025-Q4", D(2025, 10, 1), D(2025, 12, 31), "quarter"),
        ("steel imports in 2024 H2", D(2024, 7, 1), D(2024, 12, 31), "quarter"),
        ("tariff revenue in CY2025", D(2025, 1, 1), D(2025, 12, 31), "year"),
        ("tariff revenue in CY24", D(2024, 1, 1), D(2024, 12, 31), "year"),
        ("What did the US do last year?", D(2025, 1, 1), D(2025, 12, 31), "year"),
        ("What changed this month?", D(2026, 12, 1), D(2026, 12, 31), "month"),
        ("What came out of the visit this fall?", D(2026, 9, 1), D(2026, 11, 30), "season"),
        ("What happened last quarter?", D(2026, 7, 1), D(2026, 9, 30), "quarter"),
        ("any new tariffs in summer 2023?", D(2023, 6, 1), D(2023, 8, 31), "season"),
        ("tariffs in late 2024", D(2024, 9, 1), D(2024, 12, 31), "month"),
        ("as of March 2025 what was the rate?", None, D(2025, 3, 31), "month"),
        # A time typed without its article before what it dates is that thing's time, as
        # with the article; before a clause it bounds the question's time.
        ("after the Nov 1, 2025 deal, what did USTR do?", D(2025, 11, 1), D(2025, 11, 1), "day"),
        ("after Nov 1, 2025 deal, what did USTR do?", D(2025, 11, 1), D(2025, 11, 1), "day"),
        ("as of Nov 2025 framework, what cap?", D(2025, 11, 1), D(2025, 11, 30), "month"),
        ("after May 2025 did the rate change?", D(2025, 6, 1), None, "month"),
        ("after April 2, 2025 Trump raised it to what?", D(2025, 4, 3), None, "day"),
        # Chat's two-digit years after a month, a season or a preposition.
        ("Hanoi framework (Oct '25) - cars?", D(2025, 10, 1), D(2025, 10, 31), "month"),
        ("the summer ’24 deal with Japan", D(2024, 6, 1), D(2024, 8, 31), "season"),
        ("what did BIS add in '22?", D(2022, 1, 1), D(2022, 12, 31), "year"),
        # The turn of a year: decided in the quarter before, in force in the one after.
        ("who lost AGOA status going into 2022?", D(2021, 10, 1), D(2022, 4, 2), "year"),
        ("heading into 2025, what did USTR do?", D(2024, 10, 1), D(2025, 4, 2), "year"),
        ("ahead of 2026, which exclusions lapsed?", None, D(2025, 12, 31), "year"),
    ],
)
def test_explicit_and_relative_times_become_windows(
    question: str, start: date | None, end: date | None, precision: str
) -> None:
    scope = parse_time_scope(question, TODAY)
    assert (scope.start, scope.end, scope.precision) == (start, end, precision)
    assert scope.explicit


@pytest.mark.parametrize(
    "question",
    [
        "What does Section 301 of the Trade Act of 1974 allow?",
        "Were the 2018 steel tariffs lifted for Canada?",
        "What is HTS heading 9903.01.63?",
        "What does Proclamation 2019 say?",
        "Which rare earths need a licence?",
        "what's the 232's scope on 'steel' articles?",
        "rates of 10/20/30 percent on which goods?",
        "rates of 10/20/30% on which goods?",
        "is 8703/10/25 a tariff line?",
    ],
)
def test_statutes_identifiers_and_plain_questions_name_no_time(question: str) -> None:
    assert not parse_time_scope(question, TODAY).explicit


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("what did the 1/16/25 rule do?", "what did the January 16, 2025 rule do?"),
        ("tariffs from 1/1/2027?", "tariffs from January 1, 2027?"),
        ("the 2025-04-02 order", "the April 2, 2025 order"),
        # A day typed as an ordinal, as the articles write it.
        ("after the March 2nd 2025 tweak?", "after the March 2 2025 tweak?"),
        ("per the Nov 4th EO?", "per the Nov 4 EO?"),
        ("the 2nd round in May", "the 2nd round in May"),
        # Not a day: a run of rates, a day no calendar has, an HTS line, a document's id.
        ("rates of 10/20/30% and 5/10/15 percent", "rates of 10/20/30% and 5/10/15 percent"),
        ("on 2/30/25", "on 2/30/25"),
        ("8703/10/25", "8703/10/25"),
        ("wh-2025-02-10-adjusting-imports", "wh-2025-02-10-adjusting-imports"),
        # A year typed in two digits after a month, a season, a quarter or a preposition.
        ("what rate in June '25?", "what rate in June 2025?"),
        ("the Feb. 1 ’25 order", "the Feb. 1 2025 order"),
        ("summer '24 and mid-'25, Q3 '25", "summer 2024 and mid-2025, Q3 2025"),
        ("tariffs in '19?", "tariffs in 2019?"),
        # A month run into its year.
        ("in Feb2025, what rate?", "in Feb 2025, what rate?"),
        ("the Sept.2024 list", "the Sept. 2024 list"),
        ("the Decade2025 plan", "the Decade2025 plan"),
        # Not a year: no month or preposition before it, a possessive, a word.
        ("the '25 rate, the 232's rate", "the '25 rate, the 232's rate"),
    ],
)
def test_a_day_typed_in_figures_is_read_in_words(typed: str, read: str) -> None:
    assert dates_in_words(typed) == read


def test_several_times_in_one_question_span_all_of_them() -> None:
    scope = parse_time_scope("What was imposed in Feb 2025 and raised in April 2025?", TODAY)
    assert (scope.start, scope.end) == (D(2025, 2, 1), D(2025, 4, 30))


@pytest.mark.parametrize(
    ("question", "latest", "undecided"),
    [
        ("Is the solar safeguard still in force?", True, False),
        ("current status of the cabinet tariff hike", True, False),
        ("what's the latest on the auto parts offset?", True, False),
        ("How many exclusions remain so far?", True, False),
        # Other ways of asking for the present state of things.
        ("does India pay the Russian oil tariff anymore?", True, False),
        ("as things stand, what's the duty on Canadian lumber?", True, False),
        ("where did the pharma 232 end up for drugmakers?", True, True),
        ("is the 301 exclusion in force at this point?", True, False),
        ("how many framework deals have been signed thus far?", True, False),
        ("what does the de minimis rule look like today?", True, False),
        ("has the section 122 surcharge been lifted yet?", True, False),
        ("which partners have not signed a framework yet", True, False),
        ("Yet what did the 2019 deal cover?", False, False),
        ("Is the US going to pull out of USMCA?", False, True),
        ("Which minerals will be added to the next list?", False, True),
        # Typed on a phone: a curly apostrophe, or none.
        ("the chip tariff won’t start before 2027, right?", False, True),
        ("the chip tariff wont start before 2027, right?", False, True),
        ("What rate is in the final deal once it's signed?", False, True),
        ("What did the TRQs turn out to be?", False, True),
        ("What tariff did Trump end up putting on copper?", False, True),
        ("Which rare earths need a licence?", False, False),
        ("What did Lighthizer say the talks need to end up with?", False, False),
        ("What did he say the next steps depend on?", False, False),
        ("when is the next trump-xi meeting?", True, False),
        ("what's next for the section 122 surcharge?", True, False),
        ("What are the next steps in the review?", True, False),
        ("Which chips will India import more of per the interim deal?", False, False),
        ("According to the joint statement, what will India buy?", False, False),
        ("How much per ton will the port fees be once they take effect?", False, True),
        ("What came out of the first minerals ministerial?", False, True),
        ("What final action did USTR take once the comment period closed?", False, True),
        ("What rate did Trump set once the 232 investigation wrapped up?", False, True),
        ("Which companies got approved for the drone program?", False, True),
        ("What came into force in 2020?", False, False),
        # With a time named, a "now" of consequence is that time's; without one it is today's.
        ("Sept 2025 revision: which goods were dropped and so now pay it?", False, False),
        ("Which goods were dropped and so now pay the tariff?", True, False),
        ("In Sept 2025, which goods pay it now?", True, False),
        # A time that names a document asks what the document says; its standing is newest.
        ("April 2026 metals proclamation: do small amounts still owe the duty?", False, False),
        ("Fair and Reciprocal Plan fact sheet, Feb 2025: does the EU still ban it?", False, False),
        # A list is a document too: which version the Aug 2025 one was, not the newest list.
        ("Is the Aug 2025 USGS minerals list the final version or still a draft?", False, False),
        ("how reliant is the US on copper now, per the Feb 2025 fact sheet?", False, False),
        ("how reliant is the US on copper now, per Feb 2025 copper fact sheet?", False, False),
        ("July 2025 Brazil IEEPA order: is it still in force?", True, False),
        ("In March 2025, in order to curb fentanyl, is the tariff still 20%?", True, False),
        ("Are the Feb 2025 steel tariffs still in place?", True, False),
        # ... unless it labels the earlier word, asked against the present one.
        (
            "Are chips still exempt like under the April 2025 order, or do they pay now?",
            True,
            False,
        ),
        ("April 2025 order's report deadline: what's the current one?", True, False),
        # A desk asking how things stand: the newest word.
        ("any update on the chip 232?", True, False),
        ("whats new with the Swiss deal", True, False),
        ("where are we on the pharma 232?", True, False),
        ("pharma 232 - where's it at?", True, False),
        ("what's the status of the review?", True, False),
        ("state of play on the talks?", True, False),
        ("what is the new rate on steel?", False, False),
        ("is the drone tariff live?", True, False),
        ("is the 90-day pause over?", True, False),
        ("has the drone tariff kicked in?", True, False),
        ("where was it signed at?", False, False),
        # Whether something is in force is how things stand now.
        ("are the Cuba oil tariffs in force?", True, False),
        ("is the suspension no longer in place?", True, False),
        ("what's the up-to-date rate on Brazil?", True, False),
        ("was the tariff in effect in 2019?", False, False),
        ("which rules are in effect under the order?", False, False),
        ("has the surcharge expired?", True, False),
        ("have the Cuba tariffs been lifted?", True, False),
        ("had the tariff been lifted by March 2025?", False, False),
        # The state back then: "was ... still".
        ("In Feb 2023, was Russia still a big supplier?", False, False),
        ("Was the tariff still in place?", True, False),
        ("early March 2025: could low-value parcels from Canada still come in free?", False, False),
        ("In early March 2025, was the de minimis exemption still available?", False, False),
        # ... but "as of" a time asks for the newest word up to it.
        ("As of mid-2024, was Ukrainian steel still exempt from the tariff?", True, False),
        # Whether a plan actually came about is the newest word on it.
        ("Did the dairy duties actually take effect on Aug 19, 2026?", True, False),
        ("has the surcharge actually been collected?", True, False),
        ("What did the order actually say?", False, False),
        # Whether a plan goes ahead is not decided yet.
        ("is Trump going ahead with the 15% tariff on refined copper?", False, True),
        ("is USTR's public hearing still going ahead?", True, False),  # its standing now
        ("is the EU moving forward with its countermeasures?", False, True),
        ("is the going rate on steel 25%?", False, False),
        # A guess at what is not decided.
        ("is the EU likely to retaliate?", False, True),
        ("any chance the China truce gets extended again?", False, True),
        ("what's the outlook for the USMCA joint review?", False, True),
        ("is a deal with Switzerland in the works?", False, True),
        ("what did the 2019 outlook report say?", False, False),
    ],
)
def test_latest_and_undecided_words(question: str, latest: bool, undecided: bool) -> None:
    scope = parse_time_scope(question, TODAY)
    assert (scope.latest, scope.undecided) == (latest, undecided)


@pytest.mark.parametrize(
    ("question", "outcome"),
    [
        ("Which companies got approved for the drone program?", True),
        ("What did the TRQs turn out to be?", True),
        ("What came out of the first minerals ministerial?", True),
        ("What final action did USTR take once the comment period closed?", True),
        ("Which minerals will be added to the next list?", False),
        ("Is the US going to pull out of USMCA?", False),
        ("Which rare earths need a licence?", False),
    ],
)
def test_an_outcome_is_told_from_a_plan(question: str, outcome: bool) -> None:
    # What became of something is not answered by what was planned; a plan question may be.
    assert parse_time_scope(question, TODAY).outcome is outcome


@pytest.mark.parametrize(
    ("question", "came_about"),
    [
        ("Has Commerce approved any onshoring plans under the program yet?", True),
        ("Which smelter projects has Commerce approved so far under the program?", True),
        ("How many partners have signed frameworks to date?", True),
        ("Did Turkey ever get its GSP eligibility back after it was terminated in 2019?", True),
        ("What did China's 2026 farm purchases actually add up to?", True),
        ("What did Commerce's 120-day update on the drone market say?", True),
        ("What did the USITC's midpoint monitoring report conclude?", True),
        ("When did the US-Jordan reciprocal trade agreement enter into force?", True),
        ("when did the deal formally go into effect?", True),
        ("When was the agreement signed?", False),
        ("What does the proclamation say about the update?", False),
        ("Is the program still open?", False),
        ("What did the program promise applicants?", False),
        # A commitment asked after is told by what a side "will" do.
        ("Is Skopje actually committing to buy American LNG in its framework?", False),
        ("did brussels ever promise anything on network fees?", False),
        ("Has Japan pledged to invest yet?", False),
        ("Did China ever deliver on its purchase commitments?", True),
        ("did Trump go ahead with the 15% refined copper duty after the update?", True),
        ("has China followed through on the soybean purchases?", True),
    ],
)
def test_whether_something_came_about_is_asked_at_any_time(question: str, came_about: bool) -> None:
    # Not `outcome`: nothing undecided is asked, and a past time does not cancel it.
    scope = parse_time_scope(question, TODAY).resolved(D(2026, 8, 18))
    assert scope.came_about is came_about
    assert not scope.undecided


@pytest.mark.parametrize(
    ("question", "year"),
    [
        ("which minerals will USGS add to the critical minerals list in its 2028 update?", 2028),
        ("what will the 2028 update add?", 2028),
    ],
)
def test_a_year_still_ahead_in_an_undecided_question_is_its_time(question: str, year: int) -> None:
    scope = parse_time_scope(question, TODAY)

    assert (scope.start, scope.end) == (D(year, 1, 1), D(year, 12, 31))
    assert scope.starts_after(D(2026, 8, 18), 7)


@pytest.mark.parametrize(
    "question",
    [
        "will the 2018 tariffs be lifted?",  # a past year labels the measure
        "what is the 2028 target?",  # not undecided: what a document sets for then
    ],
)
def test_a_year_labelling_a_measure_names_no_time(question: str) -> None:
    scope = parse_time_scope(question, TODAY)

    assert (scope.start, scope.end) == (None, None)


@pytest.mark.parametrize(
    "question",
    [
        "The EU said in May 2025 it would retaliate. Has it done so since?",
        "CRS said in May 2025 the probe could lead to tariffs. Has USTR made a finding since then?",
        "Mexico asked for talks in March 2025 - anything ever since?",
    ],
)
def test_since_then_asks_for_the_newest_word_after_the_named_time(question: str) -> None:
    scope = parse_time_scope(question, TODAY).resolved(D(2026, 8, 18))

    assert scope.latest
    assert scope.start is not None and scope.start.year == 2025 and scope.end is None


@pytest.mark.parametrize(
    ("question", "latest"),
    [
        ("latest from BIS on the Oct '23 IFRs - anything after the Jan 2024 extension?", True),
        ("what's the latest on the April 2026 pharma proclamation?", True),
        ("what did the April 2026 proclamation say about generics?", False),
        ("what was the latest date in the March 2025 auto proclamation for parts?", False),
    ],
)
def test_the_latest_on_a_dated_document_is_the_newest_word_since(
    question: str, latest: bool
) -> None:
    scope = parse_time_scope(question, TODAY).resolved(D(2026, 8, 18))

    assert scope.latest is latest
    assert (scope.end is None) is latest


def test_a_named_past_time_outranks_undecided_and_opens_for_latest() -> None:
    newest = D(2026, 8, 18)
    will_in_2024 = parse_time_scope("(Dec 2024) which input will it assess first?", TODAY)
    assert will_in_2024.undecided and not will_in_2024.resolved(newest).undecided
    latest_on = parse_time_scope("latest on the exclusions: did they expire in Nov 2025?", TODAY)
    resolved = latest_on.resolved(newest)
    assert resolved.latest and (resolved.start, resolved.end) == (D(2025, 11, 1), None)
    # The end of a month is when the event was due; the notice setting it may be earlier on.
    at_end = parse_time_scope("latest: did they expire at the end of Nov 2025?", TODAY)
    assert at_end.start == D(2025, 11, 16)
    assert (at_end.resolved(newest).start, at_end.resolved(newest).end) == (D(2025, 11, 1), None)
    as_of = parse_time_scope("as of March 2025, what was the rate?", TODAY).resolved(newest)
    assert as_of.latest and as_of.end == D(2025, 3, 31), "as of keeps its end"
    per = parse_time_scope("How dependent is the US now, per the Feb 2025 fact sheet?", TODAY)
    resolved = per.resolved(newest)
    assert not resolved.latest, "a named document says what it says, not the newest word"
    assert (resolved.start, resolved.end) == (D(2025, 2, 1), D(2025, 2, 28))


def test_what_became_of_something_now_is_the_newest_word_on_it() -> None:
    newest = D(2026, 8, 18)
    outcome = parse_time_scope("where did the minerals 232 end up: any tariffs now?", TODAY)
    resolved = outcome.resolved(newest)
    assert resolved.outcome and resolved.latest, "still needs firm evidence, from the newest"
    will = parse_time_scope("will the pharma rate still go up to 100% next year?", TODAY)
    assert will.latest and will.undecided and not will.resolved(newest).latest


def test_a_window_reaching_past_the_newest_article_asks_for_the_latest() -> None:
    scope = parse_time_scope("Did the duties take effect on Aug 19, 2026?", TODAY)
    assert not scope.latest
    assert scope.resolved(D(2026, 8, 18)).latest


def test_starts_after_compares_the_window_with_the_newest_article_and_a_grace() -> None:
    newest = D(2026, 8, 18)
    assert parse_time_scope("Who will be USTR in 2029?", TODAY).starts_after(newest, 7)
    assert parse_time_scope("What came out of it this fall?", TODAY).starts_after(newest, 7)
    assert not parse_time_scope("Did it start on Aug 19, 2026?", TODAY).starts_after(newest, 7)
    assert not parse_time_scope("What happened in 2025?", TODAY).starts_after(newest, 7)
    assert not TimeScope().starts_after(newest)


def test_relative_times_follow_the_injected_today() -> None:
    scope = parse_time_scope("What happened last year?", D(2020, 3, 15))
    assert (scope.start, scope.end) == (D(2019, 1, 1), D(2019, 12, 31))
    spring = parse_time_scope("What changed last spring?", D(2020, 3, 15))
    assert (spring.start, spring.end) == (D(2019, 3, 1), D(2019, 5, 31))


@pytest.mark.parametrize(
    ("question", "today", "start"),
    [
        # In December, "last fall" is last year's; the one just past is "this fall".
        ("is it still just the soybean tonnage from last fall?", D(2026, 12, 8), D(2025, 9, 1)),
        ("What came out of it this fall?", D(2026, 12, 8), D(2026, 9, 1)),
        ("what changed last summer?", D(2026, 12, 8), D(2025, 6, 1)),
        # A winter is the year of its December, and one under way is not the last one.
        ("what changed last winter?", D(2027, 2, 10), D(2025, 12, 1)),
        ("what changed last winter?", D(2026, 12, 8), D(2025, 12, 1)),
        # So is a month: "last October" in December 2026 is October 2025.
        ("the MOU Trump and Anwar signed in KL last October?", D(2026, 12, 8), D(2025, 10, 1)),
        ("who did Washington send last Sept?", D(2026, 12, 8), D(2025, 9, 1)),
        ("what did they sign this July?", D(2026, 12, 8), D(2026, 7, 1)),
        ("what happens next March?", D(2026, 12, 8), D(2027, 3, 1)),
        ("what happens next December?", D(2026, 11, 8), D(2026, 12, 1)),
        # "may" the verb is no month.
        ("the duty may last may be extended", D(2026, 12, 8), None),
    ],
)
def test_last_season_or_month_is_last_years(question: str, today: D, start: D | None) -> None:
    assert parse_time_scope(question, today).start == start


def test_a_follow_up_without_a_time_continues_the_earlier_turns_scope() -> None:
    earlier = parse_time_scope("what did BIS add to the Entity List on March 28, 2025?", TODAY)
    follow_up = parse_time_scope("how many of them were in Pakistan?", TODAY).continuing(earlier)
    assert (follow_up.start, follow_up.end) == (D(2025, 3, 28), D(2025, 3, 28))
    current = parse_time_scope("what's the current tariff on Chinese goods?", TODAY)
    assert parse_time_scope("and on Canadian goods?", TODAY).continuing(current).latest
    own = parse_time_scope("and in 2019?", TODAY).continuing(earlier)
    assert (own.start, own.end) == (D(2019, 1, 1), D(2019, 12, 31)), "its own time wins"
    now = parse_time_scope("and now?", TODAY).continuing(earlier)
    assert now.latest and not now.explicit
    will = parse_time_scope("will it be extended?", TODAY).continuing(current)
    assert will.undecided and not will.latest, "undecided is the follow-up's own"


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        (
            "what did USTR conclude at the end of the first Trump term?",
            D(2020, 10, 20),
            D(2021, 1, 19),
        ),
        ("in Trump's first term, which GSP countries were cut?", D(2017, 1, 20), D(2021, 1, 19)),
        ("under Trump 1.0 what happened to solar?", D(2017, 1, 20), D(2021, 1, 19)),
        ("what did the Biden administration do on solar?", D(2021, 1, 20), D(2025, 1, 19)),
        ("start of the Biden-Harris administration: chips?", D(2021, 1, 20), D(2021, 4, 21)),
        ("during Biden's term, what happened to solar?", D(2021, 1, 20), D(2025, 1, 19)),
        ("under Biden, what happened to solar?", D(2021, 1, 20), D(2025, 1, 19)),
    ],
)
def test_a_past_presidency_names_its_time(question: str, start: D, end: D) -> None:
    scope = parse_time_scope(question, TODAY)
    assert (scope.start, scope.end) == (start, end)


@pytest.mark.parametrize(
    "question",
    ["what did Trump say?", "Trump 2.0 tariffs on steel", "under Trump what changed?"],
)
def test_a_president_or_the_current_presidency_names_no_time(question: str) -> None:
    assert not parse_time_scope(question, TODAY).explicit


@pytest.mark.parametrize(
    ("question", "after"),
    [
        ("What did the IPEF Council agree at its 2027 ministerial?", True),
        ("which minerals will USGS add in the 2028 critical minerals update?", True),
        # The newest article's year or before it, or a year that dates nothing.
        ("what did the 2026 review conclude?", False),
        ("what was the 2019 proclamation on Mexican steel?", False),
        ("will the tariff rise in 2027?", False),
    ],
)
def test_a_thing_dated_after_the_newest_article_is_found(question: str, after: bool) -> None:
    assert dated_things_after(question, date(2026, 8, 18), grace_days=7) is after


@pytest.mark.parametrize(
    ("question", "lead_in"),
    [
        ("what rate did Switzerland face in August 2025?", D(2025, 7, 22)),
        ("when the wood 232 started in Oct 2025, what did cabinets pay?", D(2025, 9, 21)),
        ("what took effect on March 12, 2025?", D(2025, 3, 2)),
        # Part of a month, a time dating a noun, a year: no lead-in.
        ("what changed for farm imports in mid-Nov 2025?", None),
        ("Who testified at USTR's March 2025 hearing?", None),
        ("what happened in 2025?", None),
    ],
)
def test_a_month_or_day_named_as_when_has_a_lead_in(question: str, lead_in: D | None) -> None:
    assert parse_time_scope(question, TODAY).lead_in == lead_in
