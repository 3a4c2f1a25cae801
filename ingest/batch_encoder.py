"""What every batch encoder of the embedding model shares: tokens, batches, pooling, parity.

A `BatchEncoder` tokenizes like the sentence-transformers model, groups texts of similar
length into batches of about `batch_tokens` padded tokens, runs its own forward pass
(`_hidden`: onnxruntime in `ingest.onnx_encoder`, torch in bfloat16 in `ingest.bf16_encoder`),
then pools and normalises as the model does. At load each one is checked against the model's
own vectors on a few probe texts; one that disagrees is not used.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

import numpy as np

KNOWN_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
# Short, long (truncated) and non-ASCII texts: an encoder must agree with the model on all.
PROBES = (
    "tariffs",
    "What did the framework say about rare earth export licences for US firms?",
    " ".join(["Section 232 duties on steel and aluminium imports were raised again."] * 40),
    "Zölle auf Stahl: 25 % ab März; 关税 and résumé of the négociations.",
)


class UnsupportedEncoderError(RuntimeError):
    """The model cannot run on this encoder (or this machine); the caller keeps another."""


class BatchEncoder(ABC):
    """Mean- or CLS-pooled, normalised embeddings from one forward pass a batch (thread-safe)."""

    batch_tokens = 1024  # padded tokens per batch (a subclass tunes its own)
    unsupported: type[UnsupportedEncoderError] = UnsupportedEncoderError  # its own error

    def __init__(self, runner: Any, tokenizer: Any, input_names: list[str], pooling: str) -> None:
        """Args: `runner` is what `_hidden` runs (an onnxruntime session, a torch module)."""
        self._runner = runner
        self._tokenizer = tokenizer
        self._inputs = input_names
        self._pooling = pooling

    @classmethod
    def parts(cls, model: Any) -> tuple[Any, str, Any, list[str]]:
        """`model_parts(model)`, failing with this encoder's own `unsupported` error."""
        try:
            return model_parts(model)
        except UnsupportedEncoderError as exc:
            raise cls.unsupported(str(exc)) from exc

    @abstractmethod
    def _hidden(self, feeds: dict[str, np.ndarray]) -> np.ndarray:
        """Run the model on padded (batch, tokens) inputs; return float32 hidden states."""

    def encode(self, text: str) -> np.ndarray:
        """Embed one text as a normalised float32 (dim,) vector."""
        return self._run([self._tokenizer.encode(text)])[0]

    def encode_batch(self, texts: Sequence[str], batch_size: int) -> np.ndarray:
        """Embed texts as a normalised float32 (n, dim) array, batching similar lengths.

        Longest first, as sentence-transformers does, so each batch pads to nearly its own
        width; a batch holds at most `batch_size` texts and about `batch_tokens` padded
        tokens, so short sentences go many at a time and long passages a few.
        """
        encodings = self._tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        vectors: list[np.ndarray] = [np.empty(0, dtype=np.float32)] * len(texts)
        lo = 0
        while lo < len(order):
            width = len(encodings[order[lo]].ids)
            rows = order[lo : lo + max(1, min(batch_size, self.batch_tokens // max(width, 1)))]
            for row, vector in zip(rows, self._run([encodings[i] for i in rows]), strict=True):
                vectors[row] = vector
            lo += len(rows)
        return np.stack(vectors)

    def _run(self, encodings: Sequence[Any]) -> np.ndarray:
        """Pad one batch of encodings, run the model, pool and normalise."""
        width = max(len(e.ids) for e in encodings)
        feeds = {name: np.zeros((len(encodings), width), dtype=np.int64) for name in KNOWN_INPUTS}
        for row, encoding in enumerate(encodings):
            size = len(encoding.ids)
            feeds["input_ids"][row, :size] = encoding.ids
            feeds["attention_mask"][row, :size] = encoding.attention_mask
            feeds["token_type_ids"][row, :size] = encoding.type_ids
        hidden = self._hidden({name: feeds[name] for name in self._inputs})
        if self._pooling == "cls":
            pooled = hidden[:, 0]
        else:
            mask = feeds["attention_mask"][:, :, None].astype(hidden.dtype)
            pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.where(norms > 0, norms, 1.0), dtype=np.float32)

    def lowest_agreement(self, model: Any) -> float:
        """The lowest cosine to the model's own vectors over the probes, singly and padded."""
        reference = model.encode(
            list(PROBES), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        singles = np.stack([self.encode(text) for text in PROBES])
        batched = self.encode_batch(PROBES, batch_size=len(PROBES))  # padded: lengths differ
        return min(float(np.min(np.sum(got * reference, axis=1))) for got in (singles, batched))


def model_parts(model: Any) -> tuple[Any, str, Any, list[str]]:
    """Return a plain pipeline's Transformer module, pooling, private tokenizer and inputs.

    Raises:
        UnsupportedEncoderError: the pipeline is not Transformer + Pooling (+ Normalize) with
            mean or CLS pooling over a Hugging Face model with a fast tokenizer.
    """
    modules = list(model)
    names = [type(m).__name__ for m in modules]
    if names not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        raise UnsupportedEncoderError(f"unsupported sentence-transformers pipeline {names}")
    pooling = str(modules[1].get_config_dict().get("pooling_mode", ""))
    if pooling not in ("mean", "cls"):
        raise UnsupportedEncoderError(f"unsupported pooling {pooling!r}")
    if not hasattr(modules[0], "auto_model"):
        raise UnsupportedEncoderError("the Transformer module has no Hugging Face model")
    input_names = [n for n in model.tokenizer.model_input_names if n in KNOWN_INPUTS]
    return modules[0], pooling, _tokenizer(model), input_names


def _tokenizer(model: Any) -> Any:
    """A private copy of the fast tokenizer, truncating like the model and never padding.

    Its settings are fixed here, so concurrent calls only ever read it.
    """
    from tokenizers import Tokenizer

    backend = getattr(model.tokenizer, "backend_tokenizer", None)
    if backend is None:
        raise UnsupportedEncoderError("the model has no fast tokenizer")
    tokenizer = Tokenizer.from_str(backend.to_str())
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=int(model.max_seq_length))
    return tokenizer
