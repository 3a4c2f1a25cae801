"""Loaders: every format from files written here, doc_ids, URLs from a local server, bad input."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from fpdf import FPDF

from ingest.loaders import Loaded, LoadError, article_from_json, iter_loaded
from ingest.models import Article

ARTICLE_HTML = """<html><head><title>Steel tariffs rise - Trade Times</title>
<link rel="canonical" href="https://news.example.com/steel-tariffs">
<meta property="og:site_name" content="Trade Times">
<meta property="article:published_time" content="2025-06-04T08:00:00Z">
</head><body><nav>Home | World | Markets | Subscribe</nav>
<article><h1>Steel tariffs rise to fifty percent</h1>
<p>The United States doubled tariffs on steel and aluminum imports to fifty percent on
Wednesday, officials said, raising costs for manufacturers that rely on foreign metal.</p>
<p>Canada and Mexico criticised the decision and warned of retaliation against American
goods, while the European Union said it was ready to respond.</p></article>
<footer>Copyright 2025 Trade Times. All rights reserved.</footer></body></html>"""


def load(*paths: Path | str) -> list[Loaded]:
    return list(iter_loaded([str(p) for p in paths]))


def only_article(results: list[Loaded]) -> Article:
    assert [r.error for r in results] == [None]
    assert results[0].article is not None
    return results[0].article


def write_pdf(path: Path, pages: list[str], title: str | None = None) -> None:
    pdf = FPDF()
    if title:
        pdf.set_title(title)
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    pdf.output(str(path))


def test_markdown_front_matter_sets_fields_and_keeps_extra_keys(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "---\ntitle: Rare earth licences approved\npublished_at: 2025-06-10\n"
        "source: Trade Wire\nurl: https://wire.example/rare-earths\nid: wire-42\n"
        "region: Asia\ntags: [china, magnets]\n---\n\nChina approved rare earth export licences.\n",
        encoding="utf-8",
    )
    article = only_article(load(tmp_path / "a.md"))
    assert article.doc_id == "wire-42"
    assert article.title == "Rare earth licences approved"
    assert article.published_at == "2025-06-10"
    assert article.source == "Trade Wire"
    assert article.url == "https://wire.example/rare-earths"
    assert article.text == "China approved rare earth export licences."
    assert article.metadata == {"region": "Asia", "tags": '["china", "magnets"]'}
    assert article.origin == str((tmp_path / "a.md").resolve())


def test_doc_id_is_url_then_path_relative_to_the_root(tmp_path: Path) -> None:
    nested = tmp_path / "news" / "asia"
    nested.mkdir(parents=True)
    (nested / "u.txt").write_text("---\nurl: https://x.example/u\n---\nBody one.\n")
    (nested / "p.txt").write_text("Body two, no front matter.\n")
    by_path = {Path(r.path).name: r.article for r in load(tmp_path / "news")}
    assert by_path["u.txt"] is not None and by_path["u.txt"].doc_id == "https://x.example/u"
    assert by_path["p.txt"] is not None and by_path["p.txt"].doc_id == "asia/p.txt"
    assert only_article(load(nested / "p.txt")).doc_id == "p.txt"


def test_raw_text_gets_its_headline_as_title(tmp_path: Path) -> None:
    (tmp_path / "raw.txt").write_text(
        "A one-line summary of the talks in London.\nTalks End With a Framework\n\n"
        "Talks End With a Framework\nOfficials agreed a framework on Tuesday.\n"
    )
    article = only_article(load(tmp_path / "raw.txt"))
    assert article.title == "Talks End With a Framework"
    assert article.text.count("Talks End With a Framework") == 1


def test_html_main_text_title_date_canonical_url_and_site(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(ARTICLE_HTML, encoding="utf-8")
    article = only_article(load(tmp_path / "page.html"))
    assert article.title == "Steel tariffs rise to fifty percent"
    assert article.published_at == "2025-06-04"
    assert article.url == "https://news.example.com/steel-tariffs"
    assert article.doc_id == "https://news.example.com/steel-tariffs"
    assert article.source == "Trade Times"
    assert "doubled tariffs on steel" in article.text
    assert "Subscribe" not in article.text and "All rights reserved" not in article.text


def test_pdf_keeps_page_spans_and_title(tmp_path: Path) -> None:
    write_pdf(
        tmp_path / "report.pdf",
        ["Export licences for rare earth magnets were approved.", "Steel duties rose again."],
        title="Rare Earth Report",
    )
    article = only_article(load(tmp_path / "report.pdf"))
    assert article.title == "Rare Earth Report"
    assert [page for _, _, page in article.pages] == [1, 2]
    second = article.text.index("Steel duties")
    assert article.page_at(second) == 2
    assert article.page_at(0) == 1


def test_jsonl_one_article_a_line_with_bad_lines_failing_alone(tmp_path: Path) -> None:
    good = {
        "id": "j1",
        "title": "Chip controls",
        "text": "New export controls on chips.",
        "published_at": "2024-12-02T10:00:00Z",
        "doc_type": "notice",
    }
    no_id = {"title": "No id", "text": "An article without an id or url."}
    lines = [json.dumps(good), "", "{not json", json.dumps({"title": "x"}), json.dumps(no_id)]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n")
    results = load(tmp_path / "feed.jsonl")
    articles = [r.article for r in results if r.article]
    errors = {r.path.rsplit(":", 1)[1]: r.error for r in results if r.error}
    assert [a.doc_id for a in articles] == ["j1", "feed.jsonl#5"]
    assert articles[0].published_at == "2024-12-02"
    assert articles[0].metadata == {"doc_type": "notice"}
    assert errors["3"] is not None and errors["3"].startswith("invalid JSON")
    assert errors["4"] == "'text' is missing or empty"


def test_jsonl_lines_nested_too_deeply_fail_alone(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    lines = [
        '{"id": "deep", "text": "Deep.", "notes": ' + deep + "}",
        '{"id": "deep-40", "text": "Deep.", "notes": ' + "[" * 40 + "]" * 40 + "}",
        json.dumps({"id": "flat", "text": "Flat tariffs."}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n")
    results = load(tmp_path / "feed.jsonl")
    assert [r.article.doc_id for r in results if r.article] == ["flat"]
    errors = [r.error for r in results if r.error]
    assert errors == [
        "invalid JSON (nested too deeply to parse)",
        "JSON nested deeper than 32 levels",
    ]


def test_article_from_json_names_an_unnamed_article_by_its_text() -> None:
    first = article_from_json({"title": "T", "text": "Same body."})
    again = article_from_json({"title": "T", "text": "Same body.", "extra": 1})
    assert first.doc_id == again.doc_id and first.doc_id.startswith("text-")
    assert article_from_json({"_id": 7, "title": "T", "text": "b"}).doc_id == "7"
    with pytest.raises(ValueError, match="published_at"):
        article_from_json({"title": "T", "text": "b", "published_at": "last Tuesday"})
    with pytest.raises(LoadError):
        article_from_json({"title": "T", "text": "   "})


BAD_INPUTS = {
    "empty.txt": (b"", "empty file"),
    "blank.md": (b"  \n\n", "empty file"),
    "binary.txt": (b"\x00\x01\x02binary\x00", "binary file"),
    "latin1.txt": ("Zölle auf Stahl".encode("latin-1"), "not UTF-8"),
    "random.pdf": (bytes(range(256)) * 8, "not a PDF"),
    "broken.pdf": (b"%PDF-1.7\n" + bytes(range(256)) * 8, "unreadable PDF"),
    "unclosed.md": (b"---\ntitle: x\nbody without a closing line\n", "no closing '---'"),
    "badyaml.md": (b"---\ntitle: [unclosed\n---\nBody.\n", "malformed front matter"),
    "list.md": (b"---\n- a\n- b\n---\nBody.\n", "malformed front matter"),
    "baddate.md": (b"---\npublished_at: soon\n---\nBody.\n", "invalid published_at"),
    "notes.docx": (b"PK\x03\x04 something", "unsupported file type '.docx'"),
    "empty.html": (b"<html><body></body></html>", "no article text"),
    "empty.jsonl": (b"\n\n", "empty file"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_each_bad_input_fails_with_its_reason(tmp_path: Path, name: str) -> None:
    data, reason = BAD_INPUTS[name]
    (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text("A good article about tariffs.\n")
    results = {Path(r.path).name: r for r in load(tmp_path)}
    assert results["good.txt"].article is not None
    assert results[name].article is None
    assert results[name].error is not None and reason in results[name].error


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    [result] = load(tmp_path / "nope.txt")
    assert result.error == "no such file or directory"


def test_hidden_files_are_skipped_and_a_file_given_twice_is_read_once(tmp_path: Path) -> None:
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00")
    (tmp_path / "a.txt").write_text("Tariffs.\n")
    results = load(tmp_path, tmp_path / "a.txt")
    assert [Path(r.path).name for r in results] == ["a.txt"]


class _Pages(BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, tuple[str, bytes]]]

    def do_GET(self) -> None:
        found = self.pages.get(self.path)
        if found is None:
            self.send_error(404)
            return
        kind, body = found
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@dataclass
class Web:
    """A local HTTP server; tests put (content type, body) per path in `pages`."""

    base: str
    pages: dict[str, tuple[str, bytes]]


@pytest.fixture
def web() -> Iterator[Web]:
    """Serve `Web.pages` on 127.0.0.1 from a thread."""
    pages: dict[str, tuple[str, bytes]] = {}
    handler = type("Handler", (_Pages,), {"pages": pages})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Web(f"http://127.0.0.1:{server.server_address[1]}", pages)
    finally:
        server.shutdown()
        server.server_close()


def test_url_goes_through_the_html_path(web: Web) -> None:
    web.pages["/news/steel"] = ("text/html; charset=utf-8", ARTICLE_HTML.encode())
    article = only_article(load(f"{web.base}/news/steel"))
    assert article.doc_id == "https://news.example.com/steel-tariffs"
    assert article.origin == f"{web.base}/news/steel"
    assert "doubled tariffs on steel" in article.text


def test_page_without_canonical_link_is_named_by_its_url(web: Web) -> None:
    html = ARTICLE_HTML.replace(
        '<link rel="canonical" href="https://news.example.com/steel-tariffs">', ""
    )
    web.pages["/plain"] = ("text/html", html.encode())
    assert only_article(load(f"{web.base}/plain")).doc_id == f"{web.base}/plain"


def test_missing_page_and_unreachable_host_are_errors(web: Web) -> None:
    [missing] = load(f"{web.base}/gone")
    assert missing.error == "HTTP 404 Not Found"
    with ThreadingHTTPServer(("127.0.0.1", 0), _Pages) as closed:
        port = closed.server_address[1]
    [down] = load(f"http://127.0.0.1:{port}/x")
    assert down.error is not None and down.error.startswith("unreachable")
