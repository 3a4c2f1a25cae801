"""Turn loosely typed input fields (YAML, JSON, HTML metadata) into article fields."""

from __future__ import annotations

import json
from datetime import date, datetime
from urllib.parse import urlsplit

from ingest.formats import LoadError
from ingest.models import MetadataValue

# Deeper JSON than this is refused: no article needs it, and recursive steps would fail on it.
MAX_JSON_DEPTH = 32


def iso_date(value: object, field: str = "published_at") -> str | None:
    """Return `value` as YYYY-MM-DD, None when empty.

    Raises:
        LoadError: the value is not an ISO date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise LoadError(f"invalid {field} {text!r}: expected an ISO date (YYYY-MM-DD)") from None


def optional_text(value: object, field: str) -> str | None:
    """Return a scalar field as stripped text, None when empty.

    Raises:
        LoadError: the value is a list or a mapping.
    """
    if value is None:
        return None
    if isinstance(value, list | dict | tuple | set):
        raise LoadError(f"{field!r} must be text, not {type(value).__name__}")
    text = str(value).strip()
    return text or None


def web_url(value: str | None) -> str | None:
    """Return `value` if it is an absolute http(s) URL with a host, else None.

    Anything else (`javascript:`, `data:`, `file:`, relative paths) must never become a link
    a reader may click, so ingest drops it and citations never carry it.
    """
    if not value:
        return None
    text = value.strip()
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return text


def metadata_value(value: object) -> MetadataValue | None:
    """Convert an extra field to a value the store can keep (None: drop it)."""
    if value is None:
        return None
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def extra_metadata(fields: dict[str, object], known: set[str]) -> dict[str, MetadataValue]:
    """Keep every field not in `known` as metadata (a nested `metadata` object is merged)."""
    out: dict[str, MetadataValue] = {}
    for key, value in fields.items():
        if key in known:
            continue
        if key == "metadata" and isinstance(value, dict):
            out.update(extra_metadata({str(k): v for k, v in value.items()}, known))
            continue
        converted = metadata_value(value)
        if converted is not None:
            out[str(key)] = converted
    return out


def check_nesting(value: object, limit: int = MAX_JSON_DEPTH) -> None:
    """Refuse lists and objects nested more than `limit` levels deep (checked without recursion).

    Raises:
        LoadError: the value is nested too deeply.
    """
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: list[object] = list(item.values())
        elif isinstance(item, list | tuple):
            children = list(item)
        else:
            continue
        if depth > limit:
            raise LoadError(f"JSON nested deeper than {limit} levels")
        stack.extend((child, depth + 1) for child in children)
