"""Signatures checked first, short refusals, body limits, quiet logs, no routes without Slack."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from bot.api.app import create_app
from bot.settings import Settings
from ingest.embedder import Embedder
from tests.support.fake_slack import SlackApiRecorder, SlackDriver, event_envelope
from tests.support.logs import captured_json_logs, json_lines

QUESTION_EVENT = {
    "type": "app_mention",
    "user": "U0ASKER",
    "text": "<@U0TRADEBOT> What tariff does the US charge on Chinese electric vehicles?",
    "ts": "1700000010.000100",
    "channel": "C0TRADE",
}


@pytest.mark.parametrize(
    ("secret", "age_s"),
    [("not-the-signing-secret", 0), ("test-signing-secret", 6 * 60)],
    ids=["forged", "stale"],
)
def test_forged_or_stale_requests_get_401_and_nothing_else_happens(
    slack: SlackDriver, recorder: SlackApiRecorder, secret: str, age_s: int
) -> None:
    stamp = int(time.time()) - age_s
    event_body = json.dumps(event_envelope(QUESTION_EVENT, "Ev010"))
    command_body = "command=%2Ftradebot&text=tariffs&channel_id=C0TRADE&user_id=U0ASKER"
    responses = [
        slack.post_signed(
            "/slack/events", event_body, "application/json", timestamp=stamp, secret=secret
        ),
        slack.post_signed(
            "/slack/commands",
            command_body,
            "application/x-www-form-urlencoded",
            timestamp=stamp,
            secret=secret,
        ),
    ]
    assert [r.status_code for r in responses] == [401, 401]

    slack.finish()
    assert recorder.calls == []
    assert slack.app_state.conversations.claim_event("Ev010")  # never claimed, never answered


def test_unsigned_request_gets_401(slack: SlackDriver, recorder: SlackApiRecorder) -> None:
    assert not [
        path for path in slack.client.get("/openapi.json").json()["paths"] if "slack" in path
    ]
    body = json.dumps(event_envelope(QUESTION_EVENT, "Ev011"))
    response = slack.client.post(
        "/slack/events", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 401
    slack.finish()
    assert recorder.calls == []


def test_url_verification_challenge_is_answered_only_when_signed(slack: SlackDriver) -> None:
    body = json.dumps(
        {"token": "legacy", "challenge": "3eZbrw1aBm2rZgRNFdx", "type": "url_verification"}
    )
    ok = slack.post_signed("/slack/events", body, "application/json")
    assert ok.status_code == 200
    assert ok.json() == {"challenge": "3eZbrw1aBm2rZgRNFdx"}

    forged = slack.post_signed("/slack/events", body, "application/json", secret="wrong")
    assert forged.status_code == 401
    assert "3eZbrw1aBm2rZgRNFdx" not in forged.text


@pytest.mark.parametrize("configured", ["nothing", "token only", "secret only"])
def test_without_both_slack_settings_the_routes_are_absent(tmp_path: Path, configured: str) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    if configured == "token only":
        settings = settings.model_copy(update={"slack_bot_token": SecretStr("xoxb-1")})
    if configured == "secret only":
        settings = settings.model_copy(update={"slack_signing_secret": SecretStr("s")})
    client = TestClient(create_app(settings))  # mounted routes would fail here, not 404
    assert client.post("/slack/events", json={"type": "url_verification"}).status_code == 404
    assert client.post("/slack/commands", content=b"text=x").status_code == 404


MARKER = "zq7-body-marker"
JSON_TYPE = {"Content-Type": "application/json"}
FORM_TYPE = "application/x-www-form-urlencoded"


def test_refused_requests_get_401_and_one_short_log_line_never_a_500(
    slack: SlackDriver, recorder: SlackApiRecorder
) -> None:
    unsigned = json.dumps(event_envelope({**QUESTION_EVENT, "text": MARKER * 20_000}, "Ev040"))
    question = f"{QUESTION_EVENT['text']} {MARKER}"
    stale = json.dumps(event_envelope({**QUESTION_EVENT, "text": question}, "Ev041"))
    garbage = {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=00"}
    with captured_json_logs() as logs:
        responses = [
            slack.client.post("/slack/events", content=unsigned.encode(), headers=JSON_TYPE),
            slack.client.post("/slack/events", content=f"{{not json {MARKER}", headers=JSON_TYPE),
            slack.client.post(
                "/slack/events", content=b"\xff\xfe" + MARKER.encode(), headers=garbage
            ),
            slack.post_signed("/slack/commands", f"text={MARKER}", FORM_TYPE, secret="wrong"),
            slack.post_signed(
                "/slack/events", stale, "application/json", timestamp=int(time.time()) - 600
            ),
        ]
    assert [r.status_code for r in responses] == [401] * 5
    assert MARKER not in logs.getvalue()
    # Besides each request's access line: one line from the Slack side (ours or bolt's).
    lines = json_lines(logs)
    refusals = [line for line in lines if line["logger"].startswith(("bot.slack", "slack"))]
    assert len(refusals) == 5, refusals
    assert not [line for line in lines if line["level"] == "error"]
    assert all(line["level"] == "warning" and len(line["msg"]) < 120 for line in refusals)
    slack.finish()
    assert recorder.calls == []


def test_slack_bodies_over_their_limit_are_413_and_never_answered(
    slack_settings: Settings, embedder: Embedder, recorder: SlackApiRecorder
) -> None:
    settings = slack_settings.model_copy(update={"slack_max_body_bytes": 20_000})
    with TestClient(create_app(settings, embedder=embedder)) as client:
        driver = SlackDriver(client, recorder)
        big = driver.mention("tariffs " * 4_000, ts="1700000042.000100", event_id="Ev042")
        assert big.status_code == 413
        small = driver.mention("", ts="1700000043.000100", event_id="Ev043")
        assert small.status_code == 200
        [post] = recorder.wait_for("chat.postMessage")
    assert post.body["thread_ts"] == "1700000043.000100"


@pytest.mark.parametrize("log_questions", [False, True])
def test_questions_reach_the_logs_only_with_log_questions(
    slack_settings: Settings, embedder: Embedder, recorder: SlackApiRecorder, log_questions: bool
) -> None:
    settings = slack_settings.model_copy(update={"log_questions": log_questions})
    question = "Which tariff applies to Chinese electric vehicles zq7?"
    with (
        captured_json_logs() as logs,
        TestClient(create_app(settings, embedder=embedder)) as client,
    ):
        driver = SlackDriver(client, recorder)
        assert driver.mention(question, ts="1700000044.000100", event_id="Ev044").status_code == 200
        recorder.wait_for("chat.postMessage")
        driver.finish()
    assert (question in logs.getvalue()) is log_questions
