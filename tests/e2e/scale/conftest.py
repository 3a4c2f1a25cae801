"""Fixtures for the scale tests: a Chroma server and `tradebot serve` replicas (see processes)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.processes import ApiProcess, ChromaServer, free_port, start_replica


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[ChromaServer]:
    """A running Chroma server persisting to a temp dir."""
    server = ChromaServer(tmp_path / "chroma-server", free_port(), tmp_path / "chroma.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def replicas(tmp_path: Path) -> Iterator[Callable[..., ApiProcess]]:
    """Return `replicas(env, workers=1)`: start a ready `tradebot serve`; all stop at teardown."""
    started: list[ApiProcess] = []

    def start(env: dict[str, str], workers: int = 1) -> ApiProcess:
        replica = start_replica(env, tmp_path / f"serve-{len(started)}.log", workers)
        started.append(replica)
        return replica

    try:
        yield start
    finally:
        for replica in started:
            replica.stop()
