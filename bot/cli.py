"""The `tradebot` command line: ingest, documents, ask, serve, eval."""

from __future__ import annotations

import typer

from bot import cli_ask, cli_eval, cli_ingest, cli_serve


def build_cli() -> typer.Typer:
    """Assemble the CLI from the command modules."""
    app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
    cli_ingest.register(app)
    cli_ask.register(app)
    cli_serve.register(app)
    cli_eval.register(app)
    return app


def main() -> None:
    """Run the CLI."""
    build_cli()()
