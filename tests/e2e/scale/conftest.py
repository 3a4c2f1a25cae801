"""Fixtures for the scale tests: a Chroma server and `tradebot serve` replicas (see processes)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.cluster import Cluster, running_cluster
from tests.support.postgres import PostgresServer
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


@pytest.fixture(scope="module")
def cluster(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    """Replicas a (one worker) and b (two workers) sharing one Chroma server and one PostgreSQL.

    Module-scoped: replicas are slow to start, so the tests of a module share them.
    """
    root = tmp_path_factory.mktemp("cluster")
    with running_cluster(postgres_server, root, f"scale_{uuid.uuid4().hex[:12]}") as started:
        yield started
