"""Build the FastAPI app: `create_app(settings)`; the lifespan loads the model and opens stores.

Everything a handler needs lives on `app.state`: `settings`, `embedder`, `store`, `engine`,
`conversations` (the shared state: conversations, feedback, Slack event ids, rate counts),
`ingestor`. Nothing happens at import time; there is no module-level `app`.
"""

from __future__ import annotations

import gc
import itertools
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI
from threadpoolctl import ThreadpoolController

from bot.answering.sentence_scoring import warm_analysis
from bot.api.access import install_access
from bot.api.errors import install_error_handlers
from bot.api.limits import install_limits
from bot.api.observability import ObservedIngestor, configure_logging, install_observability
from bot.api.openai_errors import OpenAIErrorShape
from bot.api.routes import bulk_documents, include_api_routes, metrics, widget
from bot.mcp_server import mount_mcp
from bot.settings import Settings
from bot.slack.app import mount_slack
from bot.state.retention import RetentionPurger
from bot.wiring import (
    build_embedder,
    build_engine,
    build_ingestor,
    open_state,
    open_store,
)
from ingest.embedder import Embedder
from ingest.store import PassageStore

log = logging.getLogger(__name__)


def _load_state(app: FastAPI, settings: Settings, embedder: Embedder | None) -> None:
    """Load the model, open the stores and build the engine onto `app.state`."""
    if embedder is None:
        embedder = build_embedder(settings)
    store = open_store(settings)
    conversations = open_state(settings)
    app.state.store = store
    app.state.conversations = conversations
    ingestor = build_ingestor(settings, store, embedder)
    app.state.ingestor = ObservedIngestor(ingestor, app.state.metrics)
    app.state.engine = build_engine(
        settings, store, embedder, conversations, observer=app.state.answer_log
    )
    app.state.embedder = embedder  # last: /readyz treats its presence as "model loaded"
    # Passage texts into memory in the background: the service is ready without them. Shutdown
    # stops it and waits for it (`_stop_warming`).
    stop = threading.Event()
    warming = threading.Thread(
        target=_warm_passages, args=(app, store, stop), name="warm-passages", daemon=True
    )
    app.state.warming = (warming, stop)
    warming.start()


def _warm_passages(app: FastAPI, store: PassageStore, stop: threading.Event) -> None:
    try:
        log.info("passage cache warmed", extra={"passages": store.warm_cache()})
        # The passage vectors, for exact vector search in memory (the hybrid retriever).
        warm_exact = getattr(app.state.engine.retriever, "warm_exact", None)
        if warm_exact is not None and not stop.is_set():
            log.info("passage vectors in memory", extra={"exact": warm_exact()})
        # Their sentences too: reranking reads 20 passages a question.
        passages = itertools.takewhile(lambda _: not stop.is_set(), store.iter_passages())
        log.info("passages analysed", extra={"passages": warm_analysis(passages)})
        if not stop.is_set():
            app.state.passages_analysed = True  # /readyz: cache_warmed
    except Exception as exc:  # the store may be down at startup; requests will say so
        log.info("passage cache not warmed: %s", exc)


# How long shutdown waits for the warm-up to notice it should stop (it checks between
# passages; reading the vectors into memory is one call).
_WARM_STOP_S = 30.0


def _stop_warming(app: FastAPI) -> None:
    """Stop the warm-up and wait for it: a thread still reading the store in native code when
    the interpreter exits crashed the process (a segmentation fault about one stop in three
    during warm-up, where a clean exit was due)."""
    warming = getattr(app.state, "warming", None)
    if warming is None:
        return
    thread, stop = warming
    stop.set()
    thread.join(_WARM_STOP_S)


def create_app(settings: Settings, *, embedder: Embedder | None = None) -> FastAPI:
    """Build the app; pass an already loaded `embedder` to share one model (tests, CLI)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(_load_state, app, settings, embedder)
        state = app.state.conversations
        purger = RetentionPurger(state, settings.retention_days, settings.retention_interval_s)
        purger.start()
        log.info("tradebot ready (answerer: %s)", app.state.engine.mode)
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(_stop_warming, app)
            await anyio.to_thread.run_sync(purger.stop)
            await anyio.to_thread.run_sync(state.close)

    app = FastAPI(
        title="tradebot",
        summary="Answers questions about trade disputes from news articles, with citations.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    include_api_routes(app)
    app.include_router(widget.router)
    app.include_router(metrics.router)
    app.include_router(bulk_documents.router)
    # Only when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set; its routes' body limits:
    slack_body_limits = mount_slack(app, settings)
    mount_mcp(app, settings)  # /mcp: the MCP tools over streamable HTTP
    install_limits(app, settings, slack_body_limits)  # timeout, body size: inside key checks
    install_access(app, settings)  # identity, rate limit, keys; its CORS layer wraps all else...
    app.add_middleware(OpenAIErrorShape)  # ...but this one, which sees every error body...
    # ...and this one, which only watches
    install_observability(app, settings.log_questions, settings.prometheus_multiproc_dir)
    return app


def create_app_from_env() -> FastAPI:
    """Build the app from environment settings (the uvicorn factory for `tradebot serve`)."""
    settings = Settings()
    configure_logging(settings.log_level)
    tune_collector()
    single_threaded_blas()
    return create_app(settings)


# An answer allocates tens of thousands of short-lived containers (term sets, signal dicts);
# at Python's default (700) the cycle collector runs several times an answer, and every tenth
# run also scans the older generation. 10,000 took /v1/chat's in-process p50 from 18.2-19.7 to
# 17.7 ms on SciFact (docs/answer-quality-log.md, twenty-eighth session).
_YOUNG_GENERATION_THRESHOLD = 10_000


def tune_collector() -> None:
    """Let a serving process's cycle collector run less often (its other thresholds kept)."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(_YOUNG_GENERATION_THRESHOLD, middle, old)


def single_threaded_blas() -> None:
    """Run numpy's OpenBLAS on one thread in a serving process.

    An answer's matrix products are small (a question against 11k passage vectors, 60
    sentences); on more threads, OpenBLAS's workers spin for a while after each one, taking a
    core from the next question's embedding (onnxruntime wants both). One thread took the
    in-process p50 from 16.3-16.6 to 15.4 ms on SciFact (docs/answer-quality-log.md,
    twenty-eighth session). Process-wide; other libraries' thread pools (torch, onnxruntime)
    are left alone.
    """
    ThreadpoolController().select(internal_api="openblas").limit(limits=1)
