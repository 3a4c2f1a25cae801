"""Slash command, feedback buttons, refusals and escaping, through the real app."""

from __future__ import annotations

from bot.slack.blocks import (
    EMPTY_QUESTION,
    FEEDBACK_DOWN_ACTION,
    FEEDBACK_THANKS,
    FEEDBACK_UP_ACTION,
    NO_SOURCES_NOTE,
)
from ingest.models import Article
from tests.support.fake_slack import SlackApiRecorder, SlackDriver

EV_QUESTION = "What tariff does the US charge on Chinese electric vehicles?"


def test_slash_command_answers_in_the_channel_through_the_response_url(
    slack: SlackDriver, corpus: tuple[Article, ...], recorder: SlackApiRecorder
) -> None:
    response = slack.command(EV_QUESTION, response_url=recorder.response_url("command"))
    assert response.status_code == 200
    assert response.text == ""  # acked at once; the answer follows

    [reply] = recorder.wait_for("respond/command")
    assert reply.body["response_type"] == "in_channel"
    assert "100 percent" in " ".join(reply.texts("section"))
    label = "|US quadruples tariffs on Chinese electric vehicles>"
    assert any(label in context for context in reply.texts("context"))
    assert reply.buttons()[0]["action_id"] == FEEDBACK_UP_ACTION
    assert recorder.calls_to("chat.postMessage") == []


def test_empty_slash_command_gets_a_private_hint(
    slack: SlackDriver, recorder: SlackApiRecorder
) -> None:
    slack.command("  ", response_url=recorder.response_url("empty"))
    [reply] = recorder.wait_for("respond/empty")
    assert reply.body["response_type"] == "ephemeral"
    assert reply.body["text"] == EMPTY_QUESTION


def test_feedback_click_is_stored_for_the_threads_conversation(
    slack: SlackDriver, corpus: tuple[Article, ...], recorder: SlackApiRecorder
) -> None:
    slack.mention(EV_QUESTION, ts="1700000020.000100", event_id="Ev020")
    [post] = recorder.wait_for("chat.postMessage")
    down = next(b for b in post.buttons() if b["action_id"] == FEEDBACK_DOWN_ACTION)

    clicked = slack.click(FEEDBACK_DOWN_ACTION, down["value"], "C0TRADE", "1700000020.000900")
    assert clicked.status_code == 200

    [thanks] = recorder.wait_for("chat.postEphemeral")
    assert (thanks.body["channel"], thanks.body["user"]) == ("C0TRADE", "U0ASKER")
    assert thanks.body["text"] == FEEDBACK_THANKS
    stored = slack.app_state.conversations.list_feedback("slack:C0TRADE:1700000020.000100")
    assert [feedback.rating for feedback in stored] == ["down"]


def test_refusal_says_so_without_sources(
    slack: SlackDriver, corpus: tuple[Article, ...], recorder: SlackApiRecorder
) -> None:
    slack.mention("How long should sourdough bread proof?", ts="1700000021.0001", event_id="Ev021")
    [post] = recorder.wait_for("chat.postMessage")
    assert post.texts("section") == ["The articles I have do not cover this question."]
    assert post.texts("context") == [NO_SOURCES_NOTE]
    assert not [block for block in post.blocks if block["type"] == "divider"]


def test_markup_from_articles_is_escaped_and_markers_kept(
    slack: SlackDriver, corpus: tuple[Article, ...], recorder: SlackApiRecorder
) -> None:
    question = "What duty do importers above the steel quota pay?"
    slack.mention(question, ts="1700000022.000100", event_id="Ev022")
    [post] = recorder.wait_for("chat.postMessage")

    rendered = "\n".join(post.texts("section") + post.texts("context"))
    assert "25 percent duty &lt;!channel&gt; &amp; must file &lt;script&gt;" in rendered
    assert "[1]" in post.texts("section")[0]
    assert "|Steel safeguard &lt;b&gt;quotas&lt;/b&gt; &amp; duties> · Steel &lt;Monitor&gt;" in (
        rendered
    )
    for raw in ("<!channel>", "<script>", "<b>", "<Monitor>"):
        assert raw not in rendered
