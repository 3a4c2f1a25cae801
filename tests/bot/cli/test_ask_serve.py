"""`tradebot ask` and `tradebot serve`, invoked as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from typer.testing import CliRunner

from bot.cli.main import build_cli
from bot.settings import Settings
from tests.support.servers import free_port

if TYPE_CHECKING:  # the fixture type lives in tests/conftest.py
    from tests.support.fixtures import SeedArticles

ARTICLE = {
    "id": "framework",
    "title": "US and China agree a trade framework in London",
    "text": (
        "US Commerce Secretary Howard Lutnick announced a framework to ease disputes over rare "
        "earth magnets. The framework will now be presented to Presidents Donald Trump and Xi "
        "Jinping for final approval."
    ),
    "published_at": "2025-06-11",
}


@pytest.fixture
def ingested(seed_articles: SeedArticles) -> Settings:
    """The environment's data dir, holding one article."""
    return seed_articles([ARTICLE])


def test_ask_prints_the_answer_and_numbered_citations(ingested: Settings) -> None:
    runner = CliRunner()
    result = runner.invoke(build_cli(), ["ask", "What is pending presidential approval?"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "[1]" in lines[0]
    assert "[1] US and China agree a trade framework in London, 2025-06-11" in lines
    assert any(line.strip().startswith('"') and "final approval" in line for line in lines)

    result = runner.invoke(build_cli(), ["ask", "--json", "What did the EU decide on steel?"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["grounded"] is False and answer["citations"] == []
    assert answer["conversation_id"]


def test_ask_rejects_a_blank_question(ingested: Settings) -> None:
    result = CliRunner().invoke(build_cli(), ["ask", "   "])
    assert result.exit_code != 0


def test_serve_runs_the_app_in_worker_processes(ingested: Settings, tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "TRADEBOT_DATA_DIR": str(ingested.data_dir)}
    command = [sys.executable, "-c", "from bot.cli.main import main; main()"]
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"]
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(command + args, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            time.sleep(0.5)
        question = {"question": "What is pending presidential approval?"}
        answer = httpx.post(f"{base}/v1/chat", json=question, timeout=60).json()
        assert answer["grounded"] and answer["citations"][0]["doc_id"] == "framework"
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
    assert "warning: several workers" in (tmp_path / "serve.log").read_text()
