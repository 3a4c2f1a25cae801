"""Slack without Slack: a recording Web API on 127.0.0.1 and a driver sending signed requests."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi.testclient import TestClient
from httpx import Response
from slack_sdk.signature import SignatureVerifier

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-tradebot-test"
BOT_USER_ID = "U0TRADEBOT"
BOT_ID = "B0TRADEBOT"
TEAM_ID = "T0TRADE"
WAIT_S = 60.0

AUTH_TEST = {
    "ok": True,
    "url": "https://trade.example.slack.com/",
    "team": "Trade",
    "user": "tradebot",
    "team_id": TEAM_ID,
    "user_id": BOT_USER_ID,
    "bot_id": BOT_ID,
    "is_enterprise_install": False,
}


@dataclass(frozen=True)
class WebApiCall:
    """One request the app made: `chat.postMessage`, or `respond/NAME` for a response_url."""

    method: str
    body: dict[str, Any]

    @property
    def blocks(self) -> list[dict[str, Any]]:
        """Return the Block Kit blocks sent (parsed when they came form-encoded)."""
        blocks = self.body.get("blocks") or []
        return list(json.loads(blocks) if isinstance(blocks, str) else blocks)

    def texts(self, block_type: str) -> list[str]:
        """Return the mrkdwn of every `section` or `context` block, in order."""
        if block_type == "section":
            return [b["text"]["text"] for b in self.blocks if b["type"] == "section"]
        return [e["text"] for b in self.blocks if b["type"] == block_type for e in b["elements"]]

    def buttons(self) -> list[dict[str, Any]]:
        """Return the buttons of every actions block."""
        return [e for b in self.blocks if b["type"] == "actions" for e in b["elements"]]


class SlackApiRecorder:
    """A stand-in for Slack's Web API that records every call and answers `{"ok": true}`."""

    def __init__(self) -> None:
        self.calls: list[WebApiCall] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def root(self) -> str:
        """Return the server's base URL."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def base_url(self) -> str:
        """Return the Web API base URL to configure (`TRADEBOT_SLACK_API_URL`)."""
        return f"{self.root}/api/"

    def response_url(self, name: str) -> str:
        """Return a response_url (slash commands, buttons) that this server records."""
        return f"{self.root}/respond/{name}"

    def calls_to(self, method: str) -> list[WebApiCall]:
        """Return the recorded calls of one method, in order."""
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def wait_for(self, method: str, count: int = 1) -> list[WebApiCall]:
        """Poll until `count` calls of `method` arrived; fail after a generous deadline."""
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            calls = self.calls_to(method)
            if len(calls) >= count:
                return calls
            time.sleep(0.02)
        raise AssertionError(f"no {count} call(s) to {method}; got {self.calls!r}")

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()

    def _record(self, path: str, content_type: str, raw: bytes) -> dict[str, Any]:
        method = path.removeprefix("/api/") if path.startswith("/api/") else path.lstrip("/")
        body = _parse_body(content_type, raw)
        with self._lock:
            self.calls.append(WebApiCall(method, body))
        if method == "auth.test":
            return AUTH_TEST
        if method == "chat.postMessage":
            return {"ok": True, "channel": body.get("channel"), "ts": "1700009999.000100"}
        return {"ok": True}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                reply = recorder._record(self.path, self.headers.get("Content-Type", ""), raw)
                payload = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


def _parse_body(content_type: str, raw: bytes) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        parsed: dict[str, Any] = json.loads(raw)
        return parsed
    return {key: values[-1] for key, values in parse_qs(raw.decode()).items()}


class SlackDriver:
    """Send Slack's requests, signed like Slack signs them, to the real app."""

    def __init__(self, client: TestClient, recorder: SlackApiRecorder) -> None:
        self.client = client
        self.recorder = recorder
        self._open = True

    @property
    def app_state(self) -> Any:
        """Return the running app's state (engine, conversations, ingestor)."""
        return self.client.app.state  # type: ignore[attr-defined]

    def post_signed(
        self,
        path: str,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str = SIGNING_SECRET,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """POST `body` with Slack's signature headers (computed with `secret` at `timestamp`)."""
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature or "",
            **(headers or {}),
        }
        return self.client.post(path, content=body.encode(), headers=sent)

    def event(self, event: dict[str, Any], event_id: str, retry_num: int | None = None) -> Response:
        """Deliver an Events API callback (optionally as Slack's retry number `retry_num`)."""
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        body = json.dumps(event_envelope(event, event_id))
        return self.post_signed("/slack/events", body, "application/json", headers=headers)

    def mention(
        self, text: str, ts: str, event_id: str, retry_num: int | None = None, **extra: Any
    ) -> Response:
        """Deliver an app_mention of the bot: `<@bot> text` posted at `ts` in C0TRADE."""
        event = {
            "type": "app_mention",
            "user": "U0ASKER",
            "text": f"<@{BOT_USER_ID}> {text}",
            "ts": ts,
            "channel": "C0TRADE",
            "event_ts": ts,
            **extra,
        }
        return self.event(event, event_id, retry_num)

    def command(self, text: str, response_url: str, channel: str = "C0TRADE") -> Response:
        """Invoke the slash command `/tradebot TEXT`."""
        form = {
            "token": "legacy",
            "team_id": TEAM_ID,
            "channel_id": channel,
            "user_id": "U0ASKER",
            "command": "/tradebot",
            "text": text,
            "response_url": response_url,
            "trigger_id": "1337.42.abcd",
        }
        body = urlencode(form)
        return self.post_signed("/slack/commands", body, "application/x-www-form-urlencoded")

    def click(self, action_id: str, value: str, channel: str, message_ts: str) -> Response:
        """Click one of our buttons on the message at `message_ts`."""
        payload = {
            "type": "block_actions",
            "team": {"id": TEAM_ID},
            "user": {"id": "U0ASKER"},
            "api_app_id": "A0TRADE",
            "channel": {"id": channel},
            "container": {"type": "message", "message_ts": message_ts, "channel_id": channel},
            "message": {"ts": message_ts, "thread_ts": message_ts, "bot_id": BOT_ID},
            "response_url": self.recorder.response_url("action"),
            "trigger_id": "1337.43.abcd",
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "tradebot_feedback",
                    "value": value,
                    "action_ts": "1700000100.000000",
                }
            ],
        }
        body = urlencode({"payload": json.dumps(payload)})
        return self.post_signed("/slack/events", body, "application/x-www-form-urlencoded")

    def finish(self) -> None:
        """Stop the app; its shutdown waits for every answer still being composed."""
        if self._open:
            self._open = False
            self.client.__exit__(None, None, None)


def event_envelope(event: dict[str, Any], event_id: str) -> dict[str, Any]:
    """Wrap an event the way the Events API delivers it."""
    return {
        "token": "legacy",
        "team_id": TEAM_ID,
        "api_app_id": "A0TRADE",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1700000000,
        "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
    }
