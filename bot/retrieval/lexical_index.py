"""Keep a BM25 index (PyStemmer English, bm25s' Lucene BM25) of the passages in step with the store.

The index holds two BM25 models: one over passages (title + passage text) and one over whole
articles (title + the article text rebuilt from its passages), the document-level evidence the
hybrid retriever fuses in. It refreshes incrementally when the store's generation token changes
(checked at most every `check_interval_s`): only articles whose active version changed are
fetched and re-tokenised, then the BM25 matrices are rebuilt from the cached tokens.

The persisted file (e.g. `<data_dir>/bm25/<prefix>.npz`) is only a cache tagged with the
generation it reflects: several processes may share it, each refreshing from the store and
replacing the file atomically, so a restart loads it instead of re-reading every passage.
"""

from __future__ import annotations

import bisect
import json
import logging
import os
import re
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from bot.retrieval.bm25 import Bm25Matrix
from bot.retrieval.references import order_titles, referred_titles, title_key
from bot.retrieval.time_scope import president_on
from bot.terms import Analyzer
from ingest.models import Passage, SearchFilters, split_chunk_id
from ingest.store import PassageStore, day_number
from ingest.text import (
    continued_table_headers,
    passage_embedding_text,
    table_cells,
    table_rows,
)

logger = logging.getLogger(__name__)

# 2: passages carry the titles of orders they name by number; 3: table headers; 4: table rows;
# 5: WTO dispute numbers ("WT/DS597") as identifier terms
_FORMAT = 6
# A word the articles write capitalised inside a sentence at least this often (or once, in the
# one article holding it: "Roche", named by one fact sheet), and this share of all the times they
# write it, is a name as they write it ("Biden", "USMCA", "Treasury"; not "tariff", nor "section"
# of "section 232"), when this share of the articles holding it (in a title, or opening a
# sentence) write it so: "Just" of a few headings is no name.
_NAME_MIN = 2
_NAME_SHARE = 0.9
_NAME_ARTICLES = 0.2
_LETTERS = re.compile(r"[A-Za-z]{2,}")
# What may end the text before a sentence's first word: its capital says nothing of a name.
_OPENS = frozenset(".!?:;\"“”'‘’()[*#|>_•-")  # "(a) Nothing in this order ..." too
# A line with this share of its longer words capitalised is a title, not prose.
_HEADING_SHARE = 0.6
_HEADING_WORDS = 16
_FETCH_BATCH = 400  # doc ids per `$in` query when fetching changed articles
# The publisher whose documents are the sitting president's own (orders, proclamations, fact
# sheets), as the sources name it.
_WHITE_HOUSE = "White House"


@dataclass(frozen=True)
class _Article:
    """Tokens and filter fields of one indexed article (one active version)."""

    version: str
    source: str
    day: int
    chunk_ids: tuple[str, ...]
    passage_tokens: tuple[np.ndarray, ...]
    tokens: np.ndarray
    # The orders the article cites in full: (kind, number) -> title (see `references`).
    titles: tuple[tuple[str, str, str], ...] = ()
    # Per passage, the header row of the table it opens inside of ("" for none; see
    # `ingest.text.continued_table_headers`).
    headers: tuple[str, ...] = ()
    # Its table rows: (the passage's index in `chunk_ids`, the row's tokens with its header's,
    # the tokens of its first cell, what the row is about: "| Switzerland | 39% |").
    rows: tuple[tuple[int, np.ndarray, np.ndarray], ...] = ()
    # The words it writes capitalised inside a sentence: (lower case, its commonest capitalised
    # form, how often capitalised, how often in lower case) (see `casing`).
    cased: tuple[tuple[str, str, int, int], ...] = ()


@dataclass(frozen=True)
class AllowedArticles:
    """The indexed articles that pass some filters, and how many passages they hold."""

    doc_ids: frozenset[str]
    passages: int


@dataclass(frozen=True)
class LexicalHit:
    """One passage BM25 ranks highly."""

    chunk_id: str
    doc_id: str
    score: float


class LexicalScores:
    """BM25 evidence for one query, each score divided by the query's best possible score."""

    def __init__(
        self,
        hits: list[LexicalHit],
        snapshot: _Snapshot | None = None,
        passage_scores: np.ndarray | None = None,
        doc_scores: np.ndarray | None = None,
        keyed: frozenset[str] = frozenset(),
    ) -> None:
        self.hits = hits
        self._snap = snapshot
        self._passage_scores = passage_scores
        self._doc_scores = doc_scores
        # The passages holding a table row about what the query names ("| Switzerland |").
        self.keyed = keyed

    def passage(self, chunk_id: str) -> float:
        """Return a passage's score in [0, 1] (0 when it is not indexed or matches nothing)."""
        row = self._snap.chunk_row.get(chunk_id) if self._snap else None
        if row is None or self._passage_scores is None:
            return 0.0
        return float(self._passage_scores[row])

    def document(self, doc_id: str) -> float:
        """Return an article's whole-text score in [0, 1]."""
        row = self._snap.doc_row.get(doc_id) if self._snap else None
        if row is None or self._doc_scores is None:
            return 0.0
        return float(self._doc_scores[row])


class _Snapshot:
    """An immutable, searchable state of the index at one store generation."""

    def __init__(
        self,
        generation: str,
        articles: dict[str, _Article],
        vocab: dict[str, int],
        k1: float,
        b: float,
    ) -> None:
        self.generation = generation
        self.articles = articles
        self.vocab = vocab
        doc_ids = sorted(d for d, a in articles.items() if a.chunk_ids)  # skip empty articles
        self.doc_ids = doc_ids
        self.chunk_ids = [c for d in doc_ids for c in articles[d].chunk_ids]
        self.chunk_row = {c: i for i, c in enumerate(self.chunk_ids)}
        self.doc_row = {d: i for i, d in enumerate(doc_ids)}
        self.chunk_doc = np.array(
            [i for i, d in enumerate(doc_ids) for _ in articles[d].chunk_ids], dtype=np.int64
        )
        counts = [len(articles[d].chunk_ids) for d in doc_ids]
        self.doc_rows = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self.doc_sources = np.array([articles[d].source for d in doc_ids], dtype=object)
        self.sources = frozenset(a.source for a in articles.values() if a.source)
        self.doc_days = np.array([articles[d].day for d in doc_ids], dtype=np.int64)
        self.passage_bm25 = Bm25Matrix(
            [t for d in doc_ids for t in articles[d].passage_tokens], k1, b
        )
        self.doc_bm25 = Bm25Matrix([articles[d].tokens for d in doc_ids], k1, b)
        # Table rows, each a short document of its own, scored only for a query naming what
        # the row is about (a term of its first cell): a long annex's passage holding
        # "| Switzerland | 39% |" scores for "Switzerland's reciprocal tariff" as the row does.
        table = [
            (self.chunk_row[articles[d].chunk_ids[at]], tokens, key)
            for d in doc_ids
            for at, tokens, key in articles[d].rows
        ]
        self.row_chunk = np.array([r for r, _, _ in table], dtype=np.int64)
        self.row_bm25 = Bm25Matrix([t for _, t, _ in table], k1, b)
        self.key_bm25 = Bm25Matrix([k for _, _, k in table], k1, b)
        sizes = [len(np.unique(k)) for _, _, k in table]
        # A first cell of no indexed word ("| 1 |" is a term too, "| -- |" none) keys nothing.
        self.key_sizes = np.array([n if n else 1 << 30 for n in sizes], dtype=np.int64)
        self._words: list[str] | None = None
        self._held: list[str] | None = None
        # Each article's terms with its publisher's and author's (`LexicalIndex.article_terms`).
        self.article_terms: dict[str, frozenset[str]] = {}
        self._citing: dict[str, tuple[str, ...]] | None = None
        self._headers: dict[str, dict[str, str]] = {}
        # Phrases looked for (`LexicalIndex.writes`), by terms and gap.
        self.phrases: dict[tuple[tuple[str, ...], int], bool] = {}
        self._names: dict[str, str] | None = None

    def names(self, stem: Callable[[str], str]) -> dict[str, str]:
        """Return the words the articles write as names, lower case -> as written: those
        written capitalised inside a sentence nearly every time the articles doing so write
        them, by a fair share of the articles holding them at all (`stem` gives a word's
        index term): "Biden", "USMCA"; not "If" nor "Just" of a few headings."""
        if self._names is None:
            forms: dict[str, Counter[str]] = {}
            writing: Counter[str] = Counter()
            lowered: Counter[str] = Counter()
            for article in self.articles.values():
                for word, form, capitalised, lower in article.cased:
                    forms.setdefault(word, Counter())[form] += capitalised
                    writing[word] += 1
                    lowered[word] += lower
            df = self.doc_bm25.df
            names: dict[str, str] = {}
            for word, found in forms.items():
                n = sum(found.values())
                row = self.vocab.get(stem(word))
                holding = int(df[row]) if row is not None and row < len(df) else 0
                if (
                    holding
                    and (n >= _NAME_MIN or holding == 1)
                    and n >= _NAME_SHARE * (n + lowered[word])
                    and writing[word] >= _NAME_ARTICLES * holding
                ):
                    names[word] = found.most_common(1)[0][0]
            self._names = names
        return self._names

    def citing(self, title: str) -> tuple[str, ...]:
        """Return the articles that cite an order titled `title` in full, oldest first."""
        if self._citing is None:
            found: dict[str, list[str]] = {}
            for doc_id in sorted(self.articles, key=lambda d: (self.articles[d].day, d)):
                for key in dict.fromkeys(title_key(t) for _, _, t in self.articles[doc_id].titles):
                    found.setdefault(key, []).append(doc_id)
            self._citing = {key: tuple(ids) for key, ids in found.items()}
        return self._citing.get(title_key(title), ())

    def headers_of(self, doc_id: str) -> dict[str, str]:
        """Return the table headers an article's passages inherit, by chunk id."""
        found = self._headers.get(doc_id)
        if found is None:
            article = self.articles[doc_id]
            found = self._headers[doc_id] = {
                c: h for c, h in zip(article.chunk_ids, article.headers, strict=False) if h
            }
        return found

    def words(self) -> list[str]:
        """Return the index terms by id."""
        if self._words is None:
            self._words = sorted(self.vocab, key=self.vocab.__getitem__)
        return self._words

    def held(self) -> list[str]:
        """Return the index terms some passage holds, in alphabetical order."""
        if self._held is None:
            idf = self.passage_bm25.idf
            self._held = sorted(t for t, r in self.vocab.items() if r < len(idf) and idf[r] > 0)
        return self._held

    def terms_of(self, doc_id: str) -> frozenset[str]:
        """Return an article's distinct index terms."""
        words = self.words()
        return frozenset(words[i] for i in np.unique(self.articles[doc_id].tokens))

    def doc_mask(self, filters: SearchFilters | None) -> np.ndarray | None:
        """Return a 0/1 weight per article for the filters (None when unfiltered)."""
        if filters is None or filters.empty:
            return None
        keep = np.ones(len(self.doc_ids), dtype=bool)
        if filters.sources:
            keep &= np.isin(self.doc_sources, list(filters.sources))
        if filters.published_after or filters.published_before:
            keep &= self.doc_days > 0
        if filters.published_after:
            keep &= self.doc_days >= day_number(filters.published_after.isoformat())
        if filters.published_before:
            keep &= self.doc_days <= day_number(filters.published_before.isoformat())
        return keep.astype(np.float32)


class LexicalIndex:
    """BM25 over the store's active passages and articles, refreshed on generation change."""

    def __init__(
        self,
        store: PassageStore,
        cache_path: Path | None = None,
        *,
        k1: float = 1.2,
        b: float = 0.75,
        check_interval_s: float = 1.0,
    ) -> None:
        self._store = store
        self._cache_path = cache_path
        self._k1, self._b = k1, b
        self._interval = check_interval_s
        self._analyzer = Analyzer()
        self._sources: dict[str, frozenset[str]] = {}  # a source's terms (a few publishers)
        self._lock = threading.Lock()
        self._snapshot: _Snapshot | None = None
        self._checked_at = -float("inf")

    @property
    def generation(self) -> str | None:
        """Return the store generation the index reflects (None before the first load)."""
        return self._snapshot.generation if self._snapshot else None

    def refresh(self, force: bool = False) -> int:
        """Bring the index in step with the store; return how many articles were re-read or dropped.

        Checks the store's generation at most every `check_interval_s` unless `force`.
        """
        if not force and time.monotonic() - self._checked_at < self._interval:
            return 0
        with self._lock:
            if not force and time.monotonic() - self._checked_at < self._interval:
                return 0
            if self._snapshot is None:
                self._snapshot = self._load_cache()
            # Marked checked only once the store answered: a check that failed (the store was
            # down) is retried on the next call, not an interval later with nothing indexed.
            token = self._store.generation(fresh=True)
            if self._snapshot is None or self._snapshot.generation != token:
                self._snapshot, changed = self._rebuild(token)
                self._save_cache(self._snapshot)
            else:
                changed = 0
            self._checked_at = time.monotonic()
            return changed

    def allowed(self, filters: SearchFilters) -> AllowedArticles:
        """Return the indexed articles whose source and date pass `filters`."""
        self.refresh()
        snap = self._snapshot
        if snap is None or not snap.doc_ids:
            return AllowedArticles(frozenset(), 0)
        mask = snap.doc_mask(filters)
        rows = range(len(snap.doc_ids)) if mask is None else np.flatnonzero(mask).tolist()
        counts = np.diff(snap.doc_rows)
        return AllowedArticles(
            frozenset(snap.doc_ids[i] for i in rows), int(sum(int(counts[i]) for i in rows))
        )

    def newest_day(self) -> int:
        """Return the newest article's publication day as YYYYMMDD (0 when none is dated)."""
        self.refresh()
        snap = self._snapshot
        return int(snap.doc_days.max()) if snap is not None and len(snap.doc_days) else 0

    def search(
        self,
        query: str,
        depth: int,
        filters: SearchFilters | None = None,
        expansion: str = "",
        expansion_weight: float = 0.5,
    ) -> LexicalScores:
        """Score the query against passages and whole articles.

        `expansion` (terms the query's words stand for) counts at `expansion_weight`.
        The hits are the best `depth` passages plus the best passage of each of the best
        `depth` articles; every other passage and article can still be looked up.
        """
        self.refresh()
        snap = self._snapshot
        if snap is None or not snap.doc_ids:
            return LexicalScores([])
        own = [snap.vocab[t] for t in self._analyzer.tokens(query) if t in snap.vocab]
        extra = [snap.vocab[t] for t in self._analyzer.tokens(expansion) if t in snap.vocab]
        extra = [t for t in extra if t not in own]
        terms = own + extra
        if not terms:
            return LexicalScores([])
        weights = [1.0] * len(own) + [expansion_weight] * len(extra)
        doc_mask = snap.doc_mask(filters)
        doc_scores = snap.doc_bm25.scores(terms, doc_mask, weights)
        mask = None if doc_mask is None else doc_mask[snap.chunk_doc]
        passage_scores = snap.passage_bm25.scores(terms, mask, weights)
        held = np.zeros(0, dtype=np.int64)
        if len(snap.row_chunk):
            # The query names what a row is about: every word of its first cell ("Switzerland",
            # "Trinidad and Tobago", "9903.01.63"; not "Tariffs first go into effect").
            keyed = snap.key_bm25.held(terms) >= snap.key_sizes
            if keyed.any():
                # As the passage would score were it the row and its header alone.
                idf = snap.passage_bm25.idf
                by_row = snap.row_bm25.holding(terms, weights, idf) * keyed
                if mask is not None:
                    by_row *= mask[snap.row_chunk]
                np.maximum.at(passage_scores, snap.row_chunk, by_row.astype(np.float32))
                held = snap.row_chunk[by_row > 0]
        rows = dict.fromkeys(_top_positive(passage_scores, depth).tolist())
        rows.update(dict.fromkeys(held.tolist()))
        for doc in _top_positive(doc_scores, depth).tolist():  # each top article's best passage
            lo, hi = snap.doc_rows[doc], snap.doc_rows[doc + 1]
            rows.setdefault(lo + int(np.argmax(passage_scores[lo:hi])))
        hits = [
            LexicalHit(snap.chunk_ids[i], snap.doc_ids[snap.chunk_doc[i]], float(passage_scores[i]))
            for i in rows
        ]
        keyed_chunks = frozenset(snap.chunk_ids[i] for i in held.tolist())
        return LexicalScores(hits, snap, passage_scores, doc_scores, keyed_chunks)

    def idf(self, term: str) -> float:
        """Return a term's BM25 IDF over passages; a term no passage holds gets the ceiling."""
        self.refresh()
        snap = self._snapshot
        if snap is None or not snap.chunk_ids:
            return 1.0
        row = snap.vocab.get(term)
        ceiling = float(np.log1p((len(snap.chunk_ids) + 0.5) / 0.5))
        if row is None or row >= len(snap.passage_bm25.idf):
            return ceiling
        value = float(snap.passage_bm25.idf[row])
        return value if value > 0 else ceiling  # a term only a deleted article held

    def passage_share(self, term: str) -> float:
        """Return the share of indexed passages that hold `term` (0 when none does)."""
        self.refresh()
        snap = self._snapshot
        row = snap.vocab.get(term) if snap is not None else None
        if snap is None or row is None or row >= len(snap.passage_bm25.idf):
            return 0.0
        idf = float(snap.passage_bm25.idf[row])
        if idf <= 0:
            return 0.0
        # BM25's idf = log(1 + (n - held + 0.5) / (held + 0.5)), solved for `held`.
        n, ratio = len(snap.chunk_ids), float(np.expm1(idf))
        return max((n + 0.5 - 0.5 * ratio) / (1.0 + ratio), 0.0) / n

    def passage_count(self) -> int:
        """Return how many passages the index holds."""
        self.refresh()
        snap = self._snapshot
        return len(snap.chunk_ids) if snap is not None else 0

    def knows(self, term: str) -> bool:
        """Say whether any indexed passage holds `term`, or a stored article's source does."""
        self.refresh()
        snap = self._snapshot
        if snap is None:
            return False
        if any(term in self._source_terms(source) for source in snap.sources):
            return True
        if term not in snap.vocab:
            return False
        row = snap.vocab[term]
        return row < len(snap.passage_bm25.idf) and bool(snap.passage_bm25.idf[row] > 0)

    def written_as(self, word: str) -> str | None:
        """Return how the articles write `word` when they write it as a name ("biden" ->
        "Biden", "usmca" -> "USMCA"); None when they write it in lower case too, or not at all."""
        self.refresh()
        snap = self._snapshot
        if snap is None:
            return None
        return snap.names(self._stem).get(word.lower())

    def begins(self, prefix: str) -> bool:
        """Say whether a passage holds a longer index term beginning with `prefix`: "litho"
        is the clipped form of the articles' "lithographic", not a name."""
        self.refresh()
        snap = self._snapshot
        if snap is None or not prefix:
            return False
        held = snap.held()
        at = bisect.bisect_right(held, prefix)
        return at < len(held) and held[at].startswith(prefix)

    def _stem(self, word: str) -> str:
        tokens = self._analyzer.tokens(word)
        return tokens[0] if len(tokens) == 1 else ""

    def known_stems(self, terms: Iterable[str]) -> dict[str, float]:
        """Return the IDF of each of `terms` that an indexed passage holds (one refresh)."""
        self.refresh()
        snap = self._snapshot
        if snap is None:
            return {}
        idf = snap.passage_bm25.idf
        rows = ((t, snap.vocab.get(t)) for t in terms)
        return {t: float(idf[r]) for t, r in rows if r is not None and r < len(idf) and idf[r] > 0}

    def writes(self, phrase: Sequence[str], gap: int = 0) -> bool:
        """Say whether an article writes the index terms `phrase` in that order, at most
        `gap` other terms apart ("CHIPS and Science Act" writes ("chip", "act") with gap 1)."""
        self.refresh()
        snap = self._snapshot
        if snap is None or not phrase:
            return False
        key = (tuple(phrase), gap)
        found = snap.phrases.get(key)
        if found is None:
            ids = [snap.vocab.get(t) for t in phrase]
            found = False
            if all(i is not None for i in ids):
                wanted = [int(i) for i in ids if i is not None]
                rows = min((snap.doc_bm25.rows_with(i) for i in wanted), key=len)
                found = any(
                    _in_order(snap.articles[snap.doc_ids[int(row)]].tokens, wanted, gap)
                    for row in rows
                )
            snap.phrases[key] = found
        return found

    def article_terms(self, doc_id: str) -> frozenset[str]:
        """Return the index terms of an article's whole text, title and source (its publisher:
        "per the WH fact sheet" names the White House), empty when unknown."""
        self.refresh()
        snap = self._snapshot
        article = snap.articles.get(doc_id) if snap else None
        if snap is None or article is None:
            return frozenset()
        # Remembered for the snapshot's lifetime: a question reads each candidate's article.
        found = snap.article_terms.get(doc_id)
        if found is None:
            found = snap.article_terms[doc_id] = (
                snap.terms_of(doc_id)
                | self._source_terms(article.source)
                | self._author_terms(article.source, article.day)
            )
        return found

    def order_titles(self, doc_id: str) -> dict[tuple[str, str], str]:
        """Return the titles an article gives the orders it cites in full, keyed by
        (kind, number) as `references.order_titles` does (empty when unknown)."""
        self.refresh()
        snap = self._snapshot
        article = snap.articles.get(doc_id) if snap else None
        if article is None:
            return {}
        return {(kind, number): name for kind, number, name in article.titles}

    def table_header(self, chunk_id: str) -> str:
        """Return the header row of the table a passage opens inside of, begun by an earlier
        passage of its article ("" when none, or unknown)."""
        self.refresh()
        snap = self._snapshot
        doc_id, _ = split_chunk_id(chunk_id)
        if snap is None or doc_id not in snap.articles:
            return ""
        return snap.headers_of(doc_id).get(chunk_id, "")

    def citing(self, title: str, filters: SearchFilters | None = None) -> tuple[str, ...]:
        """Return the articles passing `filters` that cite an order or proclamation titled
        `title` in full ("Executive Order 14382 of February 6, 2026 (Addressing Threats
        ...)"), oldest first: the later ones amend, continue or end it."""
        self.refresh()
        snap = self._snapshot
        if snap is None or not title.strip():
            return ()
        found = snap.citing(title)
        mask = snap.doc_mask(filters)
        if mask is None:
            return found
        return tuple(d for d in found if d in snap.doc_row and mask[snap.doc_row[d]] > 0)

    def _source_terms(self, source: str) -> frozenset[str]:
        found = self._sources.get(source)
        if found is None:
            found = self._sources[source] = frozenset(self._analyzer.tokens(source))
        return found

    def _author_terms(self, source: str, day: int) -> frozenset[str]:
        """The name of the president whose White House published the article that day: its
        author, though an order rarely names him ("what did Trump raise the tariff to?")."""
        if day <= 0 or _WHITE_HOUSE not in source:
            return frozenset()
        president = president_on(date(day // 10000, day // 100 % 100, day % 100))
        return self._source_terms(president) if president else frozenset()

    # -- refresh -----------------------------------------------------------------------
    def _rebuild(self, token: str) -> tuple[_Snapshot, int]:
        """Re-read the articles whose active version changed since the current snapshot."""
        old = self._snapshot
        articles = dict(old.articles) if old else {}
        vocab = dict(old.vocab) if old else {}
        versions = self._store.active_versions()
        changed = [d for d, v in versions.items() if d not in articles or articles[d].version != v]
        dropped = [d for d in articles if d not in versions]
        for doc_id in dropped + [d for d in changed if d in articles]:
            del articles[doc_id]
        if len(changed) == len(versions):
            fetched: Iterable[Passage] = self._store.iter_passages()
        else:
            fetched = _iter_batched(self._store, changed)
        grouped: dict[str, list[Passage]] = {d: [] for d in changed}
        for passage in fetched:
            grouped.setdefault(passage.doc_id, []).append(passage)
        for doc_id, passages in grouped.items():
            if doc_id in versions:
                articles[doc_id] = self._tokenise(versions[doc_id], passages, vocab)
        logger.info("BM25 index: %d articles re-read, %d indexed", len(changed), len(articles))
        return _Snapshot(token, articles, vocab, self._k1, self._b), len(changed) + len(dropped)

    def _tokenise(self, version: str, passages: list[Passage], vocab: dict[str, int]) -> _Article:
        if not passages:
            empty = np.zeros(0, dtype=np.int32)
            return _Article(version, "", 0, (), (), empty)
        passages.sort(key=lambda p: p.start)
        title = passages[0].title
        body_parts, covered = [], 0
        for p in passages:  # passages overlap: keep each character of the article once
            skip = max(0, covered - p.start)
            body_parts.append(p.text[skip:])
            covered = max(covered, p.end)
        first = passages[0]
        body = " ".join(body_parts)
        # "... Executive Order 14380 shall no longer be in effect": about what the article
        # titles that order where it cites it in full (Cuba), words the passage lacks.
        titles = order_titles(body)
        # "| Switzerland | 39% |" in the annex's third passage is a reciprocal tariff rate: the
        # header row the first passage holds is kept for the passages continuing it (for the
        # answerer; not indexed: the rows' passages would outrank the prose on the matter).
        headers = continued_table_headers([p.text for p in passages])
        return _Article(
            version=version,
            source=first.source or "",
            day=day_number(first.published_at),
            chunk_ids=tuple(p.chunk_id for p in passages),
            passage_tokens=tuple(
                self._ids(
                    "\n".join(
                        [passage_embedding_text(title, p.text), *referred_titles(p.text, titles)]
                    ),
                    vocab,
                )
                for p in passages
            ),
            tokens=self._ids(title + "\n" + body, vocab),
            titles=tuple((kind, number, name) for (kind, number), name in titles.items()),
            headers=tuple(headers) if any(headers) else (),
            rows=tuple(
                (at, self._ids(row + "\n" + header, vocab), self._ids(table_cells(row)[0], vocab))
                for at, (p, inherited) in enumerate(zip(passages, headers, strict=True))
                for row, header in table_rows(p.text, inherited)
            ),
            cased=casing(body),
        )

    def _ids(self, text: str, vocab: dict[str, int]) -> np.ndarray:
        ids = [vocab.setdefault(t, len(vocab)) for t in self._analyzer.tokens(text)]
        return np.asarray(ids, dtype=np.int32)

    # -- persisted cache ---------------------------------------------------------------
    def _load_cache(self) -> _Snapshot | None:
        path = self._cache_path
        if path is None or not path.exists():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                header = json.loads(str(data["header"]))
                if header.get("format") != _FORMAT or header.get("analyzer") != Analyzer.name:
                    return None
                rows = header["articles"]
                doc_tokens = _split(data["doc_tokens"], data["doc_cuts"], len(rows))
                n_passages = sum(len(r[4]) for r in rows)
                passage_tokens = _split(data["passage_tokens"], data["passage_cuts"], n_passages)
                n_rows = sum(len(r[7]) for r in rows)
                row_tokens = _split(data["row_tokens"], data["row_cuts"], n_rows)
                key_tokens = _split(data["key_tokens"], data["key_cuts"], n_rows)
            articles: dict[str, _Article] = {}
            at = row_at = 0
            for (
                doc_id,
                version,
                source,
                day,
                chunk_ids,
                titles,
                headers,
                held,
                cased,
            ), tokens in zip(rows, doc_tokens, strict=True):
                mine = tuple(passage_tokens[at : at + len(chunk_ids)])
                named = tuple((str(k), str(n), str(t)) for k, n, t in titles)
                table = tuple(
                    (int(i), row_tokens[row_at + j], key_tokens[row_at + j])
                    for j, i in enumerate(held)
                )
                articles[doc_id] = _Article(
                    version,
                    source,
                    day,
                    tuple(chunk_ids),
                    mine,
                    tokens,
                    named,
                    tuple(headers),
                    table,
                    tuple((str(w), str(f), int(c), int(n)) for w, f, c, n in cased),
                )
                at += len(chunk_ids)
                row_at += len(held)
            vocab = {t: i for i, t in enumerate(header["vocab"])}
            return _Snapshot(str(header["generation"]), articles, vocab, self._k1, self._b)
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            logger.warning("ignoring unreadable BM25 cache %s: %s", path, exc)
            return None

    def _save_cache(self, snap: _Snapshot) -> None:
        path = self._cache_path
        if path is None:
            return
        ordered = [(d, snap.articles[d]) for d in sorted(snap.articles)]
        header = {
            "format": _FORMAT,
            "analyzer": Analyzer.name,
            "generation": snap.generation,
            "vocab": sorted(snap.vocab, key=snap.vocab.__getitem__),
            "articles": [
                [
                    d,
                    a.version,
                    a.source,
                    a.day,
                    list(a.chunk_ids),
                    [list(t) for t in a.titles],
                    list(a.headers),
                    [at for at, _, _ in a.rows],
                    [list(c) for c in a.cased],
                ]
                for d, a in ordered
            ],
        }
        passages = [t for _, a in ordered for t in a.passage_tokens]
        docs = [a.tokens for _, a in ordered]
        table = [row for _, a in ordered for row in a.rows]
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".npz")
        try:
            with os.fdopen(fd, "wb") as out:
                np.savez(
                    out,
                    header=np.array(json.dumps(header)),
                    passage_tokens=_concat(passages),
                    passage_cuts=_cuts(passages),
                    doc_tokens=_concat(docs),
                    doc_cuts=_cuts(docs),
                    row_tokens=_concat([t for _, t, _ in table]),
                    row_cuts=_cuts([t for _, t, _ in table]),
                    key_tokens=_concat([k for _, _, k in table]),
                    key_cuts=_cuts([k for _, _, k in table]),
                )
            os.replace(tmp, path)  # readers see the old file or the new one, never half of one
        except OSError as exc:
            logger.warning("could not write BM25 cache %s: %s", path, exc)
            Path(tmp).unlink(missing_ok=True)


def casing(text: str) -> tuple[tuple[str, str, int, int], ...]:
    """Return the words `text` writes capitalised inside a sentence: each in lower case, its
    commonest capitalised form ("USMCA", "Biden"), how often it is so written and how often in
    lower case. A sentence's first word says nothing (every sentence opens with a capital), nor
    does a heading ("Key Terms of the Deal", "DELIVERING PEACE AND PROSPERITY")."""
    forms: dict[str, Counter[str]] = {}
    lowered: Counter[str] = Counter()
    for line in text.split("\n"):
        words = list(_LETTERS.finditer(line))
        if _heading(line, words):
            continue
        for i, match in enumerate(words):
            word, at = match.group(), match.start()
            if word.islower():
                lowered[word] += 1
                continue
            before = line[at - 1 : at] if at else ""
            if before.isalnum():
                continue  # inside a token: "H200", "mRNA"
            opening = line[max(0, at - 4) : at].strip()[-1:]
            if before != "-" and (not opening or opening in _OPENS):
                continue
            if word.isupper() and any(
                0 <= j < len(words) and words[j].group().isupper() for j in (i - 1, i + 1)
            ):
                continue  # a run of capitals shouts a heading
            forms.setdefault(word.lower(), Counter())[word] += 1
    return tuple(
        (word, found.most_common(1)[0][0], sum(found.values()), lowered[word])
        for word, found in sorted(forms.items())
    )


def _heading(line: str, words: Sequence[re.Match[str]]) -> bool:
    """Say whether a line is a title: a short one ending on no end mark, most of its words of
    four letters or more capitalised ("Key Terms of the United States-Indonesia Agreement")."""
    if len(words) > _HEADING_WORDS or line.rstrip()[-1:] in (".", "!", "?", ";"):
        return False
    long = [w.group() for w in words if len(w.group()) >= 4]
    return len(long) >= 2 and sum(w[0].isupper() for w in long) >= _HEADING_SHARE * len(long)


def _in_order(tokens: np.ndarray, wanted: Sequence[int], gap: int) -> bool:
    """Say whether `tokens` hold `wanted` in order, each at most `gap` tokens after the last."""
    for start in np.flatnonzero(tokens == wanted[0]):
        at = int(start)
        for term in wanted[1:]:
            window = tokens[at + 1 : at + 2 + gap]
            hits = np.flatnonzero(window == term)
            if not hits.size:
                break
            at += 1 + int(hits[0])
        else:
            return True
    return False


def _iter_batched(store: PassageStore, doc_ids: Sequence[str]) -> Iterable[Passage]:
    for lo in range(0, len(doc_ids), _FETCH_BATCH):
        yield from store.iter_passages(doc_ids[lo : lo + _FETCH_BATCH])


def _top_positive(scores: np.ndarray, depth: int) -> np.ndarray:
    """Indices of the best `depth` positive scores, best first."""
    positive = np.flatnonzero(scores > 0)
    if len(positive) > depth:
        part = np.argpartition(-scores[positive], depth - 1)[:depth]
        positive = positive[part]
    return positive[np.argsort(-scores[positive], kind="stable")]


def _split(flat: np.ndarray, cuts: np.ndarray, n: int) -> list[np.ndarray]:
    """Undo `_concat`/`_cuts` for `n` rows, checking the shapes agree."""
    if n == 0:
        return []
    if len(cuts) != n - 1:
        raise ValueError("BM25 cache rows do not match its header")
    return [np.asarray(r, dtype=np.int32) for r in np.split(flat, cuts)]


def _concat(rows: Sequence[np.ndarray]) -> np.ndarray:
    return np.concatenate(rows).astype(np.int32) if rows else np.zeros(0, dtype=np.int32)


def _cuts(rows: Sequence[np.ndarray]) -> np.ndarray:
    return np.cumsum([len(r) for r in rows[:-1]], dtype=np.int64)
