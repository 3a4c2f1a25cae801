"""Load benchmark: 16 concurrent clients for 60 s against `tradebot serve` on a SciFact-sized store.

    python bench/load.py --scifact ../shared/bench/scifact [--work-dir DIR]

Two runs on the same server: chat alone, then chat while an ingest runs beside it (batches of
new articles posted to `/v1/documents/bulk`, embedded and written by the same process). Each
client sends `POST /v1/chat` with SciFact claims, back to back, for the whole run. Reports
requests/s, p50/p95/p99 latency and errors (anything but a 200), prints them and writes
bench/results/load.json.

The SciFact store is built by bench/chat.py's `ensure_tradebot_store` (shared with that
benchmark under the same --work-dir) and copied, so the ingest run never changes it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
from chat import ROOT, ensure_tradebot_store, percentiles, serve

from bot.settings import Settings
from bot.wiring import build_embedder

BENCH = Path(__file__).resolve().parent

INGEST_BATCH = 16  # articles per bulk request while the ingest runs beside the clients


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


class Tally:
    """Latencies and failures of every request in one run, from all clients."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies_ms: list[float] = []
        self.errors: dict[str, int] = {}

    def record(self, elapsed_ms: float, error: str | None) -> None:
        """Count one request: its latency, or why it failed."""
        with self.lock:
            if error is None:
                self.latencies_ms.append(elapsed_ms)
            else:
                self.errors[error] = self.errors.get(error, 0) + 1


def _client_loop(
    base: str, questions: Sequence[str], offset: int, stop: float, tally: Tally
) -> None:
    with httpx.Client(base_url=base, timeout=120) as client:
        n = offset
        while time.monotonic() < stop:
            question = questions[n % len(questions)][:2000]
            n += 1
            started = time.perf_counter()
            try:
                response = client.post("/v1/chat", json={"question": question})
                error = None if response.status_code == 200 else f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                error = type(exc).__name__
            tally.record((time.perf_counter() - started) * 1000, error)


def _ingest_loop(base: str, corpus: Sequence[dict[str, Any]], stop: float) -> dict[str, Any]:
    """Post batches of new articles (revised SciFact abstracts) until the run ends."""
    added = failed_requests = 0
    with httpx.Client(base_url=base, timeout=600) as client:
        for lo in range(0, len(corpus), INGEST_BATCH):
            if time.monotonic() >= stop:
                break
            batch = [
                {"id": f"load-{row['_id']}", "title": row.get("title", ""), "text": _revised(row)}
                for row in corpus[lo : lo + INGEST_BATCH]
            ]
            response = client.post("/v1/documents/bulk", json=batch)
            if response.status_code == 200:
                added += int(response.json()["added"])
            else:
                failed_requests += 1
    return {"articles_added": added, "failed_bulk_requests": failed_requests}


def _revised(row: dict[str, Any]) -> str:
    # A changed body: an unchanged one would be skipped as a duplicate, never embedded.
    return f"Revised abstract. {row['text']}"


def run(base: str, questions: Sequence[str], clients: int, seconds: float, **ingest: Any) -> dict:
    """Run `clients` chat loops for `seconds` (with an ingest loop beside them if asked)."""
    tally = Tally()
    stop = time.monotonic() + seconds
    spacing = max(1, len(questions) // clients)
    threads = [
        threading.Thread(target=_client_loop, args=(base, questions, i * spacing, stop, tally))
        for i in range(clients)
    ]
    ingest_result: dict[str, Any] = {}
    if ingest:
        corpus = ingest["corpus"]
        threads.append(
            threading.Thread(target=lambda: ingest_result.update(_ingest_loop(base, corpus, stop)))
        )
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads[:clients]:
        thread.join()
    wall = time.perf_counter() - started  # the clients' window; a last bulk call may run on
    for thread in threads[clients:]:
        thread.join()
    done = len(tally.latencies_ms)
    summary: dict[str, Any] = {
        "clients": clients,
        "seconds": round(wall, 1),
        "requests": done + sum(tally.errors.values()),
        "requests_per_s": round(done / wall, 2),
        **(percentiles(tally.latencies_ms) if done else {}),
        "errors": sum(tally.errors.values()),
        "errors_by_kind": tally.errors,
    }
    if ingest:
        summary["ingest_beside"] = {
            **ingest_result,
            "articles_per_s": round(ingest_result.get("articles_added", 0) / wall, 2),
        }
    return summary


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scifact", type=Path, required=True, help="BEIR SciFact folder")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/tradebot-bench-chat"))
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "load.json")
    return parser.parse_args(argv)


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Prepare (or reuse) the store, copy it, serve the copy and load it twice."""
    load_at_start = round(os.getloadavg()[0], 2)
    corpus = _read_jsonl(args.scifact / "corpus.jsonl")
    questions = [q["text"] for q in _read_jsonl(args.scifact / "queries.jsonl")]
    args.work_dir.mkdir(parents=True, exist_ok=True)
    store_info = ensure_tradebot_store(
        args.work_dir / "tradebot", corpus, build_embedder(Settings())
    )
    copy = args.work_dir / "load-store"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(args.work_dir / "tradebot", copy)
    with serve(copy, args.work_dir / "load-serve.log") as base:
        run(base, questions[:64], 4, 10)  # warm up: BM25 index load, first requests
        alone = run(base, questions, args.clients, args.seconds)
        beside = run(base, questions, args.clients, args.seconds, corpus=corpus)
    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.python_version()}",
        # Other jobs share this machine: a load above the CPU count slows every figure.
        "load_average_1m": {"start": load_at_start, "end": round(os.getloadavg()[0], 2)},
        "server": "tradebot serve, 1 worker, embedded Chroma, extractive answers",
        "corpus": {"articles": len(corpus), "ingest": store_info},
        "chat_alone": alone,
        "chat_with_ingest_beside": beside,
    }


def main() -> None:
    """Run the benchmark, print the figures and write them to the results file."""
    args = parse_args()
    results = measure(args)
    text = json.dumps(results, indent=2)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
