"""With TRADEBOT_CHROMA_URL, the app starts while Chroma is down and recovers without a restart."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.settings import Settings
from ingest.embedder import Embedder
from tests.support.servers import free_port

pytestmark = pytest.mark.chroma_server


def _wait_ready(client: TestClient, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()
        if client.get("/readyz").status_code == 200:
            return
        time.sleep(0.5)
    raise AssertionError("the app never became ready after Chroma started")


def test_app_waits_for_chroma_then_serves(
    tmp_path: Path, embedder: Embedder, error_of: Callable[..., dict[str, Any]]
) -> None:
    port = free_port()
    settings = Settings(data_dir=tmp_path / "data", chroma_url=f"http://127.0.0.1:{port}")
    chroma = Path(sys.executable).parent / "chroma"
    log = tmp_path / "chroma.log"
    with TestClient(create_app(settings, embedder=embedder)) as client:
        error_of(client.get("/readyz"), 503, "store_unavailable")
        error_of(client.post("/v1/chat", json={"question": "Tariffs?"}), 503, "store_unavailable")
        with log.open("w") as out:
            server = subprocess.Popen(
                [
                    str(chroma),
                    "run",
                    "--path",
                    str(tmp_path / "server"),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            try:
                _wait_ready(client, server, log)
                article = {
                    "id": "quota",
                    "title": "South Korea accepts a steel export quota",
                    "text": "South Korea agreed to cap its steel exports to the United States "
                    "at 70 percent of recent volumes in exchange for a tariff exemption.",
                }
                assert client.post("/v1/documents", json=article).status_code == 201
                answer = client.post(
                    "/v1/chat", json={"question": "What steel quota did South Korea accept?"}
                ).json()
                assert answer["grounded"] and answer["citations"][0]["doc_id"] == "quota"
            finally:
                server.terminate()
                server.wait(timeout=30)
        error_of(client.get("/readyz"), 503, "store_unavailable")
