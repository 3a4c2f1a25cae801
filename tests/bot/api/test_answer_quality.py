"""Answer quality through the real app: paraphrase, identifiers, near-misses, tables."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.settings import Settings
from ingest.embedder import Embedder
from tests.support.api import AskOver, ask
from tests.support.articles import news_article

if TYPE_CHECKING:
    from tests.support.fixtures import SeedArticles

ARTICLES: list[dict[str, Any]] = [
    {
        "id": "vietnam-deal",
        "title": "United States and Vietnam announce a reciprocal trade agreement",
        "text": (
            "The United States and Vietnam announced the framework of a reciprocal trade "
            "agreement on Wednesday. Vietnam agreed to eliminate its tariffs on United States "
            "industrial goods and to purchase 50 Boeing aircraft over five years. The United "
            "States will apply a 20 percent tariff on imports from Vietnam, and a 40 percent "
            "tariff on goods transshipped through the country. Both governments said talks on "
            "rules of origin continue."
        ),
        "published_at": "2025-07-02",
        "source": "White House",
    },
    {
        "id": "thailand-talks",
        "title": "United States and Thailand continue trade negotiations",
        "text": (
            "Negotiators from the United States and Thailand met for a third round of trade "
            "talks on agricultural market access. Thai officials offered to lower duties on "
            "United States corn and soybean meal. No agreement on tariff rates was reached, "
            "and the delegations plan to meet again next month."
        ),
        "published_at": "2025-07-10",
        "source": "USTR",
    },
    {
        "id": "steel-derivatives",
        "title": "Adjusting imports of steel derivative products",
        "text": (
            "Proclamation 10896 extends the Section 232 duties to steel derivative products. "
            "Derivative articles classified under heading 9903.81.90 are subject to an "
            "additional 25 percent ad valorem duty on their steel content. Importers must "
            "report the country where the steel was melted and poured."
        ),
        "published_at": "2025-02-10",
        "source": "Federal Register",
    },
    {
        "id": "reciprocal-order",
        "title": "Regulating imports with a reciprocal tariff",
        "text": (
            "Executive Order 14257 declares a national emergency over persistent goods trade "
            "deficits and imposes an additional ad valorem duty of 10 percent on all trading "
            "partners. Goods entered under heading 9903.01.25 carry the 10 percent rate. "
            "Higher country-specific rates apply to the partners listed in Annex I."
        ),
        "published_at": "2025-04-02",
        "source": "White House",
    },
    {
        "id": "annex-rates",
        "title": "Annex I: country-specific reciprocal tariff rates",
        "text": (
            "The following country-specific rates of duty apply under the reciprocal tariff "
            "order.\n"
            "| Country | Rate |\n"
            "|---|---|\n"
            "| Cambodia | 49% |\n"
            "| Madagascar | 47% |\n"
            "| Lesotho | 50% |\n"
            "The rates replace the 10 percent baseline for the listed partners."
        ),
        "published_at": "2025-04-02",
        "source": "White House",
    },
    {
        "id": "india-order",
        "title": "President raises the tariff on goods from India",
        "text": (
            "Today, President Donald J. Trump signed an Executive Order raising the additional "
            "tariff on goods from India to 50 percent. The higher rate takes effect in 21 days."
        ),
        "published_at": "2025-08-06",
        "source": "White House",
    },
]


@pytest.fixture
def client(seed_articles: SeedArticles, embedder: Embedder) -> Iterator[TestClient]:
    """The app over a store holding the fixture articles, written by the real pipeline."""
    settings: Settings = seed_articles(ARTICLES)
    with TestClient(create_app(settings, embedder=embedder)) as test_client:
        yield test_client


def test_a_capital_for_a_country_is_answered_from_the_countrys_article(
    client: TestClient, answer_invariants: Callable[[TestClient, dict[str, Any]], None]
) -> None:
    answer = ask(client, "How many planes is Hanoi buying under the deal?")

    answer_invariants(client, answer)
    assert answer["grounded"]
    assert answer["citations"][0]["doc_id"] == "vietnam-deal"
    assert any("50 Boeing aircraft" in c["quote"] for c in answer["citations"])


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("Which Jets Did Vietnam Promise To Purchase?", "50 Boeing aircraft"),
        ("What Tariff Will Washington Slap On Vietnamese Imports?", "20 percent tariff"),
        ("what tariff is Charged on goods from Vietnam?", "20 percent tariff"),
    ],
)
def test_everyday_words_typed_with_capitals_are_no_names_the_answer_must_hold(
    client: TestClient,
    answer_invariants: Callable[[TestClient, dict[str, Any]], None],
    question: str,
    quoted: str,
) -> None:
    # In title case, or alone ("Charged"): capitalised, "Jets", "Slap" and "Charged" were
    # names no article writes, and refused the question.
    answer = ask(client, question)

    answer_invariants(client, answer)
    assert answer["grounded"], answer["answer"]
    assert any(quoted in c["quote"] for c in answer["citations"]), answer["answer"]


@pytest.mark.parametrize(
    ("question", "doc_id"),
    [
        ("What does E.O. 14257 declare?", "reciprocal-order"),
        ("What is covered by HTS 9903.81.90?", "steel-derivatives"),
        ("what does proclamation no. 10896 extend", "steel-derivatives"),
    ],
)
def test_an_identifier_question_finds_the_exact_document(
    client: TestClient, question: str, doc_id: str
) -> None:
    hits = client.get("/v1/search", params={"q": question, "k": 3}).json()["results"]

    assert hits[0]["doc_id"] == doc_id


# An article that answers in the documents' words, the question that names its subject
# another way, and what the answer must quote.
EU_ENERGY = news_article(
    "eu-energy",
    "2025-07-28",
    "White House",
    "Fact sheet: the United States and the EU reach a trade deal",
    (
        "The EU will purchase $750 billion in U.S. energy by 2028. Brussels also agreed to "
        "buy American military equipment. The deal sets a 15 percent tariff ceiling."
    ),
)
SHIPBUILDING_PETITION = news_article(
    "shipbuilding-petition",
    "2024-04-22",
    "Federal Register",
    "Initiation of a Section 301 investigation of China's shipbuilding practices",
    (
        "On March 12, 2024, USTR received a petition requesting an investigation of China's "
        "acts, policies and practices targeting the shipbuilding sector. The Trade "
        "Representative initiated the investigation on April 17, 2024."
    ),
)


@pytest.mark.parametrize(
    ("article", "question", "quoted"),
    [
        # The answer writes "The EU"; without the initials for the name, "european" and
        # "union" were terms no sentence of the answer covers.
        (
            EU_ENERGY,
            "How much American energy did the European Union agree to buy?",
            "$750 billion",
        ),
        # "Rep", capitalised, was a name no article writes, and refused the question.
        (
            SHIPBUILDING_PETITION,
            "When did the US Trade Rep get the shipbuilding petition?",
            "March 12, 2024",
        ),
    ],
    ids=["full-name-for-initials", "trade-rep-for-ustr"],
)
def test_a_name_typed_another_way_is_answered_where_the_article_writes_its_own(
    seed_articles: SeedArticles,
    embedder: Embedder,
    answer_invariants: Callable[[TestClient, dict[str, Any]], None],
    article: dict[str, Any],
    question: str,
    quoted: str,
) -> None:
    with TestClient(create_app(seed_articles([*ARTICLES, article]), embedder=embedder)) as client:
        answer = ask(client, question)

    answer_invariants(client, answer)
    assert answer["grounded"], answer["answer"]
    assert any(quoted in c["quote"] for c in answer["citations"]), answer["answer"]


def test_a_near_miss_whose_distinctive_term_is_absent_is_refused(
    client: TestClient, answer_invariants: Callable[[TestClient, dict[str, Any]], None]
) -> None:
    answer = ask(client, "How many Airbus jets did Vietnam agree to purchase?")

    answer_invariants(client, answer)
    assert not answer["grounded"]


def test_a_partner_the_question_names_must_be_named_where_the_answer_is_quoted(
    client: TestClient, answer_invariants: Callable[[TestClient, dict[str, Any]], None]
) -> None:
    # Thailand is in the store (its talks), but only Vietnam's deal mentions Boeing aircraft.
    answer = ask(client, "How many Boeing aircraft did Bangkok agree to purchase?")

    answer_invariants(client, answer)
    assert not answer["grounded"], answer["answer"]


def test_a_sentence_naming_a_person_with_a_middle_initial_is_quoted_whole(
    client: TestClient, answer_invariants: Callable[[TestClient, dict[str, Any]], None]
) -> None:
    answer = ask(client, "who raised the tariff on Indian goods to 50 percent?")
    answer_invariants(client, answer)

    assert answer["grounded"], answer["answer"]
    assert answer["citations"][0]["quote"].startswith(
        "Today, President Donald J. Trump signed an Executive Order raising the additional "
        "tariff on goods from India to 50 percent."
    )


def test_a_question_for_an_identifier_quotes_only_a_sentence_that_holds_one(
    client: TestClient, answer_invariants: Callable[[TestClient, dict[str, Any]], None]
) -> None:
    # The India article says an Executive Order was signed, never its number.
    refused = ask(client, "EO number for the tariff hike on India?")
    answered = ask(client, "EO number for the reciprocal tariff on all trading partners?")

    answer_invariants(client, refused)
    assert not refused["grounded"], refused["answer"]
    answer_invariants(client, answered)
    assert answered["grounded"], answered["answer"]
    assert "Executive Order 14257" in answered["citations"][0]["quote"]


def test_a_table_row_is_quoted_with_its_header_as_context(
    client: TestClient, answer_invariants: Callable[[TestClient, dict[str, Any]], None]
) -> None:
    answer = ask(client, "What reciprocal tariff rate applies to Madagascar?")

    answer_invariants(client, answer)
    assert answer["grounded"]
    row = next(c for c in answer["citations"] if "Madagascar" in c["quote"])
    assert row["quote"] == "| Madagascar | 47% |"  # the verbatim row is the citation
    assert "Country: Madagascar; Rate: 47%" in answer["answer"]  # the header gives it context


_ANNEX_NAMES = (
    "Afghanistan, Algeria, Angola, Bangladesh, Bolivia, Botswana, Brunei, Cambodia, "
    "Cameroon, Chad, Fiji, Ghana, Guyana, Iceland, India, Indonesia, Iraq, Israel, Japan, "
    "Jordan, Kazakhstan, Laos, Lesotho, Libya, Liechtenstein, Madagascar, Malawi, "
    "Malaysia, Mauritius, Moldova, Mozambique, Namibia, Nauru, Nicaragua, Nigeria, Norway, "
    "Pakistan, Philippines, Serbia, Switzerland, Syria, Taiwan, Thailand, Tunisia, Turkey, "
    "Uganda, Vanuatu, Venezuela, Vietnam, Zambia, Zimbabwe"
)
_ANNEX_COUNTRIES = [name.strip() for name in _ANNEX_NAMES.split(",")]
ANNEX_ORDER = news_article(
    "annex-order",
    "2025-07-31",
    "White House",
    "Further Modifying the Reciprocal Tariff Rates",
    "By the authority vested in me as President, I hereby modify the reciprocal tariff rates "
    "as set out in Annex I to this order. Goods of any trading partner not listed in Annex I "
    "will be subject to an additional ad valorem rate of duty of 10 percent.\n\n"
    + "".join(
        f"Sec. {n}. The reciprocal tariff rates of this order take account of trading partner "
        f"{n}'s trade barriers, currency practices and non-tariff measures, and of the "
        "negotiations that trading partners have entered into with the United States.\n\n"
        for n in range(2, 40)
    )
    + "**ANNEX I**"
    "\n\n| Countries and Territories | Reciprocal Tariff, Adjusted |\n"
    + "".join(
        # A page break inside the table: rows go on after a blank line.
        f"| {name} | {15 + 5 * (i % 5)}% |\n" + ("\n" if name == "Mozambique" else "")
        for i, name in enumerate(_ANNEX_COUNTRIES)
    )
    + "\nThis order is effective on August 7, 2025.",
)


def test_a_table_row_in_a_later_passage_is_quoted_with_the_header_an_earlier_one_holds(
    ask_over: AskOver,
) -> None:
    # The annex runs over several passages: Vietnam's row is far from the header row.
    rate = f"{15 + 5 * (_ANNEX_COUNTRIES.index('Vietnam') % 5)}%"
    (answer,) = ask_over(
        [ANNEX_ORDER], "what reciprocal tariff rate does the annex set for Vietnam?"
    )

    assert answer["grounded"], answer["answer"]
    assert any(c["quote"] == f"| Vietnam | {rate} |" for c in answer["citations"])
    shown = f"Countries and Territories: Vietnam; Reciprocal Tariff, Adjusted: {rate}"
    assert shown in answer["answer"], answer["answer"]


RECIPROCAL_FACT_SHEET = news_article(
    "reciprocal-fact-sheet",
    "2025-07-31",
    "White House",
    "Fact Sheet: President Donald J. Trump Further Modifies the Reciprocal Tariff Rates",
    "Today, President Donald J. Trump signed an Executive Order further modifying the "
    "reciprocal tariff rates. Several trading partners have agreed to meaningful trade deals. "
    "Other trading partners will pay the reciprocal tariff rates set in the annex.",
)


def test_only_the_row_of_the_place_asked_about_is_quoted(ask_over: AskOver) -> None:
    # Switzerland's row sits deep in a long annex, after an order's prose on reciprocal
    # tariffs: retrieval finds the passage holding it by the row, not by the passage's text.
    rate = f"{15 + 5 * (_ANNEX_COUNTRIES.index('Switzerland') % 5)}%"
    (answer,) = ask_over(
        [ANNEX_ORDER, RECIPROCAL_FACT_SHEET],
        "what reciprocal tariff rate did Switzerland face under the July 2025 order?",
    )

    assert answer["grounded"], answer["answer"]
    shown = f"Countries and Territories: Switzerland; Reciprocal Tariff, Adjusted: {rate}"
    assert shown in answer["answer"], answer["answer"]
    # Only the row asked about: not its neighbours in the passage ("| Syria | ...").
    rows = [c["quote"] for c in answer["citations"] if c["quote"].startswith("|")]
    assert rows == [f"| Switzerland | {rate} |"], rows


COPPER_TIMELINE = news_article(
    "crs-copper-timeline",
    "2026-04-23",
    "Congressional Research Service",
    "Section 232 National Security Tariffs on Copper Imports",
    (
        "Upon President Trump's direction, in March 2025, the Commerce Secretary initiated a "
        "Section 232 investigation into copper imports. Table 1 compares the timeline of the "
        "Section 232 copper investigation (144 days from initiation to tariff implementation) "
        "to the Section 232 steel investigation of the first Trump Administration (338 days)."
        "\n\n| Action | Steel (2017-2018) | Copper (2025) |\n|---|---|---|\n"
        "| Commerce Secretary initiates investigation | April 19, 2017 | March 10, 2025 |\n"
        "| Public hearing held | May 24, 2017 | No hearing held |\n"
        "| Commerce Secretary submits report to President | January 11, 2018 | June 30, 2025 |\n"
        "| Tariffs first go into effect | March 23, 2018 | August 1, 2025 |\n\n"
        "Copper is used in electrical wiring, plumbing, and motors."
    ),
)


ITC_HEARING = news_article(
    "itc-hearing",
    "2022-07-19",
    "Federal Register",
    "Quartz surface products: notice of rescheduled public hearing",
    (
        "SUMMARY: Due to the large number of requests to appear at the Commission's public "
        "hearing in this investigation, the U.S. International Trade Commission has added two "
        "days to the public hearing. As rescheduled, the public hearing will be held on July "
        "20-22, 2022."
    ),
)


def test_a_table_row_answers_as_a_whole_statement(ask_over: AskOver) -> None:
    # The row read with its header says what the prose around the table does not; it was
    # ranked below the prose for ending without a full stop.
    (answer,) = ask_over(
        [COPPER_TIMELINE, ITC_HEARING], "was there a public hearing for the copper probe?"
    )
    assert answer["grounded"], answer["answer"]
    assert any(c["quote"].startswith("| Public hearing held") for c in answer["citations"])
    assert "Copper (2025): No hearing held" in answer["answer"], answer["answer"]


POTASH_FACT_SHEET = news_article(
    "potash-fact-sheet",
    "2025-03-06",
    "White House",
    "Fact Sheet: President Trump adjusts tariffs on Canada",
    (
        "- A lower 10% tariff on potash imported from Canada that falls outside the USMCA "
        "preference.\n- No tariffs on goods from Canada that qualify for USMCA preference."
    ),
)


@pytest.mark.parametrize(("order_day", "quoted"), [("2025-03-06", True), ("2025-03-07", False)])
def test_the_order_a_fact_sheet_sums_up_is_quoted_beside_it(
    seed_articles: SeedArticles,
    embedder: Embedder,
    answer_invariants: Callable[[TestClient, dict[str, Any]], None],
    order_day: str,
    quoted: bool,
) -> None:
    # Asked for one passage, retrieval gives the fact sheet's plain words; the order of its
    # day states its rate in words of its own, and is quoted beside it.
    order = news_article(
        "northern-border-amendment",
        order_day,
        "White House",
        "Amendment to duties to address the flow of illicit drugs across our northern border",
        (
            "Sec. 2. Articles of Canada. (b) The additional rate of duty on potash that is not "
            "subject to subsection (a) of this section shall be reduced to 10 percent in lieu "
            "of 25 percent. Sec. 3. General Provisions. Nothing in this order shall be "
            "construed to impair the functions of any agency."
        ),
    )
    question = "what tariff does canadian potash pay outside usmca?"
    with TestClient(
        create_app(seed_articles([POTASH_FACT_SHEET, order]), embedder=embedder)
    ) as client:
        answer = ask(client, question, top_k=1)

    answer_invariants(client, answer)
    assert answer["grounded"], answer["answer"]
    assert answer["citations"][0]["doc_id"] == "potash-fact-sheet", answer["answer"]
    beside = [c["quote"] for c in answer["citations"] if c["doc_id"] == order["id"]]
    assert any("reduced to 10 percent" in q for q in beside) is quoted, answer["answer"]


def test_a_mistyped_word_is_read_as_the_corpus_word_and_the_answer_says_so(
    client: TestClient, answer_invariants: Callable[[TestClient, dict[str, Any]], None]
) -> None:
    answer = ask(client, "What tarrif applies to goods transshipped through Vietnam?")

    answer_invariants(client, answer)
    assert answer["grounded"]
    assert any("40 percent" in c["quote"] for c in answer["citations"])
    assert answer["notice"] == "Read “tarrif” as “tariff”."
    hits = client.get("/v1/search", params={"q": "tarrif on transshipped goods", "k": 1}).json()
    assert hits["results"][0]["doc_id"] == "vietnam-deal"
    assert hits["read_as"] == "tariff on transshipped goods"
    assert hits["query"] == "tarrif on transshipped goods"
    plain = client.get("/v1/search", params={"q": "tariff on transshipped goods"}).json()
    assert plain["read_as"] is None


@pytest.mark.parametrize(
    "wrapped",
    [
        "quick q: {} (asking for a client)",
        "sorry if dumb q but {} - need a cite",
        "anyone know: {} thx",
        # a link pasted with it ("https", "whitehouse", "gov" were terms to cover)
        "{} (saw this: https://www.whitehouse.gov/fact-sheets/2025/07/vietnam-deal/)",
        "<https://www.reuters.com/world/asia-pacific/vietnam-trade-2025-07-02/> {}",
        # a conversation's first question continues nothing
        "and {}",
    ],
)
def test_chat_around_a_question_asks_nothing_of_the_articles(
    client: TestClient,
    answer_invariants: Callable[[TestClient, dict[str, Any]], None],
    wrapped: str,
) -> None:
    question = "which country's goods face 40 percent when transshipped?"
    plain = ask(client, question)
    answer = ask(client, wrapped.format(question))

    answer_invariants(client, answer)
    assert answer["grounded"], answer["answer"]
    assert [c["quote"] for c in answer["citations"]] == [c["quote"] for c in plain["citations"]]
    assert answer["notice"] is None


@pytest.mark.parametrize(
    "wrapped",
    [
        "could you check {}",
        "pls confirm: {}",
        "I was wondering {}",
        "can you tell me {}",
        "{} - need it for a memo today",
        "{} (for the weekly note)",
        "{}, boss is asking",
        "{} - sorry, couldn't find it",
        ":thinking_face: {} :pray:",
        "RE: {} 🙏",
        "Sorry to bug you again. {}",
        "Following up on yesterday's thread. {}",
        "Working on a client memo. {}",
        "Give me a one-line answer: {}",
        "{} Keep it short.",
        "{} Source please.",
        "iirc {}",
        "URGENT: {} (need by EOD)",
        "{} Thanks, Jane",
        "Fwd: {} Context: for a client memo.",
        "Sanity check: {} Thoughts?",
        "A client asks: {} Appreciate it.",
        "Correct me if I'm wrong, but {} lol",
    ],
)
def test_a_request_or_purpose_around_a_question_searches_for_the_question_alone(
    client: TestClient, wrapped: str
) -> None:
    # "could you check", "I was wondering", "- need it for a memo today": the request's and
    # the purpose's words ("check", "memo") are nothing the articles are asked for, and were
    # searched as rare terms.
    question = "which country's goods face 40 percent when transshipped?"
    plain = client.get("/v1/search", params={"q": question, "k": 5}).json()["results"]
    asked = client.get("/v1/search", params={"q": wrapped.format(question), "k": 5})

    assert asked.status_code == 200
    assert [(h["chunk_id"], h["score"]) for h in asked.json()["results"]] == [
        (h["chunk_id"], h["score"]) for h in plain
    ]


def test_a_question_naming_an_articles_publisher_is_answered_from_it(
    client: TestClient, answer_invariants: Callable[[TestClient, dict[str, Any]], None]
) -> None:
    # No article's text says "White House"; the Vietnam deal's source does. A publisher is
    # no name the articles never mention ("per the WH fact sheet", "USTR's notice").
    question = "per the {} fact sheet, what tariff applies to goods transshipped through Vietnam?"
    answer = ask(client, question.format("WH"))
    unknown = ask(client, question.format("AP"))  # no article's text or source names AP

    answer_invariants(client, answer)
    assert answer["grounded"], answer
    assert any("40 percent" in c["quote"] for c in answer["citations"]), answer
    assert not unknown["grounded"], unknown


def test_a_possessive_typed_without_its_apostrophe_is_the_name_it_belongs_to(
    client: TestClient, answer_invariants: Callable[[TestClient, dict[str, Any]], None]
) -> None:
    # Typed fast, "the WH's fact sheet" loses its apostrophe: "WHs" was a name no article
    # mentions, and the question was refused.
    question = "per the {} fact sheet, what tariff applies to goods transshipped through Vietnam?"
    typed = ask(client, question.format("WHs"))
    careful = ask(client, question.format("WH's"))

    answer_invariants(client, typed)
    assert typed["grounded"], typed["answer"]
    assert [c["quote"] for c in typed["citations"]] == [c["quote"] for c in careful["citations"]]
    assert typed["notice"] == "Read “WHs” as “WH”."


def test_a_name_typed_without_its_accents_is_the_name_the_articles_write(
    seed_articles: SeedArticles,
    embedder: Embedder,
    answer_invariants: Callable[[TestClient, dict[str, Any]], None],
) -> None:
    # "Sefcovic" appears in no article, "Šefčovič" does: before accents were folded the name
    # counted as one no article mentions, and the question was refused.
    statement = {
        "id": "eu-steel-statement",
        "title": "EU trade commissioner on the steel safeguard",
        "text": (
            "Trade Commissioner Maroš Šefčovič said the European Union would cut its steel "
            "import quotas by half and double the out-of-quota duty to 50 percent. The "
            "commission will consult member states on the change before the summer."
        ),
        "published_at": "2025-10-07",
        "source": "Pacific Ledger",
    }
    settings = seed_articles([statement, *ARTICLES])
    with TestClient(create_app(settings, embedder=embedder)) as client:
        answer = ask(client, "What did Sefcovic say the out-of-quota steel duty would become?")
        answer_invariants(client, answer)

    assert answer["grounded"], answer
    assert answer["citations"][0]["doc_id"] == "eu-steel-statement"
    assert "50 percent" in answer["citations"][0]["quote"]


def test_an_unknown_name_is_not_corrected_into_a_known_word(
    client: TestClient, answer_invariants: Callable[[TestClient, dict[str, Any]], None]
) -> None:
    answer = ask(client, "How many Airbis jets did Vietnam agree to purchase?")

    answer_invariants(client, answer)
    assert not answer["grounded"]
    assert answer["notice"] is None


def test_a_name_of_several_words_no_article_writes_is_refused(ask_over: AskOver) -> None:
    # Every word of "the Minerals Security Partnership" is in the MOU, never the name: a
    # question about the partnership's members is not answered from the MOU's partners. A
    # name an article writes with a word between ("the CHIPS and Science Act") is written.
    mou = {
        "id": "norway-minerals-mou",
        "title": "United States and Norway sign a critical minerals memorandum",
        "text": (
            "The United States and Norway signed a memorandum of understanding on critical "
            "minerals. The partnership covers the security of minerals supply chains, and the "
            "countries that joined it are Norway and the United States. Funding for "
            "semiconductor research comes from the CHIPS and Science Act."
        ),
        "published_at": "2024-04-17",
        "source": "White House",
    }
    unwritten, written = ask_over(
        [mou],
        "Which countries belong to the Minerals Security Partnership?",
        "Where does funding for semiconductor research come from under the CHIPS Act?",
    )

    assert not unwritten["grounded"], unwritten["answer"]
    assert unwritten["citations"] == []
    assert written["grounded"], written["answer"]
    assert "CHIPS and Science Act" in written["citations"][0]["quote"]


@pytest.mark.parametrize(
    ("question", "quoted", "notice"),
    [
        # A mistyped country is read as the corpus's name, not refused as an unknown name.
        (
            "What tariff applies to goods transshipped through Vietnem?",
            "40 percent",
            "Read “Vietnem” as “Vietnam”.",
        ),
        # Desk shorthand for an amount finds the spelled-out figure.
        (
            "Which Vietnamese imports get the 20pc rate?",
            "20 percent",
            "Read “20pc” as “20 percent”.",
        ),
        # A rate in words finds the figure the documents write (in words, the row of another
        # partner was quoted, and the sentence of another rate).
        ("Which partner pays a forty-nine percent rate?", "Cambodia", "Read “forty-nine” as “49”."),
        ("what goods does the forty percent tariff hit?", "transshipped", "Read “forty” as “40”."),
        # Two words typed run together are the two the articles write: "steelderivative"
        # was a word no passage holds, and the question was refused.
        (
            "which heading covers steelderivative products?",
            "9903.81.90",
            "Read “steelderivative” as “steel derivative”.",
        ),
        # ... and so are two words the articles write, though not side by side ("goods
        # transshipped"), typed run together among capitals.
        (
            "What rate does the Vietnam agreement put on transshippedgoods?",
            "40 percent",
            "Read “transshippedgoods” as “transshipped goods”.",
        ),
        # Desk shorthand for a statute's section finds the documents' "Section 232".
        (
            "which products does the s232 proclamation extend duties to?",
            "steel derivative products",
            "Read “s232” as “Section 232”.",
        ),
        # Chat shorthand for a word: typed without capitals, "agmt" was a name no article
        # writes, and the question was refused.
        (
            "how many boeing aircraft did vietnam agree to purchase in the trade agmt",
            "50 Boeing aircraft",
            None,
        ),
        # A quarter as desks write it says when, and is no name an article must write: the
        # window reaches the newest article, so the newest word is asked for, with "Q3" read
        # as a name no article writes, and the question was refused.
        ("What tariff applies to imports from Vietnam in Q3 2025?", "20 percent", None),
        ("What tariff applies to imports from Vietnam in 3Q25?", "20 percent", None),
        ("What tariff applies to imports from Vietnam in 2025Q3?", "20 percent", None),
        ("What tariff applies to imports from Vietnam in CY2025?", "20 percent", None),
        # Caps lock: every word in capitals must not read as a name the corpus lacks.
        ("WHAT TARIFF APPLIES TO GOODS TRANSSHIPPED THROUGH VIETNAM?", "40 percent", None),
        # ...nor a word the vocabulary knows in either case ("DEAL"), nor chat shorthand.
        ("WHAT TARIFF DOES THE DEAL PUT ON GOODS TRANSSHIPPED THRU VIETNAM?", "40 percent", None),
        ("HOW MANY BOEING AIRCRAFT DID VIETNAM AGREE TO BUY IN THE AGMT?", "50 Boeing", None),
        # A handle typed to the bot, or markup around a word, is no name to look for.
        ("@tradebot what tariff applies to goods transshipped through *Vietnam*?", "40", None),
        # The President's initials are his name, not one no article writes.
        ("what did DJT raise the tariff on goods from India to?", "50 percent", None),
        # A question pasted from a page: its no-break spaces are spaces, and a zero-width
        # space inside a word is no part of it ("Viet" and "nam" were no country).
        (
            "What\u00a0tariff applies to goods transshipped through\u00a0Viet\u200bnam?",
            "40 percent",
            None,
        ),
        # A word stressed in capitals is emphasis, not a name.
        (
            "What tariff applies to goods that are NOT made in Vietnam but shipped through it?",
            "40 percent",
            None,
        ),
    ],
)
def test_questions_typed_as_in_chat_are_answered_as_if_typed_carefully(
    client: TestClient,
    answer_invariants: Callable[[TestClient, dict[str, Any]], None],
    question: str,
    quoted: str,
    notice: str | None,
) -> None:
    answer = ask(client, question)

    answer_invariants(client, answer)
    assert answer["grounded"], answer["answer"]
    assert any(quoted in c["quote"] for c in answer["citations"])
    assert answer["notice"] == notice


def test_a_follow_up_opening_with_and_is_searched_in_its_conversation(client: TestClient) -> None:
    first = ask(client, "What did Thai officials offer on corn and soybean meal?")
    follow_up = "and what tariff rate was agreed in the end?"  # no pronoun, yet it continues
    params = {"q": follow_up, "k": 1, "conversation_id": first["conversation_id"]}

    in_conversation = client.get("/v1/search", params=params).json()
    alone = client.get("/v1/search", params={"q": follow_up, "k": 1}).json()

    assert in_conversation["results"][0]["doc_id"] == "thailand-talks"
    assert alone["results"][0]["doc_id"] == "vietnam-deal"  # read alone, it is about a deal


def test_a_follow_up_naming_only_the_kind_of_thing_is_searched_in_its_conversation(
    client: TestClient,
) -> None:
    first = ask(client, "What did Thai officials offer on corn and soybean meal?")
    follow_up = "what tariff rate was agreed in the deal in the end?"  # which deal: the Thai one
    params = {"q": follow_up, "k": 1, "conversation_id": first["conversation_id"]}

    in_conversation = client.get("/v1/search", params=params).json()
    alone = client.get("/v1/search", params={"q": follow_up, "k": 1}).json()

    assert in_conversation["results"][0]["doc_id"] == "thailand-talks"
    assert alone["results"][0]["doc_id"] == "vietnam-deal"


def test_a_chain_of_follow_ups_keeps_the_conversations_subject(client: TestClient) -> None:
    first = ask(client, "What did Thai officials offer on corn and soybean meal?")
    cid = first["conversation_id"]
    second = ask(client, "and on rice?", conversation_id=cid)  # leans on the first turn
    follow_up = "and what tariff rate was agreed in the end?"  # leans on both
    params = {"q": follow_up, "k": 1, "conversation_id": cid}

    in_conversation = client.get("/v1/search", params=params).json()

    assert not second["grounded"], second["answer"]  # nothing on rice to carry the subject
    assert in_conversation["results"][0]["doc_id"] == "thailand-talks"


# Federal text wraps its lines anywhere: right after "a.m.", or after "and the".
WRAPPED_ARTICLES: list[dict[str, Any]] = [
    {
        "id": "kl-arrangement",
        "title": "Modifying reciprocal tariff rates after the arrangement with China",
        "text": (
            "The United States, in turn, committed to maintain the suspension of heightened\n"
            "reciprocal tariffs on imports of the People's Republic of China (PRC) until\n"
            "12:01 a.m.\n"
            "eastern standard time on November 10, 2026.\n\n"
            "The duties were imposed under the International Emergency Economic Powers Act\n"
            "(IEEPA) in April 2025, and the PRC committed to suspend its own retaliation.\n"
        ),
        "published_at": "2025-11-04",
        "source": "White House",
    },
    {
        "id": "battery-awards",
        "title": "Fact sheet: securing battery and critical mineral supply chains",
        "text": (
            "Since the start of the Administration, companies have announced investments in\n"
            "battery and critical mineral supply chains across the whole country. Through the\n"
            "Investing in America agenda, the Department of Energy, the Department of the\n"
            "Treasury, and the\n"
            "Department of Commerce are supporting the domestic battery supply chain with\n"
            "grants, loans and allocated tax credits for new processing plants and mines.\n"
        ),
        "published_at": "2024-09-20",
        "source": "White House",
    },
]


@pytest.mark.parametrize(
    ("article", "question", "sentence"),
    [
        (
            WRAPPED_ARTICLES[0],
            "until when is the suspension of the heightened tariffs on China?",
            "The United States, in turn, committed to maintain the suspension of heightened "
            "reciprocal tariffs on imports of the People's Republic of China (PRC) until 12:01 "
            "a.m. eastern standard time on November 10, 2026.",
        ),
        (
            WRAPPED_ARTICLES[1],
            "which departments support the battery supply chain with grants?",
            "Through the Investing in America agenda, the Department of Energy, the Department "
            "of the Treasury, and the Department of Commerce are supporting the domestic battery "
            "supply chain with grants, loans and allocated tax credits for new processing plants "
            "and mines.",
        ),
    ],
)
def test_a_sentence_whose_line_breaks_where_no_sentence_ends_is_quoted_whole(
    ask_over: AskOver, article: dict[str, Any], question: str, sentence: str
) -> None:
    (answer,) = ask_over([article], question)

    assert answer["grounded"], answer["answer"]
    assert " ".join(answer["citations"][0]["quote"].split()) == sentence


def test_a_follow_up_on_another_subject_asks_for_the_same_kind_of_answer(
    seed_articles: SeedArticles,
    embedder: Embedder,
    answer_invariants: Callable[[TestClient, dict[str, Any]], None],
) -> None:
    article = {
        "id": "trucks-and-buses",
        "title": "Fact sheet: tariffs on imports of heavy trucks and buses",
        "text": (
            "Today, the President signed a Proclamation imposing tariffs on imports of heavy "
            "trucks and buses to protect national security. The Proclamation imposes a 25% "
            "tariff on imports of heavy trucks. Trucks and buses of all kinds are indispensable "
            "to military readiness and to the supply of American cities. The Proclamation "
            "imposes a 10% tariff on imports of buses, including school buses and transit buses."
        ),
        "published_at": "2025-10-17",
        "source": "White House",
    }
    with TestClient(create_app(seed_articles([article]), embedder=embedder)) as client:
        first = ask(client, "what tariff did the President put on heavy trucks?")
        answer = ask(client, "and on buses?", conversation_id=first["conversation_id"])
        answer_invariants(client, answer)

    assert answer["grounded"], answer["answer"]
    assert "10% tariff on imports of buses" in answer["citations"][0]["quote"], answer["answer"]


SPOKEN_ARTICLES: list[dict[str, Any]] = [
    {
        "id": "wine-signing",
        "title": "USTR signs wine and spirits agreements with the United Kingdom",
        "text": (
            "On January 31, 2019, Ambassador Gregg Doud and Ambassador Kim Darroch, the United "
            "Kingdom's Ambassador to the United States, signed two agreements on wine and "
            "distilled spirits at the signing ceremony. The agreements keep wine trade "
            "between the two countries flowing after the United Kingdom leaves the European "
            "Union."
        ),
        "published_at": "2019-02-04",
        "source": "USTR",
    },
    {
        "id": "dairy-remarks",
        "title": "Remarks at the dairy market access signing",
        "text": (
            "Ambassador Gregg Doud signed the dairy market access arrangement in Ottawa. "
            "Ambassador Jane Holloway said the arrangement will open the Canadian market to "
            "American cheese within a year."
        ),
        "published_at": "2019-05-10",
        "source": "USTR",
    },
]


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("What did Jane Holloway say at the dairy signing?", "Jane Holloway said"),
        # The articles name him signing, and quote nothing he said.
        ("What did Kim Darroch say at the signing of the wine agreements?", None),
    ],
)
def test_what_a_person_said_is_answered_only_by_their_words(
    ask_over: AskOver, question: str, quoted: str | None
) -> None:
    (answer,) = ask_over(SPOKEN_ARTICLES, question)

    if quoted is None:
        assert not answer["grounded"], answer["answer"]
    else:
        assert answer["grounded"], answer["answer"]
        assert quoted in answer["citations"][0]["quote"]


def test_a_word_hyphenated_to_a_name_is_no_name_the_answer_must_hold(ask_over: AskOver) -> None:
    # "H200-class" names the H200: "class" is an ordinary word the rule need not write.
    article = {
        "id": "h200-licensing",
        "title": "Revision to license review policy for advanced computing commodities",
        "text": (
            "SUMMARY: The Bureau of Industry and Security (BIS) is revising its license review "
            "policy for exports of Nvidia H200 semiconductors to China, changing it from a "
            "presumption of denial to a case-by-case review. The rule takes effect on "
            "publication."
        ),
        "published_at": "2026-01-15",
        "source": "Federal Register",
    }
    question = "How did BIS change its approach to licensing Nvidia H200-class chips for China?"
    (answer,) = ask_over([article], question)

    assert answer["grounded"], answer["answer"]
    assert "case-by-case review" in answer["citations"][0]["quote"], answer["answer"]


def test_a_city_the_sides_met_in_is_no_partner_the_answer_must_name(ask_over: AskOver) -> None:
    readout = {
        "id": "biden-xi-readout",
        "title": "Readout of President Biden's meeting with President Xi Jinping",
        "text": (
            "President Biden met with President Xi Jinping of the People's Republic of China. "
            "President Biden welcomed the PRC's scheduling of 55 dangerous synthetic drugs and "
            "precursor chemicals, and he called for additional steps."
        ),
        "published_at": "2024-11-16",
        "source": "White House",
    }
    peru = {
        "id": "peru-port",
        "title": "Peru opens a new port",
        "text": "Peru opened the Chancay port north of Lima. Peruvian exporters welcomed it.",
        "published_at": "2024-11-14",
        "source": "White House",
    }
    question = (
        "Biden-Xi in Lima, Nov 2024: how many synthetic drugs did Biden credit China with "
        "scheduling?"
    )
    (answer,) = ask_over([readout, peru], question)

    assert answer["grounded"], answer["answer"]
    assert "55 dangerous synthetic drugs" in answer["citations"][0]["quote"]


KUALA_LUMPUR_ARTICLES = [
    news_article(
        "kl-peace-accords",
        "2025-10-26",
        "The White House",
        "Fact sheet: President Trump secures peace and prosperity in Kuala Lumpur",
        (
            "Today in Kuala Lumpur, President Trump witnessed the signing of the Kuala Lumpur "
            "Peace Accords between Thailand and Cambodia. Thailand will release 18 Cambodian "
            "soldiers, and both sides will remove heavy weapons from the border."
        ),
    ),
    news_article(
        "thailand-framework",
        "2025-10-26",
        "The White House",
        "Joint statement on a framework for a United States-Thailand agreement on reciprocal trade",
        (
            "The United States and Thailand have agreed to a framework for an agreement on "
            "reciprocal trade. Thailand will eliminate tariff barriers on approximately 99% of "
            "goods. Key commercial deals include the procurement of 80 U.S. aircraft, totaling "
            "$18.8 billion."
        ),
    ),
]


def test_a_follow_ups_pronoun_points_at_the_deal_not_the_city_it_was_made_in(
    ask_over: AskOver,
) -> None:
    # "it" is the framework, whose joint statement names Thailand but not Kuala Lumpur, where
    # it was announced: an article need not name the city to be about the deal.
    *_, answer = ask_over(
        KUALA_LUMPUR_ARTICLES,
        "whats in the US-Thailand trade framework from the KL summit?",
        "and how many US planes are the Thais buying under it?",
        conversation=True,
    )

    assert answer["grounded"], answer["answer"]
    assert answer["citations"][0]["doc_id"] == "thailand-framework", answer["answer"]
    assert "80 U.S. aircraft" in answer["citations"][0]["quote"], answer["answer"]


def test_a_partner_typed_in_capitals_is_searched_and_answered(
    client: TestClient, answer_invariants: Callable[[TestClient, dict[str, Any]], None]
) -> None:
    # "INDIA" in capitals is the short English word's capitals: once a server error.
    question = "what tariff did the President put on goods from INDIA?"
    search = client.get("/v1/search", params={"q": question, "k": 3})
    answer = ask(client, question)
    answer_invariants(client, answer)

    assert search.status_code == 200, search.text
    assert search.json()["results"][0]["doc_id"] == "india-order"
    assert answer["grounded"] and answer["citations"][0]["doc_id"] == "india-order"


def test_what_a_panel_decided_is_answered_only_by_a_decision(ask_over: AskOver) -> None:
    articles = [
        {
            "id": "olives-request",
            "title": "EU requests WTO consultations on US duties on Spanish ripe olives",
            "text": (
                "The United States received from the European Union a request for WTO "
                "consultations on the antidumping and countervailing duties on ripe olives "
                "from Spain. The Department of Commerce found that the olives were subsidized."
            ),
            "published_at": "2019-01-29",
            "source": "USTR",
        },
        {
            "id": "grain-report",
            "title": "United States wins WTO dispute on China's grain support",
            "text": (
                "The WTO panel found that China provided domestic support to wheat and rice "
                "in excess of its commitments. The panel sided with the United States."
            ),
            "published_at": "2019-02-28",
            "source": "USTR",
        },
    ]
    olives, grain = ask_over(
        articles,
        "did the WTO panel side with the EU in the Spanish ripe olives dispute?",
        "did the WTO panel side with the US in the China grain dispute?",
    )

    # No panel has ruled on olives: a request, and Commerce's finding, are no decision.
    assert not olives["grounded"], olives["answer"]
    assert grain["grounded"] and grain["citations"][0]["doc_id"] == "grain-report"


def test_who_is_answered_only_by_a_name_the_question_does_not_write(ask_over: AskOver) -> None:
    article = {
        "id": "norway-mou",
        "title": "Joint statement from the United States and Norway on critical minerals",
        "text": (
            "The United States and Norway intend to negotiate a critical minerals MOU. The MOU "
            "is an important step towards strengthening the cooperation of the United States "
            "and Norway on critical minerals."
        ),
        "published_at": "2024-04-17",
        "source": "White House",
    }
    question = "who was on the Norwegian side of the US-Norway critical minerals MOU?"
    (answer,) = ask_over([article], question)

    # Every name the article writes is one the question asks with: nobody is named.
    assert not answer["grounded"], answer["answer"]


ENTITY_LIST_RULE = {
    "id": "entity-list-2025-01",
    "title": "Additions to the Entity List",
    "text": (
        "SUMMARY: In this rule, the Bureau of Industry and Security amends the Export "
        "Administration Regulations by adding 11 entities to the Entity List. These entries "
        "are listed on the Entity List under the destination of China. These entities have "
        "been determined to be acting contrary to the national security of the United "
        "States. The Entity List identifies entities for which there is reasonable cause to "
        "believe that they have been involved in activities contrary to the national security "
        "of the United States. BIS adds these 11 entities to the Entity List under China for "
        "supporting the military modernization of China.\n\n"
        "This rule also revises one existing entry on the Entity List under the destination "
        "of India.\n\n"
        "DATES: This rule is effective January 16, 2025."
    ),
    "published_at": "2025-01-16",
    "source": "Federal Register",
}


def test_what_else_a_rule_did_is_answered_by_the_sentence_telling_the_addition(
    ask_over: AskOver,
) -> None:
    # The summary and the China entries match the question best; the revision of India's
    # entry is what else the rule changed.
    (answer,) = ask_over(
        [ENTITY_LIST_RULE],
        "Besides adding 11 entities to the Entity List under China, did the BIS rule change "
        "any entry on the Entity List for other destinations?",
    )

    assert answer["grounded"], answer["answer"]
    assert any("destination of India" in c["quote"] for c in answer["citations"]), answer["answer"]


def test_what_else_a_rule_did_is_quoted_from_its_own_text_however_unlike_the_question(
    ask_over: AskOver,
) -> None:
    rule = {
        "id": "entity-list-2025-01-06",
        "title": "Additions to the Entity List",
        "text": (
            "SUMMARY: In this rule, the Bureau of Industry and Security (BIS) amends the Export "
            "Administration Regulations (EAR) by adding 13 entities under 13 entries to the "
            "Entity List. These entries are listed on the Entity List under the destinations "
            "of Burma (1), China (11), and Pakistan (1). The new listings follow findings that "
            "the entities acted contrary to the national security of the United States.\n\n"
            "This rule also amends the EAR by making certain editorial corrections and "
            "clarifications.\n\n"
            "DATES: This rule is effective January 6, 2025."
        ),
        "published_at": "2025-01-06",
        "source": "Federal Register",
    }
    later = {
        "id": "steel-2025-02",
        "title": "Adjusting Imports of Steel",
        "text": "The tariff on steel imports rises to 25 percent for every country.",
        "published_at": "2025-02-10",
        "source": "White House",
    }
    (answer,) = ask_over(
        [rule, later],
        "The Jan 6 2025 BIS entity list rule — was it only new listings or did it change "
        "anything else?",
    )

    # The listings match the question best; the rule's own "also" sentence tells the rest.
    assert answer["grounded"], answer["answer"]
    assert any("editorial corrections" in c["quote"] for c in answer["citations"]), answer["answer"]


IRAN_ORDER = {
    "id": "iran-secondary-tariffs",
    "title": "Addressing Threats to the United States by the Government of Iran",
    "text": (
        "Today, President Trump signed an Executive Order reaffirming the national emergency "
        "with respect to Iran and establishing a process to impose tariffs on countries that "
        "import goods from Iran. An additional tariff of 25 percent may be imposed on goods "
        "from any country that directly or indirectly purchases goods from Iran."
    ),
    "published_at": "2026-02-06",
    "source": "White House",
}


def test_another_partys_reaction_is_answered_only_by_what_it_said_or_did_in_response(
    ask_over: AskOver,
) -> None:
    # The order names Iran but tells no reaction of Iran's; what the order does is answered.
    reaction, measure = ask_over(
        [IRAN_ORDER],
        "How did Iran react to the Executive Order imposing tariffs on countries that import "
        "goods from Iran?",
        "What tariff can the order impose on countries that buy goods from Iran?",
    )

    assert not reaction["grounded"] and reaction["citations"] == [], reaction["answer"]
    assert measure["grounded"], measure["answer"]
    assert "25 percent" in measure["citations"][0]["quote"], measure["answer"]


ASIA_DEALS = {
    "id": "asia-deals",
    "title": "Fact Sheet: President Trump secures trade deals in Asia",
    "text": (
        "**ENHANCING THE U.S.-MALAYSIA RELATIONSHIP:** President Trump and the Prime Minister "
        "announced deals that will deliver billions into the U.S. economy.\n\n"
        "- Up to $3.4 billion annually in U.S. LNG purchases through multi-year agreements "
        "with Petronas.\n"
        "- Purchase of 30 Boeing aircraft.\n\n"
        "**ENHANCING THE U.S.-VIETNAM RELATIONSHIP:** The two leaders announced a framework "
        "for a reciprocal trade agreement.\n\n"
        "- Vietnam Airlines has agreed to purchase 50 aircraft from Boeing worth over "
        "$8 billion.\n"
    ),
    "published_at": "2025-10-26",
    "source": "White House",
}


def test_a_list_item_under_another_partners_heading_does_not_answer_for_the_partner_asked(
    ask_over: AskOver,
) -> None:
    # The fact sheet names Vietnam, but the LNG purchases are listed under Malaysia's heading.
    hanoi, malaysia = ask_over(
        [ASIA_DEALS],
        "How much in U.S. LNG purchases did Hanoi agree to?",
        "How much in U.S. LNG purchases did Malaysia agree to?",
    )

    assert all("LNG" not in c["quote"] for c in hanoi["citations"]), hanoi["answer"]
    assert malaysia["grounded"], malaysia["answer"]
    assert any("$3.4 billion" in c["quote"] for c in malaysia["citations"]), malaysia["answer"]


_MELT = (
    "Imports of aluminum articles from Mexico have surged, and many are smelted or cast in "
    "third countries before they are shipped from Mexico to the United States. "
)
DEFINING_ORDERS = [
    {
        "id": "lumber-order",
        "title": "Addressing the threat to national security from imports of timber and lumber",
        "text": (
            "The Secretary of Commerce shall investigate imports of timber and lumber. "
            "Sec. 4. Definitions. (a) The term “timber” refers to wood that has not been "
            "processed. (b) The term “lumber” refers to wood that has been processed, "
            "including wood that has been milled and cut into boards."
        ),
        "published_at": "2025-03-01",
        "source": "The White House",
    },
    {
        "id": "aluminum-mexico",
        "title": "A proclamation on adjusting imports of aluminum into the United States",
        "text": (
            _MELT
            * 12
            + "The proclamation therefore sets a country of smelt and cast requirement for "
            "imports of aluminum articles from Mexico.\n\n"
            + "For the purposes of this proclamation, primary aluminum is produced from "
            "alumina by the electrolytic process. “Country of most recent cast” refers to the "
            "country where the aluminum was last liquified by heat and cast into a solid "
            "state. Articles without a certificate of origin pay the highest rate."
        ),
        "published_at": "2024-07-10",
        "source": "The White House",
    },
    news_article(
        "drone-order",
        "2026-08-13",
        "The White House",
        "Adjusting imports of unmanned aircraft systems into the United States",
        (
            "Products of Trade Agreement Partners pay a 15 percent tariff on drones. An article "
            "qualifies when it meets these conditions: (a) The article is a product of Trade "
            "Agreement Partners, composed of the United Kingdom, the European Union, Japan, "
            "the Republic of Korea, Mexico, and Canada; and (b) At least 85 percent of the "
            "content of the article is a product of Trade Agreement Partners."
        ),
    ),
]


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("what does the lumber order mean by timber?", "“timber” refers to wood that has not"),
        # A set defined by its members ("composed of").
        (
            "which countries count as trade agreement partners in the drone order?",
            "composed of the United Kingdom",
        ),
        # The definitions name no country: the order naming Mexico is theirs.
        (
            "In the Mexico aluminum proclamation, what does 'country of most recent cast' mean?",
            "“Country of most recent cast” refers to",
        ),
        # A term the orders use and never define.
        ("what does the aluminum proclamation mean by 'certificate of origin'?", None),
    ],
)
def test_what_a_term_means_is_answered_only_by_its_definition(
    ask_over: AskOver, question: str, quoted: str | None
) -> None:
    (answer,) = ask_over(DEFINING_ORDERS, question)

    if quoted is None:
        assert not answer["grounded"], answer["answer"]
    else:
        assert answer["grounded"], answer["answer"]
        assert quoted in answer["citations"][0]["quote"], answer["answer"]


def test_a_reports_closing_disclaimer_is_neither_stored_nor_quoted(
    seed_articles: SeedArticles,
    embedder: Embedder,
    answer_invariants: Callable[[TestClient, dict[str, Any]], None],
) -> None:
    report = {
        "id": "crs-copper",
        "title": "Section 232 National Security Tariffs on Copper Imports",
        "text": (
            "Copper is used in electrical wiring, plumbing, and motors. The United States "
            "imports about half of the refined copper it uses.\n\n"
            "                              Disclaimer:  \n These documents were prepared by "
            "the Congressional Research Service (CRS). CRS serves as nonpartisan shared staff "
            "to congressional committees. Information in a CRS Report should not be relied "
            "upon for purposes other than public understanding of information that has been "
            "provided by CRS to Members of Congress."
        ),
        "published_at": "2026-04-23",
        "source": "Congressional Research Service",
    }
    with TestClient(create_app(seed_articles([report]), embedder=embedder)) as client:
        stored = client.get("/v1/documents/crs-copper").json()["text"]
        answer = ask(client, "what is copper used for, per CRS?")
        answer_invariants(client, answer)

    assert "Disclaimer" not in stored and stored.endswith("refined copper it uses.")
    assert answer["grounded"], answer["answer"]
    assert "electrical wiring" in answer["citations"][0]["quote"], answer["answer"]


DRONE_ARTICLES: list[dict[str, Any]] = [
    {
        "id": "drone-tariffs",
        "title": "Fact sheet: tariffs on drones and their components",
        "text": (
            "The proclamation imposes a 100% tariff on drones of a certain size. The tariffs "
            "will take effect 21 days after signing.\n\nFor components of drones that are not "
            "particularly sensitive, the tariffs will take effect 180 days after signing."
        ),
        "published_at": "2026-08-13",
        "source": "The White House",
    },
    {
        "id": "auto-parts",
        "title": "Fact sheet: reciprocal trade and Section 232",
        "text": (
            "Last week, President Trump invoked Section 232 to impose a 25% tariff on foreign "
            "automobiles. The tariffs on automobile components will take effect on May 3, "
            "2025."
        ),
        "published_at": "2025-04-03",
        "source": "The White House",
    },
]


def test_a_follow_up_asking_for_the_parts_is_answered_by_the_components(
    ask_over: AskOver,
) -> None:
    # "and for the parts?" leans on "when does it take effect?", which leans on the drones;
    # orders write "components".
    with_history = [
        "what tariff did trump put on drones?",
        "when does it take effect?",
        "and for the parts?",
    ]
    *_, answer = ask_over(DRONE_ARTICLES, *with_history, conversation=True)

    assert answer["grounded"], answer["answer"]
    assert answer["citations"][0]["doc_id"] == "drone-tariffs", answer["answer"]
    assert "180 days" in answer["citations"][0]["quote"], answer["answer"]


VENEZUELA_ORDER = news_article(
    "venezuela-oil",
    "2025-03-24",
    "The White House",
    "Imposing tariffs on countries importing Venezuelan oil",
    (
        "The Maduro regime has failed to control its borders. (b) Existing sanctions on "
        "Venezuela, including those imposed in Executive Order 13692 and Executive Order 13808 "
        "of August 24, 2017, remain in effect. Sec. 2. A tariff of 25 percent may be imposed on "
        "all goods imported from any country that imports Venezuelan oil."
    ),
)


def test_an_acronym_in_the_plural_finds_what_it_stands_for(ask_over: AskOver) -> None:
    # "EOs" was a name no article holds ("Executive Order"), and the question was refused.
    (answer,) = ask_over([VENEZUELA_ORDER], "what sanctions EOs on venezuela remain in effect?")

    assert answer["grounded"], answer["answer"]
    assert "Executive Order 13692" in answer["citations"][0]["quote"], answer["answer"]


FENTANYL_ORDER = news_article(
    "fentanyl-nov-2025",
    "2025-11-04",
    "The White House",
    "Modifying duties addressing the synthetic opioid supply chain in China",
    (
        "The People's Republic of China (PRC) has not abated the crisis of synthetic opioids. "
        "Specifically, the PRC has committed to take significant measures to end the flow of "
        "fentanyl to the United States, including stopping the shipment of certain designated "
        "chemicals to North America. In light of the PRC's commitment, the United States "
        "committed to reduce the additional rate of duty from 20 percent to 10 percent, "
        "effective November 10, 2025. Sec. 3. Monitoring. The Secretary of Homeland Security "
        "shall monitor the status and progress of the PRC's implementation of its "
        "commitments. Should the PRC fail to implement its commitments as described in "
        "section 1 of this order, I may modify this order as necessary."
    ),
)


def test_what_happens_if_is_answered_by_the_condition_the_order_provides_for(
    ask_over: AskOver,
) -> None:
    (answer,) = ask_over(
        [FENTANYL_ORDER],
        "what happens if china doesn't follow through on its fentanyl commitments?",
    )

    assert answer["grounded"], answer["answer"]
    assert answer["citations"][0]["quote"].startswith("Should the PRC fail"), answer["answer"]


MINERALS_MOU = news_article(
    "us-malaysia-minerals-mou",
    "2025-10-26",
    "The White House",
    "Memorandum of understanding between the United States and Malaysia on critical minerals",
    (
        "The United States and Malaysia signed a memorandum of understanding on critical "
        "minerals supply chains in Kuala Lumpur. Under the MOU, the United States and Malaysia "
        "will meet to cooperate on critical minerals. The Participants intend to meet in person or "
        "virtually at the working level on a quarterly basis to discuss critical minerals "
        "supply chains. The Participants intend to identify projects in mining and processing."
    ),
)


def test_how_often_is_answered_by_a_frequency(ask_over: AskOver) -> None:
    (answer,) = ask_over(
        [MINERALS_MOU], "how often do the US and Malaysia meet under the critical minerals MOU?"
    )

    assert answer["grounded"], answer["answer"]
    assert "on a quarterly basis" in answer["citations"][0]["quote"], answer["answer"]


DE_MINIMIS_ORDERS = [
    news_article(
        "de-minimis-april-8",
        "2025-04-08",
        "The White House",
        "Amendment to duties as applied to low-value imports from China",
        (
            "In Executive Order 14256 of April 2, 2025, I declared that duty-free de minimis "
            "treatment on low-value imports from the People's Republic of China is no longer "
            "available effective May 2, 2025. On April 4, 2025, China announced that it would "
            "impose a 34 percent tariff on all goods imported from the United States. To ensure "
            "that the de minimis duties are not circumvented, I also deem it necessary and "
            "appropriate to:\n(a) increase the ad valorem rate of duty set forth in section "
            "2(c)(i) of Executive Order 14256 from 30 percent to 90 percent;\n(b) increase the "
            "per postal item duty from $25 to $75; and\n(c) keep all other provisions."
        ),
    ),
]


def test_an_enumerated_clause_of_an_orders_list_is_quoted_as_a_statement(
    ask_over: AskOver,
) -> None:
    # "(a) increase the ad valorem rate ... from 30 percent to 90 percent;" ends without a full
    # stop, and ranked below the recitals.
    (answer,) = ask_over(
        DE_MINIMIS_ORDERS, "what did the april 8 2025 order do to de minimis duties on china?"
    )

    assert answer["grounded"], answer["answer"]
    assert any("30 percent to 90 percent" in c["quote"] for c in answer["citations"]), answer[
        "answer"
    ]


IEEPA_RULING = news_article(
    "crs-ieepa-ruling",
    "2026-04-09",
    "Congressional Research Service",
    "The Supreme Court's IEEPA tariff decision",
    (
        "On February 20, 2026, the Supreme Court held that the International Emergency "
        "Economic Powers Act (IEEPA) does not authorize the imposition of tariffs. The ruling "
        "does not affect tariffs imposed under Section 232 or Section 301, which remain in "
        "effect. Importers may seek refunds of the IEEPA duties they paid."
    ),
)


def test_a_when_clause_opening_a_question_asks_no_date(ask_over: AskOver) -> None:
    # The "when" sets the scene; the question asks about the 232s and 301s, not a date.
    (answer,) = ask_over(
        [IEEPA_RULING],
        "when the IEEPA duties got struck down did that also wipe out the 232 and 301 tariffs?",
    )

    assert answer["grounded"], answer["answer"]
    assert any(c["quote"].startswith("The ruling does not affect") for c in answer["citations"])


JAPAN_DEAL_ARTICLES: list[dict[str, Any]] = [
    news_article(
        "japan-autos",
        "2025-09-04",
        "The White House",
        "Implementing the United States-Japan Agreement on automobiles",
        (
            "Under the Agreement, the United States will apply a 15 percent tariff on "
            "automobiles and automobile parts of Japan. Japanese automakers will be able to "
            "ship automobiles that meet U.S. motor vehicle safety standards without further "
            "testing. The tariff on automobile parts of Japan takes effect on September 16, "
            "2025. Japan will also accept U.S. automobiles and parts with fewer barriers."
        ),
    ),
    news_article(
        "japan-pledge",
        "2025-10-28",
        "The White House",
        "Fact sheet: the United States and Japan deepen economic ties",
        (
            "The Government of Japan has committed to invest $550 billion in the United "
            "States in critical industries, directed by the United States. The two leaders "
            "discussed shipbuilding and energy cooperation. Officials of both governments "
            "met in Tokyo."
        ),
    ),
    *(
        news_article(
            f"japan-autos-{n}",
            f"2025-09-{10 + n}",
            "Federal Register",
            f"Notice {n} on United States-Japan automobile trade",
            (
                f"Notice {n}: Japanese automobiles and automobile parts entered on or after "
                f"the Agreement's date pay the 15 percent tariff the United States and Japan "
                f"agreed. Japan's Ministry of Economy, Trade and Industry and U.S. Customs "
                f"exchanged {n} lists of automobile parts."
            ),
        )
        for n in range(1, 8)
    ),
]


@pytest.mark.parametrize("opening", ["what about", "and what about", "ok, how about"])
def test_a_follow_up_turning_to_another_subject_after_and_is_answered_on_it(
    ask_over: AskOver, opening: str
) -> None:
    # "and what about Japan's investment pledge?" after a question on autos was refused: the
    # query carried the autos answer's names and titles, as for "and how long does it last?".
    *_, answer = ask_over(
        JAPAN_DEAL_ARTICLES,
        "what did the US and Japan agree on autos?",
        f"{opening} Japan's investment pledge?",
        conversation=True,
    )

    assert answer["grounded"], answer["answer"]
    assert answer["citations"][0]["doc_id"] == "japan-pledge", answer["answer"]
    assert "$550 billion" in answer["citations"][0]["quote"], answer["answer"]


SHIPBUILDING_NOTICES: list[dict[str, Any]] = [
    {
        "id": "ships-2024-04",
        "title": "Initiation of Section 301 investigation: China's targeting of shipbuilding",
        "text": (
            "SUMMARY: On March 12, 2024, the Office of the United States Trade Representative "
            "received a petition requesting an investigation of China's targeting of the "
            "maritime, logistics, and shipbuilding sectors for dominance. The U.S. Trade "
            "Representative has initiated an investigation."
        ),
        "published_at": "2024-04-22",
        "source": "Federal Register",
    },
    {
        "id": "ships-2025-01",
        "title": "Notice of determination under Section 301: China's targeting of shipbuilding",
        "text": (
            "SUMMARY: The U.S. Trade Representative has determined that China's targeting of "
            "the maritime, logistics, and shipbuilding sectors for dominance is actionable "
            "under section 301."
        ),
        "published_at": "2025-01-23",
        "source": "Federal Register",
    },
]


def test_when_a_notice_did_what_it_tells_is_answered_by_its_date(ask_over: AskOver) -> None:
    # "has determined" in a notice happened on the notice's date, which introduces the quote.
    (answer,) = ask_over(
        SHIPBUILDING_NOTICES, "when did USTR find china's shipbuilding targeting actionable?"
    )

    assert answer["grounded"], answer["answer"]
    assert answer["citations"][0]["doc_id"] == "ships-2025-01", answer["answer"]
    assert answer["answer"].startswith("On 2025-01-23 ("), answer["answer"]


LEADERS_CALLS = [
    news_article(
        "call-2022-07",
        "2022-07-28",
        "The White House",
        "Readout of President Biden's call with President Xi Jinping",
        "President Biden spoke with President Xi Jinping of the People's Republic of China "
        "today. On Taiwan, President Biden underscored that the United States policy has not "
        "changed and that the United States strongly opposes unilateral efforts to change the "
        "status quo.",
    ),
    news_article(
        "meeting-2022-11",
        "2022-11-14",
        "The White House",
        "Readout of President Biden's meeting with President Xi Jinping",
        "President Biden met with President Xi in Bali. The two leaders discussed trade and "
        "climate, and President Xi raised concerns about export controls.",
    ),
    news_article(
        "talks-2023-03",
        "2023-03-01",
        "The White House",
        "Statement on the leaders' talks",
        "The talks planned by President Biden and President Xi will cover fentanyl.",
    ),
]


@pytest.mark.parametrize(
    "question",
    [
        "How did Xi respond on Taiwan during the July 2022 call with Biden?",
        # Typed without capitals: "xi" is the name the articles write, not a plain word.
        "how did xi respond on taiwan during the july 2022 call with biden",
    ],
)
def test_a_side_whose_words_no_article_gives_is_refused_however_the_question_is_cased(
    ask_over: AskOver, question: str
) -> None:
    # The readout gives the home side's words on Taiwan only.
    (answer,) = ask_over(LEADERS_CALLS, question)

    assert not answer["grounded"], answer["answer"]


SHIPBUILDING_DEAL = [
    news_article(
        "korea-deal",
        "2025-11-13",
        "The White House",
        "Fact Sheet: the United States and Korea finalize the shipbuilding commitment",
        "This deal includes $150 billion of Korean investment in the shipbuilding sector, "
        "including the modernization of shipyards in Pennsylvania. Korean companies will "
        "also invest in American shipbuilding workforce training.",
    ),
    news_article(
        "korea-talks",
        "2025-07-30",
        "The White House",
        "Korea agrees to a trade framework",
        "Korea will invest $350 billion in projects selected by the United States, including "
        "shipbuilding, energy and semiconductors.",
    ),
]


MINERALS_LIST = [
    news_article(
        "minerals-2022",
        "2022-02-24",
        "Federal Register",
        "2022 Final List of Critical Minerals",
        "The Geological Survey presents the 2022 final list of critical minerals and the "
        "methodology used to develop it. The list contains 50 mineral commodities, among them "
        "nickel and zinc, which were added this year.",
    ),
]


@pytest.mark.parametrize(
    ("articles", "question"),
    [
        # The fact sheet tells Korea's investment in shipbuilding, not what any company puts in;
        # typed without capitals, "hanwha" is a name no article writes, not a plain word.
        (
            SHIPBUILDING_DEAL,
            "How much is Hanwha putting into the Philadelphia shipyard under the Korea deal?",
        ),
        (
            SHIPBUILDING_DEAL,
            "how much is hanwha putting into the philadelphia shipyard under the korea deal",
        ),
        # The 2022 list tells what was added then, not what the next list will add; chat leaves
        # the question mark off, or puts thanks in its place: the same question.
        (MINERALS_LIST, "Which minerals will be added to the next critical minerals list?"),
        (MINERALS_LIST, "which minerals will be added to the next critical minerals list"),
        (MINERALS_LIST, "Which minerals will be added to the next critical minerals list thx"),
    ],
)
def test_a_question_no_article_answers_is_refused_however_it_is_typed(
    ask_over: AskOver, articles: list[dict[str, Any]], question: str
) -> None:
    (answer,) = ask_over(articles, question)

    assert not answer["grounded"], answer["answer"]


# A wire story written in British spelling beside US documents written in American spelling.
BRITISH_WIRE = news_article(
    "uk-export-licences",
    "2025-02-03",
    "Albion Trade Wire",
    "UK tightens export licensing for defence electronics",
    "Exporters of defence electronics to Russia will need an individual export licence from "
    "1 March, the Ministry of Defence said. The licensing programme covers radar modules and "
    "night-vision optics, and the Export Control Joint Unit will publish the application "
    "forms next week.",
)
LABOR_PROGRAM = news_article(
    "smelter-workers",
    "2025-03-12",
    "US Department of Labor",
    "Retraining program for aluminum smelter workers",
    "The Department of Labor will fund a retraining program for workers laid off by closed "
    "aluminum smelters. Each eligible worker may receive up to $12,000 in tuition and "
    "relocation assistance.",
)


@pytest.mark.parametrize(
    ("question", "doc_id", "quoted"),
    [
        # American spelling over a British article, and British over an American one: the
        # body's name is one no article writes unless "Defence" is "Defense", "Labour" "Labor".
        (
            "Which exports will need a license from March under the Ministry of Defense rule?",
            "uk-export-licences",
            "individual export licence",
        ),
        (
            "What will the Department of Labour fund for aluminium smelter workers?",
            "smelter-workers",
            "retraining program",
        ),
    ],
)
def test_a_question_in_one_english_finds_an_article_written_in_the_other(
    ask_over: AskOver, question: str, doc_id: str, quoted: str
) -> None:
    (answer,) = ask_over([BRITISH_WIRE, LABOR_PROGRAM, *ARTICLES], question)

    assert answer["grounded"], answer["answer"]
    assert answer["citations"][0]["doc_id"] == doc_id
    assert quoted in answer["citations"][0]["quote"]


def test_a_count_of_thousands_typed_as_k_finds_the_figure_the_article_writes(
    seed_articles: SeedArticles, embedder: Embedder
) -> None:
    # "$12k": the article writes "$12,000"; typed so, the figure was a term no passage holds.
    question = "which program pays smelter workers up to $12k?"
    with TestClient(
        create_app(seed_articles([LABOR_PROGRAM, *ARTICLES]), embedder=embedder)
    ) as client:
        hits = client.get("/v1/search", params={"q": question, "k": 1}).json()
        answer = ask(client, question)

    assert hits["read_as"] == "which program pays smelter workers up to $12,000?"
    assert hits["results"][0]["doc_id"] == "smelter-workers"
    assert answer["grounded"], answer["answer"]
    assert any("$12,000" in c["quote"] for c in answer["citations"]), answer["answer"]
    assert answer["notice"] == "Read “$12k” as “$12,000”."


def test_what_an_order_is_about_is_answered_with_its_matter_not_a_number(
    ask_over: AskOver,
) -> None:
    # "What's the ... executive order on Cuba about?" asks what it does; read as asking for
    # an order's number, only a sentence citing one could answer (the later order ending it).
    cuba = {
        "id": "cuba-order",
        "title": "Addressing Threats to the United States by the Government of Cuba",
        "text": (
            "Today, President Donald J. Trump signed an Executive Order declaring a national "
            "emergency and establishing a process to impose tariffs on goods from countries "
            "that sell or otherwise provide oil to Cuba. The Secretary of Commerce will monitor "
            "which countries supply oil to Cuba."
        ),
        "published_at": "2026-01-29",
        "source": "White House",
    }
    ending = {
        "id": "ending-order",
        "title": "Ending Certain Tariff Actions",
        "text": (
            "The additional duties imposed in Executive Order 14380 of January 29, 2026 "
            "(Addressing Threats to the United States by the Government of Cuba) and Executive "
            "Order 14382 shall no longer be in effect. Agencies shall stop collecting them."
        ),
        "published_at": "2026-02-20",
        "source": "White House",
    }
    (answer,) = ask_over([cuba, ending], "What's the Jan 2026 executive order on Cuba about?")

    assert answer["grounded"], answer["answer"]
    assert answer["citations"][0]["doc_id"] == "cuba-order"
    assert answer["citations"][0]["quote"].startswith("Today, President Donald J. Trump signed")
