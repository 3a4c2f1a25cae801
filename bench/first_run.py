"""Time `make run` from a fresh clone to a ready server, then a second `make run` (issue 13).

    python bench/first_run.py [--work-dir DIR] [--out FILE]

Clones this checkout's HEAD into DIR/clone (nothing carried over: no .venv, no data/), runs
`make run` on a free port, and polls `GET /readyz` until it answers 200 with the full default
corpus stored; the phases come from the make output (virtualenv and install, `tradebot ingest
corpus/`, serving). Then stops the server and runs `make run` again in the same clone: the
second start (nothing to install, an incremental ingest with nothing new) is timed the same
way. pip's download cache is the machine's own (a fresh machine would download the wheels too:
the install phase then depends on the network). Prints the figures and writes them to
bench/results/first_run.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "first_run.json"
_SUMMARY = re.compile(r"added (\d+), updated (\d+), unchanged (\d+).*?(\d+) passages embedded")


def timed_make_run(clone: Path, log_path: Path, limit_s: float) -> dict[str, Any]:
    """Run `make run` in `clone` until /readyz says ready; return the phase times."""
    port = free_port()
    started = time.monotonic()
    marks: dict[str, float] = {}
    env = {**os.environ, "PORT": str(port), "PYTHONUNBUFFERED": "1"}
    env.pop("VIRTUAL_ENV", None)
    with log_path.open("w") as log:
        process = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=clone,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
        try:
            ready = _wait_ready(port, process, started, limit_s, log_path, marks)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    ingest = _ingest_report(log_path.read_text(errors="replace"))
    return {"ready_s": round(ready, 1), **{k: round(v, 1) for k, v in marks.items()}, **ingest}


def _wait_ready(
    port: int,
    process: subprocess.Popen[bytes],
    started: float,
    limit_s: float,
    log_path: Path,
    marks: dict[str, float],
) -> float:
    """Poll /readyz; note when the install ended and the ingest began (from the log)."""
    while time.monotonic() - started < limit_s:
        if process.poll() is not None:
            raise RuntimeError(f"make run exited with {process.returncode}: see {log_path}")
        text = log_path.read_text(errors="replace")
        if "tradebot ingest" in text and "install_s" not in marks:
            marks["install_s"] = time.monotonic() - started
        if "tradebot serve" in text and "ingest_done_s" not in marks:
            marks["ingest_done_s"] = time.monotonic() - started
        try:
            response = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2.0)
            if response.status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"not ready within {limit_s} s: see {log_path}")


def _ingest_report(log: str) -> dict[str, Any]:
    """The ingest's own summary line ("added N, updated N, unchanged N, ...")."""
    found = _SUMMARY.search(log)
    if found is None:
        return {}
    added, updated, unchanged, embedded = (int(g) for g in found.groups())
    return {
        "added": added,
        "updated": updated,
        "unchanged": unchanged,
        "passages_embedded": embedded,
    }


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    """Clone, time two `make run`s, print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/tradebot-bench-first-run"))
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--limit-s", type=float, default=3600.0, help="give up after this long")
    args = parser.parse_args()
    shutil.rmtree(args.work_dir, ignore_errors=True)
    args.work_dir.mkdir(parents=True)
    clone = args.work_dir / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=clone, capture_output=True, text=True
    ).stdout.strip()
    load_before = os.getloadavg()
    first = timed_make_run(clone, args.work_dir / "first.log", args.limit_s)
    second = timed_make_run(clone, args.work_dir / "second.log", args.limit_s)
    results = {
        "first_make_run": first,
        "second_make_run": second,
        "corpus_files": sorted(p.name for p in (clone / "corpus").iterdir()),
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 1) for x in load_before],
        "load_average_at_end": [round(x, 1) for x in os.getloadavg()],
        "machine": platform.machine(),
        "python": platform.python_version(),
        "commit": commit,
        "date": datetime.date.today().isoformat(),
        "command": "python bench/first_run.py",
    }
    print(json.dumps(results, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
