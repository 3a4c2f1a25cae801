"""Measure passage vectors built from the stored sentence vectors instead of their own model pass.

Issue 13 asks for an ingest at least as fast as the stock LangChain recipe. The model time splits
into the passage pass and the sentence pass (bench/results/ingest.json); this script measures the
idea of dropping the passage pass: a passage's vector as the token-weighted mean of its quotable
sentences' stored vectors plus its title's, normalised. Over a store of the trade corpus (e.g.
the one `bench/qa.py` builds), the dev set's answerable questions are ranked by dense search
alone over the stored passage vectors, over the derived ones, and over their mean; a question
counts when a top-5 passage is from its article and holds the start of its evidence.

    python bench/derived_passage_vectors.py ../shared/qa/trade_dev.jsonl --data-dir DIR

Prints the figures and writes them to bench/results/derived_passage_vectors.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
from pathlib import Path
from typing import Any

import numpy as np
from qa import Item, last_turn, read_items

from bot.settings import Settings
from bot.wiring import build_embedder, open_store
from ingest.models import Passage
from ingest.text import embedding_text, quotable_spans

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "derived_passage_vectors.json"


def derived(passages: list[Passage], data_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    """Return the stored passage vectors and the ones derived from sentences and titles."""
    settings = Settings(data_dir=data_dir)
    store, embedder = open_store(settings), build_embedder(settings)
    chunk_ids, _, vectors = store.passage_vectors()
    row = {chunk_id: i for i, chunk_id in enumerate(chunk_ids)}
    keys, owners, texts = [], [], []
    for j, passage in enumerate(passages):
        for lo, hi in quotable_spans(passage.text):
            keys.append((passage.chunk_id, lo, hi))
            owners.append(j)
            texts.append(embedding_text(passage.text[lo:hi]))
    stored = store.sentence_vectors(keys)
    counts = embedder.count_tokens(texts)
    titles = sorted({p.title for p in passages})
    title_vectors = dict(zip(titles, embedder.embed_passages(titles), strict=True))
    title_counts = dict(zip(titles, embedder.count_tokens(titles), strict=True))
    out = np.zeros((len(passages), vectors.shape[1]), dtype=np.float32)
    for key, j, count in zip(keys, owners, counts, strict=True):
        if key in stored:
            out[j] += count * stored[key]
    for j, passage in enumerate(passages):
        out[j] += title_counts[passage.title] * title_vectors[passage.title]
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    own = np.stack([vectors[row[p.chunk_id]] for p in passages])
    return own, out


def evidence_at_5(
    items: list[Item], passages: list[Passage], matrix: np.ndarray, questions: np.ndarray
) -> int:
    """Count items with a top-5 passage (dense) from their article holding the evidence."""
    hits = 0
    for item, question in zip(items, questions, strict=True):
        top = np.argsort(-(matrix @ question))[:5]
        start = item["evidence"][:60]
        hits += any(
            passages[t].doc_id.endswith(item["doc_id"]) and start in passages[t].text for t in top
        )
    return hits


def run(qa: Path, data_dir: Path) -> dict[str, Any]:
    """Derive, rank, count."""
    settings = Settings(data_dir=data_dir)
    store, embedder = open_store(settings), build_embedder(settings)
    passages = list(store.iter_passages())
    own, from_sentences = derived(passages, data_dir)
    items = [item for item in read_items(qa) if not item.get("refuse")]
    questions = np.stack([embedder.embed_query(last_turn(item)) for item in items])
    return {
        "passages": len(passages),
        "answerable_questions": len(items),
        "mean_cosine_derived_to_own": round(float((own * from_sentences).sum(axis=1).mean()), 3),
        "dense_evidence_at_5": {
            "own_pass": evidence_at_5(items, passages, own, questions),
            "derived_from_sentences": evidence_at_5(items, passages, from_sentences, questions),
            "mean_of_both": evidence_at_5(items, passages, own + from_sentences, questions),
        },
        "date": datetime.date.today().isoformat(),
        "command": "python bench/derived_passage_vectors.py ../shared/qa/trade_dev.jsonl"
        " --data-dir DIR",
    }


def main() -> None:
    """Parse arguments, run, print and save."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("qa", type=Path)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    results = run(args.qa, args.data_dir)
    print(json.dumps(results, indent=2))
    args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
