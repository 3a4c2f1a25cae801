"""Run the embedding model through onnxruntime: the torch model's vectors, for less CPU.

The sentence-transformers model's encoder is exported to ONNX once (traced with plain
attention so that onnxruntime's BERT fusions apply; cached on disk by a digest of the weights
and the library versions) and checked against torch at load: single texts and a padded batch
must give the same vectors (cosine > 0.9999). One session serves both uses:
- single questions (`encode`): a dozen tokens, where torch spends most of its time
  dispatching operators; about 3 ms instead of 9 to 14;
- batches at ingest (`encode_batch`): passages and their quotable sentences, where torch's
  two threads waste most on the short sentences (bench/results/ingest.json).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from ingest.batch_encoder import BatchEncoder, UnsupportedEncoderError

log = logging.getLogger(__name__)

_OPSET = 17
_GRAPH = f"opset {_OPSET}, eager attention, bert fusions"  # part of the cache key
_PARITY_COSINE = 0.9999


class OnnxUnsupportedError(UnsupportedEncoderError):
    """The model cannot be run through onnxruntime; the caller keeps torch."""


class OnnxEncoder(BatchEncoder):
    """The model's embeddings via onnxruntime (thread-safe)."""

    # On two cores, batches of about 1,000 padded tokens (4 passages of 250 tokens,
    # 35 sentences of 30) ran the same texts 13% faster than 64 texts a batch.
    batch_tokens = 1024
    unsupported = OnnxUnsupportedError

    @classmethod
    def from_sentence_transformer(
        cls, model: Any, cache_dir: Path | None, *, spinning: bool = False
    ) -> OnnxEncoder:
        """Export (or reuse a cached export of) a SentenceTransformer's encoder, then check it.

        Args:
            model: the loaded SentenceTransformer.
            cache_dir: where exports are cached (None: export in memory every time).
            spinning: let idle pool threads spin between operators: a fifth less wall time
                for batches, but a core taken from a server's other work after each question.

        Raises:
            OnnxUnsupportedError: the model's pipeline or graph is not one this encoder runs,
                or the exported graph disagrees with torch.
        """
        import onnxruntime

        transformer, pooling, tokenizer, input_names = cls.parts(model)
        graph = _load_or_export(transformer.auto_model, input_names, model, cache_dir)
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        options.add_session_config_entry("session.intra_op.allow_spinning", str(int(spinning)))
        try:
            session = onnxruntime.InferenceSession(
                graph, options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:
            raise OnnxUnsupportedError(f"onnxruntime cannot load the export: {exc}") from exc
        encoder = cls(session, tokenizer, input_names, pooling)
        cosine = encoder.lowest_agreement(model)
        if cosine < _PARITY_COSINE:
            raise OnnxUnsupportedError(f"onnx and torch disagree (cosine {cosine:.5f})")
        return encoder

    def _hidden(self, feeds: dict[str, np.ndarray]) -> np.ndarray:
        return np.asarray(self._runner.run(None, feeds)[0])


def _load_or_export(
    hf_model: Any, input_names: list[str], model: Any, cache_dir: Path | None
) -> bytes | str:
    """Return a cached export's path, or export now (to the cache when it is writable)."""
    path = cache_dir / f"encoder-{_digest(model)}.onnx" if cache_dir else None
    if path is not None and path.is_file():
        return str(path)
    graph = _fused(_export(hf_model, input_names), hf_model.config)
    if path is None:
        return graph
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(fd, "wb") as out:
            out.write(graph)
        os.replace(tmp, path)  # atomic: a concurrent starter reads a whole file or none
    except OSError as exc:
        log.warning("cannot cache the ONNX export of the model in %s: %s", path.parent, exc)
    return graph


def _export(hf_model: Any, input_names: list[str]) -> bytes:
    import torch

    class _Encoder(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
            return self.inner(**dict(zip(input_names, tensors, strict=True))).last_hidden_state

    example = tuple(torch.ones((1, 8), dtype=torch.int64) for _ in input_names)
    axes = {name: {0: "batch", 1: "tokens"} for name in [*input_names, "hidden"]}
    buffer = io.BytesIO()
    try:
        with _eager_attention(hf_model), warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # tracer notes about Python control flow
            torch.onnx.export(
                _Encoder(hf_model.eval()),
                example,
                buffer,  # type: ignore[arg-type]  # the TorchScript exporter takes a file object
                input_names=input_names,
                output_names=["hidden"],
                dynamic_axes=axes,
                opset_version=_OPSET,
                dynamo=False,
            )
    except Exception as exc:
        raise OnnxUnsupportedError(f"the model does not export to ONNX: {exc}") from exc
    return buffer.getvalue()


@contextlib.contextmanager
def _eager_attention(hf_model: Any) -> Iterator[None]:
    """Trace plain attention (not SDPA), whose graph onnxruntime's BERT fusions recognise."""
    previous = getattr(hf_model.config, "_attn_implementation", None)
    if previous in (None, "eager") or not hasattr(hf_model, "set_attn_implementation"):
        yield
        return
    hf_model.set_attn_implementation("eager")
    try:
        yield
    finally:
        hf_model.set_attn_implementation(previous)  # the torch path keeps its own


def _fused(graph: bytes, config: Any) -> bytes:
    """Fuse a BERT graph's attention, layer norms and GELU into onnxruntime's CPU kernels.

    About a tenth less CPU per batch for the same vectors (the parity check still decides).
    """
    if getattr(config, "model_type", None) != "bert":
        return graph
    import onnx
    from onnxruntime.transformers.optimizer import optimize_model

    logging.getLogger("onnxruntime.transformers").setLevel(logging.ERROR)  # fusion counts
    try:
        fused = optimize_model(
            onnx.load_from_string(graph),
            model_type="bert",
            num_heads=int(config.num_attention_heads),
            hidden_size=int(config.hidden_size),
            opt_level=1,
        )
    except Exception as exc:  # an unfamiliar graph: the plain export is still right
        log.warning("ONNX fusions skipped: %s", exc)
        return graph
    return bytes(fused.model.SerializeToString())


def _digest(model: Any) -> str:
    """Identify the model's weights and the exporting libraries' versions."""
    import onnxruntime
    import torch
    import transformers

    hf_model = model[0].auto_model
    parts = [torch.__version__, transformers.__version__, onnxruntime.__version__, _GRAPH]
    parts.append(type(hf_model).__name__)
    parts.append(repr(sorted(hf_model.config.to_dict().items(), key=lambda kv: kv[0]))[:20000])
    digest = hashlib.sha256("|".join(parts).encode())
    with torch.no_grad():
        for name, tensor in sorted(hf_model.state_dict().items()):
            digest.update(name.encode())
            digest.update(tensor.detach().cpu().float().numpy().tobytes()[:4096])
            digest.update(str(float(tensor.float().sum())).encode())
    return digest.hexdigest()[:20]
