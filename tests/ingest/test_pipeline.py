"""Incremental ingest into a real Chroma store with the real model."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from fpdf import FPDF

from bot.settings import Settings
from bot.wiring import build_ingestor
from ingest.embedder import Embedder
from ingest.loaders import article_from_json
from ingest.pipeline import Ingestor, IngestProgress
from ingest.store import PassageStore, open_chroma_client
from ingest.text import opens_with_connective, passage_embedding_text, quotable_spans
from tests.support.embedding import BATCH_AGREEMENT
from tests.support.store import count_passage_records

SEED = Path(__file__).resolve().parents[2] / "corpus" / "us-china-london-trade-framework.txt"
SEED_HEADLINE = "US and China Reach Trade Framework Ahead of Presidential Approval"
LONG_BODY = " ".join(
    f"Sentence {i} says that tariffs on steel, aluminum and rare earth magnets changed again "
    f"after talks number {i} between the two delegations."
    for i in range(40)
)


@pytest.fixture
def ingestor(settings: Settings, store: PassageStore, embedder: Embedder) -> Ingestor:
    """The pipeline as the CLI builds it, on the test's store."""
    return build_ingestor(settings, store, embedder)


def write_corpus(root: Path) -> None:
    """One article per format, a long one among them so it splits into several passages."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "long.md").write_text(
        f"---\ntitle: Long talks\npublished_at: 2025-05-01\nsource: Wire\n---\n{LONG_BODY}\n"
    )
    (root / "page.html").write_text(
        "<html><head><title>Chip controls</title></head><body><article><h1>Chip controls</h1>"
        "<p>The Commerce Department tightened export controls on advanced chips sold to China, "
        "adding several companies to the entity list on Monday.</p></article></body></html>"
    )
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in ("Licences for rare earth exports were approved.", "Steel duties rose again."):
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    pdf.output(str(root / "report.pdf"))
    row = {"id": "feed-1", "title": "Soybeans", "text": "China resumed soybean purchases."}
    (root / "feed.jsonl").write_text(json.dumps(row) + "\n")


def passages_by_doc(store: PassageStore) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for p in store.iter_passages():
        out.setdefault(p.doc_id, []).append((p.chunk_id, p.text))
    return {k: sorted(v) for k, v in out.items()}


def test_seed_article_headline_found_and_repeated_line_dropped(
    ingestor: Ingestor, store: PassageStore, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / SEED.name).write_bytes(SEED.read_bytes())
    report = ingestor.ingest_paths([str(corpus)])
    assert (report.added, report.failed) == (1, 0)
    article = store.get_article(SEED.name)
    assert article is not None
    assert article.title == SEED_HEADLINE
    assert article.text.count(SEED_HEADLINE) == 1
    assert "rare earth export licenses" in article.text
    assert article.passages == report.passages_embedded >= 2


def test_every_format_stored_with_exact_offsets_and_titled_embeddings(
    ingestor: Ingestor, store: PassageStore, embedder: Embedder, tmp_path: Path
) -> None:
    write_corpus(tmp_path / "in")
    report = ingestor.ingest_paths([str(tmp_path / "in")])
    assert report.to_json()["added"] == 4 and report.failed == 0
    stored = {a.doc_id: a for a in store.list_articles()}
    assert set(stored) == {"long.md", "page.html", "report.pdf", "feed-1"}
    passages = list(store.iter_passages())
    assert len(passages) == count_passage_records(store) == report.passages_embedded
    for p in passages:
        assert stored[p.doc_id].text[p.start : p.end] == p.text
    assert len([p for p in passages if p.doc_id == "long.md"]) >= 3
    assert {p.page for p in passages if p.doc_id == "report.pdf"} <= {1, 2}
    assert all(p.published_at == "2025-05-01" for p in passages if p.doc_id == "long.md")
    first = next(p for p in passages if p.doc_id == "feed-1")
    got = store.passages.get(ids=[first.chunk_id], include=["embeddings"])
    expected = embedder.embed_passages([f"Soybeans\n{first.text}"])[0]
    assert float(np.dot(got["embeddings"][0], expected)) > 0.999


def test_reingest_of_unchanged_files_embeds_and_writes_nothing(
    ingestor: Ingestor, store: PassageStore, tmp_path: Path
) -> None:
    write_corpus(tmp_path / "in")
    ingestor.ingest_paths([str(tmp_path / "in")])
    generation = store.generation()
    report = ingestor.ingest_paths([str(tmp_path / "in")])
    assert report.to_json() == {
        "added": 0,
        "updated": 0,
        "unchanged": 4,
        "duplicates": 0,
        "removed": 0,
        "failed": 0,
        "passages_embedded": 0,
        "errors": [],
    }
    assert store.generation() == generation


def test_edited_article_replaces_all_its_passages(
    ingestor: Ingestor, store: PassageStore, tmp_path: Path
) -> None:
    write_corpus(tmp_path / "in")
    ingestor.ingest_paths([str(tmp_path / "in")])
    before = passages_by_doc(store)["long.md"]
    edited = LONG_BODY.replace("Sentence 3 says", "Sentence three now says")
    (tmp_path / "in" / "long.md").write_text(f"---\ntitle: Long talks\n---\n{edited}\n")
    report = ingestor.ingest_paths([str(tmp_path / "in")])
    assert (report.updated, report.unchanged, report.added) == (1, 3, 0)
    after = passages_by_doc(store)["long.md"]
    assert not {cid for cid, _ in before} & {cid for cid, _ in after}
    assert any("Sentence three now says" in text for _, text in after)
    assert count_passage_records(store) == sum(len(v) for v in passages_by_doc(store).values())
    stored = store.get_article("long.md")
    assert stored is not None and stored.published_at is None


def test_syndicated_copy_is_stored_once_and_reported(
    ingestor: Ingestor, store: PassageStore, tmp_path: Path
) -> None:
    body = "Beijing approved rare earth export licences for magnet makers on Friday.\n"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(body)
    (tmp_path / "in" / "b-copy.txt").write_text(body)
    report = ingestor.ingest_paths([str(tmp_path / "in")])
    assert (report.added, report.duplicates) == (1, 1)
    assert report.duplicate_of == [(str(tmp_path / "in" / "b-copy.txt"), "a.txt")]
    assert [a.doc_id for a in store.list_articles()] == ["a.txt"]
    (tmp_path / "later").mkdir()
    (tmp_path / "later" / "c.txt").write_text(body)
    again = ingestor.ingest_paths([str(tmp_path / "later")])
    assert (again.added, again.duplicates, again.passages_embedded) == (0, 1, 0)


def test_prune_removes_only_articles_whose_files_are_gone(
    ingestor: Ingestor, store: PassageStore, tmp_path: Path
) -> None:
    write_corpus(tmp_path / "in")
    (tmp_path / "other.txt").write_text("An article outside the pruned directory.\n")
    ingestor.ingest_paths([str(tmp_path / "in"), str(tmp_path / "other.txt")])
    (tmp_path / "in" / "page.html").unlink()
    (tmp_path / "in" / "feed.jsonl").write_text("")
    kept = ingestor.ingest_paths([str(tmp_path / "in")])
    assert kept.removed == 0 and kept.failed == 1
    pruned = ingestor.ingest_paths([str(tmp_path / "in")], prune=True)
    assert (pruned.removed, pruned.failed) == (1, 1)
    ids = {a.doc_id for a in store.list_articles()}
    assert ids == {"long.md", "report.pdf", "feed-1", "other.txt"}
    assert "page.html" not in {p.doc_id for p in store.iter_passages()}


def test_prune_after_a_rename_keeps_the_text_under_its_new_id(
    ingestor: Ingestor, store: PassageStore, tmp_path: Path
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "old-name.txt").write_text("Vietnam agreed a framework on tariffs.\n")
    ingestor.ingest_paths([str(tmp_path / "in")])
    (tmp_path / "in" / "old-name.txt").rename(tmp_path / "in" / "new-name.txt")
    report = ingestor.ingest_paths([str(tmp_path / "in")], prune=True)
    assert (report.added, report.removed, report.duplicates) == (1, 1, 0)
    assert [a.doc_id for a in store.list_articles()] == ["new-name.txt"]
    assert {p.doc_id for p in store.iter_passages()} == {"new-name.txt"}


def test_bad_input_never_loses_the_stored_version(
    ingestor: Ingestor, store: PassageStore, tmp_path: Path
) -> None:
    (tmp_path / "in").mkdir()
    path = tmp_path / "in" / "a.md"
    path.write_text("---\ntitle: Steel\n---\nSteel duties rose.\n")
    ingestor.ingest_paths([str(tmp_path / "in")])
    version = store.active_versions()["a.md"]
    path.write_text("---\ntitle: [broken\n---\nSteel duties fell.\n")
    report = ingestor.ingest_paths([str(tmp_path / "in")], prune=True)
    assert report.failed == 1 and report.errors[0][0] == str(path)
    assert "malformed front matter" in report.errors[0][1]
    assert store.active_versions() == {"a.md": version}
    assert [p.text for p in store.iter_passages()] == ["Steel duties rose."]


def test_one_doc_id_twice_in_a_run_fails_the_second(
    ingestor: Ingestor, store: PassageStore, tmp_path: Path
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.md").write_text("---\nid: same\n---\nFirst body.\n")
    (tmp_path / "in" / "b.md").write_text("---\nid: same\n---\nSecond body.\n")
    report = ingestor.ingest_paths([str(tmp_path / "in")])
    assert (report.added, report.failed) == (1, 1)
    assert "already read from" in report.errors[0][1]
    stored = store.get_article("same")
    assert stored is not None and stored.text == "First body."


def test_ingest_articles_batches_many_and_counts_updates(
    settings: Settings, store: PassageStore, embedder: Embedder
) -> None:
    ingestor = Ingestor(store, embedder, build_ingestor(settings, store, embedder).chunker, 8)
    rows = [{"id": f"n{i}", "title": f"Note {i}", "text": f"Tariff note {i}."} for i in range(20)]
    first = ingestor.ingest_articles(article_from_json(r) for r in rows)
    assert (first.added, first.passages_embedded) == (20, 20)
    rows[5]["text"] = "Tariff note five, corrected."
    second = ingestor.ingest_articles(article_from_json(r) for r in rows)
    assert (second.added, second.updated, second.unchanged) == (0, 1, 19)
    assert len(list(store.iter_passages())) == count_passage_records(store) == 20


def test_progress_reports_articles_of_a_counted_total_and_passages_as_written(
    settings: Settings, store: PassageStore, embedder: Embedder, tmp_path: Path
) -> None:
    ingestor = Ingestor(store, embedder, build_ingestor(settings, store, embedder).chunker, 8)
    root = tmp_path / "in"
    root.mkdir()
    for i in range(12):
        (root / f"note-{i:02d}.txt").write_text(f"Tariff note {i} on steel duties.\n")
    rows = [
        {"id": f"feed-{i}", "title": f"Feed {i}", "text": f"Soybeans bought {i}."} for i in range(3)
    ]
    (root / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    (root / "empty.txt").write_text("")  # fails, and still counts as read
    seen: list[IngestProgress] = []
    report = ingestor.ingest_paths([str(root)], progress=seen.append)
    assert (report.added, report.failed, report.passages_embedded) == (15, 1, 15)
    assert {p.articles_total for p in seen} == {16}
    assert [p.articles_read for p in seen] == sorted(p.articles_read for p in seen)
    assert seen[-1].articles_read == 16 and seen[-1].passages_embedded == 15
    written = sorted({p.passages_embedded for p in seen} - {0})
    assert len(written) >= 2 and written[-1] == 15  # told after each batch, not only at the end

    listed: list[IngestProgress] = []
    articles = [article_from_json(r) for r in rows]
    again = ingestor.ingest_articles(articles, progress=listed.append)
    assert again.unchanged == 3 and listed[-1] == IngestProgress(3, 3, 0)


def _sentence_records(store: PassageStore) -> dict[str, list[tuple[int, int]]]:
    """Every stored sentence record, grouped by chunk id."""
    got = store.sentences.get(include=["metadatas"])
    out: dict[str, list[tuple[int, int]]] = {}
    for meta in got["metadatas"]:
        out.setdefault(str(meta["chunk_id"]), []).append((int(meta["lo"]), int(meta["hi"])))
    return {k: sorted(v) for k, v in out.items()}


def test_sentence_vectors_are_stored_with_passages_and_follow_edits_and_deletes(
    ingestor: Ingestor, store: PassageStore, embedder: Embedder, tmp_path: Path
) -> None:
    write_corpus(tmp_path / "in")
    ingestor.ingest_paths([str(tmp_path / "in")])
    passages = {p.chunk_id: p for p in store.iter_passages()}
    records = _sentence_records(store)

    assert set(records) == set(passages)
    for chunk_id, spans in records.items():
        assert spans == quotable_spans(passages[chunk_id].text)
    long_passage = next(p for p in passages.values() if p.doc_id == "long.md")
    keys = [(long_passage.chunk_id, lo, hi) for lo, hi in records[long_passage.chunk_id]]
    stored = store.sentence_vectors(keys)
    assert len(keys) >= 3 and set(stored) == set(keys)
    for key, vector in stored.items():
        sentence = long_passage.text[key[1] : key[2]]
        assert sentence.startswith("Sentence ") and sentence.endswith("delegations.")
        expected = embedder.embed_with_torch([sentence])[0]  # standalone, on torch
        assert float(vector @ expected) > BATCH_AGREEMENT
    assert store.sentence_vectors([(long_passage.chunk_id, 0, 1)]) == {}  # not a sentence

    edited = LONG_BODY.replace("Sentence 3 says", "Sentence three now says")
    (tmp_path / "in" / "long.md").write_text(f"---\ntitle: Long talks\n---\n{edited}\n")
    ingestor.ingest_paths([str(tmp_path / "in")])
    assert set(_sentence_records(store)) == {p.chunk_id for p in store.iter_passages()}

    store.delete_article("long.md")
    left = _sentence_records(store)
    assert left and not any(chunk_id.startswith("long.md::") for chunk_id in left)


def test_no_passage_opens_on_a_sentence_that_carries_on_from_one_it_left_out(
    ingestor: Ingestor,
) -> None:
    # "Accordingly, I have decided to terminate ..." opened a passage without the sentence
    # saying which countries failed the requirements; quoted alone it answered nothing.
    pairs = [
        f"Pursuant to section {n} of the Trade Act, I have determined that the beneficiary "
        f"country number {n} does not meet the eligibility requirements described in that "
        f"section. Accordingly, I have decided to terminate its designation, effective "
        f"January {n}, 2022."
        for n in range(1, 25)
    ]
    article = article_from_json({"id": "agoa", "title": "AGOA", "text": " ".join(pairs)})

    chunks = ingestor.chunker.split(article)

    assert len(chunks) > 3
    assert all(article.text[c.start : c.end] == c.text for c in chunks)
    assert not [c.text[:60] for c in chunks if opens_with_connective(c.text)]
    assert all(b.start < a.end for a, b in itertools.pairwise(chunks))


def test_store_written_without_sentence_vectors_gets_them_on_the_next_ingest(
    ingestor: Ingestor, store: PassageStore, embedder: Embedder, settings: Settings
) -> None:
    article = article_from_json({"id": "old", "title": "Old talks", "text": LONG_BODY})
    chunks = ingestor.chunker.split(article)
    vectors = embedder.embed_passages(
        [passage_embedding_text(article.title, c.text) for c in chunks]
    )
    store.write_article(article, chunks, vectors)  # as a store from before sentence vectors
    assert store.articles_without_sentences() == {"old"}

    first = ingestor.ingest_articles([article])
    again = build_ingestor(settings, store, embedder).ingest_articles([article])

    assert (first.updated, first.passages_embedded) == (1, len(chunks))
    assert store.articles_without_sentences() == frozenset()
    assert set(_sentence_records(store)) == {c.chunk_id for c in chunks}
    assert (again.unchanged, again.passages_embedded) == (1, 0)


def test_cached_passages_of_a_replaced_or_deleted_article_are_never_returned(
    settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    def open_store() -> PassageStore:
        client = open_chroma_client(settings.data_dir, None)
        return PassageStore(client, settings.collection_prefix, generation_ttl_s=0.0)

    reader, writer = open_store(), open_store()  # as an API replica and a CLI ingest
    ingestor = build_ingestor(settings, writer, embedder)
    ingestor.ingest_articles([article_from_json({"id": "long", "title": "T", "text": LONG_BODY})])
    old = [p.chunk_id for p in reader.iter_passages()]
    assert [p.chunk_id for p in reader.get_passages(old)] == old  # now cached in `reader`

    edited = LONG_BODY.replace("Sentence 3 says", "Sentence three now says")
    ingestor.ingest_articles([article_from_json({"id": "long", "title": "T", "text": edited})])
    new = [p.chunk_id for p in writer.iter_passages()]

    assert reader.get_passages(old) == [] and set(new).isdisjoint(old)
    assert [p.chunk_id for p in reader.get_passages(new)] == new
    writer.delete_article("long")
    assert reader.get_passages(new) == [] and reader.warm_cache() == 0


def test_a_reader_trusting_an_old_generation_still_sees_a_replaced_article(
    settings: Settings, embedder: Embedder
) -> None:
    client = open_chroma_client(settings.data_dir, None)
    reader = PassageStore(client, settings.collection_prefix, generation_ttl_s=3600.0)
    writer = PassageStore(client, settings.collection_prefix)
    ingestor = build_ingestor(settings, writer, embedder)
    ingestor.ingest_articles([article_from_json({"id": "long", "title": "T", "text": LONG_BODY})])
    question = embedder.embed_query("tariffs on rare earth magnets after the talks")
    old = {hit.chunk_id for hit in reader.dense_hits(question, 5)}  # reader trusts this state

    edited = LONG_BODY.replace("Sentence 3 says", "Sentence three now says")
    ingestor.ingest_articles([article_from_json({"id": "long", "title": "T", "text": edited})])
    new = {p.chunk_id for p in writer.iter_passages()}

    hits = {hit.chunk_id for hit in reader.dense_hits(question, 5)}
    assert old and hits and hits <= new  # the new version, never none and never the old one
    assert {p.chunk_id for p in reader.get_passages(sorted(new))} == new


def test_within_one_generation_a_reader_sees_one_state_until_it_renews(
    settings: Settings, embedder: Embedder
) -> None:
    client = open_chroma_client(settings.data_dir, None)
    reader = PassageStore(client, settings.collection_prefix, generation_ttl_s=0.0)
    writer = PassageStore(client, settings.collection_prefix)  # as a CLI ingest beside it
    ingestor = build_ingestor(settings, writer, embedder)
    ingestor.ingest_articles([article_from_json({"id": "long", "title": "T", "text": LONG_BODY})])

    with reader.one_generation():
        seen = reader.generation(fresh=True)
        ingestor.ingest_articles([article_from_json({"id": "b", "title": "B", "text": "Beef."})])
        assert reader.generation(fresh=True) == seen, "one answer reads one state"
        renewed = reader.generation(fresh=True, renew=True)
        assert renewed != seen and reader.generation(fresh=True) == renewed
        reader.delete_article("b")  # its own write moves it on at once
        assert reader.generation(fresh=True) not in {seen, renewed}
    ingestor.ingest_articles([article_from_json({"id": "c", "title": "C", "text": "Corn."})])
    assert reader.generation(fresh=True) == writer.generation(fresh=True)
