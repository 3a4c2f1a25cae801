"""Timelines and dated refusals in Slack, through the real app and the recording Web API."""

from __future__ import annotations

import re

import pytest

from bot.slack.blocks import FEEDBACK_UP_ACTION, NO_SOURCES_NOTE, RELATED_HEADING
from ingest.loaders import article_from_json
from tests.support.dated_articles import NEWEST, STEEL_ARTICLES
from tests.support.fake_slack import SlackApiRecorder, SlackDriver, WebApiCall

EVENT = re.compile(
    r"^\*(\d{4}-\d{2}-\d{2})\* · <(https://[^|]+)\|([^>]+)>\n“(.+)” \[(\d+)\]$", re.S
)


@pytest.fixture
def steel(slack: SlackDriver) -> None:
    """The steel-tariff articles from 2019 to 2025, ingested into the running app."""
    slack.app_state.ingestor.ingest_articles([article_from_json(a) for a in STEEL_ARTICLES])


def _assert_timeline_blocks(reply: WebApiCall) -> None:
    heading, *events = reply.texts("section")
    assert heading.startswith("*Timeline*, ") and heading.endswith(f", as of {NEWEST}")
    parsed = [EVENT.match(text) for text in events]
    assert all(parsed), events
    dates = [m.group(1) for m in parsed if m]
    assert dates == sorted(dates) and len(set(d[:4] for d in dates)) >= 3
    titles = {a["url"]: a["title"] for a in STEEL_ARTICLES if "url" in a}
    for match in parsed:
        assert match and titles[match.group(2)] == match.group(3)
    assert [int(m.group(5)) for m in parsed if m] == list(range(1, len(parsed) + 1))
    assert reply.buttons()[0]["action_id"] == FEEDBACK_UP_ACTION


def test_slash_timeline_renders_dated_events_with_linked_titles(
    slack: SlackDriver, steel: None, recorder: SlackApiRecorder
) -> None:
    slack.command("timeline Section 232 steel tariffs", response_url=recorder.response_url("tl"))
    [reply] = recorder.wait_for("respond/tl")
    assert reply.body["response_type"] == "in_channel"
    _assert_timeline_blocks(reply)


def test_mention_timeline_of_answers_in_the_thread(
    slack: SlackDriver, steel: None, recorder: SlackApiRecorder
) -> None:
    slack.mention(
        "timeline of the Section 232 steel tariffs", ts="1700000009.000100", event_id="EvT1"
    )
    [post] = recorder.wait_for("chat.postMessage")
    assert post.body["thread_ts"] == "1700000009.000100"
    _assert_timeline_blocks(post)


def test_a_question_past_the_newest_article_lists_related_articles(
    slack: SlackDriver, steel: None, recorder: SlackApiRecorder
) -> None:
    slack.mention("What will the Section 232 steel tariff be in 2031?", ts="1.2", event_id="EvT2")
    [post] = recorder.wait_for("chat.postMessage")
    assert post.texts("section")[0].startswith(f"The newest article I have is from {NEWEST};")
    contexts = post.texts("context")
    assert contexts[0] == NO_SOURCES_NOTE
    assert contexts[1].startswith(RELATED_HEADING) and "<https://news.example/steel-" in contexts[1]
