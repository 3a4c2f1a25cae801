"""Turn ingest arguments (files, directories, http(s) URLs) into `Article`s, or errors.

doc_id: an explicit id (front matter `id`, JSON `id`), else the canonical URL, else the path
relative to the directory given on the command line (a file argument: its file name).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx

from ingest.cleaning import clean_text, fallback_title
from ingest.fetch import FetchError, FetchLimits, UrlFetcher
from ingest.formats import LoadError, ParsedDocument
from ingest.formats.fields import (
    check_nesting,
    extra_metadata,
    iso_date,
    optional_text,
    web_url,
)
from ingest.formats.html import parse_html
from ingest.formats.pdf import parse_pdf
from ingest.formats.text import decode_text, parse_text
from ingest.models import Article

__all__ = [
    "NESTED_TOO_DEEPLY",
    "SUPPORTED_SUFFIXES",
    "LoadError",
    "Loaded",
    "article_from_json",
    "count_inputs",
    "iter_loaded",
]

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".jsonl")
_JSON_KEYS = {"id", "_id", "title", "text", "published_at", "source", "url"}
NESTED_TOO_DEEPLY = "invalid JSON (nested too deeply to parse)"


@dataclass(frozen=True)
class Loaded:
    """One article read from an input, or the reason it could not be read."""

    path: str  # as the user would name it: a path, `file.jsonl:LINE`, or a URL
    origin: str  # the absolute file path or URL it came from
    article: Article | None = None
    error: str | None = None


def article_from_json(
    obj: dict[str, Any], origin: str | None = None, fallback_id: str | None = None
) -> Article:
    """Build an article from a JSON object (`title`, `text`, optional `id`, `url`...).

    Keys other than the article fields are kept as metadata. Without `id` or `url` the
    doc_id is `fallback_id`, else a hash of the cleaned text.

    Raises:
        LoadError: (a ValueError) the object has no usable text or a malformed field.
    """
    if not isinstance(obj, dict):
        raise LoadError(f"expected a JSON object, got {type(obj).__name__}")
    check_nesting(obj)
    raw = obj.get("text")
    if not isinstance(raw, str) or not raw.strip():
        raise LoadError("'text' is missing or empty")
    cleaned = clean_text(raw)
    if not cleaned.text:
        raise LoadError("'text' has no readable characters")
    explicit = obj.get("id") if obj.get("id") not in (None, "") else obj.get("_id")
    parsed = ParsedDocument(
        text=cleaned.text,
        title=optional_text(obj.get("title"), "title"),
        doc_id=optional_text(explicit, "id"),
        url=optional_text(obj.get("url"), "url"),
        published_at=iso_date(obj.get("published_at")),
        source=optional_text(obj.get("source"), "source"),
        metadata=extra_metadata({str(k): v for k, v in obj.items()}, _JSON_KEYS),
        headline=cleaned.headline,
    )
    return _article(parsed, fallback_id, origin)


def iter_loaded(paths: Sequence[str], fetch_limits: FetchLimits | None = None) -> Iterator[Loaded]:
    """Yield every article found under `paths`, and one error per input that failed.

    URLs are fetched within `fetch_limits` (size, deadline, redirect rule; see ingest.fetch).
    """
    seen: set[str] = set()
    with UrlFetcher(fetch_limits) as fetcher:
        for arg in paths:
            if arg.startswith(("http://", "https://")):
                if arg not in seen:
                    seen.add(arg)
                    yield _load_url(arg, fetcher)
                continue
            for file, display, relative in _discover(Path(arg)):
                origin = _origin(file)
                if origin in seen:
                    continue
                seen.add(origin)
                yield from _load_file(file, display, relative, origin)


def count_inputs(paths: Sequence[str]) -> int:
    """Count the results `iter_loaded(paths)` will yield, without parsing (a progress total)."""
    seen: set[str] = set()
    total = 0
    for arg in paths:
        if arg.startswith(("http://", "https://")):
            total += arg not in seen
            seen.add(arg)
            continue
        for file, _, _ in _discover(Path(arg)):
            origin = _origin(file)
            if origin not in seen:
                seen.add(origin)
                total += _count_file(file)
    return total


def _origin(file: Path) -> str:
    return str(file.resolve()) if file.exists() else str(file.absolute())


def _count_file(file: Path) -> int:
    """One result per file; one per non-blank line of JSON lines (at least one: its error)."""
    if file.suffix.lower() != ".jsonl":
        return 1
    try:
        with file.open("rb") as handle:
            return max(1, sum(1 for line in handle if line.strip()))
    except OSError:
        return 1


def _discover(root: Path) -> Iterator[tuple[Path, str, str]]:
    """Yield (file, display path, path relative to the root argument), hidden files skipped."""
    if root.is_file() or not root.exists():
        yield root, str(root), root.name
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                file = Path(folder) / name
                yield file, str(file), file.relative_to(root).as_posix()


def _load_file(file: Path, display: str, relative: str, origin: str) -> Iterator[Loaded]:
    suffix = file.suffix.lower()
    try:
        if not file.exists():
            raise LoadError("no such file or directory")
        if suffix not in SUPPORTED_SUFFIXES:
            expected = ", ".join(SUPPORTED_SUFFIXES)
            raise LoadError(f"unsupported file type {suffix or '(none)'!r} (expected {expected})")
        if suffix == ".jsonl":
            yield from _load_jsonl(file, display, relative, origin)
            return
        data = file.read_bytes()
        parsed = _parse(data, suffix)
        yield Loaded(display, origin, article=_article(parsed, relative, origin))
    except (LoadError, OSError) as exc:
        yield Loaded(display, origin, error=_reason(exc))


def _parse(data: bytes, suffix: str) -> ParsedDocument:
    if suffix == ".pdf":
        return parse_pdf(data)
    if suffix in (".html", ".htm"):
        return parse_html(data)
    return parse_text(data)


def _load_jsonl(file: Path, display: str, relative: str, origin: str) -> Iterator[Loaded]:
    """Yield one result per non-blank line; a bad line fails alone."""
    with file.open("rb") as handle:
        if b"\x00" in handle.read(4096):
            raise LoadError("binary file, not JSON lines")
        handle.seek(0)
        found = False
        for number, raw in enumerate(handle, start=1):
            if raw.strip():
                found = True
                yield _jsonl_line(raw, f"{display}:{number}", f"{relative}#{number}", origin)
    if not found:
        raise LoadError("empty file")


def _jsonl_line(raw: bytes, where: str, fallback_id: str, origin: str) -> Loaded:
    try:
        article = article_from_json(json.loads(decode_text(raw)), origin, fallback_id)
    except json.JSONDecodeError as exc:
        return Loaded(where, origin, error=f"invalid JSON ({exc.msg}, column {exc.colno})")
    except RecursionError:
        return Loaded(where, origin, error=NESTED_TOO_DEEPLY)
    except LoadError as exc:
        return Loaded(where, origin, error=str(exc))
    return Loaded(where, origin, article=article)


def _load_url(url: str, fetcher: UrlFetcher) -> Loaded:
    try:
        response = fetcher.fetch(url)
    except FetchError as exc:
        return Loaded(url, url, error=str(exc))
    except httpx.HTTPError as exc:
        return Loaded(url, url, error=f"unreachable ({_reason(exc)})")
    if response.status >= 400:
        return Loaded(url, url, error=f"HTTP {response.status} {response.reason}")
    kind = response.content_type.split(";")[0].strip().lower()
    try:
        if kind == "application/pdf":
            parsed = parse_pdf(response.content)
        elif kind in ("text/plain", "text/markdown"):
            parsed = parse_text(response.content)
        else:
            parsed = parse_html(response.content, url=response.url)
        return Loaded(url, url, article=_article(parsed, url, url))
    except LoadError as exc:
        return Loaded(url, url, error=str(exc))


def _article(parsed: ParsedDocument, fallback_id: str | None, origin: str | None) -> Article:
    url = web_url(parsed.url)  # a `javascript:` or `file:` URL is dropped, the article kept
    doc_id = parsed.doc_id or url or fallback_id
    article = Article(
        doc_id=doc_id or "",
        title=parsed.title or parsed.headline or fallback_title(parsed.text),
        text=parsed.text,
        published_at=parsed.published_at,
        source=parsed.source,
        url=url,
        origin=origin,
        metadata=dict(parsed.metadata),
        pages=parsed.pages,
    )
    if doc_id:
        return article
    # No id, URL or path: name it by its text, so posting it again finds the same article.
    return replace(article, doc_id=f"text-{article.text_hash[:16]}")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__
