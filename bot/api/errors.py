"""One JSON error envelope for every failure: `{"error": {"code", "message"}}`."""

from __future__ import annotations

import http.client
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from bot.state import ConversationNotFoundError, StateUnavailableError
from ingest.store import StoreUnavailableError

log = logging.getLogger(__name__)

STORE_RETRY_AFTER_S = 5
NESTED_BODY_MESSAGE = "The request body is JSON nested too deeply to parse."
_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
    503: "unavailable",
}


class ErrorDetail(BaseModel):
    """What went wrong, for people (`message`) and programs (`code`)."""

    code: str
    message: str
    details: list[dict[str, Any]] | None = None


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


# Declared on every route so the OpenAPI document describes the errors actually sent.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ErrorResponse, "description": "Client error"},
    503: {
        "model": ErrorResponse,
        "description": "The document store or the state database is unreachable",
    },
}


class ApiError(Exception):
    """An error a handler raises to send a given status, code and message."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details


def invalid_query(loc: tuple[str, ...], message: str) -> RequestValidationError:
    """Return the 422 for a query parameter FastAPI's own validation cannot judge."""
    return RequestValidationError([{"type": "value_error", "loc": loc, "msg": message}])


def error_body(
    code: str, message: str, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Return the error envelope as JSON-ready data (responses, middleware, stream events)."""
    body = ErrorResponse(error=ErrorDetail(code=code, message=message, details=details))
    return body.model_dump(exclude_none=True)


def error_response(
    status: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """Build a JSON response carrying the error envelope."""
    return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    details = []
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ())]
        details.append({"loc": loc, "message": str(err.get("msg", "invalid value"))})
    return details


def _summary(details: list[dict[str, Any]]) -> str:
    parts = []
    for item in details[:3]:
        where = ".".join(p for p in item["loc"] if p not in ("body", "query", "path"))
        parts.append(f"{where}: {item['message']}" if where else item["message"])
    return "; ".join(parts) or "the request is invalid"


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    if any(err.get("type") == "json_invalid" for err in exc.errors()):
        return error_response(400, "malformed_json", "The request body is not valid JSON.")
    details = _validation_details(exc)
    return error_response(422, "invalid_request", _summary(details), details)


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    if isinstance(exc.__cause__, RecursionError):  # FastAPI's body parser hit the nesting limit
        return error_response(400, "malformed_json", NESTED_BODY_MESSAGE)
    status = exc.status_code
    code = _CODES.get(status, "http_error" if status >= 500 else "client_error")
    default = http.client.responses.get(status, "Error")
    message = exc.detail if isinstance(exc.detail, str) and exc.detail else default
    headers = dict(exc.headers) if exc.headers else None
    return error_response(status, code, message, headers=headers)


async def _on_api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message, exc.details)


async def _on_store_unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.warning("document store unavailable: %s", exc)
    return error_response(
        503,
        "store_unavailable",
        "The document store is unreachable right now; try again shortly.",
        headers={"Retry-After": str(STORE_RETRY_AFTER_S)},
    )


async def _on_state_unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.warning("state database unavailable: %s", exc)
    return error_response(
        503,
        "state_unavailable",
        "The conversation database is unreachable right now; try again shortly.",
        headers={"Retry-After": str(STORE_RETRY_AFTER_S)},
    )


async def _on_conversation_not_found(request: Request, exc: Exception) -> JSONResponse:
    return error_response(404, "conversation_not_found", str(exc))


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "An unexpected error occurred.")


def install_error_handlers(app: FastAPI) -> None:
    """Send every error, including FastAPI's and Starlette's own, as the JSON envelope."""
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(HTTPException, _on_http_error)
    app.add_exception_handler(ApiError, _on_api_error)
    app.add_exception_handler(StoreUnavailableError, _on_store_unavailable)
    app.add_exception_handler(StateUnavailableError, _on_state_unavailable)
    app.add_exception_handler(ConversationNotFoundError, _on_conversation_not_found)
    app.add_exception_handler(Exception, _on_unexpected)
