"""Prometheus metrics, request ids and structured JSON logs.

Every request gets an id (the client's `X-Request-ID` when it is a sane token, else a new
one), echoed in the response and carried by every log line written while it runs. Logs never
hold API keys or headers; a question's text is logged only at debug level or when
`TRADEBOT_LOG_QUESTIONS` is set (its length always is).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from fastapi import FastAPI
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.models import Answer

if TYPE_CHECKING:
    from ingest.models import Article
    from ingest.pipeline import Ingestor, IngestReport, ProgressCallback

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_CHATTY_LOGGERS = ("httpx", "httpcore")
_INGEST_OUTCOMES = ("added", "updated", "unchanged", "duplicates", "removed", "failed")


class Metrics:
    """The service's Prometheus metrics, in a registry of their own (one per app).

    With `multiproc_dir` (prometheus_client's multiprocess mode, which `tradebot serve
    --workers N` turns on through PROMETHEUS_MULTIPROC_DIR) every worker writes its values
    there and `render` adds up all workers', so any worker's /metrics tells the whole. A
    gauge added here needs a `multiprocess_mode` saying how workers' values combine.
    """

    def __init__(self, multiproc_dir: Path | None = None) -> None:
        self.multiproc_dir = multiproc_dir
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "tradebot_http_requests_total",
            "HTTP requests by route template, method and status",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "tradebot_http_request_duration_seconds",
            "HTTP request latency by route template, method and status",
            ["route", "method", "status"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.retrieval_seconds = Histogram(
            "tradebot_retrieval_seconds",
            "Time spent retrieving passages (dense + BM25)",
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.answer_seconds = Histogram(
            "tradebot_answer_seconds",
            "Time spent composing answers from retrieved passages",
            ["mode"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.answers = Counter(
            "tradebot_answers_total",
            "Answers by mode and outcome (grounded or refused)",
            ["mode", "outcome"],
            registry=self.registry,
        )
        self.fallbacks = Counter(
            "tradebot_llm_fallbacks_total",
            "Answers that fell back to quoting because the LLM failed",
            registry=self.registry,
        )
        self.ingest_articles = Counter(
            "tradebot_ingest_articles_total",
            "Articles seen by ingest through the API, by outcome",
            ["outcome"],
            registry=self.registry,
        )
        self.passages_embedded = Counter(
            "tradebot_passages_embedded_total",
            "Passages embedded by ingest through the API",
            registry=self.registry,
        )
        for outcome in _INGEST_OUTCOMES:  # export zeros so rates work from the first scrape
            self.ingest_articles.labels(outcome=outcome)

    def observe_retrieval(self, seconds: float) -> None:
        """Record one retrieval's duration."""
        self.retrieval_seconds.observe(seconds)

    def observe_answer(self, mode: str, grounded: bool, seconds: float, fell_back: bool) -> None:
        """Record one answer's timing, whether it was grounded or refused, and any fallback."""
        self.answer_seconds.labels(mode=mode).observe(seconds)
        self.answers.labels(mode=mode, outcome="grounded" if grounded else "refused").inc()
        if fell_back:
            self.fallbacks.inc()

    def observe_ingest(self, counts: dict[str, int], passages_embedded: int) -> None:
        """Record one ingest run's outcome counts."""
        for outcome in _INGEST_OUTCOMES:
            if counts.get(outcome):
                self.ingest_articles.labels(outcome=outcome).inc(counts[outcome])
        self.passages_embedded.inc(passages_embedded)

    def render(self) -> tuple[bytes, str]:
        """Return the exposition text (of every worker, in multiprocess mode) and its type."""
        if self.multiproc_dir is None:
            return generate_latest(self.registry), CONTENT_TYPE_LATEST
        workers = CollectorRegistry()
        MultiProcessCollector(workers, path=str(self.multiproc_dir))
        return generate_latest(workers), CONTENT_TYPE_LATEST


class AnswerLog:
    """Count, time and log every answer (an `AnswerObserver` for the engine)."""

    def __init__(self, metrics: Metrics, log_questions: bool = False) -> None:
        self.metrics = metrics
        self.log_questions = log_questions
        self.log = logging.getLogger("tradebot.answers")

    def retrieved(self, seconds: float) -> None:
        """Record one retrieval's duration."""
        self.metrics.observe_retrieval(seconds)

    def answered(self, question: str, answer: Answer, seconds: float) -> None:
        """Record one answer; log it, with the question's text only when allowed."""
        fell_back = answer.notice is not None
        self.metrics.observe_answer(answer.mode, answer.grounded, seconds, fell_back)
        fields: dict[str, Any] = {
            "mode": answer.mode,
            "grounded": answer.grounded,
            "citations": len(answer.citations),
            "fallback": fell_back,
            "question_chars": len(question),
            "answer_ms": round(seconds * 1000, 2),
        }
        if self.log_questions or self.log.isEnabledFor(logging.DEBUG):
            fields["question"] = question
        self.log.info("answer", extra={"fields": fields})


class ObservedIngestor:
    """An ingest pipeline whose runs are counted in the metrics."""

    def __init__(self, ingestor: Ingestor, metrics: Metrics) -> None:
        self.ingestor = ingestor
        self.metrics = metrics

    def ingest_articles(
        self, articles: Iterable[Article], progress: ProgressCallback | None = None
    ) -> IngestReport:
        """Ingest as `Ingestor.ingest_articles` does, then count the outcome."""
        report = self.ingestor.ingest_articles(articles, progress=progress)
        counts = {key: int(getattr(report, key)) for key in _INGEST_OUTCOMES}
        self.metrics.observe_ingest(counts, report.passages_embedded)
        return report


class JsonLogFormatter(logging.Formatter):
    """One JSON object per log line, carrying the current request id."""

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as JSON."""
        entry: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "pid": record.process,
            "msg": record.getMessage(),
            "request_id": request_id_var.get(),
        }
        extra = getattr(record, "fields", None)
        if isinstance(extra, dict):
            entry.update(extra)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str, stream: IO[str] | None = None) -> logging.Handler:
    """Send every log record (ours and libraries') to `stream` (stderr) as JSON lines.

    Replaces a handler an earlier call installed and leaves other handlers alone.
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonLogFormatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h.formatter, JsonLogFormatter)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # httpx logs every call (one per Chroma request) at info: keep that for debugging only.
    quiet = logging.DEBUG if root.level <= logging.DEBUG else logging.WARNING
    for name in _CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(quiet)
    return handler


class RequestObservationMiddleware:
    """Give each request an id, time it, count it, and log one line about it."""

    def __init__(self, app: ASGIApp, metrics: Metrics, api: FastAPI | None = None) -> None:
        self.app = app
        self.metrics = metrics
        self.api = api
        self.log = logging.getLogger("tradebot.http")
        self._templates: list[tuple[re.Pattern[str], str]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap one HTTP request."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._record(scope, status, time.perf_counter() - started)
            request_id_var.reset(token)

    def _record(self, scope: Scope, status: int, elapsed: float) -> None:
        route = self._route_template(scope)
        method = str(scope.get("method", "GET"))
        labels = {"route": route, "method": method, "status": str(status)}
        self.metrics.requests.labels(**labels).inc()
        self.metrics.latency.labels(**labels).observe(elapsed)
        fields = {**labels, "status": status, "ms": round(elapsed * 1000, 2)}
        level = logging.ERROR if status >= 500 else logging.INFO
        self.log.log(level, "request", extra={"fields": fields})

    def _route_template(self, scope: Scope) -> str:
        """Label by route template (`/v1/documents/{doc_id}`), never by raw path.

        A request answered before routing (401, 413, 429) is matched against the API's
        documented paths; a path nothing matches is "unmatched" (labels stay bounded).
        """
        route = scope.get("route")
        template = getattr(route, "path_format", None) or getattr(route, "path", None)
        if template:
            return str(template)
        if self._templates is None:
            paths = self.api.openapi().get("paths", {}) if self.api is not None else {}
            self._templates = [(compile_path(p)[0], p) for p in paths]
        path = str(scope.get("path", ""))
        return next((p for regex, p in self._templates if regex.match(path)), "unmatched")


def install_observability(
    app: FastAPI, log_questions: bool = False, multiproc_dir: Path | None = None
) -> Metrics:
    """Add request ids, request metrics and request logs to `app`; call it last.

    Args:
        app: the FastAPI application being built.
        log_questions: log every question's text at info level (otherwise debug only).
        multiproc_dir: prometheus_client's multiprocess directory, when workers share one.

    Returns:
        The app's metrics, also kept on `app.state.metrics` and `app.state.answer_log`.
    """
    metrics = Metrics(multiproc_dir)
    app.state.metrics = metrics
    app.state.answer_log = AnswerLog(metrics, log_questions)
    app.add_middleware(RequestObservationMiddleware, metrics=metrics, api=app)
    return metrics
