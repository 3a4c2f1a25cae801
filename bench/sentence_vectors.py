"""Measure sentence vectors derived from the passage pass against standalone ones, by answers.

Issue 13's first idea for a faster ingest: instead of embedding every quotable sentence on its
own, mean-pool the token embeddings of the passage's own forward pass whose character offsets
fall inside the sentence (the first 256 characters, as `ingest.text.embedding_text` cuts),
then normalise: one model pass per passage. This script measures what that would do to the
extractive answers. For SciFact claims with rationale abstracts, it chunks those abstracts
with the real chunker, retrieves each claim's 5 nearest passages (dense, as the passage
vectors are the same either way) and asks the real `ExtractiveAnswerer` (production
threshold) twice: with standalone sentence vectors (what ingest stores) and with derived ones.

    python bench/sentence_vectors.py --scifact ../shared/bench/scifact --claims 300

Prints the figures and writes them to bench/results/sentence_vectors.json.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bot.answering.extractive import ExtractiveAnswerer
from bot.settings import Settings
from ingest.chunker import Chunker
from ingest.embedder import Embedder
from ingest.models import Article, Passage
from ingest.store import SentenceKey
from ingest.text import EMBED_CHARS, embedding_text, passage_embedding_text, quotable_spans

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "sentence_vectors.json"


def claims_and_passages(
    folder: Path, limit: int, embedder: Embedder
) -> tuple[list[tuple[str, set[str]]], list[Passage]]:
    """The first `limit` claims with rationale abstracts, and those abstracts' passages."""
    corpus: dict[str, dict[str, Any]] = {}
    for line in (folder / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        corpus[row["_id"]] = row
    claims: list[tuple[str, set[str]]] = []
    for line in (folder / "queries.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        docs = {d for d in row.get("metadata") or {} if d in corpus}
        if docs and len(claims) < limit:
            claims.append((row["text"], docs))
    settings = Settings()
    chunker = Chunker(embedder.count_tokens, settings.chunk_tokens, settings.chunk_overlap_tokens)
    passages = []
    for doc_id in sorted({d for _, docs in claims for d in docs}):
        row = corpus[doc_id]
        article = Article(doc_id=doc_id, title=row["title"], text=row["text"])
        passages += [_passage(article, chunk) for chunk in chunker.split(article)]
    return claims, passages


def _passage(article: Article, chunk: Any) -> Passage:
    return Passage(
        chunk_id=chunk.chunk_id,
        doc_id=article.doc_id,
        text=chunk.text,
        start=chunk.start,
        end=chunk.end,
        title=article.title,
        published_at=None,
        source=None,
        url=None,
    )


def derived_vectors(
    embedder: Embedder, passages: Sequence[Passage]
) -> tuple[np.ndarray, dict[SentenceKey, np.ndarray]]:
    """One forward pass per passage: its vector, and each sentence's from its tokens."""
    model = embedder.sentence_transformer
    texts = [passage_embedding_text(p.title, p.text) for p in passages]
    outputs = model.encode(texts, batch_size=embedder.batch_size, output_value=None)
    offsets = model.tokenizer(
        texts, truncation=True, max_length=model.max_seq_length, return_offsets_mapping=True
    )["offset_mapping"]
    passage_vectors, sentences = [], {}
    for passage, output, spans in zip(passages, outputs, offsets, strict=True):
        tokens = output["token_embeddings"][output["attention_mask"].bool()].float().numpy()
        spans = np.asarray(spans)
        passage_vectors.append(_unit(tokens.mean(axis=0)))
        shift = len(passage.title) + 1  # the title and a newline come first
        for lo, hi in quotable_spans(passage.text):
            first, last = lo + shift, min(hi, lo + EMBED_CHARS) + shift
            inside = (spans[:, 0] >= first) & (spans[:, 1] <= last) & (spans[:, 1] > spans[:, 0])
            if inside.any():  # else truncated away: the answerer embeds it itself
                sentences[(passage.chunk_id, lo, hi)] = _unit(tokens[inside].mean(axis=0))
    return np.stack(passage_vectors), sentences


def _unit(vector: np.ndarray) -> np.ndarray:
    return np.asarray(vector / np.linalg.norm(vector), dtype=np.float32)


def standalone_vectors(
    embedder: Embedder, passages: Sequence[Passage]
) -> dict[SentenceKey, np.ndarray]:
    """Every quotable sentence embedded on its own, as ingest does."""
    keys, texts = [], []
    for passage in passages:
        for lo, hi in quotable_spans(passage.text):
            keys.append((passage.chunk_id, lo, hi))
            texts.append(embedding_text(passage.text[lo:hi]))
    return dict(zip(keys, embedder.embed_with_torch(texts), strict=True))


class _Vectors:
    """A `SentenceVectorSource` over a dict."""

    def __init__(self, vectors: Mapping[SentenceKey, np.ndarray]) -> None:
        self.vectors = vectors

    def sentence_vectors(self, keys: Sequence[SentenceKey]) -> dict[SentenceKey, np.ndarray]:
        return {key: self.vectors[key] for key in keys if key in self.vectors}


def answers(
    embedder: Embedder,
    claims: Sequence[tuple[str, set[str]]],
    retrieved: Sequence[list[Passage]],
    vectors: Mapping[SentenceKey, np.ndarray],
) -> list[dict[str, Any]]:
    """Ask every claim with these sentence vectors; record the best sentence and the answer."""
    answerer = ExtractiveAnswerer(
        embedder, Settings().refusal_threshold, sentences=_Vectors(vectors)
    )
    out = []
    for (claim, docs), passages in zip(claims, retrieved, strict=True):
        scored = answerer.score_sentences(claim, passages)
        best = scored[0].candidate if scored else None
        out.append(
            {
                "best": (best.passage.doc_id, best.start) if best else None,
                "best_in_rationale_abstract": bool(best and best.passage.doc_id in docs),
                "answer": [
                    (s.candidate.passage.doc_id, s.candidate.start) for s in answerer.choose(scored)
                ],
            }
        )
    return out


def agreement(
    got: Sequence[dict[str, Any]], reference: Sequence[dict[str, Any]]
) -> dict[str, float]:
    """Shares of claims where `got` picks what `reference` picks."""
    pairs = list(zip(got, reference, strict=True))
    return {
        "best_sentence_same": round(sum(a["best"] == b["best"] for a, b in pairs) / len(pairs), 3),
        "whole_answer_same": round(
            sum(a["answer"] == b["answer"] for a, b in pairs) / len(pairs), 3
        ),
        "grounded_decision_same": round(
            sum(bool(a["answer"]) == bool(b["answer"]) for a, b in pairs) / len(pairs), 3
        ),
        "grounded": sum(bool(a["answer"]) for a in got),
        "best_in_rationale_abstract": sum(a["best_in_rationale_abstract"] for a in got),
    }


def run(folder: Path, limit: int) -> dict[str, Any]:
    """Derive, embed, answer both ways and compare."""
    embedder = Embedder(batch_size=Settings().embed_batch_size)
    claims, passages = claims_and_passages(folder, limit, embedder)
    started = time.perf_counter()
    passage_vectors, derived = derived_vectors(embedder, passages)
    derived_s = time.perf_counter() - started
    standalone = standalone_vectors(embedder, passages)
    standalone_s = time.perf_counter() - started - derived_s
    questions = embedder.embed_with_torch([claim for claim, _ in claims])
    retrieved = [[passages[i] for i in np.argsort(-(passage_vectors @ q))[:5]] for q in questions]
    reference = answers(embedder, claims, retrieved, standalone)
    shared = [key for key in standalone if key in derived]
    cosines = np.array([float(standalone[key] @ derived[key]) for key in shared])
    return {
        "claims": len(claims),
        "passages": len(passages),
        "sentences": len(standalone),
        "derived_covered": len(shared),
        "derived_cosine_to_standalone": {
            "mean": round(float(cosines.mean()), 3),
            "p5": round(float(np.percentile(cosines, 5)), 3),
            "min": round(float(cosines.min()), 3),
        },
        "standalone": agreement(reference, reference),
        "derived": agreement(answers(embedder, claims, retrieved, derived), reference),
        "torch_s": {"passage_pass": round(derived_s, 1), "sentences": round(standalone_s, 1)},
        "threshold": Settings().refusal_threshold,
        "date": time.strftime("%Y-%m-%d"),
        "command": "python bench/sentence_vectors.py --scifact ../shared/bench/scifact"
        f" --claims {limit}",
    }


def main() -> None:
    """Parse arguments, run, print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scifact", type=Path, required=True, help="BEIR SciFact folder")
    parser.add_argument("--claims", type=int, default=300, help="claims with rationales")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results JSON file")
    args = parser.parse_args()
    results = run(args.scifact, args.claims)
    print(json.dumps(results, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
