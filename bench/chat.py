"""Benchmark `/v1/chat` over HTTP on a SciFact-sized store against the stock LangChain recipe.

    python bench/chat.py --scifact ../shared/bench/scifact [--work-dir DIR] [--queries N]

In one run, on the same N questions (SciFact claims from queries.jsonl):
- floors: the query embedding alone, in process, two ways: sentence-transformers `encode` (torch,
  what LangChain's HuggingFaceEmbeddings runs) and tradebot's own query path (onnxruntime);
- stock: LangChain's recipe, in process: `langchain_chroma.Chroma(...).similarity_search(q, k=5)`
  over 1000-character chunks, questions embedded by sentence-transformers `encode`;
- chat: `POST /v1/chat` (extractive) to `tradebot serve` in a subprocess at concurrency 1, then
  at concurrency 8 on the next N questions (so no run reuses the answerer's warm caches);
- breakdown: where one extractive answer's time goes (retrieval, answer, conversation write).
Stores are built once under --work-dir and reused by later runs. Figures go to stdout and
bench/results/chat.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from langchain_core.embeddings import Embeddings

from bot.retrieval.query_encoder import QueryEncoder
from bot.settings import Settings
from bot.wiring import (
    build_embedder,
    build_engine,
    build_ingestor,
    open_store,
    query_encoder,
)
from ingest.embedder import Embedder
from ingest.loaders import article_from_json

ROOT = Path(__file__).resolve().parent.parent

READY_MARKER = "ready.json"


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def percentiles(samples_ms: Sequence[float]) -> dict[str, float]:
    """Summarise latencies (ms): p50/p95/p99, mean, count."""
    ordered = sorted(samples_ms)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)

    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": pick(0.95),
        "p99_ms": pick(0.99),
        "mean_ms": round(statistics.fmean(ordered), 2),
        "n": len(ordered),
    }


def time_each(call: Callable[[str], object], queries: Sequence[str]) -> list[float]:
    """Run `call` once per query, returning each duration in ms."""
    out = []
    for query in queries:
        started = time.perf_counter()
        call(query)
        out.append((time.perf_counter() - started) * 1000)
    return out


# -- stores ------------------------------------------------------------------------------
def ensure_tradebot_store(data_dir: Path, corpus: list[dict[str, Any]], embedder: Embedder) -> dict:
    """Ingest SciFact through the real pipeline once; later runs reuse it."""
    marker = data_dir / READY_MARKER
    if marker.exists():
        return dict(json.loads(marker.read_text()))
    settings = Settings(data_dir=data_dir)
    articles = (
        article_from_json({"id": row["_id"], "title": row.get("title", ""), "text": row["text"]})
        for row in corpus
    )
    started = time.perf_counter()
    report = build_ingestor(settings, open_store(settings), embedder).ingest_articles(articles)
    info = {**report.to_json(), "ingest_s": round(time.perf_counter() - started, 1)}
    marker.write_text(json.dumps(info))
    return info


class EmbedderAdapter(Embeddings):
    """LangChain `Embeddings` as HuggingFaceEmbeddings does it: sentence-transformers `encode`.

    Questions go through `encode` too (torch, no cache), not tradebot's ONNX query path, so
    the stock recipe is timed as a user would run it.
    """

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed chunks."""
        return [list(map(float, v)) for v in self.embedder.embed_with_torch(texts)]

    def embed_query(self, text: str) -> list[float]:
        """Embed a question."""
        return list(map(float, self.embedder.embed_with_torch([text])[0]))


def langchain_store(path: Path, corpus: list[dict[str, Any]], embedder: Embedder) -> Any:
    """Open (building once) the stock recipe's store: 1000-char chunks, one Chroma collection."""
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    store = Chroma("scifact", EmbedderAdapter(embedder), persist_directory=str(path))
    if (path / READY_MARKER).exists():
        return store
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    docs = [
        Document(f"{row.get('title', '')} {row['text']}", metadata={"doc_id": row["_id"]})
        for row in corpus
    ]
    chunks = splitter.split_documents(docs)
    for lo in range(0, len(chunks), 1000):
        store.add_documents(chunks[lo : lo + 1000])
    (path / READY_MARKER).write_text(json.dumps({"chunks": len(chunks)}))
    return store


# -- the server ----------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tradebot_command() -> list[str]:
    """Return the argv that runs the `tradebot` CLI of this interpreter's environment."""
    tradebot = Path(sys.executable).parent / "tradebot"
    fallback = [sys.executable, "-c", "from bot.cli import main; main()"]
    return [str(tradebot)] if tradebot.exists() else fallback


@contextmanager
def serve(
    data_dir: Path, log_path: Path, port: int | None = None, **env_extra: str
) -> Iterator[str]:
    """Run `tradebot serve` on `port` (default: a free one) until the block ends; yield its URL."""
    port = port or _free_port()
    command = tradebot_command()
    env = {
        **os.environ,
        "TRADEBOT_DATA_DIR": str(data_dir),
        "TRADEBOT_LOG_LEVEL": "WARNING",
        "TRADEBOT_RATE_LIMIT_PER_MINUTE": "0",  # one client IP sends every request here
        **env_extra,
    }
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_ready(base, server, log_path)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=60)


def _wait_ready(base: str, server: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"tradebot serve exited:\n{log_path.read_text()}")
        try:
            ready = httpx.get(f"{base}/readyz", timeout=5)
            # Measure the service as it runs once its passage cache is warm.
            if ready.status_code == 200 and ready.json().get("cache_warmed"):
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise RuntimeError("tradebot serve did not become ready")


def run_http(base: str, queries: Sequence[str], concurrency: int) -> dict[str, Any]:
    """POST every query to /v1/chat with `concurrency` clients; summarise latency and outcome."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    with httpx.Client(base_url=base, timeout=120, limits=limits) as client:

        def one(query: str) -> tuple[float, bool]:
            started = time.perf_counter()
            response = client.post("/v1/chat", json={"question": query})
            elapsed = (time.perf_counter() - started) * 1000
            response.raise_for_status()
            return elapsed, bool(response.json()["grounded"])

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            results = list(pool.map(one, queries))
        wall = time.perf_counter() - started
    summary = percentiles([ms for ms, _ in results])
    summary["requests_per_s"] = round(len(results) / wall, 2)
    summary["grounded_share"] = round(sum(g for _, g in results) / len(results), 3)
    return summary


# -- where the time goes -----------------------------------------------------------------
def breakdown(data_dir: Path, embedder: QueryEncoder, queries: Sequence[str]) -> dict[str, Any]:
    """Time an in-process extractive engine's steps on the same store (no HTTP).

    `queries` must be new to `embedder` (it remembers recent questions): the first step
    embeds each one, and retrieval and the answerer then reuse that vector as they do in
    the service.
    """
    settings = Settings(data_dir=data_dir)
    store = open_store(settings)
    engine = build_engine(settings, store, embedder)
    store.warm_cache()  # as the service does at start
    engine.retriever.search("warm up", 5)  # load the BM25 index
    steps: dict[str, list[float]] = {
        "query embedding (onnxruntime)": [],
        "dense store query (Chroma ids and distances, 50 candidates)": [],
        "retrieval after embedding (Chroma + BM25 + fusion)": [],
        "extractive answer (stored sentence vectors + scoring)": [],
        "conversation write (SQLite)": [],
    }
    for query in queries:
        times = [time.perf_counter()]
        vector = embedder.embed_query(query)
        times.append(time.perf_counter())
        store.dense_hits(vector, 50)
        times.append(time.perf_counter())
        passages = engine.retriever.search(query, 5)
        times.append(time.perf_counter())
        answer = engine.answerer.answer(query, passages)
        times.append(time.perf_counter())
        engine.conversations.record_turn("bench", query, answer)
        times.append(time.perf_counter())
        for samples, start, end in zip(steps.values(), times[:-1], times[1:], strict=True):
            samples.append((end - start) * 1000)
    return {name: percentiles(samples) for name, samples in steps.items()}


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scifact", type=Path, required=True, help="BEIR SciFact folder")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/tradebot-bench-chat"))
    parser.add_argument("--queries", type=int, default=200, help="questions per measurement")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "chat.json")
    return parser.parse_args(argv)


def measure(args: argparse.Namespace, record: Callable[[dict[str, Any]], None]) -> None:
    """Build (or reuse) the stores, then take every measurement on the same questions."""
    corpus = _read_jsonl(args.scifact / "corpus.jsonl")
    texts = [q["text"][:2000] for q in _read_jsonl(args.scifact / "queries.jsonl")]
    # Distinct questions per HTTP run, so no run profits from caches the previous one warmed.
    n = args.queries
    queries, queries_8, fresh, warm_up = (
        texts[:n],
        texts[n : 2 * n],
        texts[2 * n : 3 * n],
        texts[-20:],
    )
    args.work_dir.mkdir(parents=True, exist_ok=True)
    embedder = build_embedder(Settings())
    questions = query_encoder(Settings(), embedder)
    ingest = ensure_tradebot_store(args.work_dir / "tradebot", corpus, embedder)
    stock_store = langchain_store(args.work_dir / "langchain", corpus, embedder)
    record(
        {
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.python_version()}",
            "corpus": {"articles": len(corpus), "ingest": ingest},
            "queries": {"concurrency_1": len(queries), "concurrency_8": len(queries_8)},
        }
    )

    def encode(query: str) -> object:
        return embedder.embed_with_torch([query])

    time_each(encode, warm_up)
    floor = percentiles(time_each(encode, queries))
    time_each(questions.embed_query, warm_up)
    floor_onnx = percentiles(time_each(questions.embed_query, queries))
    time_each(lambda q: stock_store.similarity_search(q, k=5), warm_up)
    stock = percentiles(time_each(lambda q: stock_store.similarity_search(q, k=5), queries))
    record(
        {
            "floor_query_embedding": floor,
            "floor_query_embedding_onnx": floor_onnx,
            "stock_langchain_similarity_search_k5": stock,
        }
    )
    with serve(args.work_dir / "tradebot", args.work_dir / "serve.log") as base:
        run_http(base, warm_up, 1)  # BM25 index load, first requests
        chat_1 = run_http(base, queries, 1)
        chat_8 = run_http(base, queries_8, 8)
    record(
        {
            "chat_http_concurrency_1": chat_1,
            "chat_http_concurrency_8": chat_8,
            "chat_p50_over_floor_p50": round(chat_1["p50_ms"] / floor["p50_ms"], 2),
            "chat_p50_over_onnx_floor_p50": round(chat_1["p50_ms"] / floor_onnx["p50_ms"], 2),
            "chat_p50_over_stock_p50": round(chat_1["p50_ms"] / stock["p50_ms"], 2),
        }
    )
    record({"in_process_breakdown": breakdown(args.work_dir / "tradebot", questions, fresh)})


def main() -> None:
    """Run the benchmark, printing figures and rewriting the results file after each phase."""
    args = parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}

    def record(figures: dict[str, Any]) -> None:
        results.update(figures)
        print(json.dumps(figures, indent=2), flush=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n")

    measure(args, record)


if __name__ == "__main__":
    main()
