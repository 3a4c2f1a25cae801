"""Benchmark dispute timelines (issue 12) over HTTP on the trade corpus, beside /v1/chat.

    python bench/timeline.py QA.jsonl ARTICLES... [--work-dir DIR] [--out FILE]

Ingests ARTICLES with `tradebot ingest` (incremental: a bench/qa.py work dir is reused), runs
`tradebot serve` and, for each topic below, asks `GET /v1/timeline?q=TOPIC&limit=20`: the number
of events, the years they span, whether they are in date order, how many quotes equal the
stored text, and the share of events whose article is about the topic. "About" is a proxy a
reader can check: the article's title or the quoted sentence names every term group of the
topic (each group: any of its spellings); the results file lists every event (date, about or
not, title, quote) for that check. Latency: p50 of `/v1/timeline` over the topics, each also
with `since`, beside `/v1/chat`'s p50 over the first 40 questions of QA.jsonl, same server.
The chat timeline answer to "How did the US-China tariff truce evolve in 2025?" is recorded too.
Figures go to stdout and bench/results/timeline.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from chat import serve
from qa import git_commit, ingest, last_turn, read_items

ROOT = Path(__file__).resolve().parent.parent
TOPICS: dict[str, tuple[str, list[list[str]]]] = {
    "Section 301 on China": (
        "Section 301 tariffs on China",
        [["301"], ["china", "chinese", "prc"]],
    ),
    "steel and aluminum 232": (
        "Section 232 tariffs on steel and aluminum",
        [["232", "steel", "aluminum"], ["steel", "aluminum", "aluminium"]],
    ),
    "de minimis": ("the de minimis exemption", [["de minimis"]]),
    "rare earths": ("rare earth export controls", [["rare earth", "rare-earth"]]),
    "reciprocal tariffs": ("reciprocal tariffs", [["reciprocal"]]),
}
TRUCE_QUESTION = "How did the US-China tariff truce evolve in 2025?"


def about(text: str, groups: list[list[str]]) -> bool:
    """Say whether `text` names every term group (any spelling of each)."""
    lowered = text.lower()
    return all(any(term in lowered for term in group) for group in groups)


def timed(call: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = call()
    return result, (time.perf_counter() - started) * 1000


def score_topic(client: httpx.Client, name: str, texts: dict[str, str]) -> dict[str, Any]:
    """Ask one topic's timeline and score its events."""
    query, groups = TOPICS[name]
    response, _ = timed(lambda: client.get("/v1/timeline", params={"q": query, "limit": 20}))
    found = response.raise_for_status().json()
    events = found["events"]
    listing, verified, on_topic = [], 0, 0
    for event in events:
        citation = event["citation"]
        doc_id = citation["doc_id"]
        if doc_id not in texts:
            texts[doc_id] = client.get(f"/v1/documents/{quote(doc_id, safe='/')}").json()["text"]
        verified += texts[doc_id][citation["start"] : citation["end"]] == citation["quote"]
        is_about = about(f"{citation['title']} {citation['quote']}", groups)
        on_topic += is_about
        mark = "about" if is_about else "other"
        listing.append(f"{event['date']} [{mark}] {citation['title'][:90]} | {event['text'][:220]}")
    dates = [e["date"] for e in events]
    return {
        "query": query,
        "events": len(events),
        "undated": len(found["undated"]),
        "years": sorted({d[:4] for d in dates}),
        "in_date_order": dates == sorted(dates),
        "quotes_verified": verified,
        "about_topic": on_topic,
        "about_share": round(on_topic / len(events), 2) if events else None,
        "as_of": found["as_of"],
        "listing": listing,
    }


def latencies(client: httpx.Client, questions: list[str]) -> dict[str, float]:
    """p50 (ms) of /v1/timeline over the topics (with and without since) and of /v1/chat."""
    timeline_ms = []
    for query, _ in TOPICS.values():
        for params in ({"q": query}, {"q": query, "since": "2025-01-01"}):
            timeline_ms.append(timed(lambda p=params: client.get("/v1/timeline", params=p))[1])
    chat_ms = [
        timed(lambda q=q: client.post("/v1/chat", json={"question": q}))[1] for q in questions
    ]
    return {
        "timeline_p50_ms": round(statistics.median(timeline_ms), 1),
        "timeline_calls": len(timeline_ms),
        "chat_p50_ms": round(statistics.median(chat_ms), 1),
        "chat_calls": len(chat_ms),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Ingest, serve, ask; return the results."""
    data_dir = args.work_dir / "data"
    report = ingest(args.articles, data_dir)
    questions = [last_turn(item) for item in read_items(args.qa)[:40]]
    with (
        serve(data_dir, args.work_dir / "timeline-serve.log") as base,
        httpx.Client(base_url=base, timeout=120) as client,
    ):
        client.get("/v1/timeline", params={"q": "tariffs"})  # warm the first request's caches
        texts: dict[str, str] = {}
        topics = {name: score_topic(client, name, texts) for name in TOPICS}
        truce = client.post("/v1/chat", json={"question": TRUCE_QUESTION}).json()
        speed = latencies(client, questions)
    return {
        "commit": git_commit(),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "articles": [str(a) for a in args.articles],
        "ingest": report,
        "topics": topics,
        "truce_question": {
            "question": TRUCE_QUESTION,
            "mode": truce["mode"],
            "as_of": truce["as_of"],
            "ends_as_of": truce["answer"].split("\n")[-1].startswith("As of "),
            "answer": truce["answer"].split("\n"),
        },
        **speed,
    }


def main() -> None:
    """Run the benchmark, print the figures and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("qa", type=Path, help="QA items (their questions time /v1/chat)")
    parser.add_argument("articles", type=Path, nargs="+", help="Article files to ingest")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/tradebot-bench-qa"))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "timeline.json")
    args = parser.parse_args()
    results = run(args)
    for name, topic in results["topics"].items():
        years = topic["years"]
        print(
            f"{name:24s} events {topic['events']:2d}  years {len(years)} "
            f"({years[0] if years else '-'}-{years[-1] if years else '-'})  "
            f"about {topic['about_topic']}/{topic['events']}  "
            f"verified {topic['quotes_verified']}/{topic['events']}  "
            f"ordered {topic['in_date_order']}"
        )
    print(f"truce question: ends with As of: {results['truce_question']['ends_as_of']}")
    timeline_ms, chat_ms = results["timeline_p50_ms"], results["chat_p50_ms"]
    print(f"/v1/timeline p50 {timeline_ms} ms, /v1/chat p50 {chat_ms} ms")
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
