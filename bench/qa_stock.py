"""Evidence@5 of the stock LangChain recipe on the QA dev set, for comparison with bench/qa.py.

The recipe: RecursiveCharacterTextSplitter (1000/200 characters, start offsets kept), a
`langchain_chroma.Chroma` store embedding with the same sentence-transformers model through
`Embedder` (bench/chat.py's adapter), `similarity_search(question, k=5)`. A chunk is evidence
when it comes from the item's document and contains the evidence or overlaps its offsets in
the raw article text. The store is built once under WORK_DIR/langchain-qa and reused.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from chat import READY_MARKER, EmbedderAdapter
from qa import Item, last_turn, locate, overlaps

from ingest.embedder import Embedder


def raw_articles(paths: Sequence[Path]) -> dict[str, dict[str, str]]:
    """Read the articles as a user of the recipe would: jsonl rows by `id`, text files by name."""
    articles = {}
    for path in paths:
        if path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    articles[row["id"]] = {"title": row.get("title", ""), "text": row["text"]}
        else:
            articles[path.name] = {"title": "", "text": path.read_text(encoding="utf-8")}
    return articles


def stock_store(path: Path, articles: dict[str, dict[str, str]], embedder: Embedder) -> Any:
    """Open (building once) the recipe's Chroma store over the raw articles."""
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    store = Chroma("trade_qa", EmbedderAdapter(embedder), persist_directory=str(path))
    if (path / READY_MARKER).exists():
        return store
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=1000, chunk_overlap=200, add_start_index=True
    )
    docs = [Document(a["text"], metadata={"doc_id": d}) for d, a in articles.items()]
    chunks = splitter.split_documents(docs)
    for lo in range(0, len(chunks), 1000):
        store.add_documents(chunks[lo : lo + 1000])
    (path / READY_MARKER).write_text(json.dumps({"chunks": len(chunks)}))
    return store


def stock_evidence_at_5(items: Sequence[Item], paths: Sequence[Path], work_dir: Path) -> Item:
    """Count answerable items whose evidence is in the recipe's top 5 chunks."""
    articles = raw_articles(paths)
    store = stock_store(work_dir / "langchain-qa", articles, Embedder(backend="torch"))
    answerable = [item for item in items if not item.get("refuse")]
    hits = 0
    for item in answerable:
        span = locate(articles.get(item["doc_id"], {}).get("text", ""), item["evidence"])
        for chunk in store.similarity_search(last_turn(item), k=5):
            start = int(chunk.metadata["start_index"])
            if chunk.metadata["doc_id"] == item["doc_id"] and (
                item["evidence"] in chunk.page_content
                or overlaps(start, start + len(chunk.page_content), span)
            ):
                hits += 1
                break
    return {"n": len(answerable), "evidence_at_5": hits, "recipe": "1000/200 chars, k=5"}
