"""The state backends, SQLite and PostgreSQL alike: history, feedback, event claims, rate counts,
owners, retention, and what a failing database looks like."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.models import Answer, Citation
from bot.settings import Settings
from bot.state import ConversationNotFoundError, StateStore, StateUnavailableError
from bot.state.base import now_utc
from bot.state.retention import purge_expired
from bot.wiring import open_state
from tests.support.servers import free_port

OpenState = Callable[..., StateStore]


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


@pytest.fixture
def open_store(state_settings: Settings) -> Iterator[OpenState]:
    """Return `open_store(**settings)`: a store on the backend under test; all closed at the end."""
    opened: list[StateStore] = []

    def make(**overrides: object) -> StateStore:
        store = open_state(state_settings.model_copy(update=overrides))
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def test_history_is_bounded_and_oldest_first(open_store: OpenState) -> None:
    store = open_store(history_turns=3)
    for i in range(7):
        store.record_turn("conv", f"question {i}", _answer(f"answer {i}"))
    turns = store.history("conv")
    assert [t.question for t in turns] == ["question 4", "question 5", "question 6"]
    assert [t.answer for t in turns] == ["answer 4", "answer 5", "answer 6"]
    assert store.count_turns("conv") == 3  # older turns are pruned, not just hidden
    assert store.history("conv", turns=1)[0].question == "question 6"


def test_conversations_are_separate_and_keep_cited_titles(open_store: OpenState) -> None:
    store = open_store()
    store.record_turn("a", "who?", _answer("Lutnick [1]", ("Trade framework", "Trade framework")))
    store.record_turn("b", "what?", _answer("nothing"))
    assert store.history("a")[0].cited_titles == ("Trade framework",)
    assert [t.question for t in store.history("b")] == ["what?"]
    assert store.exists("a") and not store.exists("c")
    assert store.history("c") == []


def test_history_survives_a_new_store_on_the_same_database(
    open_store: OpenState, state_settings: Settings
) -> None:
    open_store().record_turn("conv", "first?", _answer("one"))
    reopened = open_store()
    assert [t.question for t in reopened.history("conv")] == ["first?"]
    if state_settings.database_url is None:
        mode = sqlite3.connect(state_settings.sqlite_path).execute("PRAGMA journal_mode")
        assert mode.fetchone()[0] == "wal"


def test_zero_history_turns_returns_nothing(open_store: OpenState) -> None:
    store = open_store(history_turns=0)
    store.record_turn("conv", "q", _answer("a"))
    assert store.history("conv") == []
    assert store.exists("conv")


def test_feedback_is_stored_and_listed(open_store: OpenState) -> None:
    store = open_store()
    up = store.add_feedback("conv", "up", "helpful")
    store.add_feedback("other", "down")
    assert up.id > 0 and up.created_at
    assert [(f.rating, f.comment) for f in store.list_feedback("conv")] == [("up", "helpful")]
    assert len(store.list_feedback()) == 2
    assert store.list_feedback("conv")[0].created_at == up.created_at
    with pytest.raises(ValueError, match="rating"):
        store.add_feedback("conv", "sideways")  # type: ignore[arg-type]


def test_claim_event_is_true_once_across_stores_and_processes(
    open_store: OpenState, state_settings: Settings
) -> None:
    first, second = open_store(), open_store()
    assert first.claim_event("Ev1") is True
    assert second.claim_event("Ev1") is False
    code = (
        "from bot.settings import Settings; from bot.wiring import open_state;"
        "s = open_state(Settings()); print(s.claim_event('Ev1'), s.claim_event('Ev2')); s.close()"
    )
    env = {**os.environ, "TRADEBOT_DATA_DIR": str(state_settings.data_dir)}
    if state_settings.database_url is not None:
        env["TRADEBOT_DATABASE_URL"] = state_settings.database_url.get_secret_value()
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.split() == ["False", "True"]
    assert first.claim_event("Ev2") is False


def test_concurrent_writers_lose_no_turn(open_store: OpenState) -> None:
    stores = [open_store(history_turns=50) for _ in range(4)]

    def write(i: int) -> None:
        stores[i % 4].record_turn("busy", f"q{i}", _answer(f"a{i}"))
        stores[i % 4].claim_event(f"event-{i % 5}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(write, range(40)))
    assert stores[0].count_turns("busy") == 40
    assert {t.question for t in stores[1].history("busy", turns=50)} == {f"q{i}" for i in range(40)}


def test_stores_opening_a_new_sqlite_file_together_all_work(tmp_path: Path) -> None:
    """The first connections to a new file race to switch it to WAL; none may fail."""
    from bot.state.sqlite import SqliteState

    for attempt in range(60):
        stores = [SqliteState(tmp_path / f"fresh-{attempt}.sqlite3") for _ in range(4)]
        with ThreadPoolExecutor(max_workers=8) as pool:
            claimed = list(pool.map(lambda i, s=stores: s[i % 4].claim_event(f"e{i}"), range(16)))
        assert all(claimed)


def test_request_counts_add_up_across_stores_and_minutes(open_store: OpenState) -> None:
    first, second = open_store(), open_store()
    assert first.count_request("key:a", 1000) == (0, 1)
    assert second.count_request("key:a", 1000) == (0, 2)
    assert first.count_request("key:b", 1000) == (0, 1)  # another client, its own count
    assert second.count_request("key:a", 1001) == (2, 1)  # last minute's hits come along

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda i: (first, second)[i % 2].count_request("key:c", 7), range(30)))
    assert first.count_request("key:c", 7) == (0, 31)  # atomic: no hit lost to a race


def test_a_conversation_belongs_to_the_owner_that_started_it(open_store: OpenState) -> None:
    store = open_store()
    store.record_turn("conv", "first?", _answer("one"), owner="key:alice")
    assert [t.question for t in store.history("conv", owner="key:alice")] == ["first?"]
    with pytest.raises(ConversationNotFoundError):
        store.history("conv", owner="key:mallory")
    with pytest.raises(ConversationNotFoundError):
        store.record_turn("conv", "mine now?", _answer("no"), owner="key:mallory")
    with pytest.raises(ConversationNotFoundError):
        store.add_feedback("conv", "down", owner="key:mallory")
    with pytest.raises(ConversationNotFoundError):  # feedback by owner needs a conversation
        store.add_feedback("never-started", "up", owner="key:alice")
    assert store.count_turns("conv") == 1 and store.list_feedback() == []

    store.record_turn("conv", "second?", _answer("two"), owner="key:alice")
    store.add_feedback("conv", "up", owner="key:alice")
    # A caller that names no owner (the CLI, a benchmark) may use any conversation.
    assert len(store.history("conv")) == 2
    store.record_turn("conv", "third?", _answer("three"))
    with pytest.raises(ConversationNotFoundError):
        store.history("conv", owner="key:mallory")  # ...without unbinding it


def test_purge_deletes_what_is_older_than_the_cutoff(open_store: OpenState) -> None:
    store = open_store()
    store.record_turn("old", "q", _answer("a"))
    store.add_feedback("old", "up")
    store.claim_event("EvOld")
    time.sleep(0.01)  # millisecond timestamps: keep the cutoff strictly between
    cutoff = now_utc()
    time.sleep(0.01)
    store.record_turn("new", "q", _answer("a"))
    store.add_feedback("new", "down")
    store.claim_event("EvNew")

    report = store.purge(cutoff)
    assert (report.conversations, report.feedback, report.events) == (1, 1, 1)
    assert not store.exists("old") and store.count_turns("old") == 0  # turns go with it
    assert store.exists("new") and store.count_turns("new") == 1
    assert [f.conversation_id for f in store.list_feedback()] == ["new"]
    assert store.claim_event("EvOld") is True  # forgotten: a retry that late is answered again
    assert store.claim_event("EvNew") is False
    # A conversation still in use is kept however old it is: age counts from its last turn.
    assert store.purge(now_utc() - timedelta(days=1)).total == 0


def test_retention_days_zero_keeps_everything(open_store: OpenState) -> None:
    store = open_store()
    store.record_turn("conv", "q", _answer("a"))
    assert purge_expired(store, 0).total == 0
    assert purge_expired(store, 90).total == 0
    assert store.exists("conv")
    time.sleep(0.01)
    assert purge_expired(store, 1e-12).conversations == 1  # any age past the retention goes


def test_an_unreachable_database_is_state_unavailable(settings: Settings) -> None:
    url = f"postgresql://nobody@127.0.0.1:{free_port()}/tradebot"  # nothing listens there
    down = open_state(
        settings.model_copy(update={"database_url": SecretStr(url), "database_timeout_s": 1.0})
    )
    try:
        for call in (down.ping, lambda: down.history("conv"), lambda: down.claim_event("Ev")):
            with pytest.raises(StateUnavailableError):
                call()
    finally:
        down.close()
    settings.data_dir.mkdir(parents=True)
    settings.sqlite_path.mkdir()  # a directory where the database file should be
    broken = open_state(settings)
    with pytest.raises(StateUnavailableError):
        broken.ping()
