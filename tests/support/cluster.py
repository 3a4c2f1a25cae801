"""Two `tradebot serve` replicas that share only a `chroma run` server and a PostgreSQL database.

Each replica has a data dir of its own (nothing is shared through files), API keys, a rate
limit, Slack pointed at a recording Web API, and a short database timeout.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.fake_slack import BOT_TOKEN, SIGNING_SECRET, SlackApiRecorder, SlackDriver
from tests.support.postgres import PostgresServer
from tests.support.processes import ApiProcess, ChromaServer, start_replica, tradebot_env
from tests.support.servers import free_port

ADMIN_KEY = "scale-admin-key"
QUERY_KEYS = ("alice-key", "mallory-key", "carol-key", "dave-key", "erin-key")
RATE_LIMIT_PER_MINUTE = 30
DATABASE_TIMEOUT_S = 2


def bearer(key: str) -> dict[str, str]:
    """The Authorization header for `key`."""
    return {"Authorization": f"Bearer {key}"}


@dataclass
class Cluster:
    """Replica `a` (one worker) and `b` (two workers) over one Chroma and one PostgreSQL."""

    postgres: PostgresServer
    database_url: str
    chroma: ChromaServer
    recorder: SlackApiRecorder
    root: Path
    a: ApiProcess
    b: ApiProcess
    started: list[ApiProcess]  # every replica process ever started, stopped at the end

    def env(self, name: str) -> dict[str, str]:
        """The environment of replica `name`: its own data dir, everything else shared."""
        return replica_env(self.root / name, self.chroma.url, self.database_url, self.recorder)

    def slack(self, replica: ApiProcess) -> SlackDriver:
        """A driver sending signed Slack requests to one replica."""
        return SlackDriver(replica.client, self.recorder)  # type: ignore[arg-type]  # an httpx.Client

    def kill_and_restart_a(self) -> ApiProcess:
        """SIGKILL replica a (no shutdown of any kind), then start it again."""
        os.killpg(self.a.process.pid, signal.SIGKILL)
        self.a.process.wait(timeout=30)
        self.a.stop()
        self.a = start_replica(self.env("a"), self.root / "serve-a2.log")
        self.started.append(self.a)
        return self.a

    def article_post(self, replica: ApiProcess, article: dict[str, Any]) -> int:
        """Ingest one article through `replica` with the admin key; return the status."""
        response = replica.client.post("/v1/documents", json=article, headers=bearer(ADMIN_KEY))
        return response.status_code


def replica_env(
    data_dir: Path, chroma_url: str, database_url: str, recorder: SlackApiRecorder
) -> dict[str, str]:
    """What a replica is configured with (its data dir differs from the other's)."""
    return tradebot_env(
        data_dir,
        chroma_url,
        TRADEBOT_DATABASE_URL=database_url,
        TRADEBOT_DATABASE_TIMEOUT_S=str(DATABASE_TIMEOUT_S),
        TRADEBOT_REQUEST_TIMEOUT_S="30",
        TRADEBOT_RATE_LIMIT_PER_MINUTE=str(RATE_LIMIT_PER_MINUTE),
        TRADEBOT_API_KEYS=",".join(QUERY_KEYS),
        TRADEBOT_ADMIN_API_KEYS=ADMIN_KEY,
        TRADEBOT_LOG_LEVEL="INFO",
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        TRADEBOT_SLACK_API_URL=recorder.base_url,
    )


@contextmanager
def running_cluster(postgres: PostgresServer, root: Path, database: str) -> Iterator[Cluster]:
    """Start Chroma, the Slack recorder and both replicas (in parallel); stop them all after."""
    with ExitStack() as stack:
        database_url = postgres.create_database(database)
        chroma = ChromaServer(root / "chroma", free_port(), root / "chroma.log")
        chroma.start()
        stack.callback(chroma.stop)
        recorder = SlackApiRecorder()
        recorder.start()
        stack.callback(recorder.stop)
        envs = {name: replica_env(root / name, chroma.url, database_url, recorder) for name in "ab"}
        started: list[ApiProcess] = []
        stack.callback(lambda: [replica.stop() for replica in started])
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = [
                pool.submit(start_replica, envs["a"], root / "serve-a.log"),
                pool.submit(start_replica, envs["b"], root / "serve-b.log", 2),
            ]
        failures = [f.exception() for f in futures if f.exception() is not None]
        started += [f.result() for f in futures if f.exception() is None]
        if failures:
            raise failures[0]
        yield Cluster(postgres, database_url, chroma, recorder, root, *started, started)
