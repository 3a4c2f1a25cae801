"""Schemathesis fuzzes every operation of /openapi.json in process: no 5xx, and every response
(status, content type, headers, body) is one the schema declares.

Valid (positive) and invalid (negative) requests, a fixed number of each per operation,
derandomised and without an example database, so a CI run is bounded and repeatable.
(Schemathesis' own pytest loader does not run under pytest 9, so operations are driven here.)
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bot.api.app import create_app
from bot.settings import Settings
from ingest.embedder import Embedder

EXAMPLES_PER_OPERATION = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _fuzz(operation: Any, mode: GenerationMode) -> int:
    """Send generated requests to one operation, validating each response; count them."""
    sent = 0

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        nonlocal sent
        sent += 1
        case.call_and_validate(checks=CHECKS)

    try:
        check()
    except Unsatisfiable:  # nothing to get wrong: no parameters and no body
        if mode is GenerationMode.POSITIVE or operation.body or operation.query:
            raise
    return sent


def test_every_operation_conforms_to_the_schema_and_never_fails(
    seeded: Settings, embedder: Embedder
) -> None:
    fuzzed = Settings(**{**seeded.model_dump(), "rate_limit_per_minute": 0})
    app = create_app(fuzzed, embedder=embedder)
    failures: dict[str, str] = {}
    sent: dict[str, int] = {}
    try:
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        for result in schema.get_all_operations():
            operation = result.ok()
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                name = f"{mode.value} {operation.label}"
                try:
                    sent[name] = _fuzz(operation, mode)
                except (Exception, BaseExceptionGroup) as exc:  # report every failure at once
                    failures[name] = str(exc)[:3000]
    finally:
        shutdown_lifespans()
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
    for operation in ("POST /v1/chat", "POST /v1/documents/bulk", "GET /v1/search"):
        assert sent[f"positive {operation}"] >= 10 and sent[f"negative {operation}"] >= 10, sent
    assert sent["positive GET /metrics"] >= 1
