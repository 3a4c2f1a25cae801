"""Exact vector search from the in-memory copy of the passage vectors, on a real store."""

from __future__ import annotations

import dataclasses

import numpy as np

from bot.retrieval.dense_index import ExactDenseIndex
from bot.retrieval.hybrid import HybridRetriever
from bot.settings import Settings
from bot.wiring import build_engine, build_retriever
from ingest.embedder import Embedder
from ingest.models import Article
from ingest.store import PassageStore, open_chroma_client
from tests.support.store import store_article

ARTICLES = [
    Article(
        doc_id=f"note-{i}",
        title=title,
        text=text,
        source="USTR",
        published_at=f"2025-0{i + 1}-10",
    )
    for i, (title, text) in enumerate(
        [
            ("Steel tariffs doubled", "Tariffs on imported steel and aluminum rise to 50 percent."),
            ("Rare earth licences", "China requires a licence for every rare-earth magnet export."),
            ("Solar safeguard", "The Section 201 safeguard on solar cells keeps its quota."),
            ("Wine dispute", "European winemakers fear duties on their exports to America."),
            ("Drone tariffs", "Drones with a takeoff weight over 25 kilograms pay 100 percent."),
        ]
    )
]
QUESTIONS = ["what is the steel tariff", "rare earth magnets", "solar quota", "drone duty"]


def _filled(store: PassageStore, embedder: Embedder) -> PassageStore:
    for article in ARTICLES:
        store_article(store, embedder, article)
    return store


def test_the_copy_finds_what_chroma_finds(
    store: PassageStore, embedder: Embedder, settings: Settings
) -> None:
    _filled(store, embedder)
    exact = ExactDenseIndex(store, max_passages=1000)
    assert exact.wait_until_current()
    for question in QUESTIONS:
        vector = embedder.embed_query(question)
        copied = exact.hits(vector, 5)
        assert copied is not None, "the copy is of the store's generation"
        from_chroma = store.dense_hits(vector, 5)
        assert [h.chunk_id for h in copied] == [h.chunk_id for h in from_chroma]
        assert np.allclose([h.score for h in copied], [h.score for h in from_chroma], atol=1e-5)

    # Through the retriever the service builds: the same passages and scores either way.
    with_copy = build_retriever(settings, store, embedder)
    assert isinstance(with_copy, HybridRetriever) and with_copy.warm_exact()
    without = build_retriever(
        settings.model_copy(update={"dense_exact_max_passages": 0}), store, embedder
    )
    assert not without.warm_exact()
    for question in QUESTIONS:
        got = [(p.chunk_id, p.score) for p in with_copy.search(question, 3)]
        assert got == [(p.chunk_id, p.score) for p in without.search(question, 3)]


def test_a_write_sends_searches_to_chroma_until_the_next_copy(
    store: PassageStore, embedder: Embedder
) -> None:
    _filled(store, embedder)
    exact = ExactDenseIndex(store, max_passages=1000, min_interval_s=3600.0)
    assert exact.wait_until_current()
    cattle = Article(
        doc_id="beef",
        title="Beef quota",
        text="Argentina may ship 80,000 tons of beef.",
        source="USTR",
        published_at="2025-09-01",
    )
    store_article(store, embedder, cattle)
    vector = embedder.embed_query("beef quota for Argentina")
    assert exact.hits(vector, 3) is None, "a copy of an older generation never answers"
    assert exact.wait_until_current()
    hits = exact.hits(vector, 3)
    assert hits is not None and hits[0].doc_id == "beef"

    store.delete_article("beef")
    assert exact.hits(vector, 3) is None
    assert exact.wait_until_current()
    assert all(h.doc_id != "beef" for h in exact.hits(vector, 10) or [])


def test_a_store_larger_than_the_limit_is_never_copied(
    store: PassageStore, embedder: Embedder
) -> None:
    _filled(store, embedder)
    exact = ExactDenseIndex(store, max_passages=2)
    assert not exact.wait_until_current()
    assert exact.hits(embedder.embed_query("steel"), 3) is None


class _CountingStore(PassageStore):
    """The real store, counting its reads of the generation token."""

    reads = 0

    def _read_generation(self) -> str:
        self.reads += 1
        return super()._read_generation()


def test_an_answer_reads_the_store_generation_once_and_sees_a_replaced_article(
    settings: Settings, embedder: Embedder
) -> None:
    client = open_chroma_client(settings.data_dir, None)
    store = _CountingStore(client, settings.collection_prefix)
    engine = build_engine(settings, _filled(store, embedder), embedder)
    retriever = engine.retriever
    assert isinstance(retriever, HybridRetriever) and retriever.warm_exact()
    engine.answer("what is the steel tariff")  # the BM25 index loads, caches fill

    before = store.reads
    answer = engine.answer("how high is the duty on drones?")
    assert answer.grounded and "100 percent" in answer.answer
    assert store.reads - before == 1, "its searches and its reading further share one read"

    # Within one answer, another writer's change is not seen; the next answer sees it.
    writer = PassageStore(client, settings.collection_prefix)
    with retriever.one_generation():
        first = retriever.search("drone takeoff weight tariff", 1)
        store_article(writer, embedder, dataclasses.replace(ARTICLES[4], text=DRONES))
        assert retriever.search("drone takeoff weight tariff", 1) == first
    found = retriever.search("drone takeoff weight tariff", 1)
    assert found and found[0].doc_id == "note-4" and "200 percent" in found[0].text


DRONES = "Drones with a takeoff weight over 25 kilograms now pay 200 percent."
