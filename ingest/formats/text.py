"""Plain text and markdown, with optional YAML front matter."""

from __future__ import annotations

import re
from typing import Any

import yaml

from ingest.cleaning import clean_text
from ingest.formats import LoadError, ParsedDocument
from ingest.formats.fields import extra_metadata, iso_date, optional_text

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S | re.M)
_KNOWN_KEYS = {"title", "published_at", "date", "source", "url", "id"}


def decode_text(data: bytes) -> str:
    """Decode a text file as UTF-8.

    Raises:
        LoadError: the file is empty, binary or not UTF-8.
    """
    if not data.strip():
        raise LoadError("empty file")
    if b"\x00" in data:
        raise LoadError("binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(f"not UTF-8 text (undecodable byte at offset {exc.start})") from None


def parse_text(data: bytes) -> ParsedDocument:
    """Parse a .txt/.md file: front matter fields, then the cleaned body.

    Raises:
        LoadError: bad bytes, malformed front matter, or no text.
    """
    text = decode_text(data).replace("\r\n", "\n")
    fields, body = split_front_matter(text)
    cleaned = clean_text(body)
    if not cleaned.text:
        raise LoadError("no article text" + (" after the front matter" if fields else ""))
    published = fields.get("published_at", fields.get("date"))
    return ParsedDocument(
        text=cleaned.text,
        title=optional_text(fields.get("title"), "title"),
        doc_id=optional_text(fields.get("id"), "id"),
        url=optional_text(fields.get("url"), "url"),
        published_at=iso_date(published),
        source=optional_text(fields.get("source"), "source"),
        metadata=extra_metadata(fields, _KNOWN_KEYS),
        headline=cleaned.headline,
    )


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split YAML front matter (between `---` lines) from the body.

    Raises:
        LoadError: the front matter is unclosed, not YAML, or not a mapping.
    """
    if text.split("\n", 1)[0].rstrip() != "---":
        return {}, text
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise LoadError("malformed front matter: no closing '---' line")
    try:
        fields = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise LoadError(f"malformed front matter: {_yaml_reason(exc)}") from None
    if fields is None:
        fields = {}
    if not isinstance(fields, dict):
        raise LoadError("malformed front matter: expected 'key: value' lines")
    return {str(k): v for k, v in fields.items()}, text[match.end() :]


def _yaml_reason(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or "invalid YAML"
    mark = getattr(exc, "problem_mark", None)
    # +2: the mark counts from 0 inside the block, and the block starts after the `---` line.
    return f"{problem} (line {mark.line + 2})" if mark is not None else str(problem)
