"""The Slack app manifest points Slack at the routes the app serves, with the scopes it needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.slack.app import SLACK_COMMANDS_PATH, SLACK_EVENTS_PATH

MANIFEST = Path(__file__).resolve().parents[3] / "slack" / "manifest.yml"


def _manifest() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return loaded


def test_manifest_request_urls_match_the_mounted_routes() -> None:
    settings = _manifest()["settings"]
    assert settings["event_subscriptions"]["request_url"].endswith(SLACK_EVENTS_PATH)
    assert settings["interactivity"] == {
        "is_enabled": True,
        "request_url": settings["event_subscriptions"]["request_url"],
    }
    [command] = _manifest()["features"]["slash_commands"]
    assert command["command"] == "/tradebot"
    assert command["url"].endswith(SLACK_COMMANDS_PATH)
    assert settings["socket_mode_enabled"] is False


def test_manifest_subscribes_to_the_handled_events_with_the_needed_scopes() -> None:
    manifest = _manifest()
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == [
        "app_mention",
        "message.im",
    ]
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "app_mentions:read",
        "chat:write",
        "commands",
        "im:history",
    }
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
