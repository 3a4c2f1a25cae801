"""Cross-validate the undecided margin: the evidence a "will / going to" question needs (issue 11).

    python bench/undecided_cv.py QA.jsonl --data-dir DIR [--results bench/results/qa_dev_time.json]

The margin is not fitted to the refusals: it is the upper quartile of the best-sentence evidence
of the answerable dev questions the bot answered with evidence (read from a `bench/qa.py`
results file), less the refusal threshold. Here that statistic is computed on the training
folds of `qa.kfold` and applied to the held-out fold: how many held-out `future` questions are
refused, and how many held-out answerable questions still marked undecided after their named
time is resolved are answered. DIR is a store holding the articles (e.g. bench/qa.py's
--work-dir/data). Results go to stdout and bench/results/undecided_cv.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
from datetime import date
from pathlib import Path
from typing import Any

from qa import kfold, last_turn, read_items

from bot.retrieval.scoped import scoped_search
from bot.retrieval.time_scope import parse_time_scope
from bot.settings import Settings
from bot.wiring import build_embedder, build_engine, open_store

ROOT = Path(__file__).resolve().parent.parent


def best_evidence(items: list[dict[str, Any]], data_dir: Path) -> dict[str, dict[str, Any]]:
    """Return, per item, its resolved undecided flag and its best sentence's evidence."""
    settings = Settings(data_dir=data_dir)
    engine = build_engine(settings, open_store(settings), build_embedder(settings))
    newest = engine.retriever.newest_published()
    signals = {}
    for item in items:
        question = last_turn(item)
        scope = parse_time_scope(question, date.today()).resolved(newest)
        passages, _ = scoped_search(engine.retriever, question, 5, None, scope, engine.time_policy)
        scored = engine.answerer.score_sentences(question, passages)  # type: ignore[attr-defined]
        signals[item["id"]] = {
            "undecided": scope.undecided and not scope.starts_after(newest or date.max, 7),
            "evidence": max((s.evidence for s in scored), default=0.0),
        }
    return signals


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Compute the signals, then the in-sample and cross-validated figures."""
    items = read_items(args.qa)
    answered = {
        r["id"]
        for r in json.loads(args.results.read_text())["items"]
        if r.get("answered_with_evidence")
    }
    signals = best_evidence(items, args.data_dir)
    threshold = Settings().refusal_threshold

    def margin(train: list[dict[str, Any]]) -> float:
        values = [signals[i["id"]]["evidence"] for i in train if i["id"] in answered]
        return statistics.quantiles(values, n=4)[2] - threshold

    def score(test: list[dict[str, Any]], m: float) -> dict[str, int]:
        marked = [i for i in test if signals[i["id"]]["undecided"]]
        bar = threshold + m
        future = [i for i in marked if i["kind"] == "future"]
        answerable = [i for i in marked if not i.get("refuse")]
        return {
            "future_marked": len(future),
            "future_refused": sum(signals[i["id"]]["evidence"] < bar for i in future),
            "answerable_marked": len(answerable),
            "answerable_kept": sum(signals[i["id"]]["evidence"] >= bar for i in answerable),
        }

    folds = []
    for train, test in kfold(items):
        m = margin(train)
        folds.append({"margin": round(m, 3), **score(test, m)})
    total = {k: sum(f[k] for f in folds) for k in folds[0] if k != "margin"}
    return {
        "in_sample_margin": round(margin(items), 3),
        "in_sample": score(items, margin(items)),
        "cross_validated": total,
        "folds": folds,
        "signals": signals,
    }


def main() -> None:
    """Run and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("qa", type=Path)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument(
        "--results", type=Path, default=ROOT / "bench" / "results" / "qa_dev_time.json"
    )
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "results" / "undecided_cv.json"
    )
    args = parser.parse_args()
    results = run(args)
    print(json.dumps({k: v for k, v in results.items() if k != "signals"}, indent=2))
    args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
