"""Would soft token matching (BERTScore-style) help rank the candidate sentences? Cross-validated.

    python bench/soft_match_cv.py QA.jsonl [QA.jsonl ...] --data-dir DIR [--signals CACHE]

The sentence model's cosine compares one pooled vector per text. BERTScore (Zhang et al.,
2020) instead matches every question token to its most similar sentence token by the same
model's contextual token embeddings, weighted by the token's rarity (inverse document frequency
of the model's word pieces over the store's paragraphs): a soft coverage that can count "chips"
as matched by "semiconductors" where the lexical coverage signals cannot. For every candidate
of every question three signals are added: `soft_recall` (the question's tokens matched in
the sentence), `soft_precision` (the sentence's in the question) and their harmonic mean
`soft_f1`. No training: nothing is fitted but the ranking and decision, as shipped.

Folds as `bench/query_adapter_cv.py` (5, grouped by the evidence's document). Reported, summed
over the held-out folds, for the shipped signals and for each variant with soft signals added:
the evidence first by the signal alone and by the fitted ranking, and answered with evidence /
refused under the shipped protocol (model fitted on the first QA file's training questions) and
with the model fitted on every training question. Written to bench/results/soft_match_cv.json.
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import fit_answerability as fa
import numpy as np
from query_adapter_cv import (
    FOLDS,
    by_probability,
    collect_rows,
    features,
    located,
    protocol_outcomes,
    split,
    top1,
)

ROOT = Path(__file__).resolve().parent.parent
Item = dict[str, Any]
SIGNALS = ("soft_recall", "soft_precision", "soft_f1")
VARIANTS: tuple[tuple[str, ...], ...] = (
    (),
    ("soft_recall",),
    ("soft_f1",),
    ("soft_recall", "soft_precision"),
)
Tokens = tuple[np.ndarray, np.ndarray]  # unit token vectors, their rarity weights


def paragraphs(data_dir: Path) -> list[str]:
    """Return the paragraphs of every stored article (the word-piece rarity's documents)."""
    from bot.settings import Settings
    from bot.wiring import open_store

    store = open_store(Settings(data_dir=data_dir))
    return [p for a in store.list_articles() for p in a.text.split("\n\n") if p.strip()]


def token_vectors(texts: Sequence[str], model: Any, documents: Sequence[str]) -> dict[str, Tokens]:
    """Embed every text's tokens (special tokens dropped), each weighted by its rarity."""
    tokenizer = model.tokenizer
    frequency: Counter[int] = Counter()
    for i in range(0, len(documents), 256):
        for ids in tokenizer(list(documents[i : i + 256]), add_special_tokens=False)["input_ids"]:
            frequency.update(set(ids))
    special = {tokenizer.cls_token_id, tokenizer.sep_token_id, tokenizer.pad_token_id}
    vectors: dict[str, Tokens] = {}
    for i in range(0, len(texts), 128):
        batch = list(texts[i : i + 128])
        encoded = model.encode(batch, output_value=None, batch_size=128, convert_to_numpy=False)
        for text, out in zip(batch, encoded, strict=True):
            ids = out["input_ids"].tolist()
            keep = [k for k, token in enumerate(ids) if token not in special]
            tokens = out["token_embeddings"].float().numpy()[keep]
            tokens /= np.maximum(np.linalg.norm(tokens, axis=1, keepdims=True), 1e-9)
            rarity = [math.log((len(documents) + 1) / (frequency[ids[k]] + 1)) for k in keep]
            vectors[text] = (tokens, np.asarray(rarity))
    return vectors


def matched(a: Tokens, b: Tokens) -> float:
    """Return the rarity-weighted mean, over `a`'s tokens, of the best cosine in `b`."""
    if not len(a[0]) or not len(b[0]):
        return 0.0
    best = (a[0] @ b[0].T).max(axis=1)
    return float((best * a[1]).sum() / max(float(a[1].sum()), 1e-9))


def add_signals(rows: Sequence[Item], vectors: dict[str, Tokens]) -> None:
    """Set every candidate's soft signals."""
    for row in rows:
        asked = vectors[row["question"]]
        for candidate in row["candidates"]:
            sentence = vectors[candidate["text"]]
            recall, precision = matched(asked, sentence), matched(sentence, asked)
            both = 2 * recall * precision / max(recall + precision, 1e-9)
            candidate["signals"].update(soft_recall=recall, soft_precision=precision, soft_f1=both)


def signal(name: str) -> Callable[[Item], float]:
    """Score a candidate by one of its signals."""
    return lambda c: float(c["signals"][name])


def cross_validate(rows: Sequence[Item], first: str) -> list[Item]:
    """Return, per variant, the summed held-out figures (see the module docstring)."""
    base = [f for f in fa.FEATURES if f not in SIGNALS]
    results = []
    for extra in VARIANTS:
        totals: Counter[str] = Counter()
        for train, test in split(rows, FOLDS):
            totals["located"] += located(test)
            totals["cosine_top1"] += top1(test, signal("cosine"))
            for name in extra:
                totals[f"{name}_top1"] += top1(test, signal(name))
            with features([*base, *extra]):
                totals["ranking_top1"] += top1(test, by_probability(fa.fit_ranking(train)))
                for protocol, part, counts in protocol_outcomes(train, test, first):
                    totals[f"{protocol}/{part}/answered"] += int(counts["answered"])
                    totals[f"{protocol}/{part}/refused"] += int(counts["refused"])
        results.append({"signals_added": list(extra), **dict(totals)})
        print(json.dumps(results[-1]), flush=True)
    return results


def main(argv: Sequence[str] | None = None) -> None:
    """Collect signals and texts, add the soft signals, cross-validate, print and write."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("qa", nargs="+", type=Path, help="QA sets; the first is the shipped fit's")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--signals", type=Path, help="reuse (or write) the collected rows")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/soft_match_cv.json")
    args = parser.parse_args(argv)
    rows = collect_rows(args.qa, args.data_dir, args.signals)
    from bot.settings import Settings
    from bot.wiring import build_embedder

    model = build_embedder(Settings(data_dir=args.data_dir)).sentence_transformer
    texts = sorted(
        {r["question"] for r in rows} | {c["text"] for r in rows for c in r["candidates"]}
    )
    add_signals(rows, token_vectors(texts, model, paragraphs(args.data_dir)))
    result = {
        "qa": [str(p) for p in args.qa],
        "questions": len(rows),
        "folds": f"{FOLDS} by evidence document",
        "variants": cross_validate(rows, args.qa[0].stem),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
