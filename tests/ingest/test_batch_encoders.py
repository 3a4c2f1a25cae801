"""The batch encoders (onnxruntime, bfloat16): torch's vectors, singly and in padded batches.

Also: the ONNX export is cached; a CPU without native bfloat16 falls back to onnxruntime.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import ingest.bf16_encoder
from ingest.batch_encoder import BatchEncoder
from ingest.bf16_encoder import Bf16Encoder, native_bf16
from ingest.embedder import Embedder
from ingest.onnx_encoder import OnnxEncoder
from ingest.text import embedding_text, passage_embedding_text, quotable_spans
from tests.support.embedding import BF16_AGREEMENT, ONNX_AGREEMENT

TITLE = "China requires licences for gallium and germanium exports"
BODY = (
    "China's commerce ministry announced that exporters of gallium and germanium products need "
    "a licence from August. Gallium is used in compound semiconductors. Analysts said shipments "
    "could stall for months while applications are reviewed, and U.S. buyers began stockpiling. "
    + " ".join(["Section 232 duties on steel and aluminium imports were raised again."] * 30)
)


def texts_of_every_length() -> list[str]:
    """A passage (title first), its quotable sentences, a long truncated text, odd ones."""
    sentences = [embedding_text(BODY[lo:hi]) for lo, hi in quotable_spans(BODY)]
    return [
        passage_embedding_text(TITLE, BODY),  # longer than the model reads: truncated
        *dict.fromkeys(sentences),
        "tariffs",
        "Zölle auf Stahl: 25 % ab März; 关税 and résumé of the négociations.",
    ]


def onnx_encoder(embedder: Embedder) -> BatchEncoder:
    return embedder.onnx_encoder(None)


def bf16_encoder(embedder: Embedder) -> BatchEncoder:
    # Emulated where the CPU lacks bfloat16: the vectors are checked on every machine.
    return Bf16Encoder.from_sentence_transformer(
        embedder.sentence_transformer, require_native=False
    )


@pytest.mark.parametrize(
    ("build", "agreement"),
    [(onnx_encoder, ONNX_AGREEMENT), (bf16_encoder, BF16_AGREEMENT)],
    ids=["onnx", "bf16"],
)
def test_batches_give_torchs_vectors_in_the_callers_order(
    embedder: Embedder, build: Callable[[Embedder], BatchEncoder], agreement: float
) -> None:
    texts = texts_of_every_length()
    encoder = build(embedder)

    got = encoder.encode_batch(texts, batch_size=2)  # several batches, each padded
    expected = embedder.embed_with_torch(texts)

    assert got.shape == expected.shape and got.dtype == np.float32
    cosines = np.sum(got * expected, axis=1)
    assert float(cosines.min()) > agreement
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    reordered = encoder.encode_batch(texts[::-1], batch_size=64)[::-1]  # other batches
    assert float(np.sum(reordered * got, axis=1).min()) > agreement


def test_export_is_cached_once_and_reused(embedder: Embedder, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    OnnxEncoder.from_sentence_transformer(embedder.sentence_transformer, cache)
    exports = list(cache.glob("*.onnx"))
    stamp = exports[0].stat().st_mtime_ns if exports else None

    again = OnnxEncoder.from_sentence_transformer(embedder.sentence_transformer, cache)

    assert len(exports) == 1 and list(cache.glob("*.onnx")) == exports
    assert exports[0].stat().st_mtime_ns == stamp  # loaded, not exported again
    expected = embedder.embed_with_torch(["tariffs"])[0]
    assert float(again.encode("tariffs") @ expected) > ONNX_AGREEMENT


def test_unwritable_cache_still_gives_an_encoder_and_says_why(
    embedder: Embedder, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the cache directory should be")
    with caplog.at_level(logging.WARNING):
        encoder = OnnxEncoder.from_sentence_transformer(embedder.sentence_transformer, blocked)
    assert encoder.encode("tariffs").shape == (384,)
    assert "cannot cache the ONNX export" in caplog.text
    assert blocked.read_text().startswith("a file")


def test_auto_embeds_batches_in_bfloat16_exactly_where_the_cpu_computes_it(tmp_path: Path) -> None:
    expected = "bf16" if native_bf16() else "onnx"
    assert Embedder(backend="auto", cache_dir=tmp_path).backend == expected


def test_a_cpu_without_native_bfloat16_embeds_batches_on_onnxruntime(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(ingest.bf16_encoder, "native_bf16", lambda: False)
    for requested in ("auto", "bf16"):
        fallback = Embedder(backend=requested, cache_dir=tmp_path)
        assert fallback.backend == "onnx", requested
        vector = fallback.embed_passages(["tariffs"])[0]
        assert float(vector @ fallback.embed_with_torch(["tariffs"])[0]) > ONNX_AGREEMENT
