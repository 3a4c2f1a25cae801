"""Fit the extractive answerer's answerability model on the QA dev set, with cross-validation.

    python bench/fit_answerability.py QA.jsonl [QA.jsonl ...] --data-dir DIR [--out FILE]
        [--signals CACHE] [--leave-one-set-out]

DIR holds a store of the dev set's articles (e.g. the one `bench/qa.py` builds). For every
question the real engine retrieves the top 5 passages and the answerer scores each candidate
sentence's signals (see `bot.answering.answerability`). A candidate is positive when it overlaps
the item's evidence in its document; every candidate of a refusal item is negative.
A conditional logit (numpy, L2: which candidate of a question holds its evidence), calibrated
by a logistic, ranks the candidates; a logistic decision over the best candidates' signals and
the answer/refuse threshold on its probability maximise correct answers + correct refusals.
All are fitted on k-1 folds (`qa.kfold`: by item-id hash within each kind) and scored on the
held-out fold; the figures printed (and written to bench/results/answerability_cv.json) are
those held-out ones.
With several sets, `--leave-one-set-out` only reports, per set, a model fitted on the other sets
against the shipped one on that set's questions (`bench/results/answerability_loso.json`).
The model written to --out is then fitted on every item; the store's passage count becomes its
reference size (`fitted_passages`, see `AnswerabilityModel.reliance`).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from qa import kfold, locate, read_items

from bot.answering.answerability import (
    QUESTION_SIGNALS,
    SIGNALS,
    AnswerabilityModel,
    Logistic,
    question_signals,
)

ROOT = Path(__file__).resolve().parent.parent

Item = dict[str, Any]
FEATURES = [s for s in SIGNALS if s != "evidence"]  # evidence is a mix of the others
L2 = 1.0
RATIOS = (0.0, 0.3, 0.5, 0.65, 0.8)
# A quoted sentence that is not the evidence costs the reader time: each one, per answerable
# question, takes this weight off the objective (a correct answer or refusal is worth 1 per
# question of its kind), so a low companion ratio must pay for the sentences it adds. With 0
# the fit chose ratio 0.0 (every answer quotes 3 sentences, 1.95 of them off the evidence,
# cross-validated); 0.05 chose 0.3 with the same held-out answers and refusals and 1.56;
# 0.1 and more cost held-out answers.
OFF_EVIDENCE_WEIGHT = 0.05


def collect(items: Sequence[Item], data_dir: Path, vectors: bool = False) -> list[Item]:
    """Run retrieval and sentence scoring for every item; keep each candidate's signals (and,
    with `vectors`, the question as read, its and each candidate's embedding and each
    candidate's text: `bench/query_adapter_cv.py`, `bench/soft_match_cv.py`)."""
    from bot.settings import Settings
    from bot.state.base import UNBOUND_OWNER
    from bot.wiring import build_embedder, build_engine, open_store

    settings = Settings(data_dir=data_dir)
    store = open_store(settings)
    engine = build_engine(settings, store, build_embedder(settings))
    answerer = engine.answerer
    # Signals as the model sees them in a corpus the size of this one (reliance 1).
    answerer.model = dataclasses.replace(answerer.model, fitted_passages=None)  # type: ignore[attr-defined]
    stored = {a.doc_id for a in store.list_articles()}
    rows = []
    for item in items:
        turns = item.get("conversation", [item.get("q")])
        cid = None
        for turn in turns[:-1]:
            cid = engine.answer(turn, cid).conversation_id
        # The passages and history the answerer gets: follow-up query, time scope, top 5.
        plan = engine._plan(turns[-1], cid, None, 5, UNBOUND_OWNER, None)
        history = plan.history
        question = plan.reading.text  # as the answerer reads it: typos corrected
        # Whether to answer is judged on retrieval's own top 5 (`screen`) when the engine
        # reranks the passages it quotes from.
        judged = plan.screen or plan.passages
        scored = answerer.score_sentences(question, judged, history, plan.context.scope)  # type: ignore[attr-defined]
        span, doc_id = None, None
        if not item.get("refuse"):
            doc_id = next((d for d in sorted(stored) if d.endswith(item["doc_id"])), None)
            article = store.get_article(doc_id) if doc_id else None
            span = locate(article.text, item["evidence"]) if article else None
        rows.append(
            {
                "id": item["id"],
                "kind": item["kind"],
                "refuse": bool(item.get("refuse")),
                # Refused before the model is asked (a time past the newest article): the
                # model's decision does not count for these.
                "pre_refused": plan.refusal is not None,
                "vetoes": answerer.vetoes(question, scored, plan.context),  # type: ignore[attr-defined]
                "candidates": [
                    {
                        "signals": dict(s.signals),
                        "y": int(
                            span is not None
                            and s.candidate.passage.doc_id == doc_id
                            and s.candidate.start < span[1]
                            and span[0] < s.candidate.end
                        ),
                    }
                    for s in scored
                ],
            }
        )
        if vectors:
            rows[-1]["question"] = question
            rows[-1]["vector"] = answerer.embedder.embed_query(question).tolist()  # type: ignore[attr-defined]
            for row, s in zip(rows[-1]["candidates"], scored, strict=True):
                row["vector"] = np.asarray(s.vector).tolist()
                row["text"] = s.candidate.text
    return rows


def passage_count(data_dir: Path) -> int:
    """Return how many passages the store fitted on holds (the model's reference size)."""
    from bot.settings import Settings
    from bot.wiring import build_embedder, build_retriever, open_store

    settings = Settings(data_dir=data_dir)
    store = open_store(settings)
    return build_retriever(settings, store, build_embedder(settings)).lexical.passage_count()


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Fit an L2-regularised logistic regression (Newton steps); return weights and bias."""
    design = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(design.shape[1])
    penalty = L2 * np.eye(design.shape[1])
    penalty[-1, -1] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-design @ w))
        gradient = design.T @ (p - y) + penalty @ w
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def fit_ranking(rows: Sequence[Item]) -> Logistic:
    """Fit the sentence ranking: listwise weights, then P(sentence holds the evidence).

    What the answerer needs is the evidence sentence *first among its question's
    candidates*, so the weights come from a conditional logit (a softmax over each
    answerable question's candidates, `fit_listwise`); one logistic over every candidate's
    listwise score then turns it into a probability (the decision and the companion rule
    read probabilities). Over 5 folds of the dev set this put the evidence among the chosen
    sentences of 4 more questions than a logistic over all candidates pooled (71 -> 75 of
    98, first 49 -> 50), and of 6 more over dev + held-out set A (98 -> 104 of 131).
    """
    weights = fit_listwise(rows)
    x = np.array([[c["signals"][f] for f in FEATURES] for r in rows for c in r["candidates"]])
    y = np.array([c["y"] for r in rows for c in r["candidates"]], dtype=np.float64)
    (scale,), bias = fit((x @ weights)[:, None], y)
    return Logistic(dict(zip(FEATURES, (scale * weights).tolist(), strict=True)), bias)


def fit_listwise(rows: Sequence[Item]) -> np.ndarray:
    """Fit a conditional logit (L2, Newton steps) over the candidates of each question
    whose evidence is among them; every evidence candidate shares the target."""
    groups = []
    for r in rows:
        y = np.array([c["y"] for c in r["candidates"]], dtype=np.float64)
        if not r["refuse"] and y.any():
            x = np.array([[c["signals"][f] for f in FEATURES] for c in r["candidates"]])
            groups.append((x, y / y.sum()))
    w = np.zeros(len(FEATURES))
    for _ in range(50):
        gradient, hessian = L2 * w, L2 * np.eye(len(w))
        for x, target in groups:
            z = x @ w
            p = np.exp(z - z.max())
            p /= p.sum()
            mean = p @ x
            gradient = gradient + x.T @ (p - target)
            hessian = hessian + (x * p[:, None]).T @ x - np.outer(mean, mean)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def summarise(row: Item, ranking: Logistic, ratio: float) -> tuple[dict[str, float], int, float]:
    """Return the item's question signals, whether the chosen sentences hold the evidence,
    and how many of them do not."""
    ranked = sorted(
        ((c["signals"], ranking.probability(c["signals"]), c["y"]) for c in row["candidates"]),
        key=lambda t: -t[1],
    )
    if not ranked:
        return {}, 0, 0.0
    chosen = [t for t in ranked[:3] if t[1] >= ranked[0][1] * ratio]
    signals = question_signals([(s, p) for s, p, _ in ranked])
    hits = sum(bool(y) for _, _, y in chosen)
    return signals, int(hits > 0), len(chosen) - hits


def fit_model(rows: Sequence[Item]) -> AnswerabilityModel:
    """Fit ranking, then for each companion ratio the decision and its threshold; keep the best."""
    ranking = fit_ranking(rows)
    best: tuple[float, AnswerabilityModel] | None = None
    asked = [r for r in rows if not r.get("pre_refused")]  # the model decides these
    for ratio in RATIOS:
        summaries = [summarise(r, ranking, ratio) for r in asked]
        x = np.array([[s.get(f, 0.0) for f in QUESTION_SIGNALS] for s, _, _ in summaries])
        y = np.array(
            [0 if r["refuse"] else ok for r, (_, ok, _) in zip(asked, summaries, strict=True)]
        )
        weights, bias = fit(x, y.astype(np.float64))
        decision = Logistic(dict(zip(QUESTION_SIGNALS, weights.tolist(), strict=True)), bias)
        for t in np.linspace(0.05, 0.95, 91):
            model = AnswerabilityModel(ranking, decision, float(t), ratio)
            c = outcomes(rows, model)
            gain = (
                c["answered"] / max(c["answerable"], 1)
                + c["refused"] / max(c["refusals"], 1)
                - OFF_EVIDENCE_WEIGHT * c["off_evidence"] / max(c["answerable"], 1)
            )
            if best is None or gain > best[0]:
                best = (gain, model)
    assert best is not None
    return best[1]


def outcomes(rows: Sequence[Item], model: AnswerabilityModel) -> dict[str, float]:
    """Count answers quoting the evidence and correct refusals under `model`."""
    counts: dict[str, float] = {"answerable": 0, "answered": 0, "refusals": 0, "refused": 0}
    counts |= {"answers": 0, "off_evidence": 0}
    for row in rows:
        signals, holds, off = summarise(row, model.ranking, model.companion_ratio)
        answers = (
            not row.get("pre_refused")
            and bool(signals)
            and model.decide({**signals, **row.get("vetoes", {})}).answer
        )
        if answers and not row["refuse"]:
            counts["answers"] += 1
            counts["off_evidence"] += off
        if row["refuse"]:
            counts["refusals"] += 1
            counts["refused"] += not answers
        else:
            counts["answerable"] += 1
            counts["answered"] += answers and bool(holds)
    return counts


def cross_validate(rows: Sequence[Item], k: int = 5) -> dict[str, Any]:
    """Fit on k-1 folds, score on the held-out one; sum the held-out counts."""
    total: dict[str, float] = {"answerable": 0, "answered": 0, "refusals": 0, "refused": 0}
    total |= {"answers": 0, "off_evidence": 0}
    for train, test in kfold(rows, k):
        for key, value in outcomes(test, fit_model(train)).items():
            total[key] += value
    return rates(total)


def question_set(row: Item) -> str:
    """The question set an item belongs to: its id's letters ("c012" -> "c", "hb033" -> "hb")."""
    match = re.match(r"[a-z]+", str(row["id"]))
    return match.group(0) if match else ""


def leave_one_set_out(rows: Sequence[Item], shipped: AnswerabilityModel) -> dict[str, Any]:
    """Fit on every set but one, score that one, for each set; beside it the shipped model's
    score on the same set (how a model fitted on more sets would do on questions of a writer
    it never saw, against the one shipped)."""
    out: dict[str, Any] = {}
    for name in sorted({question_set(r) for r in rows}):
        test = [r for r in rows if question_set(r) == name]
        train = [r for r in rows if question_set(r) != name]
        out[name] = {
            "fitted_on_the_others": rates(outcomes(test, fit_model(train))),
            "shipped": rates(outcomes(test, shipped)),
        }
    return out


def rates(total: dict[str, Any]) -> dict[str, Any]:
    """Add the answered and refused rates, and the quoted sentences' precision, to the counts."""
    return {
        **total,
        "off_evidence_per_answer": round(total["off_evidence"] / max(total["answers"], 1), 2),
        "answered_rate": round(total["answered"] / max(total["answerable"], 1), 3),
        "refused_rate": round(total["refused"] / max(total["refusals"], 1), 3),
    }


def describe(model: AnswerabilityModel, sets: Sequence[Path] = ()) -> dict[str, Any]:
    """The model as its data file holds it."""

    def rounded(part: Logistic) -> dict[str, Any]:
        return {
            "weights": {k: round(v, 4) for k, v in part.weights.items()},
            "bias": round(part.bias, 4),
        }

    return {
        "fitted_by": "bench/fit_answerability.py on " + " ".join(_shown(p) for p in sets),
        "ranking": rounded(model.ranking),
        "decision": rounded(model.decision),
        "threshold": round(model.threshold, 3),
        "companion_ratio": model.companion_ratio,
        "fitted_passages": model.fitted_passages,
    }


def _shown(path: Path) -> str:
    """A question set's path as the README names it: under the repository, or by file name."""
    resolved = path.resolve()
    if resolved.is_relative_to(ROOT):
        return str(resolved.relative_to(ROOT))
    return f"../shared/qa/{path.name}" if path.name == "trade_dev.jsonl" else path.name


def main(argv: Sequence[str] | None = None) -> None:
    """Collect signals, report cross-validated figures, write the model fitted on all items."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("qa", type=Path, nargs="+", help="question sets (ids unique across them)")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=ROOT / "bot/answering/answerability.json")
    parser.add_argument("--signals", type=Path, help="reuse (or write) the collected signals")
    parser.add_argument(
        "--leave-one-set-out",
        action="store_true",
        help="only compare, per question set, a fit on the other sets with the shipped model"
        " (bench/results/answerability_loso.json); nothing is written to --out",
    )
    args = parser.parse_args(argv)
    if args.signals and args.signals.exists():
        rows = json.loads(args.signals.read_text())
    else:
        rows = collect([item for path in args.qa for item in read_items(path)], args.data_dir)
        if args.signals:
            args.signals.write_text(json.dumps(rows))
    if args.leave_one_set_out:
        report = leave_one_set_out(rows, AnswerabilityModel.load())
        for name, figures in report.items():
            print(f"{name}: {json.dumps(figures)}")
        results = ROOT / "bench" / "results" / "answerability_loso.json"
        results.write_text(json.dumps(report, indent=2) + "\n")
        return
    cv = cross_validate(rows)
    model = dataclasses.replace(fit_model(rows), fitted_passages=passage_count(args.data_dir))
    in_sample = rates(outcomes(rows, model))
    print(f"cross-validated (5 folds): {json.dumps(cv)}")
    print(f"in-sample: {json.dumps(in_sample)}")
    args.out.write_text(json.dumps(describe(model, args.qa), indent=2) + "\n")
    results = ROOT / "bench" / "results" / "answerability_cv.json"
    results.write_text(json.dumps({"cross_validated": cv, "in_sample": in_sample}, indent=2) + "\n")
    print(f"model written to {args.out}")


if __name__ == "__main__":
    main()
