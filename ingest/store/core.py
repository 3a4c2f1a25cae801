"""The store's collections, its generation token and how its calls fail."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import numpy as np

from ingest.models import Passage
from ingest.store.client import (
    StoreStorageError,
    StoreUnavailableError,
    is_chroma_error,
    is_connection_error,
    is_stale_index_error,
    is_storage_error,
)
from ingest.store.records import CATCH_UP_ID, GENERATION_ID, UNIT, SentenceKey

log = logging.getLogger(__name__)

# The generation tokens pinned by `StoreCore.one_generation` in this context, by store.
_PINNED: ContextVar[dict[int, str] | None] = ContextVar("tradebot_store_generation", default=None)


class StoreCore:
    """State shared by the reader and the writer: collections, caches, generation."""

    def __init__(
        self,
        client: Any,
        prefix: str = "tradebot",
        generation_ttl_s: float = 0.5,
        passage_cache_size: int = 20_000,
        search_ef: int | None = None,
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
            search_ef: how many neighbours the passage index explores per vector search
                (HNSW `ef_search`, set on the collection, which keeps it); None leaves it.
        """
        self._client = client
        self._prefix = prefix
        self._generation_ttl_s = generation_ttl_s
        self._search_ef = search_ef
        self._generation: tuple[str, float] | None = None
        self._last_token: str | None = None  # the newest token seen or written here
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
                    collection = self._client.get_or_create_collection(
                        name=f"{self._prefix}_{kind}",
                        metadata={"hnsw:space": "cosine"},
                        embedding_function=None,
                    )
                except Exception as exc:
                    raise StoreUnavailableError(f"Chroma store unreachable: {exc}") from exc
                if kind == "passages":
                    collection = self._searching_deep_enough(collection)
                self._collections[kind] = collection
            return self._collections[kind]

    def _searching_deep_enough(self, collection: Any) -> Any:
        """Return the passage collection with its index exploring `search_ef` neighbours.

        Chroma's default (100) missed one or two of the 48 nearest passages on the trade
        corpus, and not the same ones from one process to the next (the index graph
        differs), so a question could retrieve differently after a restart or on another
        replica. The setting is stored with the collection: set once, by whoever opens it.
        """
        hnsw = (getattr(collection, "configuration", None) or {}).get("hnsw") or {}
        if not self._search_ef or hnsw.get("ef_search") == self._search_ef:
            return collection
        try:
            collection.modify(configuration={"hnsw": {"ef_search": self._search_ef}})
            # The handle read before the change keeps searching as it was configured.
            return self._client.get_collection(name=collection.name, embedding_function=None)
        except Exception as exc:  # a store that refuses the change still answers
            log.warning("could not set the passage index's ef_search: %s", exc)
            return collection

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
    def generation(self, fresh: bool = False, renew: bool = False) -> str:
        """Return a token that changes whenever any article is written or deleted.

        A token read less than `generation_ttl_s` ago is trusted unless `fresh` is asked for
        (a caller with its own check interval, such as the BM25 index). Within
        `one_generation`, the token is the one first read there, unless `renew` is asked for
        (a reader that found the store changed under it).
        """
        pinned = _PINNED.get()
        if pinned is not None and not renew and id(self) in pinned:
            return pinned[id(self)]
        cached = self._generation
        if fresh or renew:
            return self._read_generation()
        if cached is not None and time.monotonic() - cached[1] < self._generation_ttl_s:
            return cached[0]
        return self._read_generation()

    @contextmanager
    def one_generation(self) -> Iterator[None]:
        """Read the store at one generation until the block ends: the token first read in this
        context is the one every later `generation` call returns (a fresh read saved, about
        1 ms each), so an answer's searches and reads see one state of the store. Work handed
        to another thread with this context (`contextvars.copy_context`) shares the pin. This
        process's own writes and `generation(renew=True)` move it on."""
        reset = _PINNED.set({})
        try:
            yield
        finally:
            _PINNED.reset(reset)

    def pin_pending(self) -> bool:
        """Say whether this context pins the generation (`one_generation`) and has yet to read
        it: a caller may read it ahead, with this context, while it does other work."""
        pinned = _PINNED.get()
        return pinned is not None and id(self) not in pinned

    def _read_generation(self) -> str:
        got = self._call(self._collection("meta").get, ids=[GENERATION_ID], include=["metadatas"])
        token = str(got["metadatas"][0]["token"]) if got["ids"] else "empty"
        if self._last_token is not None and token != self._last_token:
            self._catch_up()  # another process wrote: our in-memory vector index lags
        self._last_token = token
        self._generation = (token, time.monotonic())
        pinned = _PINNED.get()
        if pinned is not None:
            pinned[id(self)] = token
        return token

    def _catch_up(self) -> None:
        """Make this process's vector index apply writes that another process made.

        An embedded Chroma keeps each collection's vector index in memory and applies the
        shared write log only when this process itself writes to that collection; until
        then a search can name passages another process deleted ("Error finding id") and
        miss the ones it added. Deleting an id that never exists is such a write, and a
        harmless one (on a Chroma server it is a no-op request).
        """
        for kind in ("passages", "sentences"):
            try:
                self._collection(kind).delete(ids=[CATCH_UP_ID])
            except Exception as exc:  # a read-only disk: reads go on, errors are mapped
                log.info("store could not catch up with other writers: %s", exc)

    def _bump_generation(self) -> None:
        token = uuid.uuid4().hex
        self._generation = None  # a failed write must not leave a stale token trusted
        self._call(
            self._collection("meta").upsert,
            ids=[GENERATION_ID],
            embeddings=[UNIT],
            metadatas=[{"token": token}],
        )
        self._last_token = token
        self._generation = (token, time.monotonic())
        pinned = _PINNED.get()
        if pinned is not None:
            pinned[id(self)] = token

    def _call(self, method: Any, **kwargs: Any) -> Any:
        try:
            return method(**kwargs)
        except Exception as exc:
            if is_stale_index_error(exc):
                return self._call_after_catching_up(method, kwargs)
            if is_connection_error(exc):
                self._collections.clear()
                raise StoreUnavailableError(f"Chroma store unreachable: {exc}") from exc
            if is_storage_error(exc):
                raise StoreStorageError(f"Chroma store cannot write to its disk: {exc}") from exc
            if is_chroma_error(exc):
                raise StoreUnavailableError(f"Chroma store failed: {exc}") from exc
            raise

    def _call_after_catching_up(self, method: Any, kwargs: dict[str, Any]) -> Any:
        self._catch_up()
        try:
            return method(**kwargs)
        except Exception as exc:
            raise StoreUnavailableError(f"Chroma store is catching up with writes: {exc}") from exc
