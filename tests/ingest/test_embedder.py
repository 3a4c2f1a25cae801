"""Batches on onnxruntime or in bfloat16 change no answer the real app gives, nor any stored
vector beyond rounding."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.settings import Settings
from bot.wiring import build_ingestor, open_store
from ingest.bf16_encoder import native_bf16
from ingest.embedder import EmbedBackend, Embedder
from ingest.loaders import article_from_json
from ingest.store import PassageStore
from tests.support.articles import GALLIUM
from tests.support.embedding import BF16_AGREEMENT, ONNX_AGREEMENT

ARTICLES: list[dict[str, Any]] = [
    {
        "id": "london-framework",
        "title": "US and China Reach Trade Framework Ahead of Presidential Approval",
        "text": (
            "Top officials from the United States and China concluded two days of negotiations "
            "in London with a proposed framework for reducing trade tensions. US Commerce "
            "Secretary Howard Lutnick announced that the deal aims to resolve disputes over rare "
            "earth minerals and magnets. The framework will now be presented to Presidents "
            "Donald Trump and Xi Jinping for final approval.\n"
            "China's retaliatory tariffs on US imports had soared to 145% earlier in the year."
        ),
    },
    {
        "id": "japan-chip-controls",
        "title": "Japan tightens export controls on chipmaking equipment",
        "text": (
            "Japan's trade ministry added 23 types of semiconductor manufacturing equipment to "
            "its export control list. Exporters of the listed lithography and etching tools "
            "must now obtain a licence for every shipment to most destinations. The ministry "
            "said the rules take effect in July after a consultation with industry."
        ),
    },
    GALLIUM,
]
# (question, words the first quote must contain); None: the corpus does not answer it.
QUESTIONS: list[tuple[str, str | None]] = [
    ("What is pending presidential approval?", "presented to Presidents"),
    ("How many types of chipmaking equipment did Japan add to its control list?", "23 types"),
    ("What is germanium used in?", "fibre optics"),
    ("How high did China's retaliatory tariffs go?", "145%"),
    ("How do I bake sourdough bread?", None),
]


@pytest.fixture(scope="module")
def torch_ingest(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, list[Any]]:
    """The fixture articles ingested with batches on fp32 torch (how ingest first ran), asked."""
    torch_embedder = Embedder(backend="torch")
    assert torch_embedder.backend == "torch"
    settings = Settings(data_dir=tmp_path_factory.mktemp("torch"), embed_backend="torch")
    return settings, list(ingest_and_ask(settings, torch_embedder))


def ingest_and_ask(settings: Settings, embedder: Embedder) -> Iterator[dict[str, Any]]:
    """Ingest the fixture articles with `embedder`, then ask every question through the app."""
    report = build_ingestor(settings, open_store(settings), embedder).ingest_articles(
        article_from_json(a) for a in ARTICLES
    )
    assert report.added == len(ARTICLES)
    with TestClient(create_app(settings, embedder=embedder)) as client:
        for question, _ in QUESTIONS:
            response = client.post("/v1/chat", json={"question": question})
            assert response.status_code == 200
            yield response.json()


def quoted(answer: dict[str, Any]) -> tuple[str, list[tuple[str, int, int, str]]]:
    """What a reader sees: the text and each citation's place and quote."""
    cites = [(c["doc_id"], c["start"], c["end"], c["quote"]) for c in answer["citations"]]
    return answer["answer"], cites


@pytest.mark.parametrize(
    ("backend", "agreement"), [("onnx", ONNX_AGREEMENT), ("bf16", BF16_AGREEMENT)]
)
def test_ingest_quotes_the_right_sentences_exactly_as_torch_ingest_did(
    backend: EmbedBackend,
    agreement: float,
    torch_ingest: tuple[Settings, list[Any]],
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=tmp_path / backend, embed_backend=backend)
    embedder = Embedder(backend=backend, cache_dir=settings.model_cache_dir)

    after = list(ingest_and_ask(settings, embedder))

    torch, before = torch_ingest
    # bf16 is only used where the CPU computes it natively; elsewhere it falls back to onnx.
    assert embedder.backend == (backend if backend == "onnx" or native_bf16() else "onnx")
    for (question, words), new, old in zip(QUESTIONS, after, before, strict=True):
        assert quoted(new) == quoted(old), question
        assert new["grounded"] is (words is not None), question
        if words is not None:
            assert words in new["citations"][0]["quote"], question
    assert stored_vector_agreement(open_store(settings), open_store(torch)) > agreement


def stored_vector_agreement(store: PassageStore, reference: PassageStore) -> float:
    """The lowest cosine between two stores' passage and sentence vectors of the same ids."""
    lowest = 1.0
    for name in ("passages", "sentences"):
        got = getattr(store, name).get(include=["embeddings"])
        want = getattr(reference, name).get(include=["embeddings"])
        by_id = dict(zip(want["ids"], want["embeddings"], strict=True))
        assert len(got["ids"]) >= 3 and set(got["ids"]) == set(by_id), name
        for key, vector in zip(got["ids"], got["embeddings"], strict=True):
            lowest = min(lowest, float(np.dot(vector, by_id[key])))
    return lowest
