"""What the browser tests run against: fixture articles, keys, the app process, embedding sites."""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.support.servers import wait_for_http_ok

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDGET_KEY = "tb-widget-browser-4e1f"
ADMIN_KEY = "tb-admin-browser-90c2"
XSS_SCRIPT = "<script>window.__xss=1</script>"
XSS_IMG = '<img src=x onerror="window.__xss=1">'
# The demo page's example buttons, for the fixture articles (the default ones suit corpus/).
DEMO_QUESTIONS = ["How quickly will the ministry review the applications?", f"Gallium {XSS_IMG}?"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

ARTICLES: list[dict[str, str]] = [
    {
        "id": "eu-ev-tariffs",
        "title": "EU imposes tariffs of up to 35.3% on Chinese electric vehicles",
        "text": (
            "The European Commission imposed definitive tariffs of up to 35.3% on electric "
            "vehicles made in China, after an anti-subsidy investigation found that state support "
            "let Chinese makers undercut European rivals. The duties come on top of the EU’s "
            "standard 10% car import tariff and apply for five years. Beijing called the tariffs "
            "protectionist and said it would defend the rights of Chinese companies, and it "
            "opened an anti-dumping probe into brandy imported from the EU worth €1.6bn a year."
        ),
        "published_at": "2024-10-29",
        "source": "Example Wire",
        "url": "https://news.example/eu-ev-tariffs",
    },
    {
        "id": "rare-earth-licences",
        "title": "China grants first rare-earth magnet export licences under new regime",
        "text": (
            "China’s commerce ministry said it had approved a first batch of export licences for "
            "rare-earth magnets, weeks after it added seven rare-earth elements to its export "
            "control list. Carmakers in Europe and the United States had warned that shortages "
            "of the magnets could halt production lines. The ministry said applications would "
            "be reviewed within 45 working days and that compliant requests would be approved."
        ),
        "published_at": "2025-06-07",
        "source": "Trade Desk Daily",
        "url": "https://trade.example/rare-earth-licences",
    },
    {
        "id": "gallium-notice",
        "title": f"Gallium export notice {XSS_SCRIPT} {XSS_IMG}",
        "text": (
            f"The gallium export notice said {XSS_SCRIPT} exporters of gallium and germanium "
            f"must now file end-user certificates {XSS_IMG} before each shipment. Gallium and "
            "germanium are used in chips, and the notice requires exporters to name the foreign "
            "end user of every gallium cargo."
        ),
        "published_at": "2023-07-03",
        "source": "Markup <b>Wire</b>",
        "url": "javascript:window.__xss=1",
    },
]


@dataclass(frozen=True)
class Served:
    """Where the test app and the embedding sites listen."""

    api: str
    data_dir: Path
    allowed_site: str
    other_site: str
    dead_api: str


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def static_site(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _embed_page(script_api: str, api: str, key: str, head: str = "", attrs: str = "") -> str:
    tag = (
        f'<script src="{script_api}/widget.js" data-api="{api}" data-key="{key}" '
        f"{attrs} defer></script>"
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Embed</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">{head}</head>'
        f"<body><h1>A site embedding tradebot</h1>"
        f'<p id="host-p">Host text</p><button id="host-button">Host button</button>'
        f"{tag}</body></html>"
    )


HOSTILE_CSS = (
    "<style>body { color: rgb(255, 0, 0); font: 30px cursive; } "
    "button { background: rgb(255, 0, 0); font-size: 30px; } p { color: rgb(255, 0, 0); }</style>"
)


def write_sites(directory: Path, api: str, dead_api: str) -> None:
    directory.mkdir(parents=True)
    pages = {
        "embed.html": _embed_page(api, api, WIDGET_KEY),
        "unreachable.html": _embed_page(api, dead_api, WIDGET_KEY),
        "bad-key.html": _embed_page(api, api, "not-a-real-key"),
        "styled.html": _embed_page(
            api,
            api,
            WIDGET_KEY,
            head=HOSTILE_CSS,
            attrs='data-accent="#0a7d38" data-title="Trade desk" data-position="left"',
        ),
        "themed.html": _embed_page(
            api, api, WIDGET_KEY, head="<style>trade-chat { --tradebot-accent: #78148c; }</style>"
        ),
    }
    for name, html in pages.items():
        (directory / name).write_text(html, encoding="utf-8")


def server_env(data_dir: Path, allowed_site: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRADEBOT_", "SLACK_"))}
    env.update(
        TRADEBOT_DATA_DIR=str(data_dir),
        TRADEBOT_WIDGET_KEYS=WIDGET_KEY,
        TRADEBOT_ADMIN_API_KEYS=ADMIN_KEY,
        TRADEBOT_CORS_ORIGINS=allowed_site,
        TRADEBOT_RATE_LIMIT_PER_MINUTE="0",
        TRADEBOT_DEMO_QUESTIONS=json.dumps(DEMO_QUESTIONS),
        HF_HUB_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
    )
    return env


def ingest_articles(api: str) -> None:
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
    for article in ARTICLES:
        response = httpx.post(f"{api}/v1/documents", json=article, headers=headers, timeout=120)
        assert response.status_code == 201, response.text


def wait_ready(process: subprocess.Popen[bytes], api: str, log_path: Path) -> None:
    """Wait until the served app reports ready."""
    wait_for_http_ok(process, f"{api}/readyz", log_path, 180, "uvicorn")
