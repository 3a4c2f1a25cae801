"""CLI command: a dispute's timeline, one dated, quoted event per article, oldest first."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from bot.cli.terminal import echo, echo_json
from bot.models import Timeline


def timeline(
    query: Annotated[str, typer.Argument(help="The dispute or topic")],
    since: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="From this date (YYYY-MM-DD)")
    ] = None,
    until: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Up to this date (YYYY-MM-DD)")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=50, help="Dated events at most")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print the Timeline as JSON")] = False,
) -> None:
    """Show how a trade dispute unfolded, every step quoted from its article."""
    from bot.settings import Settings
    from bot.wiring import build_embedder, build_engine, open_store
    from ingest.models import SearchFilters
    from ingest.store import StoreUnavailableError

    if not query.strip():
        raise typer.BadParameter("the query must not be blank", param_hint="QUERY")
    after, before = (since.date() if since else None), (until.date() if until else None)
    if after and before and after > before:
        raise typer.BadParameter("--since must not be later than --until", param_hint="--since")
    settings = Settings()
    try:
        engine = build_engine(settings, open_store(settings), build_embedder(settings))
        found = engine.timeline(query.strip(), SearchFilters((), after, before), limit)
    except StoreUnavailableError as exc:
        echo(f"error: {exc}", err=True, keep="")
        raise typer.Exit(1) from exc
    if as_json:
        echo_json(found.model_dump_json(indent=2))
    else:
        echo(render_timeline(found))  # every control character escaped, newlines kept


def render_timeline(found: Timeline) -> str:
    """Format a timeline for a terminal: date, quote, title; undated ones apart.

    Stored text may hold newlines; `echo` keeps only the ones this layout puts between lines
    after `_one_line` has flattened each field.
    """
    if not found.events and not found.undated:
        return found.notice or "No events."
    lines = []
    for event in found.events:
        lines.append(f"{event.date}  {_one_line(event.text)} [{event.citation.n}]")
        lines.append(f"            {_one_line(event.citation.title)}")
    if found.undated:
        lines += ["", "Undated:"]
        for citation in found.undated:
            lines.append(f"  {_one_line(citation.quote)} [{citation.n}]")
            lines.append(f"            {_one_line(citation.title)}")
    if found.as_of:
        lines += ["", f"As of {found.as_of}."]
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def register(app: typer.Typer) -> None:
    """Add this module's commands to the CLI."""
    app.command("timeline")(timeline)
