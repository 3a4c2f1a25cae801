"""BM25 index kept in step with the store: incremental refresh, persisted cache, filters."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.retrieval.bm25 import Bm25Matrix
from bot.retrieval.lexical_index import LexicalIndex, casing
from bot.settings import Settings
from bot.terms import Analyzer
from ingest.embedder import Embedder
from ingest.models import Article, SearchFilters
from ingest.store import PassageStore, StoreUnavailableError, open_chroma_client
from tests.support.store import store_article

ARTICLES = [
    Article(
        doc_id="rare-earths",
        title="Beijing tightens rare-earth export licences",
        text="China's commerce ministry said exporters of rare-earth magnets now need a licence "
        "for every shipment. Automakers warned that the licensing delays could halt assembly "
        "lines within weeks.",
        source="Reuters",
        published_at="2025-04-10",
    ),
    Article(
        doc_id="steel",
        title="Washington doubles steel tariffs",
        text="The United States raised tariffs on imported steel and aluminium to 50 percent. "
        "Canadian producers called the duties a blow to integrated supply chains.",
        source="AP",
        published_at="2025-06-04",
    ),
    Article(
        doc_id="soybeans",
        title="Soybean farmers brace for a lost season",
        text="American soybean growers said Chinese buyers had not booked a single cargo from "
        "the new harvest, as retaliatory tariffs priced U.S. beans out of the market.",
        source="Reuters",
        published_at="2025-09-15",
    ),
]


def write(store: PassageStore, embedder: Embedder, article: Article) -> None:
    """Chunk, embed and store one article the way ingest does."""
    store_article(store, embedder, article, max_tokens=40)


@pytest.fixture
def filled(store: PassageStore, embedder: Embedder) -> PassageStore:
    """The store holding the three fixture articles."""
    for article in ARTICLES:
        write(store, embedder, article)
    return store


def top_docs(index: LexicalIndex, query: str, filters: SearchFilters | None = None) -> list[str]:
    """Doc ids of the BM25 hits, best first, once each."""
    return list(dict.fromkeys(h.doc_id for h in index.search(query, 10, filters).hits))


def test_analyzer_stems_and_drops_stopwords() -> None:
    assert Analyzer().tokens("The tariffs were raised on imported steel") == [
        "tariff",
        "were",
        "rais",
        "import",
        "steel",
    ]


def test_bm25_weights_equal_bm25s_lucene_scores_over_the_query_ceiling() -> None:
    import bm25s
    import numpy as np

    analyzer = Analyzer()
    texts = [f"{a.title}\n{a.text}" for a in ARTICLES] + ["tariffs tariffs tariffs", "steel"]
    vocab: dict[str, int] = {}
    rows = [np.array([vocab.setdefault(t, len(vocab)) for t in analyzer.tokens(x)]) for x in texts]
    reference = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    reference.index(([r.tolist() for r in rows], dict(vocab)), show_progress=False)
    mine = Bm25Matrix(rows, k1=1.2, b=0.75)
    for query in ("steel tariffs", "rare earth licence licence", "soybean harvest tariffs"):
        terms = [vocab[t] for t in analyzer.tokens(query)]
        expected = reference.get_scores_from_ids(terms) / mine.idf[terms].sum()
        assert np.allclose(mine.scores(terms), expected, atol=1e-6)
        assert 0.0 < mine.scores(terms).max() <= 1.0
    assert not mine.scores([len(vocab) + 5]).any()


def test_search_ranks_the_matching_article_and_normalises_scores(filled: PassageStore) -> None:
    index = LexicalIndex(filled)
    scores = index.search("licences for rare earth magnets", 10)
    assert scores.hits[0].doc_id == "rare-earths"
    assert all(0.0 < h.score <= 1.0 for h in scores.hits)
    assert 0.0 < scores.document("rare-earths") <= 1.0
    assert scores.document("steel") == 0.0
    assert index.search("zebra giraffe", 10).hits == []


def test_a_word_is_found_in_either_english_and_a_rate_however_its_percent_is_written(
    filled: PassageStore,
) -> None:
    index = LexicalIndex(filled)
    # The articles write "licence", "aluminium" and "50 percent".
    assert top_docs(index, "license")[:1] == ["rare-earths"]
    assert top_docs(index, "aluminum")[:1] == ["steel"]
    assert top_docs(index, "tariffs of 50 per cent")[:1] == ["steel"]
    assert index.search("per cent", 10).hits[0].doc_id == "steel"
    assert index.search("a 50% rate", 10).hits[0].doc_id == "steel"
    assert index.search("%", 10).hits == []  # a sign with no figure before it is no rate


def test_filters_restrict_sources_and_dates(filled: PassageStore) -> None:
    index = LexicalIndex(filled)
    query = "tariffs on steel and soybeans"
    assert set(top_docs(index, query)) == {"steel", "soybeans"}
    assert top_docs(index, query, SearchFilters(sources=("Reuters",))) == ["soybeans"]
    summer = SearchFilters(published_after=date(2025, 5, 1), published_before=date(2025, 7, 1))
    assert top_docs(index, query, summer) == ["steel"]


def test_refresh_sees_a_write_through_another_store_instance(
    filled: PassageStore, embedder: Embedder, settings: Settings
) -> None:
    index = LexicalIndex(filled, check_interval_s=0.0)
    assert top_docs(index, "semiconductor chip-making tools") == []
    other = PassageStore(open_chroma_client(settings.data_dir, None), settings.collection_prefix)
    write(
        other,
        embedder,
        Article(
            doc_id="chips",
            title="New semiconductor export controls",
            text="The Commerce Department added chip-making tools to its export controls list.",
        ),
    )
    assert top_docs(index, "semiconductor chip-making tools") == ["chips"]


def test_generation_is_checked_at_most_once_per_interval(
    filled: PassageStore, embedder: Embedder
) -> None:
    index = LexicalIndex(filled, check_interval_s=3600.0)
    assert index.refresh() == 3
    write(filled, embedder, Article(doc_id="chips", title="Chip controls", text="Chip controls."))
    assert top_docs(index, "chip controls") == []  # not checked again yet
    assert index.refresh(force=True) == 1
    assert top_docs(index, "chip controls") == ["chips"]


def test_a_check_that_failed_is_retried_at_once_not_an_interval_later(
    filled: PassageStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The service started while the store was down; the store is back before the interval ends.
    index = LexicalIndex(filled, check_interval_s=3600.0)
    working = filled.generation

    def down(fresh: bool = False) -> str:
        raise StoreUnavailableError("Chroma store unreachable: connection refused")

    monkeypatch.setattr(filled, "generation", down)
    with pytest.raises(StoreUnavailableError):
        index.refresh()
    monkeypatch.setattr(filled, "generation", working)
    assert top_docs(index, "rare-earth magnets licence") == ["rare-earths"]


def test_refresh_rereads_only_changed_articles_and_drops_deleted(
    filled: PassageStore, embedder: Embedder
) -> None:
    index = LexicalIndex(filled, check_interval_s=0.0)
    index.refresh()
    updated = Article(
        doc_id="steel",
        title="Washington doubles steel tariffs",
        text="Mexico asked for an exemption from the aluminium duties.",
        source="AP",
    )
    write(filled, embedder, updated)
    assert index.refresh() == 1
    assert top_docs(index, "Mexico exemption") == ["steel"]
    assert top_docs(index, "Canadian producers integrated supply chains") == []
    filled.delete_article("soybeans")
    assert index.refresh() == 1
    assert top_docs(index, "soybean growers harvest") == []
    assert index.refresh() == 0


def test_cache_is_loaded_after_restart_and_refreshed_when_stale(
    filled: PassageStore, embedder: Embedder, tmp_path: Path
) -> None:
    cache = tmp_path / "bm25" / "tradebot.npz"
    assert LexicalIndex(filled, cache).refresh() == 3
    assert cache.exists()
    restarted = LexicalIndex(filled, cache)
    assert restarted.refresh() == 0  # same generation: nothing re-read from the store
    assert top_docs(restarted, "rare earth magnets") == ["rare-earths"]
    filled.delete_article("rare-earths")
    assert LexicalIndex(filled, cache).refresh() == 1
    assert top_docs(LexicalIndex(filled, cache), "rare earth magnets") == []


def test_unreadable_cache_is_rebuilt(filled: PassageStore, tmp_path: Path) -> None:
    cache = tmp_path / "bm25.npz"
    cache.write_bytes(b"not a numpy archive")
    index = LexicalIndex(filled, cache)
    assert index.refresh() == 3
    assert top_docs(index, "soybean harvest") == ["soybeans"]
    assert LexicalIndex(filled, cache).refresh() == 0


def test_empty_store_has_no_hits(store: PassageStore, tmp_path: Path) -> None:
    index = LexicalIndex(store, tmp_path / "bm25.npz")
    assert index.search("tariffs", 5).hits == []
    assert index.generation == "empty"


def test_passage_share_counts_the_passages_holding_a_term(filled: PassageStore) -> None:
    index = LexicalIndex(filled)
    passages = index.passage_count()

    assert index.passage_share("soybean") == pytest.approx(1 / passages)
    assert index.passage_share("tariff") == pytest.approx(2 / passages)
    assert index.passage_share("widget") == 0.0


def test_an_article_writes_a_phrase_when_its_terms_come_in_order_close_together(
    filled: PassageStore,
) -> None:
    index = LexicalIndex(filled)
    terms = Analyzer().tokens

    assert index.writes(terms("rare-earth magnets"))
    assert index.writes(terms("commerce ministry"))
    assert not index.writes(terms("magnets rare-earth"))  # the order matters
    assert not index.writes(terms("steel ministry"))  # each word written, never together
    # "soybean growers said": one term apart is close enough at a gap of one or more.
    assert not index.writes(terms("soybean said"))
    assert index.writes(terms("soybean said"), gap=2)
    assert not index.writes(terms("soybean widget"), gap=2)  # a term no article holds


def test_a_white_house_article_is_its_sitting_presidents_own(
    store: PassageStore, embedder: Embedder
) -> None:
    # An order never names the president who signs it; "what did Trump raise it to?" asks
    # about his orders all the same.
    text = "The additional duty on articles of China is increased to 20 percent."
    for doc_id, source, day in (
        ("order-2025", "The White House (whitehouse.gov)", "2025-03-03"),
        ("order-2022", "The White House (whitehouse.gov)", "2022-03-31"),
        ("notice-2025", "Federal Register (abstract only)", "2025-03-03"),
    ):
        article = Article(doc_id=doc_id, title=doc_id, text=text, source=source, published_at=day)
        write(store, embedder, article)
    index = LexicalIndex(store)

    assert "trump" in index.article_terms("order-2025")
    assert "biden" in index.article_terms("order-2022")
    assert not {"trump", "biden"} & index.article_terms("order-2022") - {"biden"}
    assert not {"trump", "biden"} & index.article_terms("notice-2025")


def test_a_passage_naming_an_order_by_number_is_found_by_its_title(
    store: PassageStore, embedder: Embedder, tmp_path: Path
) -> None:
    # The paragraph ending the Cuba tariffs names Cuba nowhere: only "Executive Order 14380",
    # which the article cited in full, with its title, a paragraph before.
    background = (
        "In Executive Order 14380 of January 29, 2026 (Addressing Threats to the United "
        "States by the Government of Cuba), I declared a national emergency and imposed "
        "additional duties on imports from certain trading partners of that country."
    )
    ending = (
        "In light of recent events, the additional duties imposed pursuant to Executive Order "
        "14380 shall no longer be in effect and shall no longer be collected."
    )
    article = Article(
        doc_id="ending-order",
        title="Ending Certain Tariff Actions",
        text=background + "\n\n" + ending,
        source="White House",
        published_at="2026-02-20",
    )
    write(store, embedder, article)
    cache = tmp_path / "bm25.npz"
    index = LexicalIndex(store, cache)
    assert index.passage_count() >= 2, "the paragraphs are passages of their own"

    for loaded in (index, LexicalIndex(store, cache)):  # as built, and from the cache
        found = {h.chunk_id for h in loaded.search("Cuba", 10).hits}
        assert _last_chunk(store, "ending-order") in found, found
        assert loaded.order_titles("ending-order") == {
            ("order", "14380"): "Addressing Threats to the United States by the Government of Cuba"
        }


def test_the_articles_citing_an_order_by_its_title_are_known_oldest_first(
    store: PassageStore, embedder: Embedder
) -> None:
    cuba = "Addressing Threats to the United States by the Government of Cuba"
    for doc_id, day in (("ending-order", "2026-02-20"), ("amending-order", "2026-02-01")):
        text = f"In Executive Order 14380 of January 29, 2026 ({cuba}), I imposed duties."
        order = Article(
            doc_id=doc_id, title=f"Order {doc_id}", text=text, source="WH", published_at=day
        )
        write(store, embedder, order)
    first = Article(
        doc_id="cuba-order",
        title=cuba,
        text="Duties on oil.",
        source="WH",
        published_at="2026-01-29",
    )
    write(store, embedder, first)
    index = LexicalIndex(store)

    # However the title is written: its case and punctuation aside.
    assert index.citing(cuba.upper() + ".") == ("amending-order", "ending-order")
    assert index.citing(cuba, SearchFilters(published_after=date(2026, 2, 2))) == ("ending-order",)
    assert index.citing("Ending Certain Tariff Actions") == ()
    assert index.citing("") == ()


def _last_chunk(store: PassageStore, doc_id: str) -> str:
    """The chunk id of an article's last passage."""
    return max(store.iter_passages([doc_id]), key=lambda p: p.start).chunk_id


def test_casing_counts_the_words_written_capitalised_inside_a_sentence() -> None:
    text = (
        "President Biden met Xi Jinping on the USMCA and US-China ties. Biden said the "
        "commerce ministry and the Commerce Department disagreed.\n"
        "Key Terms of the Framework Agreement\n"
        "DELIVERING PEACE AND PROSPERITY\n"
        "(a) Nothing in this order changes it."
    )
    cased = {word: (form, capitalised, lower) for word, form, capitalised, lower in casing(text)}

    assert cased["biden"] == ("Biden", 1, 0)  # "Biden said" opens a sentence: not counted
    assert cased["xi"] == ("Xi", 1, 0)
    assert cased["usmca"] == ("USMCA", 1, 0)
    assert cased["china"] == ("China", 1, 0)  # the second half of "US-China"
    assert cased["commerce"] == ("Commerce", 1, 1)
    # A sentence's first word, a title line, a shouted heading, an enumerated clause: no name.
    for word in ("president", "key", "terms", "framework", "delivering", "peace", "nothing"):
        assert word not in cased


def test_a_word_the_articles_write_as_a_name_is_known_as_written(
    store: PassageStore, embedder: Embedder, tmp_path: Path
) -> None:
    for n, text in enumerate(
        (
            "The talks between President Biden and Xi Jinping covered the USMCA review.",
            "Officials said President Biden raised the USMCA with the commerce ministry.",
            "Our list of goods was long, said the Commerce Department.",
        )
    ):
        write(
            store,
            embedder,
            Article(
                doc_id=f"talks-{n}",
                title="Talks",
                text=text,
                source="Desk",
                published_at="2025-05-0" + str(n + 1),
            ),
        )
    index = LexicalIndex(store, tmp_path / "bm25.npz")

    assert index.written_as("biden") == "Biden"
    assert index.written_as("usmca") == "USMCA"
    assert index.written_as("xi") == "Xi"  # written so once, by the one article holding it
    assert index.written_as("commerce") is None  # written in lower case too
    assert index.written_as("list") is None
    # The cache keeps it across a restart.
    assert LexicalIndex(store, tmp_path / "bm25.npz").written_as("biden") == "Biden"


def test_a_clipped_word_is_known_by_the_longer_term_it_begins(
    store: PassageStore, embedder: Embedder, tmp_path: Path
) -> None:
    write(
        store,
        embedder,
        Article(
            doc_id="plates",
            title="Derivatives",
            text="Aluminum lithographic plates are added to the derivative list.",
            source="Desk",
            published_at="2026-06-01",
        ),
    )
    index = LexicalIndex(store, tmp_path / "bm25.npz")

    assert index.begins("litho")  # "lithograph"
    assert index.begins("alum")  # "aluminum"
    assert not index.begins("deriv")  # the term itself ("derivative" -> "deriv") is no longer one
    assert not index.begins("hanwha")
    assert not index.begins("")
