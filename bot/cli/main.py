"""The `tradebot` command line: ingest, documents, ask, timeline, serve, mcp, eval."""

from __future__ import annotations

import typer

from bot.cli import ask, eval, ingest, mcp, serve, timeline


def build_cli() -> typer.Typer:
    """Assemble the CLI from the command modules."""
    app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
    ingest.register(app)
    ask.register(app)
    timeline.register(app)
    serve.register(app)
    mcp.register(app)
    eval.register(app)
    return app


def main() -> None:
    """Run the CLI."""
    build_cli()()
