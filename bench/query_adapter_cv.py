"""Would a question-side linear adapter on the sentence model help? Cross-validated by document.

    python bench/query_adapter_cv.py QA.jsonl [QA.jsonl ...] --data-dir DIR
        [--signals CACHE] [--l2 0.01] [--temperature 0.05]

The idea (Chroma's "embedding adapters"): fit a d x d change `D` on questions and the
candidate sentences that hold their evidence (a softmax over each question's candidates, the
stored sentence vectors untouched) and read `unit(q + D q)` against the sentences as one more
ranking signal, `adapted_cosine`. The sets share one corpus, so questions of two sets often
ask about the same sentence; the folds are therefore grouped by the evidence's document (5
folds; a refusal by its id), and a training fold drops every question about a test document.
The adapter signal the ranking is fitted on is itself cross-fitted (4 inner folds), as the
shipped model would see it on new questions.

Reported per measure, summed over the held-out folds:
- `cosine_top1`: questions whose evidence is the first candidate by plain / adapted cosine;
- `ranking_top1`: the same by the fitted ranking, without / with the adapted signal;
- `shipped_protocol`: answered with evidence and refused when the model (ranking, decision,
  threshold) is fitted on the first QA file's training questions only, as `fit_answerability.py`
  ships it; `all_sets`: fitted on every training question. Each without / with the signal,
  scored on the first file's test questions and on the others'.
Written to bench/results/query_adapter_cv.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import fit_answerability as fa
import numpy as np
from qa import read_items

ROOT = Path(__file__).resolve().parent.parent
Item = dict[str, Any]
FOLDS = 5
INNER_FOLDS = 4
EPOCHS = 300
SIGNAL = "adapted_cosine"


def group(item: Item) -> str:
    """Return the item's fold group: its evidence's document, or its id for a refusal."""
    return str(item.get("doc_id") or item["id"])


def fold_of(row: Item, k: int, salt: str = "") -> int:
    """Return the row's fold, by a hash of its group."""
    return int(hashlib.sha256(f"{salt}{row['group']}".encode()).hexdigest(), 16) % k


def split(rows: Sequence[Item], k: int, salt: str = "") -> Iterator[tuple[list[Item], list[Item]]]:
    """Yield (train, test) folds; a training fold keeps no question about a test document."""
    for fold in range(k):
        test = [r for r in rows if fold_of(r, k, salt) == fold]
        held = {r["group"] for r in test}
        yield [r for r in rows if fold_of(r, k, salt) != fold and r["group"] not in held], test


def fit_adapter(rows: Sequence[Item], l2: float, temperature: float) -> np.ndarray:
    """Fit the change `D` (Adam, full batch): softmax over each question's candidates."""
    import torch

    groups = [
        r
        for r in rows
        if not r["refuse"] and 0 < sum(c["y"] for c in r["candidates"]) < len(r["candidates"])
    ]
    width = max(len(r["candidates"]) for r in groups)
    dim = len(groups[0]["vector"])
    questions = torch.tensor([r["vector"] for r in groups], dtype=torch.float32)
    vectors = torch.zeros(len(groups), width, dim)
    present = torch.zeros(len(groups), width, dtype=torch.bool)
    evidence = torch.zeros(len(groups), width, dtype=torch.bool)
    for i, r in enumerate(groups):
        for j, c in enumerate(r["candidates"]):
            vectors[i, j] = torch.tensor(c["vector"])
            present[i, j] = True
            evidence[i, j] = bool(c["y"])
    change = torch.zeros(dim, dim, requires_grad=True)
    optimiser = torch.optim.Adam([change], lr=1e-3)
    floor = torch.tensor(-1e9)
    for _ in range(EPOCHS):
        optimiser.zero_grad()
        moved = questions + questions @ change.T
        moved = moved / moved.norm(dim=1, keepdim=True)
        scores = (vectors @ moved.unsqueeze(2)).squeeze(2) / temperature
        log_p = torch.logsumexp(torch.where(evidence, scores, floor), 1) - torch.logsumexp(
            torch.where(present, scores, floor), 1
        )
        loss = -log_p.mean() + l2 * (change**2).sum()
        loss.backward()
        optimiser.step()
    return change.detach().numpy()


def adapt(rows: Sequence[Item], change: np.ndarray) -> None:
    """Set every candidate's `adapted_cosine` under `change`."""
    for r in rows:
        q = np.asarray(r["vector"])
        moved = q + change @ q
        moved /= np.linalg.norm(moved)
        for c in r["candidates"]:
            c["signals"][SIGNAL] = float(np.asarray(c["vector"]) @ moved)


@contextmanager
def features(names: Sequence[str]) -> Iterator[None]:
    """Fit and score with these ranking features."""
    before = fa.FEATURES
    fa.FEATURES = list(names)
    try:
        yield
    finally:
        fa.FEATURES = before


def top1(rows: Sequence[Item], score: Callable[[Item], float]) -> int:
    """Count questions whose best-scored candidate holds the evidence."""
    return sum(
        max(r["candidates"], key=score)["y"]
        for r in rows
        if not r["refuse"] and any(c["y"] for c in r["candidates"])
    )


def by_probability(ranking: Any) -> Callable[[Item], float]:
    """Score a candidate by the ranking's probability."""
    return lambda c: float(ranking.probability(c["signals"]))


def located(rows: Sequence[Item]) -> int:
    """Count answerable questions with the evidence among their candidates."""
    return sum(1 for r in rows if not r["refuse"] and any(c["y"] for c in r["candidates"]))


def protocol_outcomes(
    train: Sequence[Item], test: Sequence[Item], first: str
) -> Iterator[tuple[str, str, dict[str, float]]]:
    """Fit the answerability model two ways on `train` (the shipped protocol: on the `first`
    set's questions only; and on every set's) and score `test`'s questions of the `first` set
    and of the other sets apart: (protocol, part, outcome counts) for each of the four."""
    for protocol, fitted_on in (
        ("shipped_protocol", [r for r in train if r["set"] == first]),
        ("all_sets", list(train)),
    ):
        model = fa.fit_model(fitted_on)
        for part, members in (
            (first, [r for r in test if r["set"] == first]),
            ("other_sets", [r for r in test if r["set"] != first]),
        ):
            yield protocol, part, fa.outcomes(members, model)


def cross_validate(rows: Sequence[Item], first: str, l2: float, temperature: float) -> Item:
    """Return the summed held-out figures of every measure (see the module docstring)."""
    base = [f for f in fa.FEATURES if f != SIGNAL]
    plus = [*base, SIGNAL]
    totals: dict[str, Any] = {}

    def add(path: tuple[str, ...], value: int) -> None:
        node = totals
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = node.get(path[-1], 0) + value

    for train, test in split(rows, FOLDS):
        for inner_train, inner_test in split(train, INNER_FOLDS, salt="inner:"):
            adapt(inner_test, fit_adapter(inner_train, l2, temperature))
        change = fit_adapter(train, l2, temperature)
        adapt(test, change)
        add(("located",), located(test))
        add(("cosine_top1", "plain"), top1(test, lambda c: c["signals"]["cosine"]))
        add(("cosine_top1", "adapted"), top1(test, lambda c: c["signals"][SIGNAL]))
        for name, names in (("without", base), ("with", plus)):
            with features(names):
                ranking = fa.fit_ranking(train)
                add(("ranking_top1", name), top1(test, by_probability(ranking)))
                for protocol, part, counts in protocol_outcomes(train, test, first):
                    for measure in ("answered", "answerable", "refused", "refusals"):
                        add((protocol, name, part, measure), int(counts[measure]))
    return totals


def collect_rows(qa: Sequence[Path], data_dir: Path, cache: Path | None) -> list[Item]:
    """Return every set's collected rows with vectors and texts, each tagged with its set
    and fold group; read from `cache` when it exists, else collected (and written there)."""
    if cache and cache.exists():
        rows: list[Item] = json.loads(cache.read_text())
        return rows
    rows = []
    for path in qa:
        items = read_items(path)
        collected = fa.collect(items, data_dir, vectors=True)
        for item, row in zip(items, collected, strict=True):
            row["set"], row["group"] = path.stem, group(item)
        rows.extend(collected)
    if cache:
        cache.write_text(json.dumps(rows))
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    """Collect signals and vectors, cross-validate, print and write the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("qa", nargs="+", type=Path, help="QA sets; the first is the shipped fit's")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--signals", type=Path, help="reuse (or write) the collected rows")
    parser.add_argument("--l2", type=float, default=0.01)
    parser.add_argument("--temperature", type=float, default=0.05)
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/query_adapter_cv.json")
    args = parser.parse_args(argv)
    rows = collect_rows(args.qa, args.data_dir, args.signals)
    figures = cross_validate(rows, args.qa[0].stem, args.l2, args.temperature)
    result = {
        "qa": [str(p) for p in args.qa],
        "questions": len(rows),
        "folds": f"{FOLDS} by evidence document, adapter signal cross-fitted in {INNER_FOLDS}",
        "l2": args.l2,
        "temperature": args.temperature,
        **figures,
    }
    print(json.dumps(result, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
