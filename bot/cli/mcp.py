"""CLI command: serve the MCP tools over stdio (for MCP clients that start tradebot themselves)."""

from __future__ import annotations

import typer


def mcp() -> None:
    """Serve the MCP tools (ask, search, get_document) over stdin/stdout until closed."""
    from bot.api.observability import configure_logging
    from bot.mcp_server import Backend, build_mcp_server
    from bot.settings import Settings
    from bot.wiring import build_embedder, build_engine, open_store

    settings = Settings()
    configure_logging(settings.log_level)  # stderr: stdout carries the protocol
    store = open_store(settings)
    engine = build_engine(settings, store, build_embedder(settings))
    build_mcp_server(Backend(engine=lambda: engine, store=lambda: store)).run("stdio")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the CLI."""
    app.command("mcp")(mcp)
