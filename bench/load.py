"""Load benchmark: 16 concurrent clients for 60 s against `tradebot serve` on a SciFact-sized store.

    python bench/load.py --scifact ../shared/bench/scifact [--work-dir DIR]
    python bench/load.py --scifact ../shared/bench/scifact --replicas 2 [--articles N]
        [--database-url postgresql://...]

Two runs on the same server: chat alone, then chat while an ingest runs beside it (batches of
new articles posted to `/v1/documents/bulk`, embedded and written by the same process). Each
client sends `POST /v1/chat` with SciFact claims, back to back, for the whole run. Reports
requests/s, p50/p95/p99 latency and errors (anything but a 200), prints them and writes
bench/results/load.json.

With `--replicas 2`: that many `tradebot serve` replicas over one `chroma run` server (serving
a copy of the store) and one PostgreSQL (`--database-url`, else a throwaway server started with
Debian's initdb/pg_ctl as the tests do). Each client sends its requests to the replicas in turn
and continues its conversation across them (a new one every 6 turns), so every follow-up reads
history another replica wrote. Writes bench/results/load_replicas.json.

The SciFact store is built by bench/chat.py's `ensure_tradebot_store` (shared with that
benchmark under the same --work-dir) and copied, so the ingest run never changes it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
from chat import ROOT, _free_port, ensure_tradebot_store, percentiles, serve

from bot.settings import Settings
from bot.wiring import build_embedder

BENCH = Path(__file__).resolve().parent

INGEST_BATCH = 16  # articles per bulk request while the ingest runs beside the clients
CONVERSATION_TURNS = 6  # replicas mode: turns of one conversation before a client starts anew


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
    bases: Sequence[str], questions: Sequence[str], offset: int, stop: float, tally: Tally
) -> None:
    """Ask back to back; with several replicas, in turn, carrying one conversation across them."""
    with ExitStack() as stack:
        clients = [stack.enter_context(httpx.Client(base_url=b, timeout=120)) for b in bases]
        n, turn, conversation_id = offset, 0, None
        while time.monotonic() < stop:
            body: dict[str, Any] = {"question": questions[n % len(questions)][:2000]}
            if conversation_id and len(clients) > 1:
                body["conversation_id"] = conversation_id
            client = clients[turn % len(clients)]
            n, turn = n + 1, turn + 1
            started = time.perf_counter()
            try:
                response = client.post("/v1/chat", json=body)
                error = None if response.status_code == 200 else f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                error = type(exc).__name__
            tally.record((time.perf_counter() - started) * 1000, error)
            new_conversation = error is not None or turn % CONVERSATION_TURNS == 0
            conversation_id = None if new_conversation else response.json()["conversation_id"]


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


def run(
    base: str | Sequence[str], questions: Sequence[str], clients: int, seconds: float, **ingest: Any
) -> dict:
    """Run `clients` chat loops for `seconds` (with an ingest loop beside them if asked)."""
    bases = [base] if isinstance(base, str) else list(base)
    tally = Tally()
    stop = time.monotonic() + seconds
    spacing = max(1, len(questions) // clients)
    threads = [
        threading.Thread(
            target=_client_loop,
            # client i starts at replica i: the replicas share the load from the first request
            args=(bases[i % len(bases) :] + bases[: i % len(bases)], questions, i * spacing),
            kwargs={"stop": stop, "tally": tally},
        )
        for i in range(clients)
    ]
    ingest_result: dict[str, Any] = {}
    if ingest:
        corpus = ingest["corpus"]
        threads.append(
            threading.Thread(
                target=lambda: ingest_result.update(_ingest_loop(bases[0], corpus, stop))
            )
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
    parser.add_argument("--out", type=Path, help="default bench/results/load[_replicas].json")
    parser.add_argument("--replicas", type=int, default=1, help="over Chroma + PostgreSQL if > 1")
    parser.add_argument("--articles", type=int, help="only the first N abstracts (a short run)")
    parser.add_argument("--database-url", help="replicas: PostgreSQL (default: a throwaway one)")
    args = parser.parse_args(argv)
    name = "load_replicas.json" if args.replicas > 1 else "load.json"
    args.out = args.out or ROOT / "bench" / "results" / name
    return args


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


def measure_replicas(args: argparse.Namespace) -> dict[str, Any]:
    """Serve a copy of the store from `chroma run`, start the replicas over it and PostgreSQL."""
    load_at_start = round(os.getloadavg()[0], 2)
    corpus = _read_jsonl(args.scifact / "corpus.jsonl")[: args.articles]
    questions = [q["text"] for q in _read_jsonl(args.scifact / "queries.jsonl")]
    args.work_dir.mkdir(parents=True, exist_ok=True)
    name = f"tradebot-{len(corpus)}" if args.articles else "tradebot"
    store_info = ensure_tradebot_store(args.work_dir / name, corpus, build_embedder(Settings()))
    copy = args.work_dir / "load-replicas-store"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(args.work_dir / name, copy)
    with _replicas(copy, args.work_dir, args.replicas, args.database_url) as bases:
        run(bases, questions[:64], 4, 10)  # warm up: BM25 index load, first requests
        alone = run(bases, questions, args.clients, args.seconds)
    load_at_end = round(os.getloadavg()[0], 2)
    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.python_version()}",
        # Other jobs share this machine: a load above the CPU count slows every figure.
        "load_average_1m": {"start": load_at_start, "end": load_at_end},
        "note": _shared_machine_note(max(load_at_start, load_at_end)),
        "server": (
            f"{args.replicas} x tradebot serve (1 worker each, own data dir), one chroma run "
            "server, one PostgreSQL; extractive answers; each client alternates replicas and "
            f"continues its conversation across them ({CONVERSATION_TURNS} turns each)"
        ),
        "corpus": {"articles": len(corpus), "ingest": store_info},
        "chat_across_replicas": alone,
    }


def _shared_machine_note(load: float) -> str:
    if load <= (os.cpu_count() or 1):
        return "the machine was otherwise quiet"
    return (
        f"the machine was shared with other jobs (load average {load:g} on {os.cpu_count()} "
        "CPUs): latencies are queueing behind them, not a quiet machine's figures"
    )


@contextmanager
def _replicas(
    store: Path, work_dir: Path, count: int, database_url: str | None
) -> Iterator[list[str]]:
    """Run `chroma run` over `store`'s Chroma files, PostgreSQL, and `count` replicas."""
    with ExitStack() as stack:
        port = _free_port()
        chroma = [
            str(Path(sys.executable).parent / "chroma"),
            "run",
            "--path",
            str(store / "chroma"),
        ]
        log = stack.enter_context((work_dir / "load-chroma.log").open("wb"))
        server = subprocess.Popen(
            [*chroma, "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        stack.callback(server.wait, 60)
        stack.callback(server.terminate)
        _wait_heartbeat(f"http://127.0.0.1:{port}/api/v2/heartbeat", server)
        if database_url is None:
            # The tests' throwaway server (initdb, pg_ctl): needs the repository root on the path.
            from tests.support.postgres import running_postgres

            postgres = stack.enter_context(running_postgres())
            database_url = postgres.create_database("tradebot_load")
        env = {
            "TRADEBOT_CHROMA_URL": f"http://127.0.0.1:{port}",
            "TRADEBOT_DATABASE_URL": database_url,
        }
        yield [
            stack.enter_context(
                serve(work_dir / f"replica-{n}", work_dir / f"load-replica-{n}.log", None, **env)
            )
            for n in range(count)
        ]


def _wait_heartbeat(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("chroma run exited; see load-chroma.log")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise RuntimeError("chroma run did not answer within 120 s")


def main() -> None:
    """Run the benchmark, print the figures and write them to the results file."""
    args = parse_args()
    results = measure_replicas(args) if args.replicas > 1 else measure(args)
    text = json.dumps(results, indent=2)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
