"""POST /v1/documents/bulk: many articles at once, as a JSON array or JSON lines (admin).

The articles go through the same pipeline as `POST /v1/documents` and the CLI, in one run: new
ones are added, changed ones replaced atomically, unchanged ones skipped. An item that is not
a valid article fails alone and is reported; the others are stored. The body limit is
`TRADEBOT_MAX_BULK_BODY_BYTES` (see bot.api.limits).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from bot.api.deps import IngestorDep
from bot.api.errors import ERROR_RESPONSES, NESTED_BODY_MESSAGE, ApiError
from bot.api.limits import BULK_DOCUMENTS_PATH
from bot.api.schemas import ArticleIn
from ingest.models import Article

router = APIRouter(tags=["documents"], responses=ERROR_RESPONSES)

JSON_LINES_TYPES = frozenset(
    {"application/x-ndjson", "application/jsonl", "application/x-jsonlines", "text/plain"}
)
_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/ArticleIn"}}
            },
            "application/x-ndjson": {
                "schema": {"type": "string", "description": "One article object per line"}
            },
        },
    }
}


class BulkError(BaseModel):
    """One article that was not stored: where it was (`item 3`, `line 3` or its doc_id), why."""

    path: str
    reason: str


class BulkIngestResult(BaseModel):
    """What the ingest pipeline did with the posted articles."""

    added: int
    updated: int
    unchanged: int
    duplicates: int
    failed: int
    passages_embedded: int
    errors: list[BulkError]


@router.post(
    BULK_DOCUMENTS_PATH,
    response_model=BulkIngestResult,
    summary="Add or update many articles",
    openapi_extra=_BODY,
)
async def add_documents(request: Request, ingestor: IngestorDep) -> BulkIngestResult:
    """Ingest a JSON array (or JSON lines) of articles; bad items fail alone."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    items = _items(await request.body(), media_type)
    if not items:
        raise ApiError(422, "invalid_request", "The body holds no articles.")
    articles, invalid = _articles(items)
    report = await run_in_threadpool(ingestor.ingest_articles, articles)
    metrics = getattr(request.app.state, "metrics", None)
    if invalid and metrics is not None:  # never reached the pipeline, still a failed article
        metrics.observe_ingest({"failed": len(invalid)}, 0)
    rejected = [BulkError(path=path, reason=reason) for path, reason in report.errors]
    return BulkIngestResult(
        added=report.added,
        updated=report.updated,
        unchanged=report.unchanged,
        duplicates=report.duplicates,
        failed=len(invalid) + report.failed,
        passages_embedded=report.passages_embedded,
        errors=invalid + rejected,
    )


def _items(raw: bytes, media_type: str) -> list[tuple[str, Any]]:
    """Split the body into (position, decoded JSON or the error text) pairs."""
    if media_type in JSON_LINES_TYPES:
        return [
            (f"line {number}", _decode(line))
            for number, line in enumerate(raw.splitlines(), start=1)
            if line.strip()
        ]
    if media_type and media_type != "application/json" and not media_type.endswith("+json"):
        raise ApiError(415, "unsupported_media_type", "Send application/json or JSON lines.")
    try:
        decoded = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(400, "malformed_json", "The request body is not valid JSON.") from exc
    except RecursionError as exc:
        raise ApiError(400, "malformed_json", NESTED_BODY_MESSAGE) from exc
    if not isinstance(decoded, list):
        raise ApiError(422, "invalid_request", "Expected a JSON array of article objects.")
    return [(f"item {n}", obj) for n, obj in enumerate(decoded, start=1)]


def _decode(line: bytes) -> Any:
    from ingest.loaders import NESTED_TOO_DEEPLY

    try:
        return json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return _Invalid(f"invalid JSON ({exc})")
    except RecursionError:
        return _Invalid(NESTED_TOO_DEEPLY)


class _Invalid:
    """A JSON line that could not be decoded."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _articles(items: list[tuple[str, Any]]) -> tuple[list[Article], list[BulkError]]:
    """Validate each item as `ArticleIn` and build its Article; collect the failures."""
    from ingest.loaders import article_from_json

    articles: list[Article] = []
    errors: list[BulkError] = []
    for where, obj in items:
        if isinstance(obj, _Invalid):
            errors.append(BulkError(path=where, reason=obj.reason))
            continue
        try:
            body = ArticleIn.model_validate(obj)
            articles.append(article_from_json(body.model_dump(exclude_none=True)))
        except ValidationError as exc:
            errors.append(BulkError(path=where, reason=_first_error(exc)))
        except ValueError as exc:  # LoadError: no readable text, malformed field
            errors.append(BulkError(path=where, reason=str(exc)))
    return articles, errors


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(part) for part in err.get("loc", ()))
    return f"{where}: {err.get('msg', 'invalid value')}" if where else str(err.get("msg"))
