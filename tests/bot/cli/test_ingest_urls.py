"""`tradebot ingest URL` against real local servers: redirects inward, huge bodies, slow servers.

One server on 127.0.0.1 plays both the web and, through HTTP_PROXY, "the internet": a request
for `http://93.184.215.14/...` (a public address) reaches it as a proxy request, so a public
page can redirect to loopback, private and link-local addresses without leaving this machine.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import build_cli
from ingest.store import PassageStore

PUBLIC = "http://93.184.215.14"
OTHER_PUBLIC = "http://93.184.215.15"
SECRET = "INTERNAL ADMIN CONSOLE: database password is hunter2."
PADDING = "<!--" + "x" * 300_000 + "-->"


def _page(title: str, sentence: str, padding: str = "") -> bytes:
    html = f"<html><head><title>{title}</title></head><body>{padding}<article><h1>{title}</h1>"
    return (html + f"<p>{sentence}</p></article></body></html>").encode()


@dataclass
class Web:
    """What the server answers, by full URL (proxy requests) or by path (direct ones)."""

    port: int = 0
    redirects: dict[str, str] = field(default_factory=dict)
    pages: dict[str, bytes] = field(default_factory=dict)
    streamed: set[str] = field(default_factory=set)  # sent without a Content-Length
    stop: threading.Event = field(default_factory=threading.Event)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class _Handler(BaseHTTPRequestHandler):
    web: Web

    def do_GET(self) -> None:
        web, key = self.web, self.path
        if key in web.redirects:
            self.send_response(302)
            self.send_header("Location", web.redirects[key])
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif key.endswith("/drip"):
            self._drip()
        elif key.endswith("/silent"):
            web.stop.wait(60)  # never answers while the test runs
        elif key in web.pages or "/internal" in key or "/admin" in key or "/latest/" in key:
            body = web.pages.get(key) or _page("Admin", SECRET)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            if key not in web.streamed:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for lo in range(0, len(body), 65536):
                self.wfile.write(body[lo : lo + 65536])
        else:
            self.send_error(404)

    def _drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        body = _page("Slow", "A page that arrives one byte at a time.")
        for byte in body[:150]:  # about 30 s in all, then the page ends
            if self.web.stop.wait(0.2):
                return
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:
                return  # the client gave up

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@pytest.fixture
def web(monkeypatch: pytest.MonkeyPatch) -> Iterator[Web]:
    """The server, and HTTP_PROXY pointing at it (no proxy exceptions)."""
    state = Web()
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (_Handler,), {"web": state}))
    state.port = server.server_address[1]
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", state.base)
    monkeypatch.setenv("http_proxy", state.base)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    state.stop.set()
    server.shutdown()
    server.server_close()


def invoke(*args: str, **env: str) -> tuple[int, dict[str, object], list[str]]:
    result = CliRunner().invoke(build_cli(), [*args, "--json"], env=env)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    return result.exit_code, json.loads(result.stdout.splitlines()[-1]), errors


@pytest.fixture
def kept(tmp_path: Path) -> Path:
    """An article ingested before the URLs: whatever they do, it must stay stored."""
    path = tmp_path / "kept.txt"
    path.write_text("Mexico raised its tomato duty to 17 percent.\n")
    code, summary, _ = invoke("ingest", str(path))
    assert code == 0 and summary["added"] == 1
    return path


def _texts(store: PassageStore) -> dict[str, str]:
    return {a.doc_id: a.text for a in store.list_articles()}


def test_redirects_into_internal_addresses_are_refused_naming_the_rule(
    web: Web, kept: Path, store: PassageStore
) -> None:
    web.redirects.update(
        {
            f"{PUBLIC}/loop": f"{web.base}/internal",
            f"{PUBLIC}/named": f"http://localhost:{web.port}/internal",
            f"{PUBLIC}/two-hops": f"{OTHER_PUBLIC}/hop",
            f"{OTHER_PUBLIC}/hop": "http://10.20.30.40/admin",
            f"{PUBLIC}/metadata": "http://169.254.169.254/latest/meta-data/",
            f"{PUBLIC}/moved": f"{OTHER_PUBLIC}/story",
        }
    )
    web.pages[f"{OTHER_PUBLIC}/story"] = _page("Coffee", "Brazil cut its coffee export tax.")
    urls = ["loop", "named", "two-hops", "metadata", "moved"]
    code, summary, errors = invoke("ingest", *(f"{PUBLIC}/{u}" for u in urls))

    assert code == 1
    assert (summary["added"], summary["failed"]) == (1, 4)
    expected = {
        "loop": "127.0.0.1 is a loopback address",
        "named": "localhost is a loopback address",
        "two-hops": "10.20.30.40 is a private address",
        "metadata": "169.254.169.254 is a link-local address",
    }
    for url, rule in expected.items():
        [line] = [e for e in errors if e.startswith(f"error: {PUBLIC}/{url}: redirect to ")]
        assert "refused" in line and rule in line, line
    texts = _texts(store)
    assert not [text for text in texts.values() if "hunter2" in text]
    assert "Brazil cut its coffee export tax." in texts[f"{OTHER_PUBLIC}/story"]
    assert kept.name in texts


def test_an_internal_url_may_redirect_within_the_intranet(
    web: Web, store: PassageStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HTTP_PROXY")
    monkeypatch.delenv("http_proxy")
    web.redirects["/old-notice"] = f"http://localhost:{web.port}/notice"
    web.redirects["/to-a-file"] = "file:///etc/passwd"
    web.pages["/notice"] = _page("Quota notice", "The lumber quota rose to two million metres.")
    code, summary, errors = invoke("ingest", f"{web.base}/old-notice", f"{web.base}/to-a-file")
    assert (code, summary["added"]) == (1, 1)
    assert "lumber quota" in _texts(store)[f"http://localhost:{web.port}/notice"]
    assert errors == [
        f"error: {web.base}/to-a-file: redirect to file://127.0.0.1/etc/passwd refused: "
        "only http(s) URLs are followed"
    ]


def test_bodies_over_the_size_cap_are_refused_streamed_or_declared(
    web: Web, kept: Path, store: PassageStore
) -> None:
    big = _page("Padded", "Peru cut its zinc duty.", padding=PADDING)
    web.pages.update(
        {
            f"{PUBLIC}/declared": big,
            f"{PUBLIC}/streamed": big,
            f"{PUBLIC}/small": _page("Small", "Kenya cut its tea duty."),
        }
    )
    web.streamed.add(f"{PUBLIC}/streamed")
    urls = [f"{PUBLIC}/{name}" for name in ("declared", "streamed", "small")]
    code, summary, errors = invoke("ingest", *urls, TRADEBOT_URL_FETCH_MAX_BYTES="100000")

    assert code == 1
    assert (summary["added"], summary["failed"]) == (1, 2)
    assert errors == [
        f"error: {urls[0]}: response larger than the 100,000-byte limit",
        f"error: {urls[1]}: response larger than the 100,000-byte limit",
    ]
    assert sorted(_texts(store)) == sorted([kept.name, urls[2]])


def test_a_slow_server_is_cut_off_at_the_deadline(
    web: Web, kept: Path, store: PassageStore
) -> None:
    urls = [f"{PUBLIC}/drip", f"{PUBLIC}/silent"]
    code, summary, errors = invoke("ingest", *urls, TRADEBOT_URL_FETCH_DEADLINE_S="2")

    assert code == 1 and summary["failed"] == 2
    assert errors == [f"error: {url}: not fetched within the 2 s deadline" for url in urls]
    assert sorted(_texts(store)) == [kept.name]
