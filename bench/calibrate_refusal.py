"""Calibrate the extractive answerer's refusal threshold on on- and off-corpus questions.

Indexes a JSONL corpus (one article a line: id, title, published_at, source, url, text) plus
optional plain-text seed articles into a scratch store with the real chunker and model, asks
every question below through retrieval (the hybrid retriever when it exists, dense otherwise),
records the best sentence's evidence, and picks the threshold that maximises balanced accuracy.

    python bench/calibrate_refusal.py ../shared/trade-corpus/articles.jsonl \
        --seed corpus/us-china-london-trade-framework.txt

Prints the figures and writes them to bench/results/refusal.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.answering.extractive import ExtractiveAnswerer
from bot.models import Retriever
from bot.settings import Settings
from bot.wiring import build_embedder, open_store
from ingest.chunker import Chunker
from ingest.embedder import Embedder
from ingest.models import (
    Article,
)
from ingest.store import PassageStore
from ingest.text import passage_embedding_text

ROOT = Path(__file__).resolve().parent.parent

SEED_TITLE = "US and China Reach Trade Framework Ahead of Presidential Approval"

# (question, phrases any of which a correct answer quotes). All answerable from the corpus.
ON_CORPUS: list[tuple[str, tuple[str, ...]]] = [
    ("What is pending presidential approval?", ("presented to Presidents Donald Trump",)),
    ("Who announced the London trade framework with China?", ("Lutnick",)),
    ("How high did China's retaliatory tariffs on US imports go?", ("145%",)),
    ("What did China announce about rare earth export licenses?", ("export licenses",)),
    ("What do the US-China London talks depend on next?", ("presidential approval",)),
    ("What reciprocal tariff rate will Indonesia pay?", ("19%",)),
    ("How much has Japan agreed to invest in the United States?", ("$550 billion",)),
    ("What is the value limit for the de minimis exemption?", ("$800",)),
    ("How long can a Section 122 import surcharge last?", ("150 days",)),
    ("What tariff applies to semi-finished copper products?", ("50 percent", "50%")),
    ("What tariff applies to UK cars within the annual quota?", ("10 percent", "10%")),
    ("How much of the beef quota did the US reallocate to the United Kingdom?", ("13,000",)),
    ("What duty rate applies to softwood timber and lumber imports?", ("10 percent",)),
    ("What extra duty did the US put on goods from India over Russian oil?", ("25 percent",)),
    ("What did Malaysia commit to on rare earth exports?", ("rare earth",)),
    ("What did the WTO panel find about China's support for grain producers?", ("grain",)),
    ("What did the US and EU agree to negotiate on steel and aluminum carbon?", ("carbon",)),
    ("What additional duty applies to polysilicon imports?", ("15 percent",)),
    ("What share of global polysilicon capacity does the United States have?", ("2 percent",)),
    ("Why was the synthetic opioid duty on China raised to 20 percent?", ("20 percent",)),
    ("How much does one country control of global copper smelting?", ("50 percent",)),
    ("What tariff did Biden set on Chinese electric vehicles under Section 301?", ("100",)),
    ("Which partners launched the Indo-Pacific Economic Framework?", ("Australia, Brunei",)),
    ("What did the US and UK sign on wine and distilled spirits?", ("wine",)),
    ("What did USTR decide about the UK's digital services tax?", ("Digital Services Tax",)),
    ("What reciprocal tariff will the US apply to India after the trade deal?", ("18%",)),
    ("What export controls did BIS impose on advanced computing chips?", ("advanced computing",)),
    ("What petition did USTR receive about China's shipbuilding sector?", ("shipbuilding",)),
    ("What happens to Nexperia's chip production in China?", ("Nexperia",)),
    ("What is the tariff on imported automobiles under Section 232?", ("25 percent",)),
    ("Who signed the US-UK wine agreement for the UK?", ("Darroch",)),
    ("What did Biden say about the Section 301 tariff on Chinese EVs?", ("100",)),
]

# Plausible trade questions (and some off-topic ones) that the corpus does not answer.
OFF_CORPUS: list[str] = [
    "What did the EU decide about tariffs on Chinese electric vehicles?",
    "What tariffs did China put on Australian barley?",
    "How did Brexit change the UK's trade with Ireland?",
    "What export limits did the Netherlands put on ASML lithography machines?",
    "What did the EU and Mercosur agree in their trade deal?",
    "What did G20 finance ministers agree about a global minimum tax?",
    "How much did Toyota's profit fall because of US tariffs?",
    "What did China's central bank do with the reserve requirement ratio?",
    "How many jobs did Tesla cut at its German factory?",
    "What rules of origin did the African Continental Free Trade Area adopt?",
    "Why did Russia block grain exports from Ukrainian ports?",
    "How large was the EU's antitrust fine on Google?",
    "How many iPhones did Apple sell in China last quarter?",
    "What retaliatory tariffs did China impose on Canadian canola oil?",
    "What did the Bank of England decide about interest rates?",
    "How did the yuan exchange rate move after the trade truce?",
    "What did Huawei say about its new smartphone chip?",
    "Will TikTok be banned in the United States?",
    "What sugar import quota did the EU set for Ukraine?",
    "How did Thailand change its rice export prices?",
    "What did Mexico decide about GMO corn imports from the US?",
    "What retaliatory tariffs did India put on US almonds and walnuts?",
    "What is the price of Bitcoin today?",
    "Who won the 2022 World Cup?",
    "How do I bake sourdough bread?",
    "What will the weather be in London tomorrow?",
    "Which film won the Oscar for best picture?",
    "How do I reset my home wifi router?",
    "What is a good recipe for pad thai?",
    "What is the capital of France?",
]


@dataclass(frozen=True)
class Outcome:
    """One question's best evidence and what the answerer quoted at threshold zero."""

    question: str
    on_corpus: bool
    evidence: float
    quotes: tuple[str, ...]
    correct: bool


def main(argv: Sequence[str] | None = None) -> None:
    """Index the corpus, ask every question, choose the threshold, write the results."""
    args = _parse(argv)
    embedder = build_embedder(Settings())
    data_dir = Path(args.store or tempfile.mkdtemp(prefix="tradebot-refusal-"))
    store = open_store(Settings(data_dir=data_dir, collection_prefix="calibration"), lazy=False)
    if not store.list_articles():
        _index(store, embedder, _articles(args.corpus, args.seed))
    retriever, kind = _retriever(store, embedder)
    answerer = ExtractiveAnswerer(embedder, answerability=float("-inf"))
    outcomes = [_ask(answerer, retriever, q, True, phrases, args.k) for q, phrases in ON_CORPUS] + [
        _ask(answerer, retriever, q, False, (), args.k) for q in OFF_CORPUS
    ]
    report = _report(outcomes, kind, args)
    print(json.dumps({k: v for k, v in report.items() if k != "questions"}, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {args.out}")


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="JSONL articles (id, title, text, ...)")
    parser.add_argument("--seed", type=Path, action="append", default=[], help="plain-text article")
    parser.add_argument("--store", type=Path, help="reuse this scratch data dir (default: temp)")
    parser.add_argument("--k", type=int, default=5, help="passages retrieved per question")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/refusal.json")
    return parser.parse_args(argv)


def _articles(corpus: Path, seeds: Sequence[Path]) -> list[Article]:
    """Read the JSONL corpus and the seed files as cleaned articles, as the ingest stores them."""
    from ingest.cleaning import clean_text

    articles = []
    for line in corpus.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        articles.append(
            Article(
                doc_id=row["id"],
                title=row["title"],
                text=clean_text(row["text"]).text,
                published_at=row.get("published_at"),
                source=row.get("source"),
                url=row.get("url"),
            )
        )
    for seed in seeds:
        cleaned = clean_text(seed.read_text(encoding="utf-8"))
        title = cleaned.headline or SEED_TITLE
        articles.append(Article(doc_id=seed.stem, title=title, text=cleaned.text))
    return articles


def _index(store: PassageStore, embedder: Embedder, articles: Sequence[Article]) -> None:
    """Chunk, embed (title as context) and store every article."""
    settings = Settings()
    chunker = Chunker(embedder.count_tokens, settings.chunk_tokens, settings.chunk_overlap_tokens)
    for number, article in enumerate(articles, start=1):
        chunks = chunker.split(article)
        vectors = embedder.embed_passages(
            [passage_embedding_text(article.title, c.text) for c in chunks]
        )
        store.write_article(article, chunks, vectors)
        if number % 50 == 0:
            print(f"indexed {number}/{len(articles)} articles", file=sys.stderr)


def _retriever(store: PassageStore, embedder: Embedder) -> tuple[Retriever, str]:
    """Production's hybrid retriever over the calibration collection."""
    from bot.wiring import build_retriever

    settings = Settings(collection_prefix="calibration")
    return build_retriever(settings, store, embedder), "hybrid"


def _ask(
    answerer: ExtractiveAnswerer,
    retriever: Retriever,
    question: str,
    on_corpus: bool,
    phrases: Sequence[str],
    k: int,
) -> Outcome:
    """Retrieve, score and record one question."""
    scored = answerer.score_sentences(question, retriever.search(question, k))
    evidence = max((s.evidence for s in scored), default=0.0)
    quotes = tuple(s.candidate.text for s in answerer.choose(scored))
    correct = any(p.lower() in q.lower() for p in phrases for q in quotes)
    return Outcome(question, on_corpus, round(evidence, 4), quotes, correct)


def _report(
    outcomes: Sequence[Outcome], retriever: str, args: argparse.Namespace
) -> dict[str, Any]:
    """Choose the threshold maximising balanced accuracy and describe it."""
    threshold = best_threshold(
        [o.evidence for o in outcomes if o.on_corpus],
        [o.evidence for o in outcomes if not o.on_corpus],
    )
    on = [o for o in outcomes if o.on_corpus]
    off = [o for o in outcomes if not o.on_corpus]
    answered_on = [o for o in on if o.evidence >= threshold]
    answered_off = [o for o in off if o.evidence >= threshold]
    answered = len(answered_on) + len(answered_off)
    refused_off = len(off) - len(answered_off)
    refused = len(on) - len(answered_on) + refused_off
    return {
        "threshold": round(threshold, 4),
        "retriever": retriever,
        "top_k": args.k,
        "corpus": str(args.corpus),
        "seed": [str(s) for s in args.seed],
        "on_corpus_questions": len(on),
        "off_corpus_questions": len(off),
        "balanced_accuracy": round((len(answered_on) / len(on) + refused_off / len(off)) / 2, 4),
        "answer_precision": round(len(answered_on) / answered, 4) if answered else None,
        "answer_recall": round(len(answered_on) / len(on), 4),
        "refusal_precision": round(refused_off / refused, 4) if refused else None,
        "refusal_recall": round(refused_off / len(off), 4),
        "lowest_on_corpus_evidence": min(o.evidence for o in on),
        "highest_off_corpus_evidence": max(o.evidence for o in off),
        "answered_on_corpus_quoting_expected": round(
            sum(o.correct for o in answered_on) / max(1, len(answered_on)), 4
        ),
        "questions": [
            {
                "question": o.question,
                "on_corpus": o.on_corpus,
                "evidence": o.evidence,
                "answered": o.evidence >= threshold,
                "quotes_expected": o.correct if o.on_corpus else None,
                "quotes": list(o.quotes),
            }
            for o in outcomes
        ],
    }


def best_threshold(on_scores: Sequence[float], off_scores: Sequence[float]) -> float:
    """Return the threshold (midway between two observed scores) with the best balanced accuracy."""
    values = sorted(set(on_scores) | set(off_scores))
    cuts = [values[0] - 0.01] + [(a + b) / 2 for a, b in itertools.pairwise(values)]
    cuts.append(values[-1] + 0.01)

    def balanced(cut: float) -> float:
        tpr = sum(s >= cut for s in on_scores) / len(on_scores)
        tnr = sum(s < cut for s in off_scores) / len(off_scores)
        return (tpr + tnr) / 2

    best = max(balanced(cut) for cut in cuts)
    ties = [cut for cut in cuts if balanced(cut) == best]
    return ties[len(ties) // 2]  # the middle of the best plateau: furthest from both errors


if __name__ == "__main__":
    main()
