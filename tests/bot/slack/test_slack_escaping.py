"""Article text can never ping, mention or link in Slack: all text escaped, blocks verbatim."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ingest.models import Article
from tests.support.fake_slack import SlackApiRecorder, SlackDriver, WebApiCall

PORT_FEES = Article(
    doc_id="port-fees",
    title="Port fees <!here> for shipping lines",
    text=(
        "Shipping lines must pay a port fee of 40 dollars per container <!channel> <@U123> "
        "from June. The harbour authority said the money pays for new cranes <#C999|general> "
        "and <https://evil.example/login|the fee portal>. The fee will be reviewed in a year."
    ),
    published_at="2025-05-02",
    source="Harbour <@U777> Wire",
    url="https://news.example.com/port-fees",
)
QUESTION = "What port fee must shipping lines pay per container?"
# Slack markup that pings, mentions, or links: <!...>, <@...>, <#...>, <url|label>.
_MARKUP = re.compile(r"<[!@#]|<https?://|<mailto:")


def _mrkdwn_objects(call: WebApiCall) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for block in call.blocks:
        if block["type"] == "section":
            objects.append(block["text"])
        objects.extend(e for e in block.get("elements", []) if e.get("type") == "mrkdwn")
    return objects


def _assert_nothing_pings(call: WebApiCall) -> None:
    """Check one Web API call: escaped fallback text, only our own links in verbatim blocks."""
    text = call.body["text"]
    assert "&lt;!channel&gt; &lt;@U123&gt;" in text, text  # the article text, escaped
    assert "<" not in text and ">" not in text, text
    objects = _mrkdwn_objects(call)
    assert objects and all(obj["verbatim"] is True for obj in objects)
    rendered = "\n".join(obj["text"] for obj in objects)
    assert "&lt;!channel&gt; &lt;@U123&gt;" in rendered
    assert "&lt;!here&gt;" in rendered and "Harbour &lt;@U777&gt; Wire" in rendered
    ours = "<https://news.example.com/port-fees|"
    assert ours in rendered
    assert not _MARKUP.search(rendered.replace(ours, "")), rendered


@pytest.fixture
def port_fees(slack: SlackDriver) -> Article:
    report = slack.app_state.ingestor.ingest_articles([PORT_FEES])
    assert report.added == 1
    return PORT_FEES


def test_a_mention_answer_never_pings_from_article_text(
    slack: SlackDriver, port_fees: Article, recorder: SlackApiRecorder
) -> None:
    slack.mention(QUESTION, ts="1700000031.000100", event_id="Ev031")
    [post] = recorder.wait_for("chat.postMessage")
    _assert_nothing_pings(post)


def test_a_direct_message_answer_never_pings_from_article_text(
    slack: SlackDriver, port_fees: Article, recorder: SlackApiRecorder
) -> None:
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0ASKER",
        "user": "U0ASKER",
        "text": QUESTION,
        "ts": "1700000032.000100",
    }
    assert slack.event(event, event_id="Ev032").status_code == 200
    [post] = recorder.wait_for("chat.postMessage")
    _assert_nothing_pings(post)


def test_a_slash_command_answer_never_pings_from_article_text(
    slack: SlackDriver, port_fees: Article, recorder: SlackApiRecorder
) -> None:
    slack.command(QUESTION, response_url=recorder.response_url("fees"))
    [reply] = recorder.wait_for("respond/fees")
    assert reply.body["response_type"] == "in_channel"
    _assert_nothing_pings(reply)
