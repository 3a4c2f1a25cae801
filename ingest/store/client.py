"""Connect to Chroma (embedded or a server) with bounded waits, and classify its failures."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

log = logging.getLogger(__name__)


class StoreUnavailableError(RuntimeError):
    """The Chroma store (embedded or server) cannot be reached."""


class StoreStorageError(StoreUnavailableError):
    """The store's disk refused a write (full or read-only); what was stored stays readable."""


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


class LazyChromaClient:
    """A Chroma client opened on first use and retried until it opens.

    A Chroma server that is down at start-up must not stop the app: the store reports
    StoreUnavailableError (503, /readyz not ready) until the server answers.
    """

    def __init__(self, data_dir: Path, chroma_url: str | None, timeout_s: float = 30.0) -> None:
        self._data_dir = data_dir
        self._chroma_url = chroma_url
        self._timeout_s = timeout_s
        self._client: Any = None
        self._lock = threading.Lock()

    def _open(self) -> Any:
        with self._lock:
            if self._client is None:
                self._client = open_chroma_client(self._data_dir, self._chroma_url, self._timeout_s)
            return self._client

    def __getattr__(self, name: str) -> Any:
        return getattr(self._open(), name)


def is_connection_error(exc: Exception) -> bool:
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


def is_stale_index_error(exc: Exception) -> bool:
    """Say whether an embedded store's vector index lags another process's writes."""
    return any("error finding id" in str(e).lower() for e in _chain(exc))


def is_chroma_error(exc: Exception) -> bool:
    """Say whether Chroma itself raised (anything of it left unclassified is a 503)."""
    return type(exc).__module__.startswith("chromadb")


def is_storage_error(exc: Exception) -> bool:
    """Say whether SQLite or the file system refused a write (disk full, read-only)."""
    text = " ".join(str(e).lower() for e in _chain(exc))
    markers = ("disk i/o error", "disk is full", "readonly database", "no space left", "read-only")
    return any(marker in text for marker in markers)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: BaseException | None = exc
    while seen is not None:
        yield seen
        seen = seen.__cause__ or seen.__context__
