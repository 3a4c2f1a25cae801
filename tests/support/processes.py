"""Real processes for the scale tests: a `chroma run` server, `tradebot serve` replicas, the CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.support.servers import free_port, wait_until

BIN = Path(sys.executable).parent
START_DEADLINE_S = 300.0  # several processes load the model at once on a small CI machine


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


@dataclass
class ChromaServer:
    """A `chroma run` process on a fixed path and port that a test may stop and restart."""

    path: Path
    port: int
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The server's base URL (what TRADEBOT_CHROMA_URL holds)."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start the server and wait for its heartbeat."""
        command = [str(BIN / "chroma"), "run", "--path", str(self.path)]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [*command, "--host", "127.0.0.1", "--port", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_until(
            lambda: self._alive() and _answers(f"{self.url}/api/v2/heartbeat"),
            120,
            f"chroma server on port {self.port} answers",
        )

    def _alive(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"chroma exited:\n{self.log_path.read_text()[-3000:]}")
        return True

    def freeze(self) -> None:
        """Suspend the server (SIGSTOP): it keeps its port and connections but never answers."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        """Resume a frozen server (SIGCONT)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        """Stop the server (its data stays on disk)."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGCONT)  # a frozen server must be able to exit
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)
        self.process = None


@dataclass
class ApiProcess:
    """One `tradebot serve` process (a replica), its port and its log."""

    base: str
    process: subprocess.Popen[bytes]
    log_path: Path
    client: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.client = httpx.Client(base_url=self.base, timeout=60)

    def log_lines(self) -> list[dict[str, Any]]:
        """Return the JSON lines the process has logged so far."""
        lines = []
        for raw in self.log_path.read_text(errors="replace").splitlines():
            if raw.startswith("{"):
                lines.append(json.loads(raw))
        return lines

    def stop(self) -> None:
        """Stop the replica and every worker it started."""
        self.client.close()
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)


def tradebot_env(data_dir: Path, chroma_url: str, **extra: str) -> dict[str, str]:
    """The environment of a replica or CLI run: one data dir, one Chroma server."""
    return {
        **os.environ,
        "TRADEBOT_DATA_DIR": str(data_dir),
        "TRADEBOT_CHROMA_URL": chroma_url,
        "TRADEBOT_RATE_LIMIT_PER_MINUTE": "0",  # polling loops; limits are tested elsewhere
        **extra,
    }


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the `tradebot` CLI to completion."""
    return subprocess.run(
        [str(BIN / "tradebot"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def start_replica(env: dict[str, str], log_path: Path, workers: int = 1) -> ApiProcess:
    """Start `tradebot serve` on a free port and wait until /readyz says ready."""
    port = free_port()
    command = [str(BIN / "tradebot"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*command, "--workers", str(workers)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the workers stop with it
        )
    replica = ApiProcess(f"http://127.0.0.1:{port}", process, log_path)

    def ready() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"tradebot serve exited:\n{log_path.read_text()[-3000:]}")
        return _answers(f"{replica.base}/readyz")

    try:
        wait_until(ready, START_DEADLINE_S, f"replica on port {port} is ready")
    except BaseException:
        replica.stop()
        raise
    return replica
