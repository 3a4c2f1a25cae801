"""Benchmark answers to the trade-policy dev questions (issue 11) over HTTP, per kind of question.

    python bench/qa.py QA.jsonl ARTICLES... [--work-dir DIR] [--out FILE] [--port N]
        [--ids ID ...] [--stock]

Ingests ARTICLES with `tradebot ingest --json` into DIR/data (incremental, so a rerun reuses the
store), runs `tradebot serve` on 127.0.0.1 and asks every question of QA.jsonl (fields in
../shared/qa/README.md):
- search: `GET /v1/search?q=...&k=10`. A hit is evidence when it comes from the item's doc_id
  and contains the evidence string or overlaps its [start, end) offsets in the stored text.
  A follow-up searches with its second turn alone (what a user types).
- chat: `POST /v1/chat`; a follow-up asks both turns in one conversation and the second is scored.
  answered_with_evidence: grounded, with a citation from doc_id overlapping the evidence span
  (for `latest`, citing only `older_doc` is wrong); refused: not grounded; a citation is
  verified when its quote equals the stored text [start:end].
Per-kind figures go to stdout and --out (bench/results/qa_dev.json), with one record per item
for failure analysis. --stock adds evidence@5 of the stock LangChain recipe (bench/qa_stock.py).

Cross-validation: whoever tunes a threshold on this dev set reports held-out figures. Keep one
signal per item id (the records in --out carry what the API shows: `top_search_score`,
`citation_scores`; an in-process signal such as the answerer's best-sentence evidence is
computed by the tuning script, keyed by id), then for `train, test in kfold(items)` pick the
threshold on train, score it on test, and report the mean over the folds next to the in-sample
figure. `kfold` splits by a hash of the item id within each kind, so the folds never change.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import re
import statistics
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from chat import serve, tradebot_command

ROOT = Path(__file__).resolve().parent.parent

Item = dict[str, Any]
Span = tuple[int, int]
METRICS = ("evidence_at_5", "evidence_at_10", "answered_with_evidence", "refused")
# The README's order: answerable kinds, then the kinds to decline.
KIND_ORDER = (
    *("fact", "number", "identifier", "date", "list", "latest", "time_scoped", "seed"),
    *("follow_up", "near_miss", "future", "off_topic"),
)


def read_items(path: Path, ids: Sequence[str] = ()) -> list[Item]:
    """Read the QA items, keeping only `ids` when given."""
    with path.open(encoding="utf-8") as lines:
        items = [json.loads(line) for line in lines if line.strip()]
    return [item for item in items if not ids or item["id"] in ids]


def kfold(items: Sequence[Item], k: int = 5, seed: int = 0) -> list[tuple[list[Item], list[Item]]]:
    """Split items into k (train, test) folds, stratified by kind, by a hash of each item id."""

    def key(item: Item) -> str:
        return hashlib.sha256(f"{seed}:{item['id']}".encode()).hexdigest()

    fold_of: dict[str, int] = {}
    offset = 0
    for kind in sorted({item["kind"] for item in items}):
        members = sorted((i for i in items if i["kind"] == kind), key=key)
        for position, item in enumerate(members):
            fold_of[item["id"]] = (offset + position) % k
        offset += len(members)  # the next kind starts where this one stopped: folds stay even
    return [
        (
            [i for i in items if fold_of[i["id"]] != fold],
            [i for i in items if fold_of[i["id"]] == fold],
        )
        for fold in range(k)
    ]


def locate(text: str, evidence: str) -> Span | None:
    """Find the evidence in a stored text, exactly or up to whitespace."""
    start = text.find(evidence)
    if start >= 0:
        return start, start + len(evidence)
    pattern = r"\s+".join(re.escape(word) for word in evidence.split())
    match = re.search(pattern, text)
    return match.span() if match else None


def overlaps(start: int, end: int, span: Span | None) -> bool:
    """Say whether [start, end) shares a character with `span`."""
    return span is not None and start < span[1] and span[0] < end


def ingest(articles: Sequence[Path], data_dir: Path) -> dict[str, Any]:
    """Ingest the articles with the real CLI; return its JSON report."""
    env = {**os.environ, "TRADEBOT_DATA_DIR": str(data_dir), "TRADEBOT_LOG_LEVEL": "WARNING"}
    command = [*tradebot_command(), "ingest", *map(str, articles), "--json"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"tradebot ingest failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


class Library:
    """Stored documents fetched over HTTP once each, and QA doc ids mapped to stored ones."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.texts: dict[str, str] = {}
        listed = client.get("/v1/documents", params={"limit": 1000}).raise_for_status().json()
        self.doc_ids = {d["doc_id"] for d in listed["documents"]}

    def stored_id(self, doc_id: str) -> str:
        """Map a QA doc_id to the store's (the seed file may be stored under its path)."""
        if doc_id in self.doc_ids:
            return doc_id
        return next((d for d in sorted(self.doc_ids) if d.endswith(doc_id)), doc_id)

    def text(self, doc_id: str) -> str:
        """Return a stored article's text ("" when it is not stored)."""
        if doc_id not in self.texts:
            response = self.client.get(f"/v1/documents/{quote(doc_id, safe='/')}")
            self.texts[doc_id] = response.json()["text"] if response.status_code == 200 else ""
        return self.texts[doc_id]


def search_signals(
    client: httpx.Client,
    item: Item,
    doc_id: str,
    span: Span | None,
    conversation_id: str | None = None,
) -> Item:
    """Search with the item's last turn (in its conversation, as chat retrieves for a
    follow-up); find the first hit that holds the evidence."""
    params: dict[str, str | int] = {"q": last_turn(item), "k": 10}
    if conversation_id:
        params["conversation_id"] = conversation_id
    response = client.get("/v1/search", params=params)
    hits = response.raise_for_status().json()["results"]
    rank = next(
        (
            hit["rank"]
            for hit in hits
            if hit["doc_id"] == doc_id
            and (item["evidence"] in hit["text"] or overlaps(hit["start"], hit["end"], span))
        ),
        None,
    )
    return {
        "evidence_rank": rank,
        "doc_rank": next((hit["rank"] for hit in hits if hit["doc_id"] == doc_id), None),
        "top_search_score": hits[0]["score"] if hits else None,
        "top_hits": [hit["doc_id"] for hit in hits[:3]],
    }


def last_turn(item: Item) -> str:
    """Return the question the item scores: `q`, or a conversation's second turn."""
    return str(item["conversation"][-1] if "conversation" in item else item["q"])


def ask(
    client: httpx.Client, question: str, conversation_id: str | None = None
) -> tuple[dict[str, Any], float]:
    """Ask one question (in a conversation); return the answer and its latency (ms)."""
    body = {"question": question, "conversation_id": conversation_id}
    started = time.perf_counter()
    response = client.post("/v1/chat", json={k: v for k, v in body.items() if v})
    elapsed = (time.perf_counter() - started) * 1000
    return response.raise_for_status().json(), elapsed


def earlier_turns(client: httpx.Client, item: Item) -> str | None:
    """Ask a conversation's turns before its last; return the conversation id (None: no turns)."""
    conversation_id = None
    for turn in item.get("conversation", [])[:-1]:
        conversation_id = ask(client, turn, conversation_id)[0]["conversation_id"]
    return conversation_id


def score_item(client: httpx.Client, library: Library, item: Item) -> Item:
    """Ask one item through search and chat and score what came back."""
    conversation_id = earlier_turns(client, item)
    found: Item = {}
    if not item.get("refuse"):  # search before the last turn joins the conversation
        doc_id = library.stored_id(item["doc_id"])
        span = locate(library.text(doc_id), item["evidence"])
        found = search_signals(client, item, doc_id, span, conversation_id)
    answer, latency_ms = ask(client, last_turn(item), conversation_id)
    citations = answer["citations"]
    record: Item = {
        "id": item["id"],
        "kind": item["kind"],
        "question": last_turn(item),
        "grounded": answer["grounded"],
        "answer": answer["answer"][:200],
        "cited": [f"{c['doc_id']}[{c['start']}:{c['end']}]" for c in citations],
        "citation_scores": [round(c["score"], 4) for c in citations],
        "citations_total": len(citations),
        "citations_verified": sum(
            library.text(c["doc_id"])[c["start"] : c["end"]] == c["quote"] for c in citations
        ),
        "latency_ms": round(latency_ms, 1),
    }
    if item.get("refuse"):
        return {**record, "refused": not answer["grounded"]}
    backed = any(c["doc_id"] == doc_id and overlaps(c["start"], c["end"], span) for c in citations)
    return {
        **record,
        **found,
        "evidence_located": span is not None,
        "evidence_at_5": found["evidence_rank"] is not None and found["evidence_rank"] <= 5,
        "evidence_at_10": found["evidence_rank"] is not None,
        "answered_with_evidence": answer["grounded"] and backed,
        "cites_doc": any(c["doc_id"] == doc_id for c in citations),
        "refused": not answer["grounded"],
    }


def summarise(records: Sequence[Item]) -> dict[str, dict[str, Any]]:
    """Count each metric per kind and for all answerable / all refusal items."""
    found = [kind for kind in dict.fromkeys(r["kind"] for r in records) if kind not in KIND_ORDER]
    groups = {kind: [r for r in records if r["kind"] == kind] for kind in (*KIND_ORDER, *found)}
    groups = {kind: members for kind, members in groups.items() if members}
    groups["all answerable"] = [r for r in records if "evidence_rank" in r]
    groups["all refusals"] = [r for r in records if "evidence_rank" not in r]
    table = {}
    for name, members in groups.items():
        row: dict[str, Any] = {"n": len(members)}
        for metric in METRICS:
            values = [bool(r[metric]) for r in members if metric in r]
            row[metric] = sum(values) if values else None
        for metric in ("citations_total", "citations_verified"):
            row[metric] = sum(r[metric] for r in members)
        table[name] = row
    return table


def format_table(table: dict[str, dict[str, Any]]) -> str:
    """Render the per-kind counts as a fixed-width text table (count and share of n)."""
    columns = ("n", *METRICS, "citations_total", "citations_verified")
    headers = ("n", "evidence@5", "evidence@10", "answered+evid", "refused", "cites", "verified")
    lines = [f"{'kind':<15}" + "".join(f"{h:>15}" for h in headers)]
    for name, row in table.items():
        cells = []
        for column in columns:
            value = row[column]
            share = value is not None and column in METRICS and row["n"]
            text = "-" if value is None else f"{value} ({value / row['n']:.0%})" if share else value
            cells.append(f"{text!s:>15}")
        lines.append(f"{name:<15}" + "".join(cells))
    return "\n".join(lines)


def git_commit() -> str:
    """Return the checkout's commit, `+dirty` when tracked code (not results) has changed."""
    run = ["git", "-C", str(ROOT)]
    commit = subprocess.run([*run, "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    status = [*run, "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/results"]
    dirty = subprocess.run(status, capture_output=True, text=True).stdout
    return commit.strip() + ("+dirty" if dirty.strip() else "")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("qa", type=Path, help="QA items, one JSON object a line")
    parser.add_argument("articles", type=Path, nargs="+", help="Article files to ingest")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/tradebot-bench-qa"))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "qa_dev.json")
    parser.add_argument("--port", type=int, default=None, help="Serve here (default: a free port)")
    parser.add_argument("--ids", nargs="*", default=[], help="Ask only these item ids")
    parser.add_argument("--stock", action="store_true", help="Also score the LangChain recipe")
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Ingest, serve, ask every item; return the results."""
    items = read_items(args.qa, args.ids)
    data_dir = args.work_dir / "data"
    started = time.perf_counter()
    report = ingest(args.articles, data_dir)
    report["ingest_s"] = round(time.perf_counter() - started, 1)
    print(f"ingest: {json.dumps(report)}", flush=True)
    with (
        serve(data_dir, args.work_dir / "qa-serve.log", args.port) as base,
        httpx.Client(base_url=base, timeout=120) as client,
    ):
        library = Library(client)
        client.post("/v1/chat", json={"question": "warm up"})  # first-request costs, untimed
        records = [score_item(client, library, item) for item in items]
    results: dict[str, Any] = {
        "commit": git_commit(),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "qa": str(args.qa),
        "articles": [str(a) for a in args.articles],
        "store": str(data_dir),
        "ingest": report,
        "follow_up_search": "the second turn searched in its conversation (conversation_id)",
        "chat_p50_ms": round(statistics.median(r["latency_ms"] for r in records), 1),
        "table": summarise(records),
    }
    if args.stock:
        from qa_stock import stock_evidence_at_5

        results["stock_langchain"] = stock_evidence_at_5(items, args.articles, args.work_dir)
    return {**results, "items": records}


def main() -> None:
    """Run the benchmark, print the table and write the results file."""
    args = parse_args()
    # The server and the CLI under test are this checkout's code, whatever is installed.
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.getenv("PYTHONPATH")]))
    results = run(args)
    print(format_table(results["table"]))
    print(f"chat p50: {results['chat_p50_ms']} ms")
    if "stock_langchain" in results:
        print(f"stock LangChain: {json.dumps(results['stock_langchain'])}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
