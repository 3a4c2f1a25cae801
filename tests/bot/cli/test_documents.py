"""`tradebot documents list/show/delete` through the real CLI on a real store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import build_cli
from bot.settings import Settings
from bot.wiring import build_ingestor
from ingest.embedder import Embedder
from ingest.store import PassageStore


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(build_cli(), list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def stored(settings: Settings, store: PassageStore, embedder: Embedder, tmp_path: Path) -> None:
    """Two articles in the store the CLI opens (TRADEBOT_DATA_DIR)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "steel.md").write_text(
        "---\ntitle: Steel duties double\npublished_at: 2025-06-04\nsource: Trade Times\n"
        "url: https://news.example/steel\nid: steel\nregion: global\n---\n"
        "The United States doubled duties on steel imports to fifty percent.\n"
    )
    (corpus / "magnets.txt").write_text("Rare Earth Magnets Resume\n\nShipments resumed in June.\n")
    report = build_ingestor(settings, store, embedder).ingest_paths([str(corpus)])
    assert report.added == 2


def test_list_json_has_the_documented_fields(stored: None) -> None:
    code, out, _ = invoke("documents", "list", "--json")
    assert code == 0
    assert json.loads(out) == [
        {
            "doc_id": "magnets.txt",
            "title": "Rare Earth Magnets Resume",
            "source": None,
            "url": None,
            "published_at": None,
            "passages": 1,
        },
        {
            "doc_id": "steel",
            "title": "Steel duties double",
            "source": "Trade Times",
            "url": "https://news.example/steel",
            "published_at": "2025-06-04",
            "passages": 1,
        },
    ]


def test_list_prints_a_table(stored: None) -> None:
    code, out, _ = invoke("documents", "list")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("doc_id\t")
    assert lines[2] == (
        "steel\t2025-06-04\t1\tTrade Times\tSteel duties double\thttps://news.example/steel"
    )


def test_list_on_an_empty_store_says_so() -> None:
    assert invoke("documents", "list") == (0, "No documents stored.\n", "")
    assert invoke("documents", "list", "--json") == (0, "[]\n", "")


def test_show_prints_fields_metadata_and_text(stored: None) -> None:
    code, out, _ = invoke("documents", "show", "steel")
    assert code == 0
    assert "title: Steel duties double" in out and "region: global" in out
    assert out.rstrip().endswith("doubled duties on steel imports to fifty percent.")
    code, out, _ = invoke("documents", "show", "steel", "--json")
    shown = json.loads(out)
    assert shown["text"] == "The United States doubled duties on steel imports to fifty percent."
    assert shown["metadata"] == {"region": "global"}


def test_delete_removes_the_article_and_its_passages(stored: None, store: PassageStore) -> None:
    code, out, _ = invoke("documents", "delete", "steel")
    assert code == 0 and out.strip() == "Deleted steel (1 passages)."
    assert [a.doc_id for a in store.list_articles()] == ["magnets.txt"]
    assert {p.doc_id for p in store.iter_passages()} == {"magnets.txt"}


@pytest.mark.parametrize("command", ["show", "delete"])
def test_unknown_doc_id_exits_1_with_a_clear_message(stored: None, command: str) -> None:
    code, out, err = invoke("documents", command, "no-such-doc")
    assert code == 1 and out == ""
    assert err.strip() == "error: no document with doc_id 'no-such-doc'"
