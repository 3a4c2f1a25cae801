"""`tradebot eval retrieval DIR` on a small BEIR folder the test writes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bot.cli.main import build_cli

DOCS = {
    "d1": ("Rare-earth export licences", "China requires a licence for each magnet shipment."),
    "d2": ("Steel tariffs doubled", "The US raised steel and aluminium tariffs to 50 percent."),
    "d3": ("Soybean exports collapse", "Chinese buyers stopped booking American soybeans."),
    "d4": ("Chip export controls", "Washington banned sales of advanced AI chips to China."),
    "d5": ("Wine duties threatened", "French winemakers fear retaliatory duties on wine."),
    "d6": ("Auto tariffs on Japan", "A 25 percent tariff on Japanese cars was cut to 15."),
    "d7": ("Port fees on ships", "Both countries imposed port fees on each other's ships."),
    "d8": ("Fentanyl tariff halved", "The fentanyl tariff on Chinese goods fell to 10 percent."),
    "d9": ("Gallium ban lifted", "Beijing suspended its ban on gallium and germanium exports."),
    "d10": ("Truce extended", "The tariff truce between the two was extended by 90 days."),
    # An exact copy of d9's body: the pipeline stores it once; it must rank with d9.
    "d11": ("Syndicated: gallium", "Beijing suspended its ban on gallium and germanium exports."),
}
QUERIES = {
    "q1": "licences for rare earth magnets",
    "q2": "steel and aluminium duties",
    "q3": "farmers selling soybeans to China",
    "q4": "AI chip sales banned",
    "q5": "gallium and germanium export ban",
    "q6": "no judgement for this query",
}
QRELS = [
    ("q1", "d1", 1),
    ("q2", "d2", 1),
    ("q3", "d3", 1),
    ("q4", "d4", 2),
    ("q5", "d9", 1),
    ("q5", "d11", 1),
]


def write_beir(folder: Path) -> Path:
    """Write a tiny BEIR dataset (corpus, queries, test qrels)."""
    (folder / "qrels").mkdir(parents=True)
    (folder / "corpus.jsonl").write_text(
        "".join(json.dumps({"_id": i, "title": t, "text": x}) + "\n" for i, (t, x) in DOCS.items())
    )
    (folder / "queries.jsonl").write_text(
        "".join(json.dumps({"_id": i, "text": t}) + "\n" for i, t in QUERIES.items())
    )
    lines = ["query-id\tcorpus-id\tscore", *(f"{q}\t{d}\t{s}" for q, d, s in QRELS)]
    (folder / "qrels" / "test.tsv").write_text("\n".join(lines) + "\n")
    return folder


def test_eval_retrieval_prints_figures_and_json_last_line(tmp_path: Path) -> None:
    folder = write_beir(tmp_path / "beir")
    index_dir = tmp_path / "index"
    result = CliRunner().invoke(
        build_cli(), ["eval", "retrieval", str(folder), "--json", "--index-dir", str(index_dir)]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(figures) == {"ndcg@10", "recall@100", "mrr@10", "queries"}
    assert figures["queries"] == 5
    assert figures["ndcg@10"] >= 0.9
    assert figures["recall@100"] == 1.0
    assert figures["mrr@10"] >= 0.9
    assert (index_dir / "beir-index.json").is_file()

    again = CliRunner().invoke(
        build_cli(), ["eval", "retrieval", str(folder), "--index-dir", str(index_dir)]
    )
    assert again.exit_code == 0, again.output
    assert "indexed" not in again.stderr  # the kept index was reused
    assert f"nDCG@10     {figures['ndcg@10']:.4f}" in again.stdout


def test_eval_retrieval_rejects_a_folder_that_is_not_beir(tmp_path: Path) -> None:
    folder = write_beir(tmp_path / "beir")
    result = CliRunner().invoke(build_cli(), ["eval", "retrieval", str(folder), "--split", "dev"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"error: {folder / 'qrels' / 'dev.tsv'}: missing (is the split name right?)"
    ]
    (folder / "corpus.jsonl").write_text("{not json\n")
    broken = CliRunner().invoke(build_cli(), ["eval", "retrieval", str(folder)])
    assert broken.exit_code == 1
    assert "corpus.jsonl:1: not JSON" in broken.stderr
