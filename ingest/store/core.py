"""The store's collections, its generation token and how its calls fail."""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from typing import Any

import numpy as np

from ingest.models import Passage
from ingest.store.client import (
    StoreStorageError,
    StoreUnavailableError,
    is_connection_error,
    is_storage_error,
)
from ingest.store.records import GENERATION_ID, UNIT, SentenceKey


class StoreCore:
    """State shared by the reader and the writer: collections, caches, generation."""

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
        got = self._call(self._collection("meta").get, ids=[GENERATION_ID], include=["metadatas"])
        token = str(got["metadatas"][0]["token"]) if got["ids"] else "empty"
        self._generation = (token, time.monotonic())
        return token

    def _bump_generation(self) -> None:
        token = uuid.uuid4().hex
        self._generation = None  # a failed write must not leave a stale token trusted
        self._call(
            self._collection("meta").upsert,
            ids=[GENERATION_ID],
            embeddings=[UNIT],
            metadatas=[{"token": token}],
        )
        self._generation = (token, time.monotonic())

    def _call(self, method: Any, **kwargs: Any) -> Any:
        try:
            return method(**kwargs)
        except Exception as exc:
            if is_connection_error(exc):
                self._collections.clear()
                raise StoreUnavailableError(f"Chroma store unreachable: {exc}") from exc
            if is_storage_error(exc):
                raise StoreStorageError(f"Chroma store cannot write to its disk: {exc}") from exc
            raise
