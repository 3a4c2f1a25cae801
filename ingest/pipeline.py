"""Incremental ingest: the content hash decides, embeddings go in batches, old versions flip.

An article whose hash equals its stored active version is skipped before anything is
chunked or embedded; the same body under a second doc_id is a duplicate and not stored.
New and changed articles are chunked, their passages and the passages' quotable sentences
embedded many articles at a time (one model call, each distinct sentence once), and written
with `PassageStore.write_articles`, which flips each article atomically. An article stored
before sentence vectors existed counts as changed, so one re-ingest brings a store up to date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ingest.chunker import Chunker
from ingest.cleaning import CONTROL_CHARACTERS
from ingest.fetch import FetchLimits
from ingest.loaders import count_inputs, iter_loaded
from ingest.models import Article, Chunk
from ingest.store import PassageStore
from ingest.text import SentenceVectors, embedding_text, passage_embedding_text, quotable_spans


class PassageEncoder(Protocol):
    """What the pipeline needs from the embedding model (an `Embedder`)."""

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Count model tokens in each text."""
        ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts as a (n, dim) array."""
        ...


@dataclass(frozen=True)
class IngestProgress:
    """How far a run has got: articles read (of `articles_total` when known), passages embedded."""

    articles_read: int
    articles_total: int | None
    passages_embedded: int


# Told after every article read and every batch written (a terminal bar, a log line...).
ProgressCallback = Callable[[IngestProgress], None]


@dataclass(frozen=True)
class IngestReport:
    """What one ingest run did; `errors` holds (path, reason) per input that failed."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    removed: int = 0
    failed: int = 0
    passages_embedded: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    # (path or doc_id of the copy, doc_id of the article it duplicates)
    duplicate_of: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Return the summary object printed by `tradebot ingest --json`."""
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "removed": self.removed,
            "failed": self.failed,
            "passages_embedded": self.passages_embedded,
            "errors": [{"path": path, "reason": reason} for path, reason in self.errors],
        }


class Ingestor:
    """Bring the store up to date with a stream of articles or a set of paths."""

    def __init__(
        self,
        store: PassageStore,
        embedder: PassageEncoder,
        chunker: Chunker,
        batch_passages: int = 512,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.chunker = chunker
        self.batch_passages = batch_passages

    def ingest_articles(
        self, articles: Iterable[Article], progress: ProgressCallback | None = None
    ) -> IngestReport:
        """Add new articles, replace changed ones, skip unchanged ones and duplicates."""
        total = len(articles) if isinstance(articles, Sequence) else None
        run = _Run(self, progress, total)
        for article in articles:
            run.add(article, article.doc_id)
        run.flush()
        return run.report()

    def ingest_paths(
        self,
        paths: Sequence[str],
        prune: bool = False,
        progress: ProgressCallback | None = None,
        fetch_limits: FetchLimits | None = None,
    ) -> IngestReport:
        """Ingest files, directories and URLs; `prune` removes articles gone from directories.

        Args:
            paths: files, directories and http(s) URLs.
            prune: remove stored articles whose files are gone from the directories given.
            progress: told how far the run has got (articles of a total counted up front).
            fetch_limits: what a URL fetch may take (default: `FetchLimits()`); a URL refused
                by a limit fails alone, like a bad file.

        Raises:
            StoreUnavailableError: the store cannot be reached (what was written stays).
        """
        run = _Run(self, progress, count_inputs(paths) if progress else None)
        for item in iter_loaded(paths, fetch_limits):
            if item.article is None:
                run.fail(item.path, item.error or "unreadable", item.origin)
            else:
                run.add(item.article, item.path)
        run.flush()
        if prune:
            run.prune([Path(p).resolve() for p in paths if _is_directory(p)])
        return run.report()


def _is_directory(path: str) -> bool:
    return not path.startswith(("http://", "https://")) and Path(path).is_dir()


class _Run:
    """The mutable state of one ingest run."""

    def __init__(
        self, ingestor: Ingestor, progress: ProgressCallback | None, total: int | None
    ) -> None:
        self._ingestor = ingestor
        self._store = ingestor.store
        # A private copy: the store caches this dict, and the run updates it as it writes.
        self._versions = dict(self._store.active_versions())
        self._lacking = set(self._store.articles_without_sentences())
        self._check_store = bool(self._versions)
        self._seen: dict[str, str] = {}
        self._hashes: dict[str, str] = {}
        self._pending: list[tuple[Article, list[Chunk]]] = []
        self._pending_passages = 0
        self._copies: dict[str, tuple[Article, str]] = {}
        self._failed_origins: set[str] = set()
        self._counts = dict.fromkeys(("added", "updated", "unchanged", "duplicates"), 0)
        self._counts.update(removed=0, passages_embedded=0)
        self._errors: list[tuple[str, str]] = []
        self._duplicate_of: list[tuple[str, str]] = []
        self._progress = progress
        self._total = total
        self._read = 0

    def _tell(self) -> None:
        if self._progress is not None:
            passages = self._counts["passages_embedded"]
            self._progress(IngestProgress(self._read, self._total, passages))

    def add(self, article: Article, path: str) -> None:
        """Classify one article and queue it for embedding if it is new or changed."""
        self._read += 1
        self._classify(article, path)
        self._tell()

    def _classify(self, article: Article, path: str) -> None:
        control = CONTROL_CHARACTERS.search(article.doc_id)
        if control is not None:
            code = f"U+{ord(control.group()):04X}"
            reason = f"doc_id {article.doc_id!r} contains a control character ({code})"
            self._record_failure(path, reason, article.origin)  # its file's articles are kept
            return
        if article.doc_id in self._seen:
            where = self._seen[article.doc_id]
            self._record_failure(path, f"doc_id {article.doc_id!r} already read from {where}", None)
            return
        self._seen[article.doc_id] = path
        if (
            self._versions.get(article.doc_id) == article.content_hash
            and article.doc_id not in self._lacking
        ):
            self._counts["unchanged"] += 1
            self._hashes.setdefault(article.text_hash, article.doc_id)
            return
        original = self._duplicate_of_stored(article)
        if original is not None:
            self._counts["duplicates"] += 1
            self._duplicate_of.append((path, original))
            self._copies.setdefault(original, (article, path))
            return
        self._queue(article)

    def fail(self, path: str, reason: str, origin: str | None) -> None:
        """Record an input that could not be read."""
        self._record_failure(path, reason, origin)
        self._read += 1
        self._tell()

    def _record_failure(self, path: str, reason: str, origin: str | None) -> None:
        self._errors.append((path, reason))
        if origin:
            self._failed_origins.add(origin)

    def _duplicate_of_stored(self, article: Article) -> str | None:
        original = self._hashes.get(article.text_hash)
        if original is None and self._check_store:
            original = self._store.find_by_text_hash(article.text_hash)
        return original if original not in (None, article.doc_id) else None

    def _queue(self, article: Article) -> None:
        chunks = self._ingestor.chunker.split(article)
        self._hashes[article.text_hash] = article.doc_id
        self._pending.append((article, chunks))
        self._pending_passages += len(chunks)
        if self._pending_passages >= self._ingestor.batch_passages:
            self.flush()

    def flush(self) -> None:
        """Embed the queued articles' passages in one call and write the articles."""
        if not self._pending:
            return
        texts = [
            passage_embedding_text(a.title, c.text) for a, chunks in self._pending for c in chunks
        ]
        spans = {c.chunk_id: quotable_spans(c.text) for _, chunks in self._pending for c in chunks}
        sentence_texts = list(
            dict.fromkeys(
                embedding_text(c.text[lo:hi])
                for _, chunks in self._pending
                for c in chunks
                for lo, hi in spans[c.chunk_id]
            )
        )
        # One call: the model sorts by length, so short sentences batch together cheaply.
        vectors = self._ingestor.embedder.embed_passages(texts + sentence_texts)
        row = {text: len(texts) + i for i, text in enumerate(sentence_texts)}
        items: list[tuple[Article, Sequence[Chunk], np.ndarray]] = []
        sentences: dict[str, SentenceVectors] = {}
        lo = 0
        for article, chunks in self._pending:
            items.append((article, chunks, vectors[lo : lo + len(chunks)]))
            lo += len(chunks)
            for c in chunks:
                rows = [row[embedding_text(c.text[a:b])] for a, b in spans[c.chunk_id]]
                sentences[c.chunk_id] = SentenceVectors(tuple(spans[c.chunk_id]), vectors[rows])
        self._store.write_articles(items, sentences)
        for article, _ in self._pending:
            key = "updated" if article.doc_id in self._versions else "added"
            self._counts[key] += 1
            self._versions[article.doc_id] = article.content_hash
            self._lacking.discard(article.doc_id)
        self._counts["passages_embedded"] += len(texts)
        self._pending, self._pending_passages = [], 0
        self._tell()

    def prune(self, roots: list[Path]) -> None:
        """Remove stored articles under `roots` that this run did not see.

        A removed article whose body turned up under a new doc_id (a renamed file) is
        first stored under that new id, so pruning never loses text.
        """
        if not roots:
            return
        gone = [
            stored.doc_id
            for stored in self._store.list_articles()
            if stored.doc_id not in self._seen
            and stored.origin
            and stored.origin not in self._failed_origins
            and any(Path(stored.origin).is_relative_to(root) for root in roots)
        ]
        for doc_id in gone:
            if doc_id in self._copies:
                article, path = self._copies.pop(doc_id)
                self._counts["duplicates"] -= 1
                self._duplicate_of.remove((path, doc_id))
                self._queue(article)
        self.flush()
        for doc_id in gone:
            self._store.delete_article(doc_id)
            self._counts["removed"] += 1

    def report(self) -> IngestReport:
        """Freeze the run's counts into a report."""
        counts = self._counts
        return IngestReport(
            added=counts["added"],
            updated=counts["updated"],
            unchanged=counts["unchanged"],
            duplicates=counts["duplicates"],
            removed=counts["removed"],
            passages_embedded=counts["passages_embedded"],
            failed=len(self._errors),
            errors=list(self._errors),
            duplicate_of=list(self._duplicate_of),
        )
