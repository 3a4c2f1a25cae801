"""Request verification, the url_verification handshake, and routes absent without Slack."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from bot.api.app import create_app
from bot.settings import Settings
from tests.support.fake_slack import SlackApiRecorder, SlackDriver, event_envelope

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
