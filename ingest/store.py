"""Own the Chroma schema: the only module that touches tradebot's collections.

Four collections per prefix:
- `<prefix>_passages`: one record per chunk (our embeddings, passage text, article metadata).
- `<prefix>_sentences`: one record per quotable sentence of a chunk (its embedding, the
  chunk id and the sentence's offsets in the passage), so answering embeds nothing but the
  question (see `ingest.text`).
- `<prefix>_articles`: one record per article: full text and the *active* version hash.
- `<prefix>_meta`: a generation token that changes on every write, so readers (BM25 indexes,
  caches in other replicas) know when to refresh.

Readers only return passages whose version equals the article's active version. A writer
stores the new passages first, flips the article record, then deletes the old passages, so a
reader never sees two versions of an article, or none, and a killed ingest leaves only
unreachable orphans that the next run overwrites or removes.
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from ingest.models import (
    Article,
    Chunk,
    MetadataValue,
    Passage,
    StoredArticle,
    sentence_id,
    split_chunk_id,
)
from ingest.text import SentenceVectors

log = logging.getLogger(__name__)

# Chroma needs an embedding on every record; articles and meta records carry this dummy.
_UNIT = [1.0]
SentenceKey = tuple[str, int, int]  # (chunk_id, lo, hi): a sentence at passage.text[lo:hi]
_GENERATION_ID = "generation"


class StoreUnavailableError(RuntimeError):
    """The Chroma store (embedded or server) cannot be reached."""


class StoreStorageError(StoreUnavailableError):
    """The store's disk refused a write (full or read-only); what was stored stays readable."""


@dataclass(frozen=True)
class DenseHit:
    """One passage a dense search found: its ids and the query-passage cosine."""

    chunk_id: str
    doc_id: str
    score: float


@dataclass(frozen=True)
class SearchFilters:
    """Restrict a search to some sources and a publication window (inclusive)."""

    sources: tuple[str, ...] = ()
    published_after: date | None = None
    published_before: date | None = None

    @property
    def empty(self) -> bool:
        """Say whether the filters restrict nothing."""
        return not self.sources and self.published_after is None and self.published_before is None

    def matches(self, source: str | None, published_at: str | None) -> bool:
        """Apply the filters to one passage's metadata."""
        if self.sources and (source or "") not in self.sources:
            return False
        if self.published_after or self.published_before:
            day = day_number(published_at)
            if day == 0:
                return False
            if self.published_after and day < day_number(self.published_after.isoformat()):
                return False
            if self.published_before and day > day_number(self.published_before.isoformat()):
                return False
        return True

    def chroma_where(self) -> dict[str, Any] | None:
        """Translate the filters to a Chroma `where` clause."""
        clauses: list[dict[str, Any]] = []
        if self.sources:
            clauses.append({"source": {"$in": list(self.sources)}})
        if self.published_after:
            clauses.append(
                {"published_day": {"$gte": day_number(self.published_after.isoformat())}}
            )
        if self.published_before:
            clauses.append(
                {"published_day": {"$lte": day_number(self.published_before.isoformat())}}
            )
        if self.published_after or self.published_before:
            clauses.append({"published_day": {"$gt": 0}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def day_number(published_at: str | None) -> int:
    """Turn an ISO date into YYYYMMDD (0 when unknown), as dates are stored and compared."""
    if not published_at:
        return 0
    try:
        day = date.fromisoformat(published_at[:10])
    except ValueError:
        return 0
    return day.year * 10000 + day.month * 100 + day.day


def _opt(value: object) -> str | None:
    return None if value in (None, "") else str(value)


def open_chroma_client(data_dir: Path, chroma_url: str | None, timeout_s: float = 30.0) -> Any:
    """Open an embedded store under `data_dir`, or a client for a Chroma server.

    A server's every request is bounded by `timeout_s` (chromadb's own HTTP client waits
    forever), so a hung server surfaces as StoreUnavailableError instead of a stuck request.
    """
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    try:
        if chroma_url:
            parsed = urlparse(chroma_url)
            host = parsed.hostname or "127.0.0.1"
            port = parsed.port or (443 if parsed.scheme == "https" else 8000)
            _check_answers(f"{parsed.scheme or 'http'}://{host}:{port}", timeout_s)
            client = chromadb.HttpClient(
                host=host, port=port, ssl=parsed.scheme == "https", settings=chroma_settings
            )
            _bound_requests(client, timeout_s)
            return client
        path = data_dir / "chroma"
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except StoreUnavailableError:
        raise
    except Exception as exc:  # chromadb raises several types for an unreachable server
        raise StoreUnavailableError(f"cannot open the Chroma store: {exc}") from exc


def _check_answers(base_url: str, timeout_s: float) -> None:
    """Ask the server's heartbeat first: chromadb's client would wait on a hung one forever."""
    import httpx

    try:
        httpx.get(f"{base_url}/api/v2/heartbeat", timeout=timeout_s)
    except httpx.HTTPError as exc:
        raise StoreUnavailableError(f"Chroma server at {base_url} did not answer: {exc}") from exc


def _bound_requests(client: Any, timeout_s: float) -> None:
    """Give the client's HTTP session a timeout (chromadb creates it with none)."""
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(timeout_s)
    else:  # a chromadb release that builds its client differently: say so, keep working
        log.warning("cannot set a timeout on this chromadb client; a hung server may block")


class PassageStore:
    """Read and write articles and their passages in Chroma."""

    def __init__(
        self,
        client: Any,
        prefix: str = "tradebot",
        generation_ttl_s: float = 0.5,
        passage_cache_size: int = 20_000,
    ) -> None:
        """Open the collections under `prefix` lazily.

        Args:
            client: a Chroma client (embedded or HTTP).
            prefix: collection name prefix.
            generation_ttl_s: how long a read generation token is trusted. This process's
                own writes are seen at once; another process's after at most this long
                (every query would otherwise pay a store round trip to check).
            passage_cache_size: passages kept in memory. A chunk id names one version of
                one passage, so a cached passage is never stale; whether it is still active
                is checked on every read, as for passages read from Chroma.
        """
        self._client = client
        self._prefix = prefix
        self._generation_ttl_s = generation_ttl_s
        self._generation: tuple[str, float] | None = None
        self._passage_cache: OrderedDict[str, Passage] = OrderedDict()
        self._passage_cache_size = passage_cache_size
        # Sentence vectors (float16: half the memory, cosine within 1e-3), same policy.
        self._sentence_cache: OrderedDict[SentenceKey, np.ndarray] = OrderedDict()
        self._sentence_cache_size = passage_cache_size * 8
        self.cache_warmed = False
        self._lock = threading.Lock()
        self._collections: dict[str, Any] = {}
        self._versions_cache: tuple[str, dict[str, str], frozenset[str]] | None = None

    # -- collections -------------------------------------------------------------------
    def _collection(self, kind: str) -> Any:
        with self._lock:
            if kind not in self._collections:
                try:
                    self._collections[kind] = self._client.get_or_create_collection(
                        name=f"{self._prefix}_{kind}",
                        metadata={"hnsw:space": "cosine"},
                        embedding_function=None,
                    )
                except Exception as exc:
                    raise StoreUnavailableError(f"Chroma store unreachable: {exc}") from exc
            return self._collections[kind]

    @property
    def passages(self) -> Any:
        """Chroma collection of passages (for this module and tests only)."""
        return self._collection("passages")

    @property
    def sentences(self) -> Any:
        """Chroma collection of sentence vectors (for this module and tests only)."""
        return self._collection("sentences")

    @property
    def articles(self) -> Any:
        """Chroma collection of article records (for this module and tests only)."""
        return self._collection("articles")

    def ping(self) -> None:
        """Raise StoreUnavailableError unless the store answers."""
        try:
            self._client.heartbeat()
            self._read_generation()
        except StoreUnavailableError:
            raise
        except Exception as exc:
            self._collections.clear()
            raise StoreUnavailableError(f"Chroma store unreachable: {exc}") from exc

    # -- generation --------------------------------------------------------------------
    def generation(self, fresh: bool = False) -> str:
        """Return a token that changes whenever any article is written or deleted.

        A token read less than `generation_ttl_s` ago is trusted unless `fresh` is asked for
        (a caller with its own check interval, such as the BM25 index).
        """
        cached = self._generation
        if fresh:
            return self._read_generation()
        if cached is not None and time.monotonic() - cached[1] < self._generation_ttl_s:
            return cached[0]
        return self._read_generation()

    def _read_generation(self) -> str:
        got = self._call(self._collection("meta").get, ids=[_GENERATION_ID], include=["metadatas"])
        token = str(got["metadatas"][0]["token"]) if got["ids"] else "empty"
        self._generation = (token, time.monotonic())
        return token

    def _bump_generation(self) -> None:
        token = uuid.uuid4().hex
        self._generation = None  # a failed write must not leave a stale token trusted
        self._call(
            self._collection("meta").upsert,
            ids=[_GENERATION_ID],
            embeddings=[_UNIT],
            metadatas=[{"token": token}],
        )
        self._generation = (token, time.monotonic())

    def _call(self, method: Any, **kwargs: Any) -> Any:
        try:
            return method(**kwargs)
        except Exception as exc:
            if _is_connection_error(exc):
                self._collections.clear()
                raise StoreUnavailableError(f"Chroma store unreachable: {exc}") from exc
            if _is_storage_error(exc):
                raise StoreStorageError(f"Chroma store cannot write to its disk: {exc}") from exc
            raise

    # -- writes ------------------------------------------------------------------------
    def write_article(
        self,
        article: Article,
        chunks: Sequence[Chunk],
        embeddings: np.ndarray,
        sentences: Mapping[str, SentenceVectors] | None = None,
    ) -> None:
        """Store an article's new version and make it the active one.

        Raises:
            StoreUnavailableError: the store cannot be reached; the old version stays active.
        """
        self.write_articles([(article, chunks, embeddings)], sentences)

    def write_articles(
        self,
        items: Sequence[tuple[Article, Sequence[Chunk], np.ndarray]],
        sentences: Mapping[str, SentenceVectors] | None = None,
    ) -> None:
        """Store new versions of several articles with a few bulk calls, then flip them all.

        Each Chroma write costs tens of milliseconds whatever its size, so a bulk ingest
        writes a batch of articles in one go: all passages and their sentence vectors
        (`sentences`, by chunk id), then all article records (the flip), then the old
        passages are deleted and the generation bumped once. An article is marked as having
        sentence vectors only when every one of its chunks has them.

        Raises:
            StoreUnavailableError: the store cannot be reached; old versions stay active.
        """
        sentences = sentences or {}
        if not items:
            return
        ids: list[str] = []
        texts: list[str] = []
        metas: list[dict[str, MetadataValue]] = []
        vectors: list[np.ndarray] = []
        for article, chunks, embeddings in items:
            if len(chunks) != len(embeddings):
                raise ValueError("one embedding per chunk is required")
            ids.extend(c.chunk_id for c in chunks)
            texts.extend(c.text for c in chunks)
            metas.extend(self._passage_metadata(article, c) for c in chunks)
            vectors.append(np.asarray(embeddings, dtype=np.float32).reshape(len(chunks), -1))
        matrix = np.concatenate(vectors) if ids else np.zeros((0, 1), dtype=np.float32)
        batch = max(1, self._max_batch())
        for lo in range(0, len(ids), batch):
            self._call(
                self.passages.upsert,
                ids=ids[lo : lo + batch],
                embeddings=matrix[lo : lo + batch],
                documents=texts[lo : lo + batch],
                metadatas=metas[lo : lo + batch],
            )
        self._write_sentences(items, sentences, batch)
        for lo in range(0, len(items), batch):
            part = items[lo : lo + batch]
            self._call(
                self.articles.upsert,
                ids=[a.doc_id for a, _, _ in part],
                embeddings=[_UNIT] * len(part),
                documents=[a.text for a, _, _ in part],
                metadatas=[
                    self._article_metadata(
                        a, a.content_hash, len(c), all(x.chunk_id in sentences for x in c)
                    )
                    for a, c, _ in part
                ],
            )
        for lo in range(0, len(items), 100):
            keep = {a.doc_id: a.content_hash for a, _, _ in items[lo : lo + 100]}
            self._delete_old_passages(keep)
        self._bump_generation()

    def _write_sentences(
        self,
        items: Sequence[tuple[Article, Sequence[Chunk], np.ndarray]],
        sentences: Mapping[str, SentenceVectors],
        batch: int,
    ) -> None:
        ids: list[str] = []
        metas: list[dict[str, MetadataValue]] = []
        vectors: list[np.ndarray] = []
        for article, chunks, _ in items:
            for chunk in chunks:
                found = sentences.get(chunk.chunk_id)
                if found is None:
                    continue
                for (lo, hi), vector in zip(found.spans, found.vectors, strict=True):
                    ids.append(sentence_id(chunk.chunk_id, lo, hi))
                    metas.append(
                        {
                            "chunk_id": chunk.chunk_id,
                            "doc_id": article.doc_id,
                            "version": chunk.version,
                            "lo": lo,
                            "hi": hi,
                        }
                    )
                    vectors.append(vector)
        for lo in range(0, len(ids), batch):
            self._call(
                self.sentences.upsert,
                ids=ids[lo : lo + batch],
                embeddings=np.asarray(vectors[lo : lo + batch], dtype=np.float32),
                metadatas=metas[lo : lo + batch],
            )

    def delete_article(self, doc_id: str) -> bool:
        """Remove an article and all its passages; return whether it existed."""
        existed = bool(self._call(self.articles.get, ids=[doc_id], include=[])["ids"])
        self._call(self.articles.delete, ids=[doc_id])
        self._delete_passages(doc_id, keep_version=None)
        self._bump_generation()
        return existed

    def _delete_passages(self, doc_id: str, keep_version: str | None) -> None:
        where: dict[str, Any] = {"doc_id": doc_id}
        if keep_version is not None:
            where = {"$and": [{"doc_id": doc_id}, {"version": {"$ne": keep_version}}]}
        self._call(self.passages.delete, where=where)
        self._call(self.sentences.delete, where=where)

    def _delete_old_passages(self, keep: dict[str, str]) -> None:
        clauses: list[dict[str, Any]] = [
            {"$and": [{"doc_id": doc_id}, {"version": {"$ne": version}}]}
            for doc_id, version in keep.items()
        ]
        where = clauses[0] if len(clauses) == 1 else {"$or": clauses}
        self._call(self.passages.delete, where=where)
        self._call(self.sentences.delete, where=where)

    def _max_batch(self) -> int:
        try:
            return min(int(self._client.get_max_batch_size()), 5000)
        except Exception:
            return 1000

    @staticmethod
    def _passage_metadata(article: Article, chunk: Chunk) -> dict[str, MetadataValue]:
        return {
            "doc_id": article.doc_id,
            "version": chunk.version,
            "index": chunk.index,
            "start": chunk.start,
            "end": chunk.end,
            "page": chunk.page if chunk.page is not None else -1,
            "title": article.title,
            "published_at": article.published_at or "",
            "published_day": day_number(article.published_at),
            "source": article.source or "",
            "url": article.url or "",
        }

    @staticmethod
    def _article_metadata(
        article: Article, version: str, passages: int, has_sentences: bool
    ) -> dict[str, Any]:
        return {
            "sentences": has_sentences,
            "title": article.title,
            "version": version,
            "text_hash": article.text_hash,
            "published_at": article.published_at or "",
            "published_day": day_number(article.published_at),
            "source": article.source or "",
            "url": article.url or "",
            "origin": article.origin or "",
            "passages": passages,
            "extra": json.dumps(article.metadata, ensure_ascii=False, default=str),
        }

    # -- reads -------------------------------------------------------------------------
    def active_versions(self) -> dict[str, str]:
        """Map every stored doc_id to its active version (cached per generation)."""
        return self._article_versions()[0]

    def articles_without_sentences(self) -> frozenset[str]:
        """Return the doc_ids stored before sentence vectors existed (re-ingest adds them)."""
        return self._article_versions()[1]

    def _article_versions(self) -> tuple[dict[str, str], frozenset[str]]:
        token = self.generation()
        cached = self._versions_cache
        if cached is not None and cached[0] == token:
            return cached[1], cached[2]
        got = self._call(self.articles.get, include=["metadatas"])
        rows = list(zip(got["ids"], got["metadatas"], strict=True))
        versions = {i: str(m["version"]) for i, m in rows}
        lacking = frozenset(i for i, m in rows if not m.get("sentences"))
        self._versions_cache = (token, versions, lacking)
        return versions, lacking

    def sentence_vectors(self, sentences: Sequence[SentenceKey]) -> dict[SentenceKey, np.ndarray]:
        """Return the stored vectors of the given sentences, `(chunk_id, lo, hi)` each.

        Offsets are in the passage text; sentences stored without a vector are left out.
        """
        with self._lock:
            found = {k: self._sentence_cache[k] for k in sentences if k in self._sentence_cache}
        keys = {sentence_id(*key): key for key in sentences if key not in found}
        if keys:
            got = self._call(self.sentences.get, ids=list(keys), include=["embeddings"])
            fresh = {keys[i]: v for i, v in zip(got["ids"], got["embeddings"], strict=True)}
            self._remember_sentences(fresh)
            found.update(fresh)
        return {key: np.asarray(vector, dtype=np.float32) for key, vector in found.items()}

    def _remember_sentences(self, vectors: Mapping[SentenceKey, Any]) -> None:
        if self._sentence_cache_size <= 0 or not vectors:
            return
        with self._lock:
            for key, vector in vectors.items():
                self._sentence_cache[key] = np.asarray(vector, dtype=np.float16)
                self._sentence_cache.move_to_end(key)
            while len(self._sentence_cache) > self._sentence_cache_size:
                self._sentence_cache.popitem(last=False)

    def get_article(self, doc_id: str) -> StoredArticle | None:
        """Return the active version of one article, or None."""
        got = self._call(self.articles.get, ids=[doc_id], include=["metadatas", "documents"])
        if not got["ids"]:
            return None
        return _stored_article(got["ids"][0], got["metadatas"][0], got["documents"][0])

    def list_articles(self) -> list[StoredArticle]:
        """Return every stored article, ordered by doc_id."""
        got = self._call(self.articles.get, include=["metadatas", "documents"])
        rows = zip(got["ids"], got["metadatas"], got["documents"], strict=True)
        return sorted((_stored_article(*row) for row in rows), key=lambda a: a.doc_id)

    def find_by_text_hash(self, text_hash: str) -> str | None:
        """Return the doc_id of a stored article with exactly this body, if any."""
        got = self._call(self.articles.get, where={"text_hash": text_hash}, include=[])
        return got["ids"][0] if got["ids"] else None

    def count_passages(self) -> int:
        """Count stored passage records (orphans included)."""
        return int(self._call(self.passages.count))

    def query(
        self, embedding: np.ndarray, k: int, filters: SearchFilters | None = None
    ) -> list[Passage]:
        """Return up to k active passages nearest to `embedding`, best first."""
        versions = self.active_versions()
        if not versions:
            return []
        where = filters.chroma_where() if filters else None
        got = self._call(
            self.passages.query,
            query_embeddings=[np.asarray(embedding, dtype=np.float32)],
            n_results=k + 8,
            where=where,
            include=["metadatas", "documents", "distances"],
        )
        out: list[Passage] = []
        rows = zip(
            got["ids"][0],
            got["metadatas"][0],
            got["documents"][0],
            got["distances"][0],
            strict=True,
        )
        for chunk_id, meta, text, distance in rows:
            if versions.get(str(meta["doc_id"])) != meta["version"]:
                continue
            out.append(_passage(chunk_id, meta, text, score=1.0 - float(distance)))
        return out[:k]

    def dense_hits(
        self, embedding: np.ndarray, k: int, filters: SearchFilters | None = None
    ) -> list[DenseHit]:
        """Return up to k active passages nearest to `embedding`, as ids and cosines only.

        Reading metadata and text for every candidate costs several times the vector search
        itself; the hybrid retriever reads them only for the few passages it returns.
        """
        versions = self.active_versions()
        if not versions:
            return []
        got = self._call(
            self.passages.query,
            query_embeddings=[np.asarray(embedding, dtype=np.float32)],
            n_results=k + 8,
            where=filters.chroma_where() if filters else None,
            include=["distances"],
        )
        versions = self._versions_covering(got["ids"][0], versions)
        out: list[DenseHit] = []
        for chunk_id, distance in zip(got["ids"][0], got["distances"][0], strict=True):
            if _is_active(chunk_id, versions):
                out.append(DenseHit(chunk_id, split_chunk_id(chunk_id)[0], 1.0 - float(distance)))
        return out[:k]

    def get_passages(self, chunk_ids: Sequence[str]) -> list[Passage]:
        """Return the active passages among `chunk_ids`, in the order given."""
        if not chunk_ids:
            return []
        versions = self._versions_covering(chunk_ids, self.active_versions())
        active = [c for c in chunk_ids if _is_active(c, versions)]
        with self._lock:
            by_id = {c: self._passage_cache[c] for c in active if c in self._passage_cache}
        missing = [c for c in active if c not in by_id]
        if missing:
            got = self._call(self.passages.get, ids=missing, include=["metadatas", "documents"])
            fresh = [
                _passage(i, m, d)
                for i, m, d in zip(got["ids"], got["metadatas"], got["documents"], strict=True)
            ]
            self._remember(fresh)
            by_id.update((p.chunk_id, p) for p in fresh)
        return [by_id[c] for c in active if c in by_id]

    def _versions_covering(
        self, chunk_ids: Sequence[str], versions: dict[str, str]
    ) -> dict[str, str]:
        """Re-read the active versions if a chunk may belong to a version newer than we know.

        The generation token is trusted for a moment, so another process may have flipped an
        article since; seeing a passage of an unknown version is the sign. Without this
        check, a reader could drop the new passages while the old ones are already deleted,
        and see the article in no version at all.
        """
        if all(_is_active(c, versions) for c in chunk_ids):
            return versions
        cached = self._generation
        if cached is not None and cached[0] == self._read_generation():
            return versions  # nothing changed: those are orphans of an interrupted ingest
        return self.active_versions()

    def warm_cache(self, batch: int = 2000) -> int:
        """Read active passages and their sentence vectors into memory, up to the cache sizes.

        Returns how many passages were read; sets `cache_warmed` when done.
        """
        chunk_ids = {
            p.chunk_id for p in itertools.islice(self.iter_passages(), self._passage_cache_size)
        }  # iter_passages remembers what it reads
        offset = 0
        while len(self._sentence_cache) < self._sentence_cache_size:
            got = self._call(self.sentences.get, include=["embeddings"], limit=batch, offset=offset)
            if not got["ids"]:
                break
            offset += len(got["ids"])
            rows = zip(got["ids"], got["embeddings"], strict=True)
            keys = ((_sentence_key(i), v) for i, v in rows)
            self._remember_sentences({k: v for k, v in keys if k[0] in chunk_ids})
        self.cache_warmed = True
        return len(chunk_ids)

    def _remember(self, passages: Sequence[Passage]) -> None:
        if self._passage_cache_size <= 0 or not passages:
            return
        with self._lock:
            for passage in passages:
                self._passage_cache[passage.chunk_id] = passage
                self._passage_cache.move_to_end(passage.chunk_id)
            while len(self._passage_cache) > self._passage_cache_size:
                self._passage_cache.popitem(last=False)

    def iter_passages(
        self, doc_ids: Sequence[str] | None = None, batch: int = 2000
    ) -> Iterator[Passage]:
        """Yield every active passage (optionally of some articles only)."""
        versions = self.active_versions()
        where = {"doc_id": {"$in": list(doc_ids)}} if doc_ids else None
        if doc_ids is not None and not doc_ids:
            return
        offset = 0
        while True:
            got = self._call(
                self.passages.get,
                where=where,
                include=["metadatas", "documents"],
                limit=batch,
                offset=offset,
            )
            if not got["ids"]:
                return
            rows = zip(got["ids"], got["metadatas"], got["documents"], strict=True)
            page = [_passage(i, m, d) for i, m, d in rows if _is_active(i, versions)]
            if len(self._passage_cache) < self._passage_cache_size:
                self._remember(page)
            yield from page
            offset += len(got["ids"])


def _sentence_key(stored_id: str) -> SentenceKey:
    """Undo `sentence_id`: `<chunk_id>::<lo>-<hi>` -> (chunk_id, lo, hi)."""
    chunk_id, span = stored_id.rsplit("::", 1)
    lo, hi = span.split("-")
    return chunk_id, int(lo), int(hi)


def _is_active(chunk_id: str, versions: Mapping[str, str]) -> bool:
    """Say whether a chunk id names a passage of its article's active version."""
    doc_id, version = split_chunk_id(chunk_id)
    return versions.get(doc_id, "")[: len(version)] == version


def _passage(chunk_id: str, meta: dict[str, Any], text: str, score: float = 0.0) -> Passage:
    page = int(meta.get("page", -1))
    return Passage(
        chunk_id=chunk_id,
        doc_id=str(meta["doc_id"]),
        text=text,
        start=int(meta["start"]),
        end=int(meta["end"]),
        title=str(meta.get("title", "")),
        published_at=_opt(meta.get("published_at")),
        source=_opt(meta.get("source")),
        url=_opt(meta.get("url")),
        page=page if page >= 0 else None,
        score=score,
    )


def _stored_article(doc_id: str, meta: dict[str, Any], text: str) -> StoredArticle:
    return StoredArticle(
        doc_id=doc_id,
        title=str(meta.get("title", "")),
        text=text or "",
        version=str(meta["version"]),
        text_hash=str(meta.get("text_hash", "")),
        published_at=_opt(meta.get("published_at")),
        source=_opt(meta.get("source")),
        url=_opt(meta.get("url")),
        origin=_opt(meta.get("origin")),
        passages=int(meta.get("passages", 0)),
        metadata=json.loads(str(meta.get("extra") or "{}")),
    )


def _is_connection_error(exc: Exception) -> bool:
    names = {type(e).__name__ for e in _chain(exc)}
    markers = {
        "ConnectError",
        "ConnectionError",
        "ConnectTimeout",
        "ReadTimeout",
        "RemoteProtocolError",
    }
    text = str(exc).lower()
    return bool(names & markers) or "could not connect" in text or "connection refused" in text


def _is_storage_error(exc: Exception) -> bool:
    """Say whether SQLite or the file system refused a write (disk full, read-only)."""
    text = " ".join(str(e).lower() for e in _chain(exc))
    markers = ("disk i/o error", "disk is full", "readonly database", "no space left", "read-only")
    return any(marker in text for marker in markers)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: BaseException | None = exc
    while seen is not None:
        yield seen
        seen = seen.__cause__ or seen.__context__
