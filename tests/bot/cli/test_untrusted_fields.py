"""Untrusted article fields through the real CLI: no raw control characters on the terminal,
control characters refused in ids, and only http(s) URLs kept."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from bot.cli.main import build_cli
from ingest.store import PassageStore

# An OSC title change, a BEL, a C1 CSI colour, a clear-screen: none may reach a terminal raw.
OSC_TITLE = "Tariff \x1b]0;pwned\x07 notice"
C1_SOURCE = "Wire \x9b31m red"
RAW_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(build_cli(), list(args))
    return result.exit_code, result.stdout, result.stderr


def _write_jsonl(path: Path, items: list[dict[str, str]]) -> None:
    path.write_text("".join(json.dumps(item) + "\n" for item in items))


def test_control_characters_in_fields_never_reach_the_terminal_raw(tmp_path: Path) -> None:
    article = {
        "id": "pork-duty",
        "title": OSC_TITLE,
        "source": C1_SOURCE,
        "text": "China raised its duty on pork imports to 62 percent in June.",
        "region": "asia\x1b[2J",
    }
    _write_jsonl(tmp_path / "feed.jsonl", [article])
    assert invoke("ingest", str(tmp_path / "feed.jsonl"))[0] == 0

    outputs = {
        "list": invoke("documents", "list"),
        "list --json": invoke("documents", "list", "--json"),
        "show": invoke("documents", "show", "pork-duty"),
        "show --json": invoke("documents", "show", "pork-duty", "--json"),
        "ask": invoke("ask", "What duty did China set on pork imports?"),
        "ask --json": invoke("ask", "What duty did China set on pork imports?", "--json"),
    }
    for name, (code, out, err) in outputs.items():
        assert code == 0, (name, err)
        assert not RAW_CONTROLS.search(out + err), (name, out)
    assert "Tariff \\x1b]0;pwned\\x07 notice" in outputs["list"][1]
    assert "source: Wire \\x9b31m red" in outputs["show"][1]
    assert "region: asia\\x1b[2J" in outputs["show"][1]
    assert "[1] Tariff \\x1b]0;pwned\\x07 notice" in outputs["ask"][1]
    # JSON escapes them instead, so the stored values come back exactly.
    [listed] = json.loads(outputs["list --json"][1])
    assert (listed["title"], listed["source"]) == (OSC_TITLE, C1_SOURCE)
    assert json.loads(outputs["show --json"][1])["metadata"] == {"region": "asia\x1b[2J"}
    [cited] = json.loads(outputs["ask --json"][1])["citations"]
    assert cited["title"] == OSC_TITLE


def test_ids_with_control_characters_are_refused_one_line_each(
    tmp_path: Path, store: PassageStore
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write_jsonl(
        corpus / "feed.jsonl",
        [
            {"id": "evil\x1b[31m", "text": "Duties on steel rose."},
            {"id": "fine-1", "text": "Duties on copper rose."},
            {"id": "c1\x85break", "text": "Duties on nickel rose."},
        ],
    )
    (corpus / "bell\x07.txt").write_text("Duties on tin rose.\n")
    (corpus / "plain.txt").write_text("Duties on zinc rose.\n")
    code, out, err = invoke("ingest", str(corpus), "--json")

    assert code == 1
    assert not RAW_CONTROLS.search(out + err)
    summary = json.loads(out.splitlines()[-1])
    assert (summary["added"], summary["failed"]) == (2, 3)
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 3
    assert any("'evil\\x1b[31m' contains a control character (U+001B)" in e for e in errors)
    assert any("'c1\\x85break' contains a control character (U+0085)" in e for e in errors)
    assert any("bell\\x07.txt" in e and "(U+0007)" in e for e in errors)
    assert sorted(a.doc_id for a in store.list_articles()) == ["fine-1", "plain.txt"]


def test_urls_other_than_http_are_dropped_and_never_cited(
    tmp_path: Path, store: PassageStore
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "script.md").write_text(
        "---\ntitle: Lumber quota\nurl: javascript:alert(1)\n---\n"
        "Canada set a lumber export quota of two million cubic metres.\n"
    )
    _write_jsonl(
        corpus / "feed.jsonl",
        [
            {"id": "data", "text": "Brazil cut its coffee tariff.", "url": "data:text/html,x"},
            {"id": "file", "text": "Chile cut its copper levy.", "url": "file:///etc/passwd"},
            {"id": "ftp", "text": "Peru cut its zinc duty.", "url": "ftp://files.example/a"},
            {"id": "web", "text": "Kenya cut its tea duty.", "url": " HTTPS://news.example/t "},
        ],
    )
    code, out, err = invoke("ingest", str(corpus), "--json")
    assert code == 0, err
    assert json.loads(out.splitlines()[-1])["added"] == 5

    urls = {a.doc_id: a.url for a in store.list_articles()}
    # The javascript: URL is not the doc_id either: the file's path names the article.
    assert urls == {
        "script.md": None,
        "data": None,
        "file": None,
        "ftp": None,
        "web": "HTTPS://news.example/t",
    }
    code, out, _ = invoke("ask", "What lumber export quota did Canada set?", "--json")
    assert code == 0
    citations = json.loads(out)["citations"]
    assert [c["doc_id"] for c in citations][:1] == ["script.md"]
    assert all(c["url"] in (None, "HTTPS://news.example/t") for c in citations)
