"""ConversationStore: bounded history, restart, feedback, event claims across processes."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.conversations import ConversationStore
from bot.models import Answer, Citation


def _answer(text: str, titles: tuple[str, ...] = ()) -> Answer:
    citations = [
        Citation(
            n=n,
            doc_id=f"d{n}",
            chunk_id=f"d{n}::v::0",
            title=t,
            quote="q",
            start=0,
            end=1,
            score=0.5,
        )
        for n, t in enumerate(titles, start=1)
    ]
    return Answer(answer=text, citations=citations, grounded=bool(citations))


def test_history_is_bounded_and_oldest_first(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "c.sqlite3", history_turns=3)
    for i in range(7):
        store.record_turn("conv", f"question {i}", _answer(f"answer {i}"))
    turns = store.history("conv")
    assert [t.question for t in turns] == ["question 4", "question 5", "question 6"]
    assert [t.answer for t in turns] == ["answer 4", "answer 5", "answer 6"]
    assert store.count_turns("conv") == 3  # older turns are pruned, not just hidden
    assert store.history("conv", turns=1)[0].question == "question 6"


def test_conversations_are_separate_and_keep_cited_titles(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "c.sqlite3")
    store.record_turn("a", "who?", _answer("Lutnick [1]", ("Trade framework", "Trade framework")))
    store.record_turn("b", "what?", _answer("nothing"))
    assert store.history("a")[0].cited_titles == ("Trade framework",)
    assert [t.question for t in store.history("b")] == ["what?"]
    assert store.exists("a") and not store.exists("c")
    assert store.history("c") == []


def test_history_survives_a_new_store_on_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "c.sqlite3"
    ConversationStore(path).record_turn("conv", "first?", _answer("one"))
    reopened = ConversationStore(path)
    assert [t.question for t in reopened.history("conv")] == ["first?"]
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_zero_history_turns_returns_nothing(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "c.sqlite3", history_turns=0)
    store.record_turn("conv", "q", _answer("a"))
    assert store.history("conv") == []
    assert store.exists("conv")


def test_feedback_is_stored_and_listed(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "c.sqlite3")
    up = store.add_feedback("conv", "up", "helpful")
    store.add_feedback("other", "down")
    assert up.id > 0 and up.created_at
    assert [(f.rating, f.comment) for f in store.list_feedback("conv")] == [("up", "helpful")]
    assert len(store.list_feedback()) == 2
    with pytest.raises(ValueError, match="rating"):
        store.add_feedback("conv", "sideways")  # type: ignore[arg-type]


def test_claim_event_is_true_once_across_stores_and_processes(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    first, second = ConversationStore(path), ConversationStore(path)
    assert first.claim_event("Ev1") is True
    assert second.claim_event("Ev1") is False
    code = (
        "import sys; from pathlib import Path; from bot.conversations import ConversationStore;"
        "s = ConversationStore(Path(sys.argv[1]));"
        "print(s.claim_event('Ev1'), s.claim_event('Ev2'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "True"]
    assert first.claim_event("Ev2") is False


def test_concurrent_writers_lose_no_turn(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    stores = [ConversationStore(path, history_turns=50) for _ in range(4)]

    def write(i: int) -> None:
        stores[i % 4].record_turn("busy", f"q{i}", _answer(f"a{i}"))
        stores[i % 4].claim_event(f"event-{i % 5}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(write, range(40)))
    assert stores[0].count_turns("busy") == 40
    assert {t.question for t in stores[1].history("busy", turns=50)} == {f"q{i}" for i in range(40)}
