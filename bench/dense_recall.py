"""Measure the vector search against exact search, and whether it repeats in another process.

Chroma's passage index is an HNSW graph: approximate, and (the graph differs from one process to
the next) not necessarily the same approximation after a restart or on another replica. For each
`ef_search` (how many neighbours a search explores) this script copies the store (the setting is
kept by the collection, so the original is never touched), sets it, and in several fresh
processes searches the questions of QA.jsonl for their 48 nearest passages (the hybrid
retriever's default depth): recall against exact cosine search over every stored vector (numpy),
how many questions got a different list in some process, and the milliseconds a search took.

    python bench/dense_recall.py ../shared/qa/trade_dev.jsonl --data-dir DIR [--ef 100 400]
    python bench/dense_recall.py QUERIES.jsonl --data-dir INDEX --prefix beir --out FILE

(the second over an index `bench/retrieval.py --index-dir INDEX` keeps; QUERIES.jsonl holds
`{"id": ..., "q": ...}` lines, e.g. the first 200 SciFact claims).

Prints the figures and writes them to bench/results/dense_recall.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from qa import last_turn, read_items

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "dense_recall.json"
DEPTH = 48  # the hybrid retriever's dense depth (its candidate pool)


def search_once(data_dir: Path, prefix: str, questions: list[str], ef: int) -> dict[str, Any]:
    """In this process: set `ef` on the store at `data_dir`, search every question."""
    from bot.settings import Settings
    from bot.wiring import build_embedder, open_store

    settings = Settings(data_dir=data_dir, collection_prefix=prefix, dense_search_ef=ef)
    store, embedder = open_store(settings, lazy=False), build_embedder(settings)
    chunk_ids, _, vectors = store.passage_vectors()
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    found, exact, seconds = [], [], []
    for question in questions:
        query = embedder.embed_query(question)
        started = time.perf_counter()
        hits = store.dense_hits(query, DEPTH)
        seconds.append(time.perf_counter() - started)
        found.append([h.chunk_id for h in hits])
        exact.append([chunk_ids[i] for i in np.argsort(-(vectors @ query))[:DEPTH]])
    return {"found": found, "exact": exact, "seconds": seconds[1:]}  # the first loads the index


def measure(
    data_dir: Path, prefix: str, questions: list[str], ef: int, processes: int
) -> dict[str, Any]:
    """Copy the store, set `ef` on the copy, search in `processes` fresh processes."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "data"
        shutil.copytree(data_dir, copy)
        runs = []
        for _ in range(processes):
            out = subprocess.run(
                [sys.executable, __file__, "--worker", str(copy), prefix, str(ef)],
                input=json.dumps(questions),
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT / "bench",
            )
            runs.append(json.loads(out.stdout.splitlines()[-1]))
    first = runs[0]
    recall = [
        len(set(found) & set(exact)) / max(len(exact), 1)
        for run in runs
        for found, exact in zip(run["found"], run["exact"], strict=True)
    ]
    differing = sum(
        any(run["found"][i] != first["found"][i] for run in runs[1:]) for i in range(len(questions))
    )
    times = [s for run in runs for s in run["seconds"]]
    return {
        "ef_search": ef,
        "recall_at_48": round(statistics.mean(recall), 4),
        "questions_with_a_miss": sum(r < 1.0 for r in recall[: len(questions)]),
        "questions_differing_between_processes": differing,
        "search_ms_p50": round(1000 * statistics.median(times), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("qa", type=Path, nargs="?")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--ef", type=int, nargs="+", default=[100, 200, 400])
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument(
        "--prefix",
        default="tradebot",
        help="collection prefix (beir: an index of bench/retrieval.py)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.worker:
        questions = json.loads(sys.stdin.read())
        data_dir, prefix, ef = args.worker
        print(json.dumps(search_once(Path(data_dir), prefix, questions, int(ef))))
        return
    if args.qa is None or args.data_dir is None:
        parser.error("QA.jsonl and --data-dir are required")
    questions = [last_turn(item) for item in read_items(args.qa)]
    rows = [measure(args.data_dir, args.prefix, questions, ef, args.processes) for ef in args.ef]
    for row in rows:
        print(json.dumps(row))
    results = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": " ".join(["python", "bench/dense_recall.py", *sys.argv[1:]]),
        "questions": len(questions),
        "processes": args.processes,
        "depth": DEPTH,
        "rows": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
