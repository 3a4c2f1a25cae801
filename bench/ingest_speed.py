"""Benchmark ingest against the stock LangChain recipe, back to back on the same corpus.

Four ways to index the same BEIR-style corpus (SciFact: `{"_id", "title", "text"}` one
abstract a line), each into its own scratch store, interleaved over `--rounds` rounds (the
order rotates every round) because the shared machine's load drifts:
- stock: LangChain's recipe as a user writes it: `RecursiveCharacterTextSplitter(1000, 200)`
  over "title text", `langchain_chroma.Chroma.from_documents` with an `Embeddings` wrapper
  that calls sentence-transformers `encode` on torch (what `HuggingFaceEmbeddings` runs);
- before: `tradebot ingest`'s pipeline (`Ingestor.ingest_paths`: parse, clean, hash, chunk,
  embed title + passage and every quotable sentence, write to Chroma) with batches on torch;
- onnx: the same pipeline with batches on onnxruntime, fp32 (`TRADEBOT_EMBED_BACKEND=onnx`);
- after: the shipped default (`TRADEBOT_EMBED_BACKEND=auto`: a bfloat16 copy of the model on
  torch where the CPU computes bfloat16 natively, else onnxruntime).
The figure is articles per second, and each one's ratio to the stock recipe's in the same
round. Then, for the "after" and "onnx" stores: their vectors against the "before" store's
(passages and sentences, by id; the answers read nothing else), the model alone on the texts
the ingest embedded, and a re-ingest of the unchanged corpus.

    python bench/ingest_speed.py --scifact ../shared/bench/scifact --limit 300 --rounds 2

Prints the figures and writes them to bench/results/ingest.json. Targets: after/stock >= 1
(issue 13); ingest/model throughput >= 0.85; re-ingest <= 5% of the first ingest.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.settings import Settings
from bot.wiring import build_ingestor, open_store
from ingest.embedder import Embedder, RequestedBackend
from ingest.pipeline import IngestReport
from ingest.text import embedding_text, passage_embedding_text, quotable_spans

ROOT = Path(__file__).resolve().parent.parent

RESULTS = ROOT / "bench" / "results" / "ingest.json"
CONFIGS = ("stock", "before", "onnx", "after")
BACKENDS: dict[str, RequestedBackend] = {"before": "torch", "onnx": "onnx", "after": "auto"}


def corpus_file(path: Path, limit: int | None, scratch: Path) -> Path:
    """Return the corpus JSONL (a folder holding corpus.jsonl, or the file), cut to `limit`."""
    source = path / "corpus.jsonl" if path.is_dir() else path
    if limit is None:
        return source
    cut = scratch / "corpus.jsonl"
    with source.open("rb") as src, cut.open("wb") as dst:
        for number, line in enumerate(src):
            if number >= limit:
                break
            dst.write(line)
    return cut


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class StockEmbeddings(Embeddings):
    """What `HuggingFaceEmbeddings` does: sentence-transformers `encode`, its defaults, torch."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed chunks."""
        return [list(map(float, v)) for v in self.model.encode(texts, show_progress_bar=False)]

    def embed_query(self, text: str) -> list[float]:
        """Embed a question."""
        return self.embed_documents([text])[0]


def stock_ingest(corpus: Path, model: Any, directory: Path) -> tuple[float, int]:
    """Build the stock recipe's store from `corpus`; return (seconds, chunks)."""
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    start = time.perf_counter()
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    docs = [Document(f"{r.get('title', '')} {r['text']}", metadata={"id": r["_id"]}) for r in rows]
    chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(
        docs
    )
    Chroma.from_documents(chunks, StockEmbeddings(model), persist_directory=str(directory))
    return time.perf_counter() - start, len(chunks)


def timed_ingest(
    settings: Settings, embedder: Embedder, corpus: Path
) -> tuple[float, IngestReport]:
    """Ingest `corpus` into the store under settings.data_dir; return (seconds, report)."""
    store = open_store(settings, lazy=False)
    ingestor = build_ingestor(settings, store, embedder)
    start = time.perf_counter()
    report = ingestor.ingest_paths([str(corpus)])
    return time.perf_counter() - start, report


def embedded_texts(settings: Settings) -> tuple[list[str], list[str]]:
    """Rebuild the texts the ingest embedded: title + passage, and distinct sentence openings."""
    store = open_store(settings, lazy=False)
    passages = list(store.iter_passages())
    sentences = dict.fromkeys(
        embedding_text(p.text[lo:hi]) for p in passages for lo, hi in quotable_spans(p.text)
    )
    return [passage_embedding_text(p.title, p.text) for p in passages], list(sentences)


def stored_vectors(settings: Settings) -> dict[str, np.ndarray]:
    """Every passage and sentence vector of a store, by record id."""
    store = open_store(settings, lazy=False)
    out: dict[str, np.ndarray] = {}
    for collection in (store.passages, store.sentences):
        got = collection.get(include=["embeddings"])
        out.update(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32), strict=True))
    return out


def min_cosine(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> float:
    """The lowest cosine between two stores' vectors of the same records (same ids required)."""
    if set(a) != set(b):
        raise SystemExit("the two stores hold different records")
    return min(float(a[key] @ b[key]) for key in a)


def run_rounds(
    corpus: Path, scratch: Path, embedders: dict[str, Embedder], rounds: int
) -> tuple[dict[str, list[float]], dict[str, Any]]:
    """Time every configuration once per round; return seconds by config and what they built."""
    seconds: dict[str, list[float]] = {name: [] for name in CONFIGS}
    built: dict[str, Any] = {}
    for number in range(rounds):
        shift = number % len(CONFIGS)
        order = CONFIGS[shift:] + CONFIGS[:shift]
        for name in order:
            place = scratch / f"round{number}-{name}"
            if name == "stock":
                took, built["stock_chunks"] = stock_ingest(
                    corpus, embedders["before"].sentence_transformer, place
                )
            else:
                settings = Settings(data_dir=place, embed_backend=BACKENDS[name])
                took, report = timed_ingest(settings, embedders[name], corpus)
                built[name] = (settings, report)
            seconds[name].append(took)
            print(f"round {number + 1}: {name} {took:.1f} s", flush=True)
    return seconds, built


def model_alone(embedder: Embedder, settings: Settings) -> dict[str, Any]:
    """Time the model alone on the texts the ingest embedded (the step's physical limit)."""
    texts, sentences = embedded_texts(settings)
    start = time.perf_counter()
    embedder.embed_passages(texts)
    passages_s = time.perf_counter() - start
    embedder.embed_passages(sentences)
    total_s = time.perf_counter() - start
    return {
        "passages": len(texts),
        "sentences_embedded": len(sentences),
        "model_alone_s": round(total_s, 2),
        "model_alone_passages_only_s": round(passages_s, 2),
        "model_alone_sentences_only_s": round(total_s - passages_s, 2),
    }


def run(scifact: Path, limit: int | None, rounds: int) -> dict[str, Any]:
    """Run every timing and return the figures."""
    base = Settings()
    embedders = {
        name: Embedder(base.embedding_model, base.embed_batch_size, backend, base.model_cache_dir)
        for name, backend in BACKENDS.items()
    }
    if embedders["onnx"].backend != "onnx":
        raise SystemExit("onnxruntime is not usable here; nothing to compare")
    for embedder in embedders.values():
        embedder.embed_passages(["warm-up passage about tariffs"] * embedder.batch_size)
    with tempfile.TemporaryDirectory(prefix="tradebot-bench-") as scratch:
        corpus = corpus_file(scifact, limit, Path(scratch))
        seconds, built = run_rounds(corpus, Path(scratch), embedders, rounds)
        rss_after_ingest = peak_rss_mb()
        (after, report), (before, _) = built["after"], built["before"]
        reference = stored_vectors(before)
        agreement = {
            name: min_cosine(stored_vectors(built[name][0]), reference)
            for name in ("onnx", "after")
        }
        alone = model_alone(embedders["after"], after)
        reingest_s, again = timed_ingest(after, embedders["after"], corpus)
    result = figures(report, again, seconds, alone, built["stock_chunks"])
    result.update(
        embed_backend=embedders["after"].backend,
        onnx_min_cosine_to_torch=round(agreement["onnx"], 8),
        after_min_cosine_to_torch=round(agreement["after"], 8),
        reingest_s=round(reingest_s, 2),
        reingest_fraction=round(reingest_s / statistics.median(seconds["after"]), 4),
        reingest_unchanged=again.unchanged,
        peak_rss_mb_after_ingest=round(rss_after_ingest, 1),
    )
    return result


def figures(
    report: IngestReport,
    again: IngestReport,
    seconds: dict[str, list[float]],
    alone: dict[str, Any],
    stock_chunks: int,
) -> dict[str, Any]:
    """Shape the measurements into the results record (the "after" pipeline's, plus ratios)."""
    if report.failed or report.passages_embedded != alone["passages"] or again.passages_embedded:
        raise SystemExit(f"unexpected ingest reports: {report.to_json()} / {again.to_json()}")
    articles, passages = report.added, alone["passages"]
    ingest_s = statistics.median(seconds["after"])
    per_round = {
        name: [round(s / took, 3) for s, took in zip(seconds["stock"], seconds[name], strict=True)]
        for name in ("before", "onnx", "after")
    }
    model_rate = passages / alone["model_alone_s"]
    settings = Settings()
    return {
        "corpus": "SciFact corpus.jsonl (BEIR train), title + text, _id as doc_id",
        "articles": articles,
        "duplicates": report.duplicates,
        "passages": passages,
        "ingest_s": round(ingest_s, 2),
        "ingest_articles_per_s": round(articles / ingest_s, 2),
        "ingest_passages_per_s": round(passages / ingest_s, 2),
        "stock_chunks": stock_chunks,
        "seconds_per_round": {name: [round(s, 1) for s in xs] for name, xs in seconds.items()},
        "articles_per_s": {
            name: round(articles / statistics.median(xs), 2) for name, xs in seconds.items()
        },
        "articles_per_s_ratio_to_stock": {
            name: round(statistics.median(seconds["stock"]) / statistics.median(seconds[name]), 3)
            for name in ("before", "onnx", "after")
        },
        "articles_per_s_ratio_to_stock_per_round": per_round,
        "after_over_before": round(
            statistics.median(seconds["before"]) / statistics.median(seconds["after"]), 3
        ),
        **alone,
        "model_alone_passages_per_s": round(model_rate, 2),
        "ratio_ingest_to_model": round(passages / ingest_s / model_rate, 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "chunk_tokens": settings.chunk_tokens,
        "chunk_overlap_tokens": settings.chunk_overlap_tokens,
        "embed_batch_size": settings.embed_batch_size,
        "cpus": os.cpu_count(),
        "load_average_at_end": [round(x, 1) for x in os.getloadavg()],
        "machine": platform.machine(),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d"),
        "command": "python bench/ingest_speed.py --scifact ../shared/bench/scifact",
    }


def main() -> None:
    """Parse arguments, run the benchmark, print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scifact", type=Path, required=True, help="folder or corpus.jsonl")
    parser.add_argument("--limit", type=int, default=None, help="first N abstracts only")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds (default 2)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results JSON file")
    args = parser.parse_args()
    load_at_start = [round(x, 1) for x in os.getloadavg()]
    started = time.perf_counter()
    results = run(args.scifact, args.limit, args.rounds)
    results.update(rounds=args.rounds, load_average_at_start=load_at_start)
    results["bench_wall_s"] = round(time.perf_counter() - started, 1)
    if args.limit is not None:
        results["limit"] = args.limit
        results["command"] += f" --limit {args.limit}"
    results["command"] += f" --rounds {args.rounds}"
    print(json.dumps(results, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
