"""Run the embedding model in bfloat16 on torch: about 30% less CPU than fp32 onnxruntime.

On a CPU with native bfloat16 arithmetic (AVX512-BF16 or AMX), a bfloat16 copy of the
model's encoder runs each batch's matrix products at twice fp32's rate. The vectors are the
model's to within rounding: mean pooling over the tokens averages the rounding away (cosine
to the fp32 vectors above 0.9998 on passages and sentences, checked on probe texts at load;
bench/results/ingest.json measures it on a whole store). Questions keep the fp32 model
(`ingest.onnx_encoder`), so every score compares fp32 and bfloat16 vectors of the same model.
On a CPU without native bfloat16 this encoder would be slower than fp32 and is not used.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from ingest.batch_encoder import BatchEncoder, UnsupportedEncoderError

# The lowest cosine to the fp32 model accepted on the probes (measured: 0.99989 over the
# sentences of 200 SciFact abstracts, 0.99992 over their passages).
_PARITY_COSINE = 0.9995


class Bf16UnsupportedError(UnsupportedEncoderError):
    """This CPU or model cannot run the bfloat16 encoder; the caller keeps another."""


def native_bf16() -> bool:
    """Say whether this CPU computes in bfloat16 natively (else bfloat16 is emulated, slow)."""
    import torch

    probes = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")  # private: may move
    try:
        return any(bool(getattr(torch.cpu, name)()) for name in probes)
    except (AttributeError, RuntimeError):
        return False


class Bf16Encoder(BatchEncoder):
    """The model's embeddings from a bfloat16 copy of its encoder on torch (thread-safe)."""

    # Two cores: 4,096 padded tokens a batch ran sentences 4% faster than 1,024; torch's
    # per-call overhead is larger than onnxruntime's.
    batch_tokens = 4096
    unsupported = Bf16UnsupportedError

    @classmethod
    def from_sentence_transformer(cls, model: Any, *, require_native: bool = True) -> Bf16Encoder:
        """Copy a SentenceTransformer's encoder into bfloat16, then check it against fp32.

        `require_native=False` builds it on any CPU (emulated bfloat16: the same vectors, slower
        than fp32; for checking the vectors, never for ingest).

        Raises:
            Bf16UnsupportedError: the CPU lacks native bfloat16, the pipeline is not a plain
                one, or the copy's vectors disagree with the model's.
        """
        import torch

        if require_native and not native_bf16():
            raise Bf16UnsupportedError("this CPU has no native bfloat16 arithmetic")
        transformer, pooling, tokenizer, input_names = cls.parts(model)
        module = copy.deepcopy(transformer.auto_model).to(torch.bfloat16).eval()
        encoder = cls(module, tokenizer, input_names, pooling)
        cosine = encoder.lowest_agreement(model)
        if cosine < _PARITY_COSINE:
            raise Bf16UnsupportedError(f"bfloat16 and fp32 disagree (cosine {cosine:.5f})")
        return encoder

    def _hidden(self, feeds: dict[str, np.ndarray]) -> np.ndarray:
        import torch

        with torch.inference_mode():
            tensors = {name: torch.from_numpy(array) for name, array in feeds.items()}
            hidden = self._runner(**tensors).last_hidden_state
            return np.asarray(hidden.float().numpy())
