"""Hybrid retrieval on a real store: fusion, filters, delete/update, duplicates, spread."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.retrieval.hybrid import HybridRetriever
from bot.retrieval.lexical_index import LexicalIndex
from bot.settings import Settings
from bot.wiring import build_retriever
from ingest.embedder import Embedder
from ingest.models import Article, Passage, SearchFilters
from ingest.store import PassageStore
from tests.support.store import store_article

ARTICLES = [
    Article(
        doc_id="framework",
        title="US and China agree trade framework",
        text="Negotiators in Kuala Lumpur agreed a framework to pause new tariffs for a year. "
        "The framework will now be presented to Presidents Donald Trump and Xi Jinping for "
        "final approval.",
        source="Reuters",
        published_at="2025-10-26",
    ),
    Article(
        doc_id="magnets",
        title="Rare-earth magnet exports slump",
        text="Exports of rare-earth magnets from China fell by half after Beijing required a "
        "licence for each shipment. European carmakers said some plants could stop production.",
        source="Bloomberg",
        published_at="2025-05-20",
    ),
    Article(
        doc_id="steel",
        title="Steel tariffs doubled to 50 percent",
        text="Washington doubled tariffs on imported steel and aluminium to 50 percent, "
        "angering Canada and Mexico, its largest suppliers of the metals.",
        source="AP",
        published_at="2025-06-04",
    ),
    Article(
        doc_id="wine",
        title="French winemakers fear retaliation",
        text="Bordeaux producers said any new duties on European wine would cost them their "
        "biggest export market.",
        source="AFP",
        published_at="2024-11-02",
    ),
]


def write(store: PassageStore, embedder: Embedder, article: Article, max_tokens: int = 60) -> None:
    """Chunk, embed and store one article the way ingest does."""
    store_article(store, embedder, article, max_tokens)


@pytest.fixture
def filled(store: PassageStore, embedder: Embedder) -> PassageStore:
    """The store holding the fixture articles."""
    for article in ARTICLES:
        write(store, embedder, article)
    return store


@pytest.fixture
def retriever(filled: PassageStore, embedder: Embedder, settings: Settings) -> HybridRetriever:
    """The configured retriever over the filled store."""
    return build_retriever(settings, filled, embedder)


def doc_ids(passages: list[Passage]) -> list[str]:
    """Doc ids in rank order, once each."""
    return list(dict.fromkeys(p.doc_id for p in passages))


def test_keyword_and_paraphrase_queries_find_the_right_article(retriever: HybridRetriever) -> None:
    assert doc_ids(retriever.search("What is pending presidential approval?", 3))[0] == "framework"
    assert doc_ids(retriever.search("carmakers short of magnets", 3))[0] == "magnets"
    assert doc_ids(retriever.search("duties on metal imports from Canada", 3))[0] == "steel"


def test_scores_are_fused_relevance_in_unit_range(retriever: HybridRetriever) -> None:
    on_topic = retriever.search("steel and aluminium tariffs doubled", 4)
    off_topic = retriever.search("best sourdough bread recipe", 4)
    for p in on_topic + off_topic:
        assert 0.0 <= p.score <= 1.0
        assert p.dense_score is None or -1.0 <= p.dense_score <= 1.0
    assert on_topic[0].dense_score is not None
    assert on_topic[0].score > 2 * off_topic[0].score
    assert [p.score for p in on_topic] == sorted((p.score for p in on_topic), reverse=True)


def test_filters_apply_to_dense_and_bm25_sides(retriever: HybridRetriever) -> None:
    query = "tariffs on steel and aluminium"
    by_source = retriever.search(query, 5, SearchFilters(sources=("Reuters", "AFP")))
    assert by_source and {p.source for p in by_source} <= {"Reuters", "AFP"}
    window = SearchFilters(published_after=date(2025, 1, 1), published_before=date(2025, 5, 31))
    assert doc_ids(retriever.search(query, 5, window)) == ["magnets"]
    assert retriever.search(query, 5, SearchFilters(sources=("Nobody",))) == []


def test_deleted_article_is_never_returned_even_by_a_stale_bm25_index(
    filled: PassageStore, embedder: Embedder
) -> None:
    lexical = LexicalIndex(filled, check_interval_s=3600.0)
    retriever = HybridRetriever(filled, embedder, lexical)
    assert "wine" in doc_ids(retriever.search("Bordeaux wine duties", 4))
    filled.delete_article("wine")
    stale = lexical.generation
    assert "wine" not in doc_ids(retriever.search("Bordeaux wine duties", 4))
    # The index offered the deleted passages (its check interval is an hour); having met them
    # stale, the search read the store's new state before searching again.
    assert lexical.generation != stale
    assert lexical.refresh(force=True) == 0


def test_updated_article_returns_only_its_new_text(
    filled: PassageStore, embedder: Embedder, retriever: HybridRetriever
) -> None:
    write(
        filled,
        embedder,
        Article(
            doc_id="wine",
            title="French winemakers fear retaliation",
            text="Cognac houses said Chinese anti-dumping duties had already cut sales.",
            source="AFP",
        ),
    )
    found = [p for p in retriever.search("Cognac anti-dumping duties Bordeaux", 5)]
    wine = [p for p in found if p.doc_id == "wine"]
    assert wine and all("Cognac" in p.text for p in wine)
    assert all("Bordeaux" not in p.text for p in found)


class _ReplacedWhileReading:
    """The real store, but an article is replaced right after the first vector search: the
    moment a concurrent ingest can flip versions under a reader."""

    def __init__(self, store: PassageStore, replace: Callable[[], None]) -> None:
        self._store = store
        self._replace = replace

    def dense_hits(self, *args: Any, **kwargs: Any) -> Any:
        hits = self._store.dense_hits(*args, **kwargs)
        replace, self._replace = self._replace, lambda: None
        replace()
        return hits

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def test_an_article_replaced_during_a_search_is_found_in_its_new_version(
    filled: PassageStore, embedder: Embedder
) -> None:
    new = Article(
        doc_id="wine",
        title="French winemakers fear retaliation",
        text="Bordeaux producers said new duties on European wine cut their exports by half.",
        source="AFP",
    )
    racing = _ReplacedWhileReading(filled, lambda: write(filled, embedder, new))
    retriever = HybridRetriever(
        racing,  # type: ignore[arg-type]
        embedder,
        LexicalIndex(filled, check_interval_s=0.0),
    )

    wine = [p for p in retriever.search("Bordeaux wine duties", 4) if p.doc_id == "wine"]

    assert wine, "the article was seen in no version"
    assert all("cut their exports by half" in p.text for p in wine)


def _found_beside_a_copy(
    store: PassageStore, embedder: Embedder, original: Article, edit: tuple[str, str], query: str
) -> list[str]:
    """Store a copy of `original` with one phrase replaced; return what a search finds."""
    copy = dataclasses.replace(
        original, doc_id=f"{original.doc_id}-copy", text=original.text.replace(*edit)
    )
    write(store, embedder, copy)
    retriever = HybridRetriever(store, embedder, LexicalIndex(store))
    return [p.doc_id for p in retriever.search(query, 4)]


def test_near_duplicate_passages_are_collapsed(filled: PassageStore, embedder: Embedder) -> None:
    edit = ("fell by half", "fell by about half")  # a syndicated copy, lightly edited
    found = _found_beside_a_copy(
        filled, embedder, ARTICLES[1], edit, "rare-earth magnet exports licence"
    )
    assert len([d for d in found if d.startswith("magnets")]) == 1


def test_a_near_copy_with_other_figures_is_kept(filled: PassageStore, embedder: Embedder) -> None:
    # Last year's story with this year's rate: the same words but one, and that one the news.
    edit = ("50 percent", "75 percent")
    found = _found_beside_a_copy(filled, embedder, ARTICLES[2], edit, "tariffs on imported steel")
    assert {"steel", "steel-copy"} <= set(found)


def test_results_spread_across_articles(filled: PassageStore, embedder: Embedder) -> None:
    long_read = Article(
        doc_id="steel-explainer",
        title="Steel tariffs explained",
        text=" ".join(
            f"Part {n}: the steel tariff schedule covers product group {n} of imported steel."
            for n in range(1, 9)
        ),
        source="FT",
    )
    write(filled, embedder, long_read, max_tokens=24)
    retriever = HybridRetriever(filled, embedder, LexicalIndex(filled))
    top = retriever.search("steel tariffs", 3)
    assert len(top) == 3
    assert {p.doc_id for p in top[:2]} == {"steel-explainer", "steel"}


def test_build_retriever_caches_bm25_under_the_data_dir(
    retriever: HybridRetriever, settings: Settings
) -> None:
    retriever.search("tariffs", 2)
    assert (Path(settings.data_dir) / "bm25" / f"{settings.collection_prefix}.npz").is_file()


def test_empty_query_or_store_returns_nothing(
    store: PassageStore, embedder: Embedder, settings: Settings
) -> None:
    empty = build_retriever(settings, store, embedder)
    assert empty.search("tariffs", 5) == []
    assert empty.search("   ", 5) == []


def test_fusion_weights_come_from_settings(
    filled: PassageStore, embedder: Embedder, settings: Settings
) -> None:
    dense_only = settings.model_copy(
        update={"retrieval_passage_weight": 0.0, "retrieval_article_weight": 0.0}
    )
    found = build_retriever(dense_only, filled, embedder).search("steel tariffs", 3)
    assert found
    for p in found:
        assert p.dense_score is not None
        assert p.score == pytest.approx(max(p.dense_score, 0.0), abs=1e-5)


def test_a_search_is_the_first_k_of_a_deeper_one(filled: PassageStore, embedder: Embedder) -> None:
    # Three long explainers fill the first dozens of candidates; with the selection's pool
    # shrinking with k, a short search never saw the other articles a deeper one spread to.
    for name in ("ft", "wsj", "economist"):
        explainer = Article(
            doc_id=f"steel-{name}",
            title=f"Steel tariffs explained ({name})",
            text=" ".join(
                f"Part {n}: the {name} steel tariff schedule covers product group {n} of "
                f"imported steel, {n * 7} lines."
                for n in range(1, 16)
            ),
            source=name,
        )
        write(filled, embedder, explainer, max_tokens=24)
    retriever = HybridRetriever(filled, embedder, LexicalIndex(filled))
    deep = retriever.search("steel tariff schedule", 20)
    assert "steel" in doc_ids(deep)  # the deeper search spreads past the explainers
    for k in (1, 3, 5, 8):
        assert retriever.search("steel tariff schedule", k) == deep[:k]


_ANNEX_ROWS = "".join(
    f"| {name} | {rate}% |\n"
    for name, rate in [
        ("Afghanistan", 15),
        ("Algeria", 30),
        ("Angola", 15),
        ("Bangladesh", 20),
        ("Bolivia", 15),
        ("Brunei", 25),
        ("Cambodia", 19),
        ("Cameroon", 15),
        ("Chad", 15),
        ("Fiji", 15),
        ("Ghana", 15),
        ("Guyana", 15),
        ("Iceland", 15),
        ("Iraq", 35),
        ("Laos", 40),
        ("Lesotho", 15),
        ("Libya", 30),
        ("Madagascar", 15),
        ("Malawi", 15),
        ("Namibia", 15),
        ("Nauru", 15),
        ("Nicaragua", 18),
        ("Serbia", 35),
        ("Switzerland", 39),
        ("Syria", 41),
        ("Tunisia", 25),
        ("Uganda", 15),
        ("Zambia", 15),
    ]
)
ANNEX_ORDER = Article(
    doc_id="annex-order",
    title="Further Modifying the Reciprocal Tariff Rates",
    text="".join(
        f"Sec. {n}. The reciprocal tariff rates set by this order answer the trade barriers "
        "and the tariff rates of each trading partner, the Secretary of Commerce reported.\n\n"
        for n in range(1, 9)
    )
    + "**ANNEX I**\n\n| Countries and Territories | Reciprocal Tariff, Adjusted |\n"
    + _ANNEX_ROWS,
    source="White House",
    published_at="2025-07-31",
)


SWISS_TALKS = [
    Article(
        doc_id=f"swiss-{n}",
        title=f"Swiss negotiators in Washington, round {n}",
        text=f"Switzerland's negotiators met US officials for a {n}th round of talks on the "
        "reciprocal tariff rate. Swiss exporters of watches, machinery and chocolate urged "
        "Bern to settle before the rate rises, and the Swiss government said talks go on.",
        source="Reuters",
        published_at=f"2025-08-{10 + n}",
    )
    for n in range(1, 6)
]


def test_a_table_row_is_found_by_what_its_first_cell_names(
    store: PassageStore, embedder: Embedder, settings: Settings
) -> None:
    for article in [*ARTICLES, *SWISS_TALKS, ANNEX_ORDER]:
        write(store, embedder, article)
    retriever = build_retriever(settings, store, embedder)
    query = "what reciprocal tariff rate does Switzerland face under the annex?"

    found = retriever.search(query, 5)

    # The passage holding the row ranks as its article's best passage does.
    assert any("| Switzerland | 39% |" in p.text for p in found), [p.text[:40] for p in found]
    # Words of a row's other cells key nothing ("39%" is Switzerland's rate, not its name).
    lexical = retriever.lexical.search("reciprocal tariff rate of 39%", 5)
    assert not lexical.keyed
    # The rows survive the BM25 cache: a fresh index over the same store reads them back.
    cached = build_retriever(settings, store, embedder)
    assert any("| Switzerland | 39% |" in p.text for p in cached.search(query, 5))
