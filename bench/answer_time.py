"""`/v1/chat` with and without the exact in-memory vector search, servers alternating.

    python bench/answer_time.py --data-dir DIR [--scifact ../shared/bench/scifact] [--rounds 2]

Over a SciFact store (e.g. the one `bench/chat.py` builds under --work-dir/tradebot), each round
starts `tradebot serve` once with `TRADEBOT_DENSE_EXACT_MAX_PASSAGES=0` (every vector search in
Chroma, at `TRADEBOT_DENSE_SEARCH_EF`) and once with the default (the in-memory copy), waits for
its warm-up, asks 20 claims to settle, then times 100 claims one at a time and 200 others at
concurrency 8. Servers of the two settings alternate, so a slow spell of this shared machine
falls on both. Figures go to stdout and bench/results/answer_time.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from chat import serve

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "answer_time.json"
SETTINGS = {"chroma": "0", "in-memory copy": "200000"}


def one_server(data_dir: Path, claims: list[str], max_passages: str) -> dict[str, float]:
    """Serve with the setting; time answers at concurrency 1 and 8."""
    with (
        serve(
            data_dir,
            data_dir.parent / "answer-time.log",
            None,
            TRADEBOT_DENSE_EXACT_MAX_PASSAGES=max_passages,
        ) as base,
        httpx.Client(timeout=60) as client,
    ):

        def ask(question: str) -> float:
            started = time.perf_counter()
            client.post(f"{base}/v1/chat", json={"question": question}).raise_for_status()
            return (time.perf_counter() - started) * 1000

        for question in claims[:20]:
            ask(question)
        alone = [ask(q) for q in claims[100:200]]
        started = time.perf_counter()
        with ThreadPoolExecutor(8) as pool:
            together = list(pool.map(ask, claims[500:700]))
        wall = time.perf_counter() - started
    return {
        "concurrency_1_p50_ms": round(statistics.median(alone), 2),
        "concurrency_8_p50_ms": round(statistics.median(together), 2),
        "concurrency_8_answers_per_s": round(len(together) / wall, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--scifact", type=Path, default=ROOT.parent / "shared/bench/scifact")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    with (args.scifact / "queries.jsonl").open() as lines:
        claims = [json.loads(line)["text"] for line in lines]
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in SETTINGS}
    for _ in range(args.rounds):
        for name, max_passages in SETTINGS.items():
            runs[name].append(one_server(args.data_dir, claims, max_passages))
            print(name, json.dumps(runs[name][-1]))
    results: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": " ".join(["python", "bench/answer_time.py", *sys.argv[1:]]),
        "runs": runs,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
