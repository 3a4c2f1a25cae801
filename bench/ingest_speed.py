"""Benchmark the ingest pipeline against the embedding model alone on the same passages.

Ingests a BEIR-style corpus (SciFact: `{"_id", "title", "text"}` one abstract a line, `_id`
as doc_id) into a scratch store through the real pipeline (`Ingestor.ingest_paths`: parse,
clean, hash, chunk, embed title + passage and each quotable sentence, write to Chroma). Then, in
the same process and with the same model, it times the model alone encoding the texts the
ingest embedded (title + passage, and every distinct sentence opening: the physical limit for
this step on this machine) and a re-ingest of the unchanged corpus.

    python bench/ingest_speed.py --scifact ../shared/bench/scifact

Prints the figures and writes them to bench/results/ingest.json. Targets: ingest/model
throughput >= 0.85; re-ingest <= 5% of the first ingest.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.settings import Settings
from bot.wiring import build_embedder, build_ingestor, open_store
from ingest.embedder import Embedder
from ingest.pipeline import IngestReport
from ingest.text import embedding_text, passage_embedding_text, quotable_spans

ROOT = Path(__file__).resolve().parent.parent

RESULTS = ROOT / "bench" / "results" / "ingest.json"


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


def run(scifact: Path, limit: int | None) -> dict[str, Any]:
    """Run the three timings and return the figures."""
    settings_env = Settings()
    embedder = build_embedder(settings_env)
    embedder.embed_passages(["warm-up passage about tariffs"] * embedder.batch_size)
    with tempfile.TemporaryDirectory(prefix="tradebot-bench-") as scratch:
        settings = settings_env.model_copy(update={"data_dir": Path(scratch) / "data"})
        corpus = corpus_file(scifact, limit, Path(scratch))
        ingest_s, report = timed_ingest(settings, embedder, corpus)
        rss_after_ingest = peak_rss_mb()
        texts, sentences = embedded_texts(settings)
        start = time.perf_counter()
        embedder.embed_passages(texts)
        passages_s = time.perf_counter() - start
        embedder.embed_passages(sentences)
        model_s = time.perf_counter() - start
        reingest_s, again = timed_ingest(settings, embedder, corpus)
    timings = (ingest_s, model_s, reingest_s)
    result = figures(settings_env, report, again, timings, len(texts), rss_after_ingest)
    result["sentences_embedded"] = len(sentences)
    result["model_alone_passages_only_s"] = round(passages_s, 2)
    result["model_alone_sentences_only_s"] = round(model_s - passages_s, 2)
    return result


def figures(
    settings: Settings,
    report: IngestReport,
    again: IngestReport,
    timings: tuple[float, float, float],
    passages: int,
    rss_after_ingest: float,
) -> dict[str, Any]:
    """Shape the measurements into the results record."""
    if report.failed or report.passages_embedded != passages or again.passages_embedded:
        raise SystemExit(f"unexpected ingest reports: {report.to_json()} / {again.to_json()}")
    ingest_s, model_s, reingest_s = timings
    ingest_rate, model_rate = passages / ingest_s, passages / model_s
    return {
        "corpus": "SciFact corpus.jsonl (BEIR train), title + text, _id as doc_id",
        "articles": report.added,
        "duplicates": report.duplicates,
        "passages": passages,
        "ingest_s": round(ingest_s, 2),
        "ingest_passages_per_s": round(ingest_rate, 2),
        "model_alone_s": round(model_s, 2),
        "model_alone_passages_per_s": round(model_rate, 2),
        "ratio_ingest_to_model": round(ingest_rate / model_rate, 3),
        "reingest_s": round(reingest_s, 2),
        "reingest_fraction": round(reingest_s / ingest_s, 4),
        "reingest_unchanged": again.unchanged,
        "peak_rss_mb_after_ingest": round(rss_after_ingest, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "chunk_tokens": settings.chunk_tokens,
        "chunk_overlap_tokens": settings.chunk_overlap_tokens,
        "embed_batch_size": settings.embed_batch_size,
        "cpus": os.cpu_count(),
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
    parser.add_argument("--out", type=Path, default=RESULTS, help="results JSON file")
    args = parser.parse_args()
    results = run(args.scifact, args.limit)
    if args.limit is not None:
        results["limit"] = args.limit
        results["command"] += f" --limit {args.limit}"
    print(json.dumps(results, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
