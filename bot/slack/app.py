"""The Slack channel: mentions, DMs and `/tradebot` answered in threads, with citations.

Every request's signature is verified (5-minute window) before its body is parsed or handed to
slack-bolt; a refused one gets 401 and one short log line, never its body. bolt acks within
Slack's 3 s; the answer is composed afterwards on bolt's listener executor and posted with the
Web API.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from slack_bolt import Ack, App, BoltContext, Respond
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import State
from starlette.responses import PlainTextResponse

from bot.engine import AnswerEngine
from bot.models import MAX_QUESTION_CHARS
from bot.settings import Settings
from bot.slack.blocks import (
    APOLOGY,
    EMPTY_QUESTION,
    FEEDBACK_ACTION_PATTERN,
    FEEDBACK_THANKS,
    SlackReply,
    answer_reply,
    feedback_rating,
    text_reply,
    unescape_mrkdwn,
)
from bot.state import ConversationNotFoundError, Rating, StateStore

log = logging.getLogger(__name__)

SLACK_EVENTS_PATH = "/slack/events"
SLACK_COMMANDS_PATH = "/slack/commands"
ANSWER_WORKERS = 4

_SLACK_MARKUP = re.compile(r"<([^<>]*)>")
# Message subtypes a person sends; every other subtype (bot_message, message_changed, ...) is not
# a question.
_HUMAN_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})


def mount_slack(app: FastAPI, settings: Settings) -> dict[str, int]:
    """Add POST /slack/events and /slack/commands to `app` when Slack is configured.

    Returns:
        The body limit of each route added (none without Slack), for the body-size layer.
    """
    if not settings.slack_enabled:
        return {}
    router = APIRouter(lifespan=_slack_lifespan(settings))
    for path in (SLACK_EVENTS_PATH, SLACK_COMMANDS_PATH):
        router.add_api_route(path, _dispatch, methods=["POST"], include_in_schema=False)
    # Nested inside the app's lifespan: starts after the engine exists, stops before it closes.
    app.include_router(router)
    return dict.fromkeys((SLACK_EVENTS_PATH, SLACK_COMMANDS_PATH), settings.slack_max_body_bytes)


def build_bolt_app(settings: Settings, state: State, executor: ThreadPoolExecutor) -> App:
    """Build the bolt app whose listeners answer through `state.engine`."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    secret = settings.slack_signing_secret
    bolt = App(
        signing_secret=secret.get_secret_value() if secret else None,
        client=WebClient(token=token, base_url=settings.slack_api_url),
        # auth.test runs on the first request instead, so startup makes no network call.
        token_verification_enabled=False,
        # `_dispatch` has verified the signature before bolt sees the request (bolt would
        # parse first and log a refused request's whole body).
        request_verification_enabled=False,
        process_before_response=False,
        listener_executor=executor,
        logger=log,
    )
    _register_listeners(bolt, state)
    return bolt


def _slack_lifespan(settings: Settings) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        executor = ThreadPoolExecutor(ANSWER_WORKERS, thread_name_prefix="slack-answer")
        secret = settings.slack_signing_secret
        assert secret is not None  # mount_slack mounts nothing without it
        app.state.slack_verifier = SignatureVerifier(secret.get_secret_value())
        app.state.slack_bolt = build_bolt_app(settings, app.state, executor)
        try:
            yield
        finally:
            # Finish the answers in flight while the engine and store are still open.
            await run_in_threadpool(executor.shutdown, wait=True)

    return lifespan


async def _dispatch(request: Request) -> Response:
    """Verify a Slack request, then hand it to bolt off the event loop (bolt blocks on I/O)."""
    body = await request.body()
    if not _signed(request.app.state.slack_verifier, body, request):
        log.warning("slack request refused: missing or bad signature (%d bytes)", len(body))
        return PlainTextResponse("invalid request signature", status_code=401)
    bolt: App = request.app.state.slack_bolt
    try:
        bolt_request = to_bolt_request(request, body)
    except ValueError:  # signed, yet not UTF-8, JSON or a form: not something Slack sends
        log.warning("slack request refused: unreadable body (%d bytes)", len(body))
        return PlainTextResponse("unreadable request body", status_code=400)
    bolt_response = await run_in_threadpool(bolt.dispatch, bolt_request)
    return to_starlette_response(bolt_response)


def _signed(verifier: SignatureVerifier, body: bytes, request: Request) -> bool:
    """Check Slack's signature headers: HMAC of the body, timestamp within 5 minutes."""
    try:
        return verifier.is_valid(
            body,
            request.headers.get("x-slack-request-timestamp"),
            request.headers.get("x-slack-signature"),
        )
    except ValueError:  # a timestamp that is not a number, a body that is not UTF-8
        return False


def _register_listeners(bolt: App, state: State) -> None:
    @bolt.event("app_mention")
    def on_mention(
        body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        _answer_event(state, client, context, body, event)

    @bolt.event("message")
    def on_message(
        body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        # Channel messages reach us only as app_mention; answering both would answer twice.
        if event.get("channel_type") == "im":
            _answer_event(state, client, context, body, event)

    @bolt.command(re.compile(r"^/"))  # whatever name the workspace gave the command
    def on_command(
        ack: Ack, command: dict[str, Any], respond: Respond, context: BoltContext
    ) -> None:
        ack()
        question = _question_text(command.get("text", ""), context.bot_user_id)
        reply = compose_reply(state, question, owner=slack_owner(command.get("channel_id")))
        response_type = "in_channel" if reply.public else "ephemeral"
        respond(text=reply.text, blocks=reply.blocks, response_type=response_type)

    @bolt.action(FEEDBACK_ACTION_PATTERN)
    def on_feedback(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        _record_feedback(state, client, body, action)


def _answer_event(
    state: State,
    client: WebClient,
    context: BoltContext,
    body: dict[str, Any],
    event: dict[str, Any],
) -> None:
    """Answer a mention or DM in its thread, once per event id, never for a bot's message."""
    if event.get("bot_id") or event.get("subtype") not in _HUMAN_SUBTYPES:
        return  # other bots (and our own posts), edits, deletions, joins: nothing was asked
    conversations: StateStore = state.conversations
    event_id = body.get("event_id")
    if event_id and not conversations.claim_event(str(event_id)):
        log.info("slack event already taken", extra={"fields": {"event_id": str(event_id)}})
        return  # Slack retried an event some worker (of any replica) already took
    channel = event["channel"]
    thread_ts = event.get("thread_ts") or event["ts"]
    question = _question_text(event.get("text", ""), context.bot_user_id)
    cid, owner = f"slack:{channel}:{thread_ts}", slack_owner(channel)
    reply = compose_reply(state, question, conversation_id=cid, owner=owner)
    client.chat_postMessage(
        channel=channel,
        thread_ts=thread_ts,
        text=reply.text,
        blocks=reply.blocks,
        unfurl_links=False,
        unfurl_media=False,
    )


def slack_owner(channel: str | None) -> str:
    """Name the owner of a Slack channel's conversations: only that channel may use them."""
    return f"slack:{channel or 'unknown'}"


def compose_reply(
    state: State, question: str, conversation_id: str | None = None, owner: str = ""
) -> SlackReply:
    """Answer `question` through the engine, or explain why not; never raise."""
    if not question:
        return text_reply(EMPTY_QUESTION, public=False)
    if len(question) > MAX_QUESTION_CHARS:
        note = (
            f"That question is {len(question):,} characters long; please keep it under "
            f"{MAX_QUESTION_CHARS:,} characters."
        )
        return text_reply(note, public=False)
    engine: AnswerEngine = state.engine
    try:
        answer = engine.answer(question, conversation_id=conversation_id, owner=owner)
    except Exception:
        log.exception("slack answer failed (conversation %s)", conversation_id)
        return text_reply(APOLOGY, public=False)
    return answer_reply(answer, feedback_value=answer.conversation_id or "")


def _record_feedback(
    state: State, client: WebClient, body: dict[str, Any], action: dict[str, Any]
) -> None:
    """Store a thumbs up/down click and thank the clicker privately."""
    rating = feedback_rating(action.get("action_id", ""))
    conversation_id = action.get("value", "")
    if rating is None or not conversation_id:
        return
    conversations: StateStore = state.conversations
    channel = (body.get("channel") or {}).get("id")
    try:
        vote: Rating = "up" if rating == "up" else "down"
        conversations.add_feedback(conversation_id, vote, owner=slack_owner(channel))
    except ConversationNotFoundError:
        log.info("slack feedback for another channel's conversation ignored")
        return
    user = (body.get("user") or {}).get("id")
    if channel and user:
        thread_ts = (body.get("message") or {}).get("thread_ts")
        client.chat_postEphemeral(
            channel=channel, user=user, text=FEEDBACK_THANKS, thread_ts=thread_ts
        )


def _question_text(text: str, bot_user_id: str | None) -> str:
    """Turn Slack message text into a plain question: our mention dropped, markup resolved."""

    def plain(match: re.Match[str]) -> str:
        target, _, label = match.group(1).partition("|")
        if target.startswith("@"):
            return "" if target[1:] == bot_user_id else (label or target)
        if target.startswith("!"):
            return label  # @here, @channel, dates: nothing to search for
        if target.startswith("#"):
            return f"#{label}" if label else target
        return label or target  # a link: its text, else the URL

    return unescape_mrkdwn(_SLACK_MARKUP.sub(plain, text)).strip()
