"""Helpers for tests that start real servers on 127.0.0.1: free ports and readiness polling."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(check: Callable[[], bool], deadline_s: float, what: str) -> None:
    """Poll `check` until it holds, failing with `what` once the deadline passes."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.25)
    raise AssertionError(f"not within {deadline_s:g} s: {what}")


def wait_for_http_ok(
    process: subprocess.Popen[bytes], url: str, log: Path, deadline_s: float, name: str
) -> None:
    """Poll `url` until it answers 200; fail with the log if `process` dies or never gets there."""

    def answers() -> bool:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-4000:]
            pytest.fail(f"{name} exited ({process.returncode}):\n{tail}")
        try:
            return httpx.get(url, timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    try:
        wait_until(answers, deadline_s, f"{name} answers {url}")
    except AssertionError as exc:
        pytest.fail(f"{exc}:\n{log.read_text(errors='replace')[-4000:]}")


@contextmanager
def serve_in_thread(app: Any) -> Iterator[str]:
    """Serve an ASGI app (lifespan run) with uvicorn on 127.0.0.1 in a thread; yield its URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="none")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    try:
        wait_until(lambda: server.started or not thread.is_alive(), 120, "uvicorn started")
        assert server.started, "uvicorn exited before it started serving"
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
