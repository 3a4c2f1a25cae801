"""Reading the best articles further: a long document's answering passage joins the list."""

from __future__ import annotations

from bot.engine import AnswerEngine
from bot.retrieval.hybrid import HybridRetriever
from bot.settings import Settings
from bot.wiring import build_engine, build_retriever
from ingest.embedder import Embedder
from ingest.models import Article
from ingest.store import PassageStore
from tests.support.store import store_article

ANSWER = "No more than 15 percent may be charged, for 150 days at most, unless Congress acts."
QUESTION = "what are the legal limits on the section 122 surcharge, rate and how many days?"
NEUTRAL = [
    "Customs and Border Protection will publish guidance for importers.",
    "The annex lists the goods by heading of the tariff schedule.",
    "Goods in transit on the effective date are exempt.",
    "The Secretary will report to the President every thirty days.",
]
# Short passages (see _stored): one or two sentences each.
LONG = Article(
    doc_id="surcharge-proclamation",
    title="Imposing a temporary import surcharge under section 122",
    text=" ".join(
        [
            "This proclamation on the section 122 surcharge recites the legal limits on the "
            "rate of the surcharge and on how many days it lasts.",
            *NEUTRAL[:2],
            ANSWER,
            *NEUTRAL[2:],
        ]
    ),
    source="White House",
    published_at="2026-02-20",
)
# One report closer to the question's words than the proclamation, three further from it.
OTHERS = [
    Article(
        doc_id=f"surcharge-report-{i}",
        title=f"Surcharge debate {i}",
        text=(
            f"Report {i}: lawyers debated the legal limits on the section 122 surcharge, its "
            "rate and how many days the surcharge may last."
            if i == 0
            else f"Report {i}: lawyers debated the legal limits on the section 122 surcharge "
            "and its rate."
        ),
        source="Ledger",
        published_at=f"2026-03-0{i + 1}",
    )
    for i in range(4)
]


def _stored(store: PassageStore, embedder: Embedder, articles: list[Article]) -> None:
    """Store `articles` in passages of at most 30 tokens (a long document in miniature)."""
    for article in articles:
        store_article(store, embedder, article, max_tokens=30)


def _spread(settings: Settings) -> Settings:
    """Lists spread over articles (an article's second passage at 0.6 of its score)."""
    return settings.model_copy(update={"retrieval_article_decay": 0.6})


def _engine(settings: Settings, store: PassageStore, embedder: Embedder, read: int) -> AnswerEngine:
    """The service's engine, reranking a 4-passage list, reading `read` articles further."""
    tuned = _spread(settings).model_copy(update={"rerank_depth": 4, "rerank_read_articles": read})
    engine = build_engine(tuned, store, embedder)
    assert isinstance(engine.retriever, HybridRetriever) and engine.retriever.warm_exact()
    return engine


def test_the_best_articles_passage_that_answers_is_found_beyond_the_list(
    settings: Settings, store: PassageStore, embedder: Embedder
) -> None:
    _stored(store, embedder, [LONG, *OTHERS])
    retriever = build_retriever(_spread(settings), store, embedder)
    assert isinstance(retriever, HybridRetriever) and retriever.warm_exact()
    listed = retriever.search(QUESTION, 4)
    assert not any(ANSWER in p.text for p in listed), "the list alone misses it"

    known = frozenset(p.chunk_id for p in listed)
    further = retriever.within(QUESTION, [LONG.doc_id], 2, known)

    assert 0 < len(further) <= 2
    assert all(p.doc_id == LONG.doc_id and p.chunk_id not in known for p in further)
    assert ANSWER in further[0].text
    deep = {p.chunk_id: p.score for p in retriever.search(QUESTION, 40)}
    assert all(p.score == deep[p.chunk_id] for p in further), "scored as search scores"

    # Through the engine the service builds: on by default, off with 0.
    found = _engine(settings, store, embedder, read=2).search(QUESTION, 3)
    assert any(ANSWER in p.text for p in found)
    alone = _engine(settings, store, embedder, read=0).search(QUESTION, 3)
    assert not any(ANSWER in p.text for p in alone)


def test_after_a_write_the_articles_are_read_when_the_vectors_are_copied_again(
    settings: Settings, store: PassageStore, embedder: Embedder
) -> None:
    _stored(store, embedder, [LONG])
    retriever = build_retriever(settings, store, embedder)
    assert isinstance(retriever, HybridRetriever) and retriever.warm_exact()
    _stored(store, embedder, OTHERS[:1])

    assert retriever.within(QUESTION, [LONG.doc_id], 2, frozenset()) == []  # the copy is old
    assert retriever.warm_exact()
    assert any(ANSWER in p.text for p in retriever.within(QUESTION, [LONG.doc_id], 2, frozenset()))


LEAD = (
    "COUNTERING UNFAIR PRACTICES: Yesterday the President signed proclamations to close "
    "loopholes, restore a true 25% tariff on steel and elevate the tariff to 25% on aluminum."
)
FACT_SHEET = Article(
    doc_id="aluminum-fact-sheet",
    title="Fact Sheet: President restores Section 232 tariffs on aluminum",
    text=" ".join(
        [
            LEAD,
            # The paragraphs explaining why use more of the question's words than the lead.
            "The Section 232 tariff on aluminum was eroded by exemptions and the tariff on "
            "aluminum lost its force.",
            "Section 232 tariffs on aluminum protect the aluminum industry, and the tariff on "
            "aluminum imports supports smelters.",
            "The President found that aluminum imports under the Section 232 tariff rose 18% "
            "in 2024, and the tariff on aluminum must be restored.",
            "Aluminum smelters welcomed the Section 232 tariff on aluminum, and the President "
            "praised the aluminum tariff.",
            "The President said the Section 232 tariff on aluminum answers overcapacity in "
            "aluminum.",
            "Under Section 232 the President may adjust the tariff on aluminum imports that "
            "threaten security.",
        ]
    ),
    source="White House",
    published_at="2025-02-11",
)
STEEL_NOTES = [
    Article(
        doc_id=f"steel-note-{i}",
        title=f"Section 232 note {i}",
        text=f"Note {i}: industry discussed tariffs on steel with the Commerce Department.",
        source="Ledger",
        published_at=f"2025-03-0{i + 1}",
    )
    for i in range(4)
]


def test_reading_an_article_further_reads_its_lead(
    settings: Settings, store: PassageStore, embedder: Embedder
) -> None:
    # The fact sheet's lead tells what was done, in few of the question's words; its
    # explanations match better, fill the article's share of the list and are read further.
    for article in [FACT_SHEET, *STEEL_NOTES]:
        store_article(store, embedder, article, max_tokens=40)
    question = "what did the President raise the 232 tariff on aluminum to?"
    tuned = _spread(settings).model_copy(update={"rerank_depth": 6, "rerank_read_articles": 2})
    engine = build_engine(tuned, store, embedder)
    assert isinstance(engine.retriever, HybridRetriever) and engine.retriever.warm_exact()

    found = engine.search(question, 3)

    assert any("elevate the tariff to 25% on aluminum" in p.text for p in found), found
    listed = engine.retriever.search(question, 6)
    assert not any("elevate the tariff" in p.text for p in listed), "the list alone misses it"
