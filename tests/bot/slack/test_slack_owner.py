"""A Slack thread's conversation belongs to its channel: other channels and API keys get nothing."""

from __future__ import annotations

import logging

import pytest

from bot.slack.blocks import FEEDBACK_DOWN_ACTION, FEEDBACK_UP_ACTION
from ingest.models import Article
from tests.support.fake_slack import SlackApiRecorder, SlackDriver
from tests.support.servers import wait_until

EV_QUESTION = "What tariff does the US charge on Chinese electric vehicles?"
IGNORED = "slack feedback for another channel's conversation ignored"


def test_another_channel_cannot_rate_a_threads_conversation(
    slack: SlackDriver,
    corpus: tuple[Article, ...],
    recorder: SlackApiRecorder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="bot.slack.app")
    slack.mention(EV_QUESTION, ts="1700000040.000100", event_id="Ev040")
    [post] = recorder.wait_for("chat.postMessage")
    cid = "slack:C0TRADE:1700000040.000100"
    down = next(b for b in post.buttons() if b["action_id"] == FEEDBACK_DOWN_ACTION)
    assert down["value"] == cid

    # A forged click carrying the thread's id from another channel changes nothing.
    assert slack.click(FEEDBACK_DOWN_ACTION, cid, "C0ELSEWHERE", "1700000040.000900").is_success
    wait_until(lambda: IGNORED in caplog.messages, 30, "the click is ignored")
    assert slack.app_state.conversations.list_feedback(cid) == []
    assert recorder.calls_to("chat.postEphemeral") == []

    # The API cannot continue or rate it either: it is not the caller's conversation.
    follow_up = {"question": "And on semiconductors?", "conversation_id": cid}
    assert slack.client.post("/v1/chat", json=follow_up).status_code == 404
    rating = {"conversation_id": cid, "rating": "up"}
    assert slack.client.post("/v1/feedback", json=rating).status_code == 404
    assert slack.app_state.conversations.count_turns(cid) == 1


def test_a_slash_command_answer_can_be_rated_from_its_channel(
    slack: SlackDriver, corpus: tuple[Article, ...], recorder: SlackApiRecorder
) -> None:
    slack.command(EV_QUESTION, response_url=recorder.response_url("command"))
    [reply] = recorder.wait_for("respond/command")
    up = next(b for b in reply.buttons() if b["action_id"] == FEEDBACK_UP_ACTION)
    assert slack.click(FEEDBACK_UP_ACTION, up["value"], "C0TRADE", "1700000041.000900").is_success
    recorder.wait_for("chat.postEphemeral")
    stored = slack.app_state.conversations.list_feedback(up["value"])
    assert [feedback.rating for feedback in stored] == ["up"]
