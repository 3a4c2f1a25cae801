"""CLI commands: `ingest` and the `documents` group (list, show, delete)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from bot.cli.terminal import echo, echo_json, printable

if TYPE_CHECKING:
    from bot.settings import Settings
    from ingest.models import StoredArticle
    from ingest.pipeline import IngestProgress, IngestReport
    from ingest.store import PassageStore

documents_cli = typer.Typer(no_args_is_help=True, help="List, show and delete stored articles.")


def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, directories or http(s) URLs")],
    prune: Annotated[
        bool, typer.Option("--prune", help="Remove stored articles whose files are gone")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="End with a one-line JSON summary")
    ] = False,
) -> None:
    """Ingest articles (txt/md, html, pdf, jsonl, URLs); only new or changed ones are embedded."""
    from bot.settings import Settings
    from bot.wiring import LazyEmbedder, build_ingestor, fetch_limits

    settings = Settings()
    # A bar only for a person at a terminal: never in logs, pipes or --json runs.
    bar = _ProgressBar() if sys.stderr.isatty() and not as_json else None
    limits = fetch_limits(settings)
    with _store_errors():
        store = _open_store(settings)
        ingestor = build_ingestor(settings, store, LazyEmbedder(settings))
        try:
            report = ingestor.ingest_paths(paths, prune=prune, progress=bar, fetch_limits=limits)
        except KeyboardInterrupt:
            typer.echo("interrupted: what was stored is kept; run again to finish", err=True)
            raise typer.Exit(130) from None
        finally:
            if bar is not None:
                bar.close()
    for path, reason in report.errors:
        echo(f"error: {path}: {reason}", err=True, keep="")
    for path, original in report.duplicate_of:
        echo(f"duplicate: {path}: same text as {original!r}, not stored again", err=True, keep="")
    if as_json:
        echo_json(json.dumps(report.to_json()))
    else:
        echo(_summary(report))
    if report.failed:
        raise typer.Exit(1)


@documents_cli.command("list")
def list_documents(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array")] = False,
) -> None:
    """List stored articles: doc_id, published_at, passages, source, title, url."""
    with _store_errors():
        articles = _open_store(_settings()).list_articles()
    rows = [_row(article) for article in articles]
    if as_json:
        echo_json(json.dumps(rows, ensure_ascii=False))
        return
    if not rows:
        echo("No documents stored.")
        return
    echo("doc_id\tpublished_at\tpassages\tsource\ttitle\turl", keep="\t")
    for row in rows:
        cells = (row[k] for k in ("doc_id", "published_at", "passages", "source", "title", "url"))
        # Each cell escaped alone: a tab or newline in a title cannot shift or forge a row.
        line = "\t".join("-" if cell in (None, "") else printable(str(cell)) for cell in cells)
        echo(line, keep="\t")


@documents_cli.command("show")
def show_document(
    doc_id: Annotated[str, typer.Argument(help="The article's doc_id")],
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object")] = False,
) -> None:
    """Show one stored article: its fields, then its full stored text."""
    with _store_errors():
        article = _open_store(_settings()).get_article(doc_id)
    if article is None:
        _fail(f"no document with doc_id {doc_id!r}")
    if as_json:
        full = {**_row(article), "text": article.text, "metadata": article.metadata}
        echo_json(json.dumps(full, ensure_ascii=False))
        return
    for key, value in _row(article).items():
        echo(f"{key}: {'-' if value in (None, '') else value}", keep="")
    for key, value in sorted(article.metadata.items()):
        echo(f"{key}: {value}", keep="")
    echo("")
    echo(article.text, keep="\n\t")


@documents_cli.command("delete")
def delete_document(doc_id: Annotated[str, typer.Argument(help="The article's doc_id")]) -> None:
    """Delete a stored article and all its passages."""
    with _store_errors():
        store = _open_store(_settings())
        article = store.get_article(doc_id)
        if article is None:
            _fail(f"no document with doc_id {doc_id!r}")
        store.delete_article(doc_id)
    echo(f"Deleted {doc_id} ({article.passages} passages).", keep="")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the CLI."""
    app.command("ingest")(ingest)
    app.add_typer(documents_cli, name="documents")


# tqdm's default, with the rate always in articles per second (never seconds per article).
_BAR = "{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}, {rate_noinv_fmt}{postfix}]"


class _ProgressBar:
    """A terminal bar: articles read of the total, articles/s and ETA, passages embedded and /s."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self._bar = tqdm(
            unit=" articles", file=sys.stderr, desc="ingest", dynamic_ncols=True, bar_format=_BAR
        )
        self._started = time.monotonic()
        self._passages = -1

    def __call__(self, progress: IngestProgress) -> None:
        """Show how far the run has got."""
        if progress.articles_total is not None and self._bar.total != progress.articles_total:
            self._bar.total = progress.articles_total
        if progress.passages_embedded != self._passages:
            self._passages = progress.passages_embedded
            rate = self._passages / max(time.monotonic() - self._started, 1e-6)
            self._bar.set_postfix_str(f"passages={self._passages} ({rate:.1f}/s)", refresh=False)
        self._bar.update(progress.articles_read - self._bar.n)

    def close(self) -> None:
        """Leave the final state on the terminal."""
        self._bar.close()


def _summary(report: IngestReport) -> str:
    return (
        f"added {report.added}, updated {report.updated}, unchanged {report.unchanged}, "
        f"duplicates {report.duplicates}, removed {report.removed}, failed {report.failed}; "
        f"{report.passages_embedded} passages embedded"
    )


def _row(article: StoredArticle) -> dict[str, Any]:
    return {
        "doc_id": article.doc_id,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "published_at": article.published_at,
        "passages": article.passages,
    }


def _settings() -> Settings:
    from bot.settings import Settings

    return Settings()


def _open_store(settings: Settings) -> PassageStore:
    from bot.wiring import open_store

    return open_store(settings, lazy=False)


def _fail(message: str) -> NoReturn:
    echo(f"error: {message}", err=True, keep="")
    raise typer.Exit(1)


@contextmanager
def _store_errors() -> Iterator[None]:
    """Turn an unreachable store into one error line and exit status 1."""
    from ingest.store import StoreUnavailableError

    try:
        yield
    except StoreUnavailableError as exc:
        _fail(str(exc))
