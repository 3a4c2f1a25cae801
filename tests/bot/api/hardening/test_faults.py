"""Faults: the LLM down or silent, the data dir full or read-only, ingest racing queries.

(The Chroma server going away and coming back is in tests/scale/test_chroma_server.py.)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.settings import Settings
from bot.wiring import build_ingestor, build_retriever, open_store
from ingest.embedder import Embedder
from ingest.loaders import article_from_json
from ingest.models import Passage

ClientFactory = Callable[..., TestClient]
QUESTION = {"question": "Which magnets need an export licence?"}

# Runs `argv[1:]` with the file-size limit in argv[1] ("disk full": writes past it fail with
# EFBIG, SIGXFSZ ignored) and/or without root's power to write where modes forbid it.
_LAUNCHER = """
import ctypes, os, resource, signal, sys
limit, drop_dac, program = int(sys.argv[1]), sys.argv[2] == "1", sys.argv[3:]
if limit:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
if drop_dac:  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER out of the bounding set
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2, 3):
        if libc.prctl(24, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")
os.execv(program[0], program)
"""


def _ingest_restricted(
    settings: Settings, source: Path, file_size_limit: int = 0, drop_dac: bool = False
) -> subprocess.CompletedProcess[str]:
    tradebot = str(Path(sys.executable).parent / "tradebot")
    env = {**os.environ, "TRADEBOT_DATA_DIR": str(settings.data_dir)}
    argv = [sys.executable, "-c", _LAUNCHER, str(file_size_limit), str(int(drop_dac))]
    return subprocess.run(
        [*argv, tradebot, "ingest", str(source)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _long_article(tmp_path: Path) -> Path:
    text = " ".join(
        f"Customs notice {i} lists gallium wafers, germanium lenses and antimony ingots."
        for i in range(400)
    )
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"id": "customs-notices", "title": "Notices", "text": text}))
    return path


def _assert_store_still_serves(make_client: ClientFactory) -> None:
    client = make_client()
    assert client.get("/readyz").status_code == 200
    listing = client.get("/v1/documents").json()
    assert {d["doc_id"] for d in listing["documents"]} == {
        "rare-earth-magnets",
        "steel-tariff-canada",
    }
    answer = client.post("/v1/chat", json=QUESTION).json()
    assert answer["grounded"] and answer["citations"][0]["doc_id"] == "rare-earth-magnets"


def _assert_one_clear_error(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and words in errors[0], result.stderr
    assert "Traceback" not in result.stderr and "╭" not in result.stderr


def test_disk_full_during_ingest_fails_clearly_and_keeps_the_store(
    seeded: Settings, make_client: ClientFactory, tmp_path: Path
) -> None:
    biggest = max(f.stat().st_size for f in seeded.data_dir.rglob("*") if f.is_file())
    result = _ingest_restricted(seeded, _long_article(tmp_path), file_size_limit=biggest + 4096)
    _assert_one_clear_error(result, "cannot write to its disk")
    _assert_store_still_serves(make_client)


def test_read_only_data_dir_fails_clearly_and_keeps_the_store(
    seeded: Settings, make_client: ClientFactory, tmp_path: Path
) -> None:
    # Root ignores file modes, so the ingest runs without the capabilities that let it.
    modes = {path: path.stat().st_mode for path in [seeded.data_dir, *seeded.data_dir.rglob("*")]}
    for path, mode in modes.items():
        path.chmod(mode & ~0o222)
    try:
        result = _ingest_restricted(seeded, _long_article(tmp_path), drop_dac=os.geteuid() == 0)
    finally:
        for path, mode in modes.items():
            path.chmod(mode)
    _assert_one_clear_error(result, "readonly database")
    _assert_store_still_serves(make_client)


def test_llm_refusing_connections_falls_back_to_quotes(
    make_client: ClientFactory, closed_port_url: str
) -> None:
    client = make_client(llm_base_url=closed_port_url, llm_timeout_s=5)
    answer = client.post("/v1/chat", json=QUESTION).json()
    assert answer["mode"] == "extractive" and answer["grounded"]
    assert "could not be reached" in answer["notice"]
    doc = client.get(f"/v1/documents/{answer['citations'][0]['doc_id']}").json()
    citation = answer["citations"][0]
    assert doc["text"][citation["start"] : citation["end"]] == citation["quote"]


def test_llm_that_never_answers_falls_back_within_its_timeout(
    make_client: ClientFactory, silent_llm: str
) -> None:
    client = make_client(llm_base_url=silent_llm, llm_timeout_s=1, request_timeout_s=30)
    answer = client.post("/v1/chat", json=QUESTION).json()
    assert answer["mode"] == "extractive" and answer["grounded"]
    assert "did not reply in time" in answer["notice"]
    streamed = client.post("/v1/chat/stream", json=QUESTION)
    assert streamed.status_code == 200
    assert "did not reply in time" in _sse_events(streamed.text)["done"]["notice"]
    metrics = client.get("/metrics").text
    assert "tradebot_llm_fallbacks_total 2.0" in metrics


def _sse_events(text: str) -> dict[str, Any]:
    """Map each event name of a Server-Sent Events body to its (last) JSON data."""
    events: dict[str, Any] = {}
    for block in text.replace("\r\n", "\n").split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in fields and "data" in fields:
            events[fields["event"]] = json.loads(fields["data"])
    return events


def _edition(n: int) -> dict[str, Any]:
    sentences = [
        f"Edition {n} of the lithium brine rules sets export duty step {i} for producers."
        for i in range(60)
    ]
    return {
        "id": "lithium-rules",
        "title": "Lithium brine export rules",
        "text": " ".join(sentences),
    }


def _editions(passages: list[Passage]) -> set[str]:
    return {e for p in passages for e in re.findall(r"Edition (\d+)", p.text)}


def test_articles_are_never_seen_half_replaced_while_ingest_runs(
    seeded: Settings, embedder: Embedder
) -> None:
    store = open_store(seeded)
    ingestor = build_ingestor(seeded, store, embedder)
    assert ingestor.ingest_articles([article_from_json(_edition(0))]).added == 1
    stored = store.get_article("lithium-rules")
    assert stored is not None and stored.passages >= 3
    retriever = build_retriever(seeded, open_store(seeded), embedder)
    editions = 6
    done = threading.Event()
    failures: list[BaseException] = []
    seen: list[set[str]] = []

    def write() -> None:
        try:
            for n in range(1, editions + 1):
                assert ingestor.ingest_articles([article_from_json(_edition(n))]).updated == 1
        except BaseException as exc:
            failures.append(exc)
        finally:
            done.set()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while not done.is_set():
            found = retriever.search("lithium brine export duty step for producers", 8)
            mine = [p for p in found if p.doc_id == "lithium-rules"]
            versions = {p.chunk_id.split("::")[1] for p in mine}
            assert len(versions) == 1, [p.chunk_id for p in mine]  # one version, never none
            seen.append(_editions(mine))
    finally:
        writer.join()
    assert not failures, failures
    assert all(len(found) == 1 for found in seen), seen
    assert len(set().union(*seen)) >= 2, seen  # the queries really ran across versions
    final = retriever.search("lithium brine export duty step for producers", 8)
    assert _editions([p for p in final if p.doc_id == "lithium-rules"]) == {str(editions)}


def test_a_reader_between_the_writers_delete_and_its_next_step_sees_the_new_version(
    seeded: Settings, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The race the threaded test above hit now and then, made certain: a reader that knew
    # the old version (but had not read its text yet) searches right after the writer
    # deleted the old passages. While the writer published the new generation only after
    # that delete, the reader trusted its old versions and dropped the new passages as
    # orphans of a killed ingest: it showed the deleted old text from its cache, or, with
    # the old text not cached, the article in no version at all (CI's failure).
    store = open_store(seeded)
    ingestor = build_ingestor(seeded, store, embedder)
    assert ingestor.ingest_articles([article_from_json(_edition(0))]).added == 1
    reader = open_store(seeded)
    retriever = build_retriever(seeded, reader, embedder)
    query = "lithium brine export duty step for producers"
    assert reader.active_versions()["lithium-rules"]  # it knows the old version ...
    assert retriever.lexical.refresh(force=True) >= 0  # ... and indexed its words
    seen: list[set[str]] = []
    delete_old = store._delete_old_passages

    def delete_then_read(keep: dict[str, str]) -> None:
        delete_old(keep)
        found = retriever.search(query, 8)
        seen.append(_editions([p for p in found if p.doc_id == "lithium-rules"]))

    monkeypatch.setattr(store, "_delete_old_passages", delete_then_read)
    assert ingestor.ingest_articles([article_from_json(_edition(1))]).updated == 1
    assert seen == [{"1"}]


def test_a_cli_ingest_from_another_process_never_makes_the_app_fail(
    make_client: ClientFactory, seeded: Settings, tmp_path: Path
) -> None:
    client = make_client()
    question = {"question": "What duties did Canada impose on American steel?"}
    first = client.post("/v1/chat", json=question)
    assert first.status_code == 200 and first.json()["grounded"], first.text
    edited = {
        "id": "steel-tariff-canada",
        "title": "Canada doubles its duties on US steel",
        "text": (
            "Canada raised its duties on American steel and aluminium to 50 percent after "
            "Washington doubled its tariffs. Ottawa said the duties would stay until the US "
            "lifted its measures. Steelmakers in Hamilton welcomed the decision."
        ),
        "published_at": "2025-06-04",
        "source": "Pacific Ledger",
    }
    source = tmp_path / "edited.jsonl"
    source.write_text(json.dumps(edited) + "\n")
    tradebot = str(Path(sys.executable).parent / "tradebot")
    env = {**os.environ, "TRADEBOT_DATA_DIR": str(seeded.data_dir)}
    ingest = subprocess.run(
        [tradebot, "ingest", str(source), "--json"], env=env, capture_output=True, text=True
    )
    assert ingest.returncode == 0, ingest.stderr
    assert json.loads(ingest.stdout.splitlines()[-1])["updated"] == 1

    quotes: list[str] = []
    for _ in range(6):  # across the generation token's trust window
        answered = client.post("/v1/chat", json=question)
        assert answered.status_code == 200, answered.text  # old or new version, never an error
        quotes += [c["quote"] for c in answered.json()["citations"]]
        time.sleep(0.3)
    assert any("50 percent" in quote for quote in quotes), quotes  # the new version is served
    search = client.get("/v1/search", params={"q": "Canada duties on American steel", "k": 3})
    assert search.status_code == 200, search.text
