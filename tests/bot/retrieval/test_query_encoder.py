"""Question embeddings: onnxruntime gives the torch model's vectors; the export is cached."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from bot.retrieval.query_encoder import QueryEncoder
from ingest.embedder import Embedder

QUESTIONS = [
    "What is pending presidential approval?",
    "tariffs",
    "Which rare-earth export licences did China approve for US magnet makers, and when?",
    "Zölle auf Stahl und Aluminium: was gilt ab März?",
    " ".join(["Section 232 duties on steel imports were raised again."] * 60),  # truncated
]


def test_onnx_questions_match_torch_and_the_export_is_reused(
    embedder: Embedder, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = QueryEncoder(embedder, "onnx", cache)
    exports = list(cache.glob("*.onnx"))
    stamp = exports[0].stat().st_mtime_ns if exports else None
    second = QueryEncoder(embedder, "onnx", cache)

    assert first.query_backend == second.query_backend == "onnx"
    assert len(exports) == 1 and list(cache.glob("*.onnx")) == exports
    assert exports[0].stat().st_mtime_ns == stamp  # loaded, not exported again
    reference = embedder.embed_passages(QUESTIONS)  # torch, batched
    for question, expected in zip(QUESTIONS, reference, strict=True):
        vector = second.embed_query(question)
        assert vector.shape == expected.shape and vector.dtype == np.float32
        assert float(vector @ expected) > 0.9999
        assert float(np.linalg.norm(vector)) == pytest.approx(1.0, abs=1e-5)


def test_unwritable_cache_still_serves_onnx_and_says_why(
    embedder: Embedder, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the cache directory should be")
    with caplog.at_level(logging.WARNING):
        encoder = QueryEncoder(embedder, "onnx", blocked)
    assert encoder.query_backend == "onnx"
    assert "cannot cache the ONNX query encoder" in caplog.text
    assert blocked.read_text().startswith("a file")


def test_torch_backend_and_repeated_questions(embedder: Embedder) -> None:
    torch_only = QueryEncoder(embedder, "torch")
    question = QUESTIONS[0]

    vector = torch_only.embed_query(question)

    assert torch_only.query_backend == "torch"
    assert float(vector @ embedder.embed_passages([question])[0]) > 0.9999
    assert torch_only.embed_query(question) is vector  # remembered, not embedded again
    with pytest.raises(ValueError):
        vector[0] = 1.0  # shared between callers, so read-only
