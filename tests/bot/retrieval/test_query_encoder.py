"""Question embeddings: onnxruntime gives the torch model's vectors, in the embedder's session."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.retrieval.query_encoder import QueryEncoder
from ingest.embedder import Embedder
from tests.support.embedding import ONNX_AGREEMENT

QUESTIONS = [
    "What is pending presidential approval?",
    "tariffs",
    "Which rare-earth export licences did China approve for US magnet makers, and when?",
    "Zölle auf Stahl und Aluminium: was gilt ab März?",
    " ".join(["Section 232 duties on steel imports were raised again."] * 60),  # truncated
]


def test_onnx_questions_match_torch_and_share_the_embedders_session(
    embedder: Embedder, tmp_path: Path
) -> None:
    encoder = QueryEncoder(embedder, "onnx", tmp_path / "cache")

    assert encoder.query_backend == "onnx"
    assert encoder._onnx is embedder.onnx_encoder(None)  # one session per model, not two
    assert not (tmp_path / "cache").exists()  # the embedder's export was reused
    reference = embedder.embed_with_torch(QUESTIONS)
    for question, expected in zip(QUESTIONS, reference, strict=True):
        vector = encoder.embed_query(question)
        assert vector.shape == expected.shape and vector.dtype == np.float32
        assert float(vector @ expected) > ONNX_AGREEMENT
        assert float(np.linalg.norm(vector)) == pytest.approx(1.0, abs=1e-5)


def test_torch_backend_and_repeated_questions(embedder: Embedder) -> None:
    torch_only = QueryEncoder(embedder, "torch")
    question = QUESTIONS[0]

    vector = torch_only.embed_query(question)

    assert torch_only.query_backend == "torch"
    assert float(vector @ embedder.embed_with_torch([question])[0]) > ONNX_AGREEMENT
    assert torch_only.embed_query(question) is vector  # remembered, not embedded again
    with pytest.raises(ValueError):
        vector[0] = 1.0  # shared between callers, so read-only
