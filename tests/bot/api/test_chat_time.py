"""Time in questions and dated answers through the real app: years, latest, future, related."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from ingest.embedder import Embedder
from tests.support.api import AskOver, ask
from tests.support.articles import news_article
from tests.support.dated_articles import (
    CABINET_ARTICLES,
    CANADA_LAW_ARTICLES,
    CAR_SALES_ARTICLES,
    DELAYED_INCREASE_ARTICLES,
    DERIVATIVE_ARTICLES,
    ENTITY_LIST_ARTICLES,
    EV_ARTICLES,
    NEWEST,
    PROMISE_ARTICLES,
    REFUND_ARTICLES,
    SAFEGUARD_ARTICLES,
    SOLAR_QUOTA_ARTICLES,
    SOLAR_QUOTA_CHANGE_ARTICLES,
    STEEL_ARTICLES,
    SUMMIT_ARTICLES,
    SURCHARGE_ARTICLES,
    SUSPENDED_DUTIES_ARTICLES,
    UKRAINE_ARTICLES,
)
from tests.support.fixtures import SeedArticles
from tests.support.thread_articles import EXCLUSION_ARTICLES

Invariants = Callable[[TestClient, dict[str, Any]], None]
DATED = re.compile(r"(?:On (\d{4}-\d{2}-\d{2})|Earlier \((\d{4}-\d{2}-\d{2})\)|Undated)")


@pytest.fixture
def client(seed_articles: SeedArticles, embedder: Embedder) -> Iterator[TestClient]:
    """The app over a store holding steel-tariff articles from 2019 to 2025."""
    settings = seed_articles(STEEL_ARTICLES)
    with TestClient(create_app(settings, embedder=embedder)) as test_client:
        yield test_client


@contextmanager
def _client_over(
    seed_articles: SeedArticles, embedder: Embedder, articles: list[dict[str, Any]]
) -> Iterator[TestClient]:
    """The app over a store of `articles`."""
    with TestClient(create_app(seed_articles(articles), embedder=embedder)) as client:
        yield client


def _search_over(
    seed_articles: SeedArticles,
    embedder: Embedder,
    articles: list[dict[str, Any]],
    query: str,
    k: int,
) -> list[dict[str, Any]]:
    """Search the app over a store of `articles` (`GET /v1/search`); return the hits."""
    with _client_over(seed_articles, embedder, articles) as client:
        response = client.get("/v1/search", params={"q": query, "k": k})
    assert response.status_code == 200
    return list(response.json()["results"])


def _assert_first_quote(answer: dict[str, Any], doc_id: str, words: str, day: str) -> None:
    """The first citation quotes `words` from `doc_id`, introduced with its date and source."""
    assert answer["grounded"] and answer["citations"], answer["answer"]
    first = answer["citations"][0]
    assert first["doc_id"] == doc_id, answer["answer"]
    assert words in first["quote"]
    assert answer["answer"].startswith(f"On {day} ("), answer["answer"]
    _assert_each_quote_is_dated(answer)


def _assert_each_quote_is_dated(answer: dict[str, Any]) -> None:
    """Every marker comes after an introduction naming its own article's date."""
    text = answer["answer"]
    for citation in answer["citations"]:
        before = text[: text.index(f"[{citation['n']}]")]
        intros = list(DATED.finditer(before))
        assert intros, f"quote [{citation['n']}] is not introduced by a date: {text}"
        last = intros[-1]
        assert (last.group(1) or last.group(2)) == citation["published_at"]


@pytest.mark.parametrize(
    ("question", "doc_id"),
    [
        ("What happened to the Section 232 steel tariffs in 2019?", "steel-2019"),
        ("back in October 2021, what did the US and EU do about steel tariffs?", "steel-2021"),
    ],
)
def test_a_time_scoped_question_cites_the_article_of_that_time(
    client: TestClient, answer_invariants: Invariants, question: str, doc_id: str
) -> None:
    answer = ask(client, question)

    answer_invariants(client, answer)
    assert answer["grounded"], answer["answer"]
    assert {c["doc_id"] for c in answer["citations"]} == {doc_id}
    _assert_each_quote_is_dated(answer)
    assert answer["as_of"] == answer["citations"][0]["published_at"]
    assert answer["related"] == []


def test_a_latest_question_cites_the_newest_article_and_adds_the_earlier_word(
    client: TestClient, answer_invariants: Invariants
) -> None:
    answer = ask(client, "What is the current Section 232 tariff on steel imports?")

    answer_invariants(client, answer)
    first, *rest = answer["citations"]
    assert first["doc_id"] == "steel-2025-jun" and first["n"] == 1
    assert answer["answer"].startswith(f"On {NEWEST} (Harbour Times): ")
    assert "50 percent" in answer["answer"].split("[1]")[0]
    assert rest, answer["answer"]
    earlier = rest[0]
    assert earlier["published_at"] < NEWEST
    assert f"Earlier ({earlier['published_at']}): " in answer["answer"]
    assert answer["as_of"] == NEWEST
    _assert_each_quote_is_dated(answer)


def test_a_question_about_a_time_after_the_newest_article_is_refused_naming_its_date(
    client: TestClient, answer_invariants: Invariants
) -> None:
    answer = ask(client, "What will the Section 232 steel tariff be in 2031?")

    answer_invariants(client, answer)
    assert not answer["grounded"] and answer["citations"] == []
    assert answer["answer"].startswith(f"The newest article I have is from {NEWEST};")
    assert answer["as_of"] is None
    related = answer["related"]
    assert 1 <= len(related) <= 3
    assert {r["doc_id"] for r in related} <= {a["id"] for a in STEEL_ARTICLES[:4]}
    assert set(related[0]) == {"doc_id", "title", "published_at", "url"}


def test_a_thing_dated_after_the_newest_article_is_refused_naming_its_date(
    client: TestClient, answer_invariants: Invariants
) -> None:
    # "at their 2031 meeting" names no window ("the 2021 deal" often names a document), yet
    # no article can have told what was agreed at it.
    later = ask(client, "What did the US and the EU agree on steel at their 2031 meeting?")
    earlier = ask(client, "What did the US and the EU agree on steel at their 2021 meeting?")

    answer_invariants(client, later)
    assert not later["grounded"] and later["citations"] == []
    assert later["answer"].startswith(f"The newest article I have is from {NEWEST};")
    assert earlier["grounded"], earlier["answer"]
    assert earlier["citations"][0]["doc_id"] == "steel-2021"


DRONE_ARTICLES = [
    news_article(
        "drones-2026-08",
        "2026-08-13",
        "The White House",
        "Fact Sheet: Tariffs on Drones and an Onshoring Program",
        "The Proclamation imposes a 25% tariff on imported drones and drone components. "
        "The Proclamation authorizes the Secretary of Commerce to establish an onshoring "
        "program for companies making new investments in drone manufacturing in the United "
        "States. Approved companies would be exempt from the tariff for two years.",
    ),
    *STEEL_ARTICLES,
]


def test_what_became_of_a_plan_is_not_answered_by_the_plan(ask_over: AskOver) -> None:
    # "got approved" asks for an outcome no article records; the proclamation only
    # authorizes the program. A question about the plan itself is still answered.
    outcome, plan = ask_over(
        DRONE_ARTICLES,
        "Which companies got approved for the drone onshoring program?",
        "What does the drone proclamation authorize Commerce to establish?",
    )

    assert not outcome["grounded"] and outcome["citations"] == [], outcome["answer"]
    assert outcome["answer"].startswith("The newest article I have is from 2026-08-13;")
    assert plan["grounded"] and plan["citations"][0]["doc_id"] == "drones-2026-08"


def _itc_notice_2022(rescheduled: str) -> dict[str, Any]:
    """The ITC's July 2022 notice rescheduling its hearing on the 232 and 301 tariffs, telling
    the new days as `rescheduled`."""
    return news_article(
        "itc-hearing-2022",
        "2022-07-19",
        "Federal Register",
        "Economic Impact of Section 232 and 301 Tariffs on U.S. Industries; Rescheduled Hearing",
        "Due to the large number of requests to appear at the Commission's public hearing in "
        "this investigation of the economic impact of the section 232 and 301 tariffs, "
        + rescheduled,
    )


HEARING_ARTICLES = [
    _itc_notice_2022(
        "the U.S. International Trade Commission (Commission) has added two additional days to "
        "the public hearing, July 20, 2022, and July 22, 2022. The public hearing originally "
        "was scheduled for one day, July 21, 2022."
    ),
    news_article(
        "copper-hearing-2026",
        "2026-08-10",
        "Federal Register",
        "Refined Copper; Notice of Public Hearing",
        "Due to the number of requests to appear, the Commission has added a second day to "
        "the public hearing on refined copper imports, September 15, 2026, and September 16, "
        "2026.",
    ),
    news_article(
        "steel-2026-08",
        "2026-08-18",
        "White House",
        "Adjusting Imports of Steel",
        "The President adjusted the tariff on steel articles to 50 percent.",
    ),
]


RESCHEDULED_HEARING_ARTICLES = [
    _itc_notice_2022(
        "the public hearing dates have been rescheduled. As rescheduled, the public hearing on "
        "the economic impact of the section 232 and 301 tariffs will run on July 20-22, 2022."
    ),
    *HEARING_ARTICLES[1:],
]


@pytest.mark.parametrize(
    ("articles", "question", "words"),
    [
        (
            HEARING_ARTICLES,
            "ITC hearing on the economic impact of the 232 and 301 tariffs - what days did it "
            "end up running after they added more?",
            "July 20, 2022, and July 22, 2022",
        ),
        # A plan ("will run on July 20-22, 2022") for a run of days as long past.
        (
            RESCHEDULED_HEARING_ARTICLES,
            "ITC hearing on the economic impact of the 232 and 301 tariffs - what dates did it "
            "end up running after the reschedule?",
            "July 20-22, 2022",
        ),
    ],
)
def test_what_became_of_a_plan_whose_days_are_long_past_is_the_plans_last_word(
    ask_over: AskOver, articles: list[dict[str, Any]], question: str, words: str
) -> None:
    # "end up" asks what became of the hearing; the notice of 2022 is the articles' last word
    # on days four years past. The copper hearing's days lie after the newest article.
    past, ahead = ask_over(
        articles,
        question,
        "ITC public hearing on refined copper imports - what days did it end up running "
        "after they added more?",
    )

    _assert_first_quote(past, "itc-hearing-2022", words, "2022-07-19")
    assert not ahead["grounded"] and ahead["citations"] == [], ahead["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "Has Commerce approved any drone onshoring plans yet?",
        "Did the drone onshoring program ever exempt a company from the tariff?",
        "Which drone makers has Commerce approved so far for the onshoring program?",
        "Did Commerce go ahead with approving drone onshoring plans?",
    ],
)
def test_whether_a_plan_came_about_is_not_answered_by_the_plan(
    ask_over: AskOver, question: str
) -> None:
    # The fact sheet only tells what approved companies would get.
    (answer,) = ask_over(DRONE_ARTICLES, question)

    assert not answer["grounded"] and answer["citations"] == [], answer["answer"]


UPDATE_ARTICLES = [
    news_article(
        "drones-proclamation-2026-08",
        "2026-08-13",
        "The White House",
        "Adjusting Imports of Unmanned Aircraft Systems",
        "The Secretary of Commerce transmitted to me a report on the drone investigation. I "
        "impose a 25 percent duty on imported drones. The Secretary shall provide an update "
        "on the drone market within 120 days of the date of this proclamation.",
    ),
    *STEEL_ARTICLES,
]


def test_what_a_report_due_later_says_is_not_answered_by_the_order_requiring_it(
    ask_over: AskOver,
) -> None:
    # The update is due after the newest article: only the requirement is recorded. When it
    # is due is still answered.
    content, due = ask_over(
        UPDATE_ARTICLES,
        "What did Commerce's 120-day update on the drone market say?",
        "When is Commerce's update on the drone market due?",
    )

    assert not content["grounded"] and content["citations"] == [], content["answer"]
    _assert_first_quote(due, "drones-proclamation-2026-08", "within 120 days", "2026-08-13")


AIRCRAFT_ARTICLES = [
    news_article(
        "aircraft-proclamation-2026-07",
        "2026-07-09",
        "The White House",
        "Adjusting Imports of Commercial Aircraft, Jet Engines, and Their Parts",
        "The Secretary transmitted to me a report on imports of commercial aircraft and jet "
        "engines. I therefore direct the Secretary and the United States Trade Representative "
        "(Trade Representative) to jointly pursue negotiation of agreements on commercial "
        "aircraft with foreign trading partners. The Secretary and the Trade Representative "
        "shall provide one of these updates within 180 days of the date of this proclamation.",
    ),
    *STEEL_ARTICLES,
]


def test_what_came_of_negotiations_the_speaker_directs_is_not_answered_by_the_directive(
    ask_over: AskOver,
) -> None:
    # "I therefore direct the Secretary ... to pursue negotiation" is a plan; the update on
    # it is due after the newest article.
    (answer,) = ask_over(
        AIRCRAFT_ARTICLES,
        "What did the 180-day update on commercial aircraft negotiations report?",
    )

    assert not answer["grounded"] and answer["citations"] == [], answer["answer"]


AGREEMENT_ARTICLES = [
    news_article(
        "cambodia-2025-10",
        "2025-10-26",
        "The White House",
        "Joint Statement on a Framework for a United States-Cambodia Agreement on Reciprocal Trade",
        "The United States and Cambodia announced a framework for an Agreement on Reciprocal "
        "Trade. The Agreement on Reciprocal Trade will build upon our longstanding economic "
        "relationship, including the U.S.-Cambodia Trade and Investment Framework Agreement "
        "signed in 2006. In the coming weeks, the United States and Cambodia will undertake "
        "domestic formalities in advance of the Agreement entering into force.",
    ),
    news_article(
        "malaysia-2025-10",
        "2025-10-01",
        "The White House",
        "United States and Malaysia to Sign an Agreement on Reciprocal Trade",
        "The United States and Malaysia will sign the Agreement on Reciprocal Trade on "
        "October 26, 2025, in Kuala Lumpur. The Agreement builds on the bilateral trade "
        "relationship of 2024.",
    ),
    *STEEL_ARTICLES,
]


def test_when_will_is_answered_by_a_time_ahead_of_the_article_not_one_it_recalls(
    ask_over: AskOver,
) -> None:
    # The Cambodia statement names only a year it recalls (2006) and "the coming weeks"; the
    # Malaysia notice names the day still ahead of it.
    cambodia, malaysia = ask_over(
        AGREEMENT_ARTICLES,
        "When will the US-Cambodia reciprocal trade agreement enter into force?",
        "When will the US and Malaysia sign the reciprocal trade agreement?",
    )

    assert not cambodia["grounded"] and cambodia["citations"] == [], cambodia["answer"]
    assert cambodia["answer"].startswith("The newest article I have is from ")
    _assert_first_quote(malaysia, "malaysia-2025-10", "October 26, 2025", "2025-10-01")


_MARITIME = "Section 301 Action: China's Targeting of the Maritime, Logistics, and Shipbuilding"
PORT_FEE_ARTICLES = [
    news_article(
        "port-fees-2025-04",
        "2025-04-23",
        "Federal Register",
        f"Notice of Action in {_MARITIME} Sectors",
        "The U.S. Trade Representative has determined to charge port fees on vessels operated "
        "by Chinese companies and on China-built vessels. A 100 percent tariff applies to "
        "ship-to-shore cranes from China.",
    ),
    news_article(
        "port-fees-2025-10",
        "2025-10-16",
        "Federal Register",
        f"Notice of Modification and Proposed Modification of {_MARITIME} Sectors",
        "This notice modifies the port fees on China-linked vessels by altering the fee basis "
        "for vehicle carrier vessels. The crane tariff is unchanged.",
    ),
    news_article(
        "port-fees-2025-11",
        "2025-11-13",
        "Federal Register",
        f"Notice of Modification of {_MARITIME} Sectors",
        "The United States Trade Representative is suspending for one year, beginning on "
        "November 10, 2025, the responsive actions taken in this investigation. The "
        "suspension follows the arrangement reached between the two governments.",
    ),
    *STEEL_ARTICLES,
]


_CUBA = "Addressing Threats to the United States by the Government of Cuba"
_IRAN = "Addressing Threats to the United States by the Government of Iran"
ENDED_ORDER_ARTICLES = [
    news_article(
        "cuba-order",
        "2026-01-29",
        "White House",
        _CUBA,
        "The Government of Cuba continues to threaten the national security of the United "
        "States. I hereby establish a tariff system under which an additional ad valorem duty "
        "may be imposed on goods of any country that directly or indirectly sells or supplies "
        "oil to Cuba.\n\nThe Secretary of Commerce shall determine whether a foreign country "
        "supplies oil to Cuba, and the Secretary of State shall recommend the rate of duty.",
    ),
    news_article(
        "cuba-fact-sheet",
        "2026-01-29",
        "White House",
        "Fact Sheet: President Donald J. Trump " + _CUBA.replace("Addressing", "Addresses"),
        "The Order imposes a new tariff system that allows the United States to impose "
        "additional tariffs on goods from countries that sell or supply oil to Cuba. The "
        "President may modify the Order if Cuba takes significant steps to address the threat.",
    ),
    news_article(
        "iran-order",
        "2026-02-06",
        "White House",
        _IRAN,
        "The Government of Iran continues to threaten the United States. An additional ad "
        "valorem duty may be imposed on goods of any country that purchases goods or services "
        "from Iran.",
    ),
    news_article(
        "ending-order",
        "2026-02-20",
        "White House",
        "Ending Certain Tariff Actions",
        "In Executive Order 14380 of January 29, 2026 (" + _CUBA + "), and Executive Order "
        "14382 of February 6, 2026 (" + _IRAN + "), I declared national emergencies and "
        "imposed, pursuant to IEEPA, additional ad valorem duties on imports of certain "
        "trading partners.\n\nIn light of recent events, the additional ad valorem duties "
        "imposed pursuant to IEEPA in Executive Order 14380 and Executive Order 14382 shall no "
        "longer be in effect and, as soon as practicable, shall no longer be collected.\n\n"
        "This order does not affect any other duties, including duties imposed under section "
        "232 of the Trade Expansion Act of 1962 and section 301 of the Trade Act of 1974. "
        "The head of each agency shall take all appropriate steps to effectuate this order.",
    ),
    *STEEL_ARTICLES,
]


GSP_ARTICLES = [
    news_article(
        "gsp-2019",
        "2019-06-01",
        "USTR",
        "India's GSP designation terminated",
        "The President terminated India's designation as a GSP beneficiary developing country, "
        "effective June 5, 2019.",
    ),
    news_article(
        "gsp-2024",
        "2024-03-01",
        "CRS",
        "GSP renewal stalls",
        "Every GSP beneficiary lost its designation benefits when the program lapsed at the "
        "end of 2020, late in Trump's first term, and Congress has not renewed it.",
    ),
    *STEEL_ARTICLES,
]


def test_a_past_presidency_is_searched_as_its_time(
    seed_articles: SeedArticles, embedder: Embedder, answer_invariants: Invariants
) -> None:
    question = "which country lost its GSP beneficiary designation in Trump's first term?"
    with _client_over(seed_articles, embedder, GSP_ARTICLES) as client:
        hits = client.get("/v1/search", params={"q": question, "k": 3}).json()["results"]
        answer = ask(client, question)
        answer_invariants(client, answer)

    assert [hit["doc_id"] for hit in hits][:1] == ["gsp-2019"]
    _assert_first_quote(answer, "gsp-2019", "terminated India's designation", "2019-06-01")


PHASE_ONE_ARTICLES = [
    news_article(
        "phase-one-301",
        "2025-10-28",
        "Federal Register",
        "Initiation of Section 301 Investigation: China's Implementation of the Phase One "
        "Agreement",
        "SUMMARY: USTR has initiated an investigation to determine whether China is complying "
        "with the January 15, 2020, Economic and Trade Agreement between the United States and "
        "China. The Section 301 Committee will hold a public hearing.",
    ),
    news_article(
        "exclusions-2025-09",
        "2025-09-16",
        "Federal Register",
        "Notice of Product Exclusion Extensions: China's Acts Related to Technology Transfer",
        "USTR invites comment on whether any of the 178 exclusions in the China Section 301 "
        "investigation warrant further extension.",
    ),
    *STEEL_ARTICLES,
]


THAI_FRAMEWORK_ARTICLES = [
    news_article(
        "thai-framework",
        "2025-10-26",
        "The White House",
        "Joint Statement on a Framework for a United States-Thailand Agreement on Reciprocal Trade",
        "The United States will maintain at 19 percent the reciprocal tariffs, as set forth in "
        "Executive Order 14257 of April 2, 2025, as amended, on originating goods of Thailand. "
        "Thailand will eliminate tariff barriers on approximately 99 percent of goods. The two "
        "countries will work together to address non-tariff barriers.",
    ),
    *STEEL_ARTICLES,
]


def test_an_undated_article_is_quoted_as_undated(
    client: TestClient, answer_invariants: Invariants
) -> None:
    answer = ask(client, "Which rare earth elements need an export licence from China?")

    answer_invariants(client, answer)
    assert answer["grounded"]
    assert answer["answer"].startswith("Undated (Trade Desk): ")
    assert answer["as_of"] is None


def test_streaming_done_event_carries_as_of_and_related(client: TestClient) -> None:
    refused = _stream_done(client, "Who will run the steel tariff programme in 2031?")
    assert not refused["grounded"] and refused["related"]
    assert refused["answer"].startswith(f"The newest article I have is from {NEWEST};")
    answered = _stream_done(client, "What is the current Section 232 tariff on steel imports?")
    assert answered["as_of"] == NEWEST and answered["related"] == []


def _stream_done(client: TestClient, question: str) -> dict[str, Any]:
    with client.stream("POST", "/v1/chat/stream", json={"question": question}) as response:
        assert response.status_code == 200
        body = "".join(response.iter_text())
    events = re.findall(r"event: (\w+)\r?\ndata: (.*)", body)
    assert events[0][0] == "citations"
    kind, data = events[-1]
    assert kind == "done"
    done = dict(json.loads(data))
    deltas = "".join(json.loads(d)["text"] for k, d in events if k == "delta")
    assert deltas == done["answer"]
    return done


def test_search_keeps_to_the_time_a_query_names(client: TestClient) -> None:
    response = client.get("/v1/search", params={"q": "Section 232 steel tariffs in 2021", "k": 5})
    assert response.status_code == 200
    hits = response.json()["results"]
    assert hits and {hit["doc_id"] for hit in hits} == {"steel-2021"}
    unscoped = client.get("/v1/search", params={"q": "Section 232 steel tariffs", "k": 5})
    assert len({hit["doc_id"] for hit in unscoped.json()["results"]}) > 1


ANNOUNCED_ARTICLES = [
    news_article(
        "aluminum-proclamation",
        "2025-02-11",
        "White House",
        "Adjusting Imports of Aluminum into the United States",
        "As of 12:01 a.m. on March 12, 2025, the tariff on aluminum articles is increased to "
        "an additional 25 percent ad valorem. Every country exemption ends on that day.",
    ),
    news_article(
        "aluminum-primer",
        "2025-01-20",
        "Trade Desk",
        "Aluminum tariffs explained",
        "The Section 232 tariff on aluminum articles has been 10 percent since 2018, and "
        "several countries are exempt from it.",
    ),
    *STEEL_ARTICLES,
    news_article(
        "march-steel",
        "2025-03-20",
        "Harbour Times",
        "Steel importers adjust to the new tariff",
        "Steel importers said the Section 232 tariff on steel imports raised their costs.",
    ),
]


def test_a_windows_search_finds_what_was_announced_for_it_just_before(
    seed_articles: SeedArticles, embedder: Embedder
) -> None:
    # The February proclamation says what the aluminum tariff would be from March 12; the
    # article on the old 10 percent names no time in March.
    question = "what rate was the aluminum 232 tariff going to in March 2025?"
    hits = _search_over(seed_articles, embedder, ANNOUNCED_ARTICLES, question, 5)

    found = [hit["doc_id"] for hit in hits]
    assert "aluminum-proclamation" in found and "aluminum-primer" not in found, found


LEAD_IN_ARTICLES = [
    news_article(
        "swiss-rates-order",
        "2025-07-31",
        "The White House",
        "Further Modifying the Reciprocal Tariff Rates",
        "The reciprocal tariff on goods of Switzerland shall be 39 percent. This order is "
        "effective 7 days after the date of this order.",
    ),
    news_article(
        "swiss-rates-april",
        "2025-04-02",
        "The White House",
        "Regulating Imports with a Reciprocal Tariff",
        "The reciprocal tariff on goods of Switzerland shall be 31 percent.",
    ),
    news_article(
        "swiss-talks-august",
        "2025-08-20",
        "Harbour Times",
        "Swiss negotiators in Washington",
        "Swiss negotiators met their American counterparts in Washington to discuss watches.",
    ),
    *STEEL_ARTICLES,
]


def test_an_order_signed_just_before_the_named_month_answers_for_it(
    ask_over: AskOver,
) -> None:
    # Signed on July 31 and in force from August 7: the rate of August 2025, though the
    # order names no August; the April rate is not.
    august, mid = ask_over(
        LEAD_IN_ARTICLES,
        "what reciprocal tariff did Switzerland face in August 2025?",
        "what reciprocal tariff did Switzerland face in mid-August 2025?",
    )

    _assert_first_quote(august, "swiss-rates-order", "39 percent", "2025-07-31")
    # Part of a month means its own days: the order is not read as theirs.
    assert not any(c["doc_id"] == "swiss-rates-order" for c in mid["citations"]), mid["answer"]


def test_inside_the_named_time_its_words_do_not_decide_the_ranking(
    seed_articles: SeedArticles, embedder: Embedder
) -> None:
    # Every article searched is from July 2026 already; "July 2026" in the query would only
    # favour the article that repeats the date over the one that answers.
    question = "What's the legal authority for the July 2026 tariffs on Canadian goods?"
    hits = _search_over(seed_articles, embedder, CANADA_LAW_ARTICLES, question, 3)

    assert hits and hits[0]["doc_id"] == "canada-law", hits


@pytest.mark.parametrize(
    ("articles", "question", "doc_id", "words", "day"),
    [
        # The newest article says what changed, in words the question does not use.
        (
            SAFEGUARD_ARTICLES,
            "Is the Section 201 safeguard on solar cells still in force?",
            "polysilicon-2026",
            "expired in February 2026",
            "2026-08-06",
        ),
        # A desk's "any update on ..." asks how things stand now, as "still" does.
        (
            SAFEGUARD_ARTICLES,
            "any update on the Section 201 safeguard on solar cells?",
            "polysilicon-2026",
            "expired in February 2026",
            "2026-08-06",
        ),
        # A later notice goes on with the best sentence's story, sharing no question words.
        (
            EXCLUSION_ARTICLES,
            "latest on the China 301 carve-outs - did they expire at the end of Nov 2025?",
            "notice-2025-12",
            "extend the 178 current exclusions",
            "2025-12-01",
        ),
        # The suspension shares few of the question's words; its title says it is the same
        # matter as the notice the question's words find.
        (
            PORT_FEE_ARTICLES,
            "are the port fees on China-linked vessels and the crane duties still applied?",
            "port-fees-2025-11",
            "is suspending for one year",
            "2025-11-13",
        ),
        # The order ending the tariffs names the Cuba order by number only where it ends it
        # ("Executive Order 14380 ... shall no longer be in effect"), and cites it in full,
        # with its title, a paragraph before: the paragraph is about that order.
        (
            ENDED_ORDER_ARTICLES,
            "Cuba oil-supplier tariffs - are those still being collected?",
            "ending-order",
            "shall no longer be in effect",
            "2026-02-20",
        ),
        # Not a "still" question, and the same rule of what comes first: the asked time's own.
        # "the January 15, 2020, Economic and Trade Agreement" names the agreement; the
        # sentence tells of the fall 2025 investigation, not a 2020 recap.
        (
            PHASE_ONE_ARTICLES,
            "The new 301 on China's Phase One compliance (fall 2025): what is USTR checking?",
            "phase-one-301",
            "whether China is complying",
            "2025-10-28",
        ),
        # "as set forth in Executive Order 14257 of April 2, 2025" names the order: the
        # sentence tells of October 2025, no recap of April.
        (
            THAI_FRAMEWORK_ARTICLES,
            "Oct 2025 Thai framework: what reciprocal rate does the US put on Thai goods?",
            "thai-framework",
            "maintain at 19 percent",
            "2025-10-26",
        ),
    ],
)
def test_the_article_of_the_asked_time_says_it_first(
    ask_over: AskOver,
    articles: list[dict[str, Any]],
    question: str,
    doc_id: str,
    words: str,
    day: str,
) -> None:
    (answer,) = ask_over(articles, question)

    _assert_first_quote(answer, doc_id, words, day)
    assert answer["as_of"] == day


def _trade_desk(prefix: str, days: list[str], title: str, text: str) -> list[dict[str, Any]]:
    """A news desk's numbered items, one a day: `title` and `text` with {n} filled in."""
    return [
        news_article(f"{prefix}-{n}", day, "Trade Desk", title.format(n=n), text.format(n=n))
        for n, day in enumerate(days, start=1)
    ]


def _ask_after_the_ended_orders(
    seed_articles: SeedArticles,
    embedder: Embedder,
    answer_invariants: Invariants,
    crowd: list[dict[str, Any]],
    question: str,
    since_depth: int,
) -> dict[str, Any]:
    """Ask over the ended orders and `crowd`, one passage searched (and `since_depth` among
    the articles after the best match's)."""
    settings = seed_articles([*ENDED_ORDER_ARTICLES, *crowd]).model_copy(
        update={"latest_depth": 1, "latest_since_depth": since_depth}
    )
    with TestClient(create_app(settings, embedder=embedder)) as client:
        answer = ask(client, question)
        answer_invariants(client, answer)
    return answer


@pytest.mark.parametrize(
    ("question", "since_depth", "ended"),
    [
        ("Cuba oil-supplier tariffs - are those still being collected?", 10, True),
        ("Cuba oil-supplier tariffs - are those still being collected?", 0, False),
        # Whether they are in force is how things stand now, "still" or not.
        ("are the Cuba oil-supplier tariffs in force?", 10, True),
        ("have the Cuba oil-supplier tariffs been lifted?", 10, True),
    ],
)
def test_a_latest_question_searches_the_articles_after_its_best_match(
    seed_articles: SeedArticles,
    embedder: Embedder,
    answer_invariants: Invariants,
    question: str,
    since_depth: int,
    ended: bool,
) -> None:
    # Searched over all dates, the first passages are briefings on the Cuba order; the
    # order ending them is found among the articles published after the best match.
    crowd = _trade_desk(
        "cuba-briefing",
        [f"2026-01-{day}" for day in range(21, 28)],
        "Briefing {n}: " + _CUBA,
        "Briefing {n} on the Cuba oil-supplier tariffs: countries that sell or supply oil to "
        "Cuba face additional tariffs on their goods, which CBP collects at entry.",
    )
    answer = _ask_after_the_ended_orders(
        seed_articles, embedder, answer_invariants, crowd, question, since_depth
    )

    cited = [c["doc_id"] for c in answer["citations"]]
    assert ("ending-order" in cited) is ended, answer["answer"]
    if ended:
        _assert_first_quote(answer, "ending-order", "shall no longer be in effect", "2026-02-20")


def test_a_latest_question_reads_the_later_order_that_cites_its_best_match_by_title(
    seed_articles: SeedArticles,
    embedder: Embedder,
    answer_invariants: Invariants,
) -> None:
    # After the Cuba order, newsletters on Cuban oil outrank the order ending the tariffs,
    # whose words are a list of order numbers, among the later articles: the one later
    # passage searched is a newsletter's. The ending order cites the Cuba order in full by
    # its title, so it is read as the rest of that order's story.
    crowd = _trade_desk(
        "cuba-oil-news",
        [f"2026-02-{day}" for day in range(10, 15)],
        "Cuba oil supply newsletter {n}",
        "Newsletter {n}: countries that sell or supply oil to Cuba are still weighing the "
        "tariff system; tankers bound for Cuba with oil were tracked again this week.",
    )
    question = "are goods of countries that supply oil to Cuba still charged the additional duty?"
    answer = _ask_after_the_ended_orders(
        seed_articles, embedder, answer_invariants, crowd, question, 1
    )

    _assert_first_quote(answer, "ending-order", "shall no longer be in effect", "2026-02-20")


def test_a_later_status_sentence_holding_every_word_of_the_question_is_the_newest_word(
    seed_articles: SeedArticles,
    embedder: Embedder,
    answer_invariants: Invariants,
) -> None:
    # Desk notes on the Cuba tariffs match best. The later order ending the tariffs names
    # them only by the order's number, in a list of numbers that embeds far from the question;
    # with the order's title its sentence holds every word of the question and tells the
    # status: the newest word.
    crowd = _trade_desk(
        "cuba-desk",
        [f"2026-01-{day}" for day in range(24, 29)] + ["2026-02-02"],
        "Desk note {n}: Caribbean energy trade",
        "Desk note {n}: are the Cuba tariffs being collected? Traders say the Cuba tariffs "
        "are collected at entry on goods of countries that sell oil to Cuba.",
    )
    settings = seed_articles([*ENDED_ORDER_ARTICLES, *crowd]).model_copy(
        update={"latest_depth": 8, "latest_since_depth": 1}
    )
    with TestClient(create_app(settings, embedder=embedder)) as client:
        answer = ask(client, "are the Cuba tariffs still being collected?")
        answer_invariants(client, answer)

    _assert_first_quote(answer, "ending-order", "shall no longer be collected", "2026-02-20")


@pytest.mark.parametrize(
    ("articles", "question"),
    [
        (SAFEGUARD_ARTICLES, "Is the Section 201 safeguard on solar cells still in force?"),
        (
            EXCLUSION_ARTICLES,
            "latest on the China 301 carve-outs - did they expire at the end of Nov 2025?",
        ),
        (
            DELAYED_INCREASE_ARTICLES,
            "current status of the kitchen cabinet tariff hike to 50% - did it happen Jan 1?",
        ),
    ],
)
def test_a_latest_search_lists_first_the_passages_its_answer_quotes(
    seed_articles: SeedArticles,
    embedder: Embedder,
    articles: list[dict[str, Any]],
    question: str,
) -> None:
    # An older article matching the words better ranked first; the newest word came later.
    with _client_over(seed_articles, embedder, articles) as client:
        answer = ask(client, question)
        response = client.get("/v1/search", params={"q": question, "k": 5})

    assert response.status_code == 200
    hits = response.json()["results"]
    cited = list(dict.fromkeys(c["chunk_id"] for c in answer["citations"]))
    assert cited and [h["chunk_id"] for h in hits[: len(cited)]] == cited, hits
    assert hits[0]["published_at"] == max(a["published_at"] for a in articles)
    assert len(hits) == len({h["chunk_id"] for h in hits}) <= 5


@pytest.mark.parametrize(
    ("articles", "question", "newest", "words", "recalled"),
    [
        # The order recalls what its speaker said before ("I stated that on January 1, 2026,
        # the tariff ... would increase"): its recital, not what became of the hike.
        (
            DELAYED_INCREASE_ARTICLES,
            "current status of the kitchen cabinet tariff hike to 50% - did it happen Jan 1?",
            "2025-12-31",
            "postpone the increase",
            "I stated that",
        ),
        # The partner's promise to "remove" the dispute's cause is no news of the duties.
        (
            SUSPENDED_DUTIES_ARTICLES,
            "Did the 50% tariffs on Canadian dairy actually take effect on Aug 19, 2026?",
            "2026-08-18",
            "suspending the additional duties",
            "In July I imposed",
        ),
    ],
)
def test_a_did_it_happen_question_quotes_where_the_newest_article_says_what_became_of_it(
    ask_over: AskOver,
    articles: list[dict[str, Any]],
    question: str,
    newest: str,
    words: str,
    recalled: str,
) -> None:
    (answer,) = ask_over(articles, question)

    quoted = [c for c in answer["citations"] if c["published_at"] == newest]
    assert quoted and answer["citations"][0]["published_at"] == newest, answer["answer"]
    assert any(words in c["quote"] for c in quoted), answer["answer"]
    assert not any(recalled in c["quote"] for c in quoted), answer["answer"]
    assert answer["as_of"] == newest


@pytest.mark.parametrize(
    ("articles", "question", "answered_from", "unrelated"),
    [
        # Proclamation boilerplate ("withdrawn from warehouse", "continue in effect, unless
        # ... terminated") reads like a change of status but tells none.
        (
            CABINET_ARTICLES,
            "current status of the kitchen cabinet tariff hike to 50% - did it happen Jan 1?",
            "cabinets-2025-12",
            "chips-2026-01",
        ),
        # A later deal's "suspend or remove" is close in wording but names no EV.
        (EV_ARTICLES, "what's the current US tariff on chinese EVs?", "ev-2024", "deal-2025"),
        # A later proclamation adding racks names "contents" pages away from the passage found.
        (
            DERIVATIVE_ARTICLES,
            "Are the steel tariffs on derivative products still only on the steel content?",
            "metal-2026-04",
            "racks-2026-06",
        ),
        (
            DERIVATIVE_ARTICLES,
            "do steel derivative products still pay the tariff only on their steel content?",
            "metal-2026-04",
            "racks-2026-06",
        ),
        # A later refund clause on dairy duties names no chips, the product asked about.
        (
            REFUND_ARTICLES,
            "do importers still get refunds of duties CBP collected on chips?",
            "chips-refund-2025",
            "dairy-2026",
        ),
    ],
)
def test_a_later_status_about_something_else_is_not_the_newest_word(
    ask_over: AskOver,
    articles: list[dict[str, Any]],
    question: str,
    answered_from: str,
    unrelated: str,
) -> None:
    (answer,) = ask_over(articles, question)

    cited = [c["doc_id"] for c in answer["citations"]]
    assert answer["grounded"] and cited[0] == answered_from, answer["answer"]
    assert unrelated not in cited, answer["answer"]


def test_as_of_a_time_the_newest_word_up_to_it_answers(ask_over: AskOver) -> None:
    (answer,) = ask_over(
        UKRAINE_ARTICLES, "As of mid-2024, was Ukrainian steel still exempt from the 232 tariffs?"
    )

    _assert_first_quote(answer, "ukraine-2024", "extended again, until June 1, 2025", "2024-05-31")
    cited = {c["doc_id"] for c in answer["citations"]}
    assert "steel-exemptions-end-2025" not in cited, answer["answer"]


@pytest.mark.parametrize(
    "question", ["when is the next meeting with Xi?", "what's next for the Xi meetings?"]
)
def test_a_next_question_is_answered_by_the_plan_in_the_newest_article(
    ask_over: AskOver, question: str
) -> None:
    (answer,) = ask_over(SUMMIT_ARTICLES, question)

    _assert_first_quote(answer, "deal-2026", "meeting in Washington this fall", "2026-05-17")


def test_a_named_year_finds_the_later_article_that_reports_on_it(
    seed_articles: SeedArticles, embedder: Embedder, answer_invariants: Invariants
) -> None:
    with _client_over(seed_articles, embedder, CAR_SALES_ARTICLES) as client:
        answer = ask(client, "how many cars did Americans buy in 2024?")
        answer_invariants(client, answer)
        search = client.get("/v1/search", params={"q": "cars Americans bought in 2024", "k": 5})

    _assert_first_quote(answer, "cars-2025", "16 million cars", "2025-04-29")
    assert "notice" not in answer or not answer["notice"], "the article is not outside the time"
    found = {hit["doc_id"] for hit in search.json()["results"]}
    assert "cars-2025" in found
    assert "cars-2026" not in found, "a later article that does not name 2024 stays out"


def test_a_month_a_later_article_names_without_its_year_is_the_asked_month(
    ask_over: AskOver,
) -> None:
    # "in November" in a February 2025 fact sheet is November 2024; "In March" in June is not.
    (answer,) = ask_over(
        PROMISE_ARTICLES, "what did trump promise canada and mexico in november 2024?"
    )

    _assert_first_quote(answer, "promise-2025-02", "25 percent tariff", "2025-02-01")
    assert "promise-2025-06" not in {c["doc_id"] for c in answer["citations"]}, answer["answer"]


FARM_ARTICLES = [
    news_article(
        "china-deal-2025-11-04",
        "2025-11-04",
        "The White House",
        "Modifying Reciprocal Tariff Rates Consistent With the Arrangement With China",
        "Under the arrangement, the reciprocal tariff on goods of China changed to 10 percent, "
        "and China will suspend its retaliatory tariffs on United States farm goods.",
    ),
    news_article(
        "farm-scope-2025-11-14",
        "2025-11-14",
        "The White House",
        "Modifying the Scope of the Reciprocal Tariff With Respect to Certain Agricultural "
        "Products",
        "Certain agricultural products, such as coffee, tea, beef and bananas, shall no longer "
        "be subject to the reciprocal tariff.",
    ),
]


def test_a_part_of_a_month_is_searched_as_that_part(ask_over: AskOver) -> None:
    # "mid-Nov" is the middle of November: the order of November 14, not that of the 4th.
    (answer,) = ask_over(
        FARM_ARTICLES, "what changed for farm goods under the reciprocal tariffs in mid-Nov 2025?"
    )

    _assert_first_quote(answer, "farm-scope-2025-11-14", "no longer", "2025-11-14")
    assert "china-deal-2025-11-04" not in {c["doc_id"] for c in answer["citations"]}


# A day as typed in words, and in figures as US desks and the answers' own dates write it.
_QUOTA_DAYS = ["Aug 1, 2024", "8/1/24", "8/1/2024", "2024-08-01", "Aug 1 '24"]


@pytest.mark.parametrize("day", _QUOTA_DAYS)
def test_a_day_no_article_is_from_ranks_the_articles_nearest_to_it_first(
    seed_articles: SeedArticles, embedder: Embedder, day: str
) -> None:
    question = f"From {day}, what was the in-quota cap for solar cells under Section 201?"
    with _client_over(seed_articles, embedder, SOLAR_QUOTA_ARTICLES) as client:
        ranked = client.get("/v1/search", params={"q": question, "k": 3}).json()["results"]
        unnamed = client.get("/v1/search", params={"q": question.split(", ", 1)[1], "k": 3})

    assert [hit["doc_id"] for hit in ranked] == ["quota-2024-08", "quota-2024-05", "quota-2023-02"]
    # The same words with no time rank the closer wording first: the day is what moved it.
    assert unnamed.json()["results"][0]["doc_id"] != "quota-2024-08"


@pytest.mark.parametrize("day", _QUOTA_DAYS)
def test_a_day_is_answered_by_the_clause_a_later_article_names_it_in(
    ask_over: AskOver, day: str
) -> None:
    # Nothing is published on the day; later reports crowd the words but never name it.
    question = f"From {day}, what was the in-quota cap for solar cells under Section 201?"
    (answer,) = ask_over(SOLAR_QUOTA_CHANGE_ARTICLES, question)

    _assert_first_quote(answer, "quota-2024-08", "modified TRQ limit of 12.5 GW", "2024-08-12")
    assert not answer.get("notice"), "the article names the day: it is no other date's"


def test_a_follow_up_keeps_the_time_its_conversation_named(
    seed_articles: SeedArticles, embedder: Embedder, answer_invariants: Invariants
) -> None:
    with _client_over(seed_articles, embedder, ENTITY_LIST_ARTICLES) as client:
        first = ask(client, "what did BIS add to the Entity List in March 2025?")
        follow_up = ask(
            client, "how many of them were in Pakistan?", conversation_id=first["conversation_id"]
        )
        answer_invariants(client, follow_up)
        alone = ask(client, "how many of them were in Pakistan?")

    assert first["citations"][0]["doc_id"] == "entities-mar", first["answer"]
    assert follow_up["grounded"], follow_up["answer"]
    assert {c["doc_id"] for c in follow_up["citations"]} == {"entities-mar"}, follow_up["answer"]
    assert "19 in Pakistan" in follow_up["citations"][0]["quote"]
    cited_alone = {c["doc_id"] for c in alone["citations"]}
    assert cited_alone != {"entities-mar"}, "asked alone, the question names no rule"


RECAP_ARTICLES: list[dict[str, Any]] = [
    {
        "id": "exclusions-2022-06",
        "title": "Extension of the medical-care product exclusions",
        "text": (
            "In November 2021, the Trade Representative extended 81 medical-care product "
            "exclusions from the China tariffs for six months. This notice extends the 81 "
            "medical-care product exclusions for an additional six months, through November 30, "
            "2022. Interested persons may submit comments."
        ),
        "published_at": "2022-06-03",
        "source": "Federal Register",
    },
    {
        "id": "exclusions-2021-11",
        "title": "Medical-care product exclusions extended",
        "text": (
            "The Trade Representative extended 81 medical-care product exclusions from the "
            "China tariffs for six months, through May 31, 2022."
        ),
        "published_at": "2021-11-16",
        "source": "Federal Register",
    },
    {
        "id": "steel-2019",
        "title": "US lifts steel tariffs on Canada and Mexico",
        "text": "The United States lifted its Section 232 steel tariffs on Canada and Mexico.",
        "published_at": "2019-05-17",
        "source": "Pacific Ledger",
    },
]


DEFICIT_ARTICLES: list[dict[str, Any]] = [
    {
        "id": "deficit-fact-sheet-2025",
        "title": "Fact sheet: the trade deal with China",
        "text": (
            "The US goods trade deficit with China was $295.4 billion in 2024, the largest "
            "with any trading partner. The deal opens China's market to American farmers."
        ),
        "published_at": "2025-08-11",
        "source": "The White House",
    },
    {
        "id": "deficit-crs-2026",
        "title": "U.S.-China trade: an overview",
        "text": (
            "In 2024, the U.S. goods trade deficit with China was $295.4 billion. In "
            "comparison, the 2025 U.S. trade deficit with China was $202.1 billion, the "
            "smallest in two decades."
        ),
        "published_at": "2026-04-16",
        "source": "Congressional Research Service",
    },
]
RESTORED_STEEL_ARTICLES: list[dict[str, Any]] = [
    {
        "id": "steel-recap-2026",
        "title": "Fact sheet: strengthening the tariffs on steel and aluminum",
        "text": (
            "In February 2025, the President restored the steel tariff rate and ended the "
            "exemptions. In June 2025, the President raised the steel tariff rate to 50%, a "
            "level strong enough to restore the industry."
        ),
        "published_at": "2026-04-02",
        "source": "The White House",
    },
    {
        "id": "steel-2025-02",
        "title": "Fact sheet: the President restores Section 232 tariffs",
        "text": (
            "Yesterday, the President signed proclamations to close loopholes and restore a "
            "true 25% tariff on steel imports. The restored tariff rate applies to all "
            "countries from March 12, 2025."
        ),
        "published_at": "2025-02-11",
        "source": "The White House",
    },
]


@pytest.mark.parametrize(
    ("articles", "question", "wanted", "unwanted"),
    [
        # A 2024 article recalls "the November 2023 Woodside Summit" and plans a meeting in Lima.
        (SUMMIT_ARTICLES, "where did Biden and Xi meet in November 2023?", "Woodside", "Lima"),
        # The June 2022 notice recalls November 2021; the question asks what it did in June 2022.
        (
            RECAP_ARTICLES,
            "June 2022: how long did USTR extend the 81 medical-care exclusions?",
            "This notice extends",
            "November 2021",
        ),
        # A 2026 recap tells February 2025, then June 2025 in the sentence after it.
        (
            RESTORED_STEEL_ARTICLES,
            "In February 2025, what steel tariff rate did the President restore?",
            "restore a true 25% tariff on steel",
            "In June 2025",
        ),
        # Only later articles recall 2024; the sentence after one names 2025 as its own year.
        (
            DEFICIT_ARTICLES,
            "how big was the US goods trade deficit with China in 2024?",
            "$295.4 billion",
            "the 2025 U.S. trade deficit",
        ),
        # The ending order cites "Executive Order 14380 of January 29, 2026": the day names
        # the order, the news (its end) is of February.
        (
            ENDED_ORDER_ARTICLES,
            "What does the January 2026 Cuba executive order target?",
            "oil to Cuba",
            "Executive Order 14380 of January 29, 2026",
        ),
    ],
)
def test_only_what_is_said_about_the_named_time_answers_for_it(
    ask_over: AskOver, articles: list[dict[str, Any]], question: str, wanted: str, unwanted: str
) -> None:
    (answer,) = ask_over(articles, question)

    assert answer["grounded"], answer["answer"]
    quotes = [c["quote"] for c in answer["citations"]]
    assert any(wanted in quote for quote in quotes), answer["answer"]
    assert not any(unwanted in quote for quote in quotes), answer["answer"]


def test_a_follow_ups_pronoun_is_read_as_what_the_conversation_is_about(
    seed_articles: SeedArticles, embedder: Embedder, answer_invariants: Invariants
) -> None:
    with _client_over(seed_articles, embedder, SURCHARGE_ARTICLES) as client:
        first = ask(client, "What is the Section 122 surcharge?")
        follow_up = ask(client, "how long can it last?", conversation_id=first["conversation_id"])
        answer_invariants(client, follow_up)

    # Only the article about the surcharge answers: the steel article matches "last" better
    # but never names the surcharge "it" stands for.
    assert follow_up["grounded"], follow_up["answer"]
    assert {c["doc_id"] for c in follow_up["citations"]} == {"surcharge-2026"}
    assert any("up to 150 days" in c["quote"] for c in follow_up["citations"])
    assert follow_up["answer"].startswith("On 2026-02-20 ("), follow_up["answer"]
    _assert_each_quote_is_dated(follow_up)


PASTA_ARTICLES: list[dict[str, Any]] = [
    {
        "id": f"pasta-{year}",
        "title": title,
        "text": f"The United States charges a {rate} percent tariff on imported Italian pasta. "
        + more,
        "published_at": day,
        "source": "Harbour Times",
        "url": f"https://news.example/pasta-{year}",
    }
    for year, rate, day, title, more in (
        (
            "2024",
            15,
            "2024-03-01",
            "Pasta importers brace for costlier shelves",
            "Importers in New Jersey said shelf prices would follow within weeks.",
        ),
        (
            "2025",
            25,
            "2025-09-01",
            "Gragnano makers ship less to America",
            "Family mills near Naples plan to sell more of their spaghetti in Germany instead.",
        ),
    )
]


def test_an_older_near_copy_with_another_rate_is_the_earlier_word(ask_over: AskOver) -> None:
    # The two sentences differ only in the rate: a near-copy by embedding, not by what it says.
    (answer,) = ask_over(PASTA_ARTICLES, "What is the current US tariff on Italian pasta?")

    first, *rest = answer["citations"]
    assert first["doc_id"] == "pasta-2025" and "25 percent" in first["quote"], answer["answer"]
    assert [c["doc_id"] for c in rest] == ["pasta-2024"], answer["answer"]
    assert "15 percent" in rest[0]["quote"]
    assert "Earlier (2024-03-01): " in answer["answer"]
    _assert_each_quote_is_dated(answer)


# Summit readouts, a Board of Trade and look-alikes: whose word answers for a time.
RECALLED_ARTICLES: list[dict[str, Any]] = [
    news_article(
        "readout-2023-11",
        "2023-11-15",
        "White House",
        "Readout of President Biden's meeting with President Xi",
        "President Biden today held a meeting with President Xi Jinping of the People's "
        "Republic of China in Woodside, California. The leaders agreed to resume "
        "military-to-military communications.",
    ),
    news_article(
        "readout-2024-08",
        "2024-08-29",
        "White House",
        "Readout of the National Security Advisor's meetings in Beijing",
        "The two sides discussed further implementation of the commitments President Biden "
        "and President Xi made at the November 2023 Woodside Summit, including on "
        "counternarcotics.",
    ),
    news_article(
        "board-2026",
        "2026-05-17",
        "White House",
        "Fact sheet: the United States and China charter a Board of Trade",
        "President Trump and President Xi chartered the U.S.-China Board of Trade. The Board "
        "of Trade will allow the two governments to manage bilateral trade in non-sensitive "
        "goods.",
    ),
    news_article(
        "actions-2024",
        "2024-05-14",
        "White House",
        "Countering China's unfair trade practices",
        "Today's actions to counter China's unfair trade practices are carefully targeted "
        "and would not raise costs across the board. The trade actions follow a four-year "
        "review.",
    ),
    news_article(
        "partners-2026",
        "2026-04-16",
        "Congressional Research Service",
        "U.S. trading partners in 2025",
        "In 2025 China was the third-largest U.S. trading partner, with $582 billion in "
        "bilateral trade in goods.",
    ),
    *STEEL_ARTICLES,
]


def test_the_named_times_own_article_is_quoted_beside_a_later_recap(ask_over: AskOver) -> None:
    question = "where did biden and xi hold their summit in november 2023?"
    (answer,) = ask_over(RECALLED_ARTICLES, question)

    assert answer["grounded"], answer["answer"]
    cited = {c["doc_id"]: c["quote"] for c in answer["citations"]}
    assert "Woodside, California" in cited.get("readout-2023-11", ""), answer["answer"]
    assert "On 2023-11-15 (White House)" in answer["answer"]


def test_an_earlier_word_must_be_on_the_subject_and_say_how_things_stood(ask_over: AskOver) -> None:
    question = "what's the latest on the US-China Board of Trade?"
    (answer,) = ask_over(RECALLED_ARTICLES, question)

    _assert_first_quote(answer, "board-2026", "Board of Trade", "2026-05-17")
    # Neither a sentence without a figure or a status ("across the board") nor one whose
    # article never names the Board is an earlier word on it.
    assert "Earlier" not in answer["answer"], answer["answer"]
    assert {c["doc_id"] for c in answer["citations"]} == {"board-2026"}


LUMBER_ARTICLES = [
    news_article(
        "lumber-fact-sheet-2025-09",
        "2025-09-29",
        "The White House",
        "Fact Sheet: President Trump Addresses the Threat from Imports of Timber and Lumber",
        "Today, President Trump signed a Proclamation invoking Section 232 to impose a 10 "
        "percent tariff on softwood timber and lumber imports and a 25 percent tariff on "
        "kitchen cabinets and upholstered furniture.",
    ),
    news_article(
        "lumber-amendment-2025-12",
        "2025-12-31",
        "The White House",
        "Amendments to Adjusting Imports of Timber, Lumber, and their Derivative Products",
        "I determine that it is necessary and appropriate to delay for an additional year the "
        "increase in the Section 232 duty rates for upholstered furniture, kitchen cabinets, and "
        "vanities made of lumber.",
    ),
    news_article(
        "canada-roundup-2026-07",
        "2026-07-20",
        "The White House",
        "Fact Sheet: President Trump Imposes Additional Tariffs on Canada",
        "President Trump has taken actions under Section 232 to protect U.S. manufacturing, "
        "including imposing tariffs on key goods such as steel, aluminum, copper, trucks, "
        "timber, lumber, and pharmaceuticals. Canada's provinces removed American alcohol "
        "from their shelves.",
    ),
    # Section 232 is common to many articles; lumber is what the question is about.
    *(
        news_article(
            f"metals-{n}",
            f"2025-0{n}-10",
            "The White House",
            f"Adjusting Imports of Metals, Part {n}",
            f"Proclamation {n}: the Section 232 tariffs on steel and aluminum apply to "
            f"derivative articles listed in Annex {n}.",
        )
        for n in range(1, 6)
    ),
]


def test_a_later_roundup_listing_the_subject_is_no_newer_word_on_it(ask_over: AskOver) -> None:
    # The July 2026 fact sheet names lumber as one item of a list of goods; the December 2025
    # amendment is the newest word on the lumber tariffs.
    (answer,) = ask_over(LUMBER_ARTICLES, "what's the latest on the section 232 lumber tariffs?")

    assert answer["grounded"], answer["answer"]
    assert answer["citations"][0]["doc_id"] == "lumber-amendment-2025-12", answer["answer"]
    assert all(c["doc_id"] != "canada-roundup-2026-07" for c in answer["citations"])


RUSSIAN_OIL_ARTICLES = [
    news_article(
        "india-oil-order-2025-08",
        "2025-08-06",
        "The White House",
        "Fact Sheet: President Trump Addresses Threats by the Government of the Russian Federation",
        "The President found that India is currently importing Russian Federation oil. He is "
        "imposing an additional 25% tariff on imports from India, effective August 27, due to "
        "India's importation of Russian Federation oil.",
    ),
    news_article(
        "reciprocal-scope-2025-09",
        "2025-09-05",
        "The White House",
        "Fact Sheet: President Trump Modifies the Scope of Reciprocal Tariffs",
        "- Imposing an additional 25% tariff on imports from India in response to its continued "
        "purchase of Russian Federation oil.\n- Exempting bullion and certain pharmaceuticals.",
    ),
    news_article(
        "india-deal-2026-02",
        "2026-02-09",
        "The White House",
        "Fact Sheet: The United States and India Announce Historic Trade Deal",
        "- Also on the call, President Trump agreed to remove the additional 25% tariff on "
        "imports from India in recognition of India's commitment to stop purchasing Russian "
        "Federation oil.\n- India will reduce its tariffs on American industrial goods.",
    ),
    # Orders imposing other tariffs: "imposing" is a common word here, India a rarer one.
    *(
        news_article(
            f"other-order-{partner.lower()}",
            f"2025-0{n}-15",
            "The White House",
            f"Fact Sheet: President Trump Imposes Tariffs on {partner}",
            f"The President is imposing an additional {10 * n}% tariff on imports from "
            f"{partner}, effective in thirty days, and is imposing duties on its steel. {note}",
        )
        for n, (partner, note) in enumerate(
            [
                ("Brazil", "Importers are buying ahead of the date."),
                ("Nicaragua", "Storms hit the ports in June."),
                ("Canada", "Buyers are buying less steel."),
                ("Mexico", ""),
                ("Japan", ""),
            ],
            1,
        )
    ),
]


def test_a_verb_the_articles_write_in_common_words_is_not_what_the_question_is_about(
    ask_over: AskOver,
) -> None:
    # "Hit" (no article uses it) stands for "imposing": the best match imposes the tariff, the
    # later deal removes it; the question is about India's tariff, which the deal names.
    (answer,) = ask_over(
        RUSSIAN_OIL_ARTICLES,
        "Is India still getting hit with the extra 25% tariff over buying Russian oil?",
    )

    assert answer["grounded"], answer["answer"]
    assert answer["citations"][0]["doc_id"] == "india-deal-2026-02", answer["answer"]
    assert "remove the additional 25% tariff" in answer["citations"][0]["quote"]


JORDAN_ARTICLES = [
    news_article(
        "jordan-deal-2026-07",
        "2026-07-21",
        "The White House",
        "Fact Sheet: President Trump Announces Trade Deal with Jordan",
        "- The Agreement on Reciprocal Trade will build upon our longstanding economic "
        "relationship, including the U.S.-Jordan Free Trade Agreement, which entered into force "
        "on December 17, 2001.\n- Jordan will open its market to American beef and poultry.",
    ),
    news_article(
        "peru-deal-2026-03",
        "2026-03-02",
        "The White House",
        "Joint Statement: The Agreement on Reciprocal Trade with Peru",
        "The Agreement on Reciprocal Trade between the United States and Peru entered into force "
        "on March 1, 2026.",
    ),
]


def test_when_an_agreement_entered_into_force_is_not_answered_by_its_announcement(
    ask_over: AskOver,
) -> None:
    # The fact sheet announces what the new agreement will build on; the date it gives is the
    # older agreement's. Whether the new one entered into force, it does not tell.
    jordan, peru = ask_over(
        JORDAN_ARTICLES,
        "When did the US-Jordan reciprocal trade agreement enter into force?",
        "When did the US-Peru reciprocal trade agreement enter into force?",
    )

    assert not jordan["grounded"] and jordan["citations"] == [], jordan["answer"]
    assert peru["grounded"] and "March 1, 2026" in peru["answer"], peru["answer"]


VIETNAM_ARTICLES = [
    news_article(
        "vietnam-currency-301-2021-01",
        "2021-01-22",
        "Federal Register",
        "Notice of Determination: Vietnam's Acts, Policies and Practices Related to Currency "
        "Valuation",
        "SUMMARY: The U.S. Trade Representative has determined that Vietnam's acts, policies, "
        "and practices related to currency valuation are unreasonable and burden or restrict "
        "U.S. commerce, and thus actionable under Section 301. No action is taken at this time.",
    ),
    news_article(
        "steel-proclamation-2020-01",
        "2020-01-24",
        "The White House",
        "Proclamation on Adjusting Imports of Derivative Steel Articles",
        "The Secretary of Commerce found that imports of derivative steel articles threaten to "
        "impair the national security. Duties of 25 percent apply from February 8, 2020.",
    ),
]


UAE_ALUMINUM_ARTICLES = [
    news_article(
        "aluminum-termination-2021-02",
        "2021-02-01",
        "The White House",
        "A Proclamation on Adjusting Imports of Aluminum into the United States",
        "Proclamation 10139 set an aluminum quota for the United Arab Emirates (UAE) that "
        "will not take effect until February 3, 2021. Now, therefore, I, Joseph R. Biden Jr., "
        "President of the United States, am terminating the UAE quota of Proclamation 10139 "
        "before it takes effect.",
    ),
    news_article(
        "steel-exclusions-2021-03",
        "2021-03-10",
        "Federal Register",
        "Steel Product Exclusions",
        "Commerce granted exclusions from the steel duties for products not made in the United "
        "States in sufficient quantity.",
    ),
]


@pytest.mark.parametrize(
    ("articles", "question", "doc_id", "words"),
    [
        # "the end of the first Trump term" is a time (late 2020 to January 19, 2021).
        (
            VIETNAM_ARTICLES,
            "Vietnam currency valuation 301 - what did USTR conclude at the end of the first "
            "Trump term?",
            "vietnam-currency-301-2021-01",
            "actionable under Section 301",
        ),
        # "Trump-era" says when the proclamation was made.
        (
            UAE_ALUMINUM_ARTICLES,
            "What's the number of the Trump-era aluminum proclamation (the UAE quota one) that "
            "Biden terminated in Feb 2021 before it took effect?",
            "aluminum-termination-2021-02",
            "Proclamation 10139",
        ),
    ],
)
def test_a_name_that_only_says_when_is_no_name_the_answer_must_hold(
    ask_over: AskOver, articles: list[dict[str, Any]], question: str, doc_id: str, words: str
) -> None:
    # No article names Trump, yet the question names no one by him: only a time.
    (answer,) = ask_over(articles, question)

    day = next(a["published_at"] for a in articles if a["id"] == doc_id)
    _assert_first_quote(answer, doc_id, words, day)


STEEL_ORDERS = [
    news_article(
        "steel-2025-02",
        "2025-02-10",
        "The White House",
        "Adjusting imports of steel into the United States",
        (
            "In Proclamation 9705 of March 8, 2018 (Adjusting Imports of Steel Into the United "
            "States), I concurred in the Secretary's finding that steel articles are being "
            "imported into the United States in such quantities as to threaten to impair the "
            "national security, and I imposed a 25 percent ad valorem tariff on steel articles "
            "from all countries except Canada and Mexico. I have decided to restore the 25 "
            "percent tariff on steel articles from all countries, ending every country exemption."
        ),
    ),
    news_article(
        "steel-2025-06",
        "2025-06-03",
        "The White House",
        "Adjusting imports of aluminum and steel into the United States",
        (
            "In Proclamation 10896 of February 10, 2025 (Adjusting Imports of Steel Into the "
            "United States), I restored the 25 percent tariff on steel imports from all "
            "countries. I have now decided to raise the tariff on steel articles to 50 percent."
        ),
    ),
]


IRAN_ORDER = news_article(
    "iran-2026-02",
    "2026-02-06",
    "The White House",
    "Addressing threats to the United States by the Government of Iran",
    (
        "By the authority vested in me as President, I hereby determine and order:\n\n"
        "Section 1. Background. Executive\n"
        "Order 12957 of March 15, 1995 (Prohibiting Certain Transactions With Respect to the "
        "Development of Iranian Petroleum Resources), found that the actions and policies of the "
        "Government of Iran constitute an unusual and extraordinary threat to the national "
        "security of the United States and declared a national emergency.\n\n"
        "Sec. 2. Determination. I find that the national emergency declared in Executive Order "
        "12957 and further described in subsequent orders continues, and that Iran's policies "
        "continue to pose a threat. To deal with the national emergency described in Executive "
        "Order 12957 and subsequent orders, I determine that it is necessary to impose a 25 "
        "percent tariff on goods of any country that buys Iranian oil."
    ),
)


def test_a_sentence_the_federal_text_wraps_is_quoted_whole(
    ask_over: AskOver,
) -> None:
    # The order's later sentences name the older one by number only; its background cites it
    # with its day and title, across a line the federal text wraps inside the sentence: the
    # sentence is quoted whole.
    later = news_article(
        "copper-2026-07",
        "2026-07-30",
        "The White House",
        "Adjusting imports of copper",
        "The President raised the tariff on semi-finished copper products to 50 percent.",
    )
    (answer,) = ask_over(
        [IRAN_ORDER, later],
        "the Feb 2026 Iran tariff order builds on which original EO that declared the Iran "
        "national emergency?",
    )

    assert answer["grounded"], answer["answer"]
    quote = answer["citations"][0]["quote"]
    assert quote.startswith("Executive\nOrder 12957 of March 15, 1995 (Prohibiting"), quote


def test_the_order_asked_for_by_when_it_was_signed_is_one_signed_then(ask_over: AskOver) -> None:
    # The February order recites Proclamation 9705 of 2018; the one signed in February 2025 is
    # named with its day by the June order.
    (answer,) = ask_over(
        STEEL_ORDERS, "which proclamation put the 25% steel 232 on all countries back in feb 2025?"
    )

    assert answer["grounded"], answer["answer"]
    assert "Proclamation 10896" in answer["citations"][0]["quote"], answer["answer"]
