"""`tradebot ingest` through the real CLI, including a run killed with SIGKILL."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from typer.testing import CliRunner

from bot.cli.main import build_cli
from bot.settings import Settings
from bot.wiring import build_ingestor
from ingest.embedder import Embedder
from ingest.store import PassageStore, open_chroma_client
from tests.support.store import count_passage_records

TRADEBOT = str(Path(sys.executable).with_name("tradebot"))


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(build_cli(), list(args))
    return result.exit_code, result.stdout, result.stderr


def test_ingest_reports_one_line_per_bad_file_and_still_ingests_the_rest(
    tmp_path: Path, store: PassageStore
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.md").write_text("---\ntitle: Tariffs\n---\nSteel tariffs rose to 50%.\n")
    (corpus / "z-copy.txt").write_text("Steel tariffs rose to 50%.\n")
    (corpus / "empty.txt").write_text("")
    (corpus / "scan.pdf").write_bytes(os.urandom(2048))
    (corpus / "sheet.xlsx").write_bytes(b"PK\x03\x04")
    code, out, err = invoke("ingest", str(corpus), "http://127.0.0.1:9/none", "--json")
    assert code == 1
    summary = json.loads(out.strip().splitlines()[-1])
    assert (summary["added"], summary["duplicates"], summary["failed"]) == (1, 1, 4)
    assert {e["path"] for e in summary["errors"]} == {
        str(corpus / "empty.txt"),
        str(corpus / "scan.pdf"),
        str(corpus / "sheet.xlsx"),
        "http://127.0.0.1:9/none",
    }
    error_lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(error_lines) == 4
    assert f"error: {corpus / 'empty.txt'}: empty file" in error_lines
    assert f"duplicate: {corpus / 'z-copy.txt'}" in err
    assert "ingest:" not in err  # no progress bar without a terminal
    assert [a.doc_id for a in store.list_articles()] == ["good.md"]


def test_ingest_without_json_prints_a_summary_and_exits_zero(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("China approved rare earth export licences.\n")
    code, out, _ = invoke("ingest", str(tmp_path / "a.txt"))
    assert code == 0
    assert out.strip() == (
        "added 1, updated 0, unchanged 0, duplicates 0, removed 0, failed 0; 1 passages embedded"
    )
    code, out, _ = invoke("ingest", str(tmp_path / "a.txt"), "--json")
    assert code == 0 and json.loads(out)["unchanged"] == 1


def test_ingest_prune_flag_removes_deleted_files(tmp_path: Path, store: PassageStore) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a", "b"):
        (corpus / f"{name}.txt").write_text(f"Article {name} on export controls.\n")
    assert invoke("ingest", str(corpus))[0] == 0
    (corpus / "b.txt").unlink()
    code, out, _ = invoke("ingest", str(corpus), "--prune", "--json")
    assert code == 0 and json.loads(out)["removed"] == 1
    assert [a.doc_id for a in store.list_articles()] == ["a.txt"]


def write_small_articles(root: Path, count: int) -> None:
    root.mkdir()
    for i in range(count):
        (root / f"note-{i:03d}.txt").write_text(
            f"Trade Note {i} On Tariff Lines\n\n"
            f"Duties on product line {i} changed after round {i} of talks in Geneva.\n"
        )


def run_until_passages_then_kill(env: dict[str, str], corpus: Path) -> str:
    """Start `tradebot ingest` on a terminal, SIGKILL it once it reports stored passages."""
    master, slave = pty.openpty()
    # A fresh pty reports 0 columns, and tqdm draws nothing in 0 columns.
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen(
        [TRADEBOT, "ingest", str(corpus)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=slave,
        env=env,
    )
    os.close(slave)
    output = ""
    deadline = time.monotonic() + 300
    # poll(), not select(): late in a full suite the pty's fd number can exceed select's 1024 limit.
    watcher = select.poll()
    watcher.register(master, select.POLLIN)
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if watcher.poll(1000):
                try:
                    output += os.read(master, 65536).decode("utf-8", "replace")
                except OSError:  # the child exited and closed the terminal
                    break
            if re.search(r"passages=[1-9]", output):
                break
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        os.close(master)
    assert proc.returncode == -signal.SIGKILL, output
    return output


def run_on_terminal(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """Run `tradebot ARGS`, stderr on a terminal and stdout piped: (code, stdout, terminal)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
    proc = subprocess.Popen(
        [TRADEBOT, *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, env=env
    )
    os.close(slave)
    terminal = b""
    watcher = select.poll()
    watcher.register(master, select.POLLIN)
    try:
        while True:
            if watcher.poll(1000):
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child exited and closed the terminal
                    break
                if not chunk:
                    break
                terminal += chunk
            elif proc.poll() is not None:
                break
        stdout = proc.communicate(timeout=300)[0]
    finally:
        os.close(master)
    return proc.returncode, stdout.decode(), terminal.decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_and_none_with_json(tmp_path: Path, settings: Settings) -> None:
    corpus = tmp_path / "corpus"
    write_small_articles(corpus, 6)
    env = {**os.environ, "TRADEBOT_DATA_DIR": str(settings.data_dir)}
    code, out, terminal = run_on_terminal(env, "ingest", str(corpus))
    assert code == 0 and out.startswith("added 6,")
    last = terminal.replace("\r", "\n").strip().splitlines()[-1]
    assert last.startswith("ingest: 100%") and "6/6" in last, terminal
    assert re.search(r"\d\d:\d\d<\d\d:\d\d", last)  # elapsed < ETA
    assert re.search(r"[\d.]+ ?articles/s", last)
    assert re.search(r"passages=6 \([\d.]+/s\)", last)

    (corpus / "note-000.txt").write_text("Trade Note 0, revised.\n")
    code, out, terminal = run_on_terminal(env, "ingest", str(corpus), "--json")
    assert code == 0 and json.loads(out)["updated"] == 1
    assert terminal == ""  # a --json run is quiet, even on a terminal


def test_killed_ingest_rerun_equals_a_clean_run(
    tmp_path: Path, settings: Settings, embedder: Embedder
) -> None:
    corpus = tmp_path / "corpus"
    write_small_articles(corpus, 300)
    env = {**os.environ, "TRADEBOT_DATA_DIR": str(settings.data_dir)}
    env["TRADEBOT_EMBED_BATCH_SIZE"] = "4"  # a store write every 32 passages
    progress = run_until_passages_then_kill(env, corpus)
    assert " articles" in progress  # the progress bar shows on a terminal

    killed = PassageStore(open_chroma_client(settings.data_dir, None))
    done_before_kill = len(killed.active_versions())
    assert 0 < done_before_kill < 300

    code, out, _ = invoke("ingest", str(corpus), "--json")
    assert code == 0
    rerun = json.loads(out.strip().splitlines()[-1])
    assert rerun["unchanged"] == done_before_kill
    assert rerun["added"] == 300 - done_before_kill

    clean_settings = Settings(data_dir=tmp_path / "clean")
    clean = PassageStore(open_chroma_client(clean_settings.data_dir, None))
    build_ingestor(clean_settings, clean, embedder).ingest_paths([str(corpus)])

    resumed = PassageStore(open_chroma_client(settings.data_dir, None))
    assert resumed.active_versions() == clean.active_versions()
    resumed_passages = sorted((p.chunk_id, p.text) for p in resumed.iter_passages())
    clean_passages = sorted((p.chunk_id, p.text) for p in clean.iter_passages())
    assert resumed_passages == clean_passages
    assert count_passage_records(resumed) == count_passage_records(clean) == len(clean_passages)
