"""Mentions and DMs through the real app: threaded answers, dedupe, bots ignored, failures."""

from __future__ import annotations

import socket
from pathlib import Path

from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.settings import Settings
from bot.slack.blocks import APOLOGY, EMPTY_QUESTION, FEEDBACK_DOWN_ACTION, FEEDBACK_UP_ACTION
from bot.state.sqlite import SqliteState
from ingest.embedder import Embedder
from ingest.models import Article
from tests.support.fake_slack import BOT_ID, BOT_USER_ID, SlackApiRecorder, SlackDriver

RARE_EARTH_QUESTION = "Which rare-earth elements did China add to its export control list?"
EV_QUESTION = "What tariff does the US charge on Chinese electric vehicles?"
RARE_EARTH_URL = "https://news.example.com/rare-earths?id=1&amp;lang=en"
RARE_EARTH_LINK = f"<{RARE_EARTH_URL}|China tightens rare-earth export licences>"


def test_mention_gets_one_threaded_answer_with_citation_blocks(
    slack: SlackDriver, corpus: tuple[Article, ...], recorder: SlackApiRecorder
) -> None:
    response = slack.mention(RARE_EARTH_QUESTION, ts="1700000001.000100", event_id="Ev001")
    assert response.status_code == 200

    [post] = recorder.wait_for("chat.postMessage")
    assert post.body["channel"] == "C0TRADE"
    assert post.body["thread_ts"] == "1700000001.000100"
    answer_text = " ".join(post.texts("section"))
    assert "samarium" in answer_text and "[1]" in answer_text
    contexts = post.texts("context")
    assert contexts and all(text.startswith(f"*[{n}]* ") for n, text in enumerate(contexts, 1))
    cited = [text for text in contexts if RARE_EARTH_LINK in text]
    assert cited and " · Trade Wire · 2025-04-04\n“" in cited[0]
    buttons = post.buttons()
    assert [b["action_id"] for b in buttons] == [FEEDBACK_UP_ACTION, FEEDBACK_DOWN_ACTION]
    assert {b["value"] for b in buttons} == {"slack:C0TRADE:1700000001.000100"}
    assert "samarium" in post.body["text"]  # the notification fallback

    slack.finish()
    assert len(recorder.calls_to("chat.postMessage")) == 1


def test_retried_event_is_not_answered_again_by_any_worker(
    slack: SlackDriver,
    corpus: tuple[Article, ...],
    recorder: SlackApiRecorder,
    slack_settings: Settings,
    embedder: Embedder,
) -> None:
    slack.mention(RARE_EARTH_QUESTION, ts="1700000002.000100", event_id="Ev002")
    recorder.wait_for("chat.postMessage")

    ts = "1700000002.000100"
    retry = slack.mention(RARE_EARTH_QUESTION, ts=ts, event_id="Ev002", retry_num=1)
    assert retry.status_code == 200
    slack.finish()
    # A second worker process over the same data dir gets Slack's next retry.
    with TestClient(create_app(slack_settings, embedder=embedder)) as client:
        other_worker = SlackDriver(client, recorder)
        other = other_worker.mention(
            RARE_EARTH_QUESTION, ts="1700000002.000100", event_id="Ev002", retry_num=2
        )
        assert other.status_code == 200
    assert len(recorder.calls_to("chat.postMessage")) == 1


def test_follow_up_in_the_thread_continues_the_conversation(
    slack: SlackDriver, corpus: tuple[Article, ...], recorder: SlackApiRecorder
) -> None:
    root = "1700000003.000100"
    slack.mention(RARE_EARTH_QUESTION, ts=root, event_id="Ev003")
    recorder.wait_for("chat.postMessage")
    follow_up = "Which ministry grants the licences for them?"
    slack.mention(follow_up, ts="1700000004.000100", event_id="Ev004", thread_ts=root)

    posts = recorder.wait_for("chat.postMessage", count=2)
    assert [post.body["thread_ts"] for post in posts] == [root, root]
    assert "Ministry of Commerce" in " ".join(posts[1].texts("section"))
    history = slack.app_state.conversations.history(f"slack:C0TRADE:{root}")
    # The bot's own mention is stripped from what was asked.
    assert [turn.question for turn in history] == [RARE_EARTH_QUESTION, follow_up]


def test_direct_message_is_answered_in_its_thread(
    slack: SlackDriver, corpus: tuple[Article, ...], recorder: SlackApiRecorder
) -> None:
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0ASKER",
        "user": "U0ASKER",
        "text": EV_QUESTION,
        "ts": "1700000005.000100",
        "event_ts": "1700000005.000100",
    }
    assert slack.event(event, event_id="Ev005").status_code == 200

    [post] = recorder.wait_for("chat.postMessage")
    assert (post.body["channel"], post.body["thread_ts"]) == ("D0ASKER", "1700000005.000100")
    assert "100 percent" in " ".join(post.texts("section"))
    label = "|US quadruples tariffs on Chinese electric vehicles>"
    assert any(label in context for context in post.texts("context"))


def test_messages_from_bots_edits_and_plain_channel_messages_are_ignored(
    slack: SlackDriver, corpus: tuple[Article, ...], recorder: SlackApiRecorder
) -> None:
    dm = {"type": "message", "channel_type": "im", "channel": "D0ASKER", "text": EV_QUESTION}
    ignored = [
        {**dm, "subtype": "bot_message", "bot_id": "B0OTHER", "ts": "1700000006.000100"},
        {**dm, "user": BOT_USER_ID, "bot_id": BOT_ID, "ts": "1700000006.000200"},  # ourselves
        {**dm, "user": "U0ASKER", "subtype": "message_changed", "ts": "1700000006.000300"},
        {**dm, "user": "U0ASKER", "channel_type": "channel", "ts": "1700000006.000400"},
    ]
    for n, event in enumerate(ignored):
        assert slack.event(event, event_id=f"Ev006-{n}").status_code == 200
    from_a_bot = slack.mention(EV_QUESTION, ts="1700000006.000500", event_id="Ev006-m", bot_id="B0")
    assert from_a_bot.status_code == 200

    slack.finish()  # waits for anything still being answered
    assert recorder.calls_to("chat.postMessage") == []


def test_oversized_and_empty_questions_get_a_polite_note_without_asking_the_engine(
    slack: SlackDriver, corpus: tuple[Article, ...], recorder: SlackApiRecorder
) -> None:
    slack.mention("tariff " * 400, ts="1700000007.000100", event_id="Ev007")
    slack.mention("", ts="1700000007.000200", event_id="Ev007-empty")

    posts = recorder.wait_for("chat.postMessage", count=2)
    by_thread = {post.body["thread_ts"]: post for post in posts}
    too_long = by_thread["1700000007.000100"].body["text"]
    assert "2,799 characters" in too_long and "under 2,000" in too_long
    assert by_thread["1700000007.000200"].body["text"] == EMPTY_QUESTION
    conversations = slack.app_state.conversations
    assert conversations.count_turns("slack:C0TRADE:1700000007.000100") == 0


def test_engine_failure_posts_a_short_apology(
    tmp_path: Path, embedder: Embedder, recorder: SlackApiRecorder, slack_settings: Settings
) -> None:
    # A real fault: the configured Chroma server is not there, so retrieval raises.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    settings = slack_settings.model_copy(update={"chroma_url": dead_url})
    with TestClient(create_app(settings, embedder=embedder)) as client:
        driver = SlackDriver(client, recorder)
        ts = "1700000008.000100"
        assert driver.mention(EV_QUESTION, ts=ts, event_id="Ev008").status_code == 200
        [post] = recorder.wait_for("chat.postMessage")
    assert post.body["thread_ts"] == ts
    assert post.body["text"] == APOLOGY
    assert post.texts("section") == [APOLOGY]
    assert not post.buttons()
    assert SqliteState(settings.sqlite_path).count_turns(f"slack:C0TRADE:{ts}") == 0
