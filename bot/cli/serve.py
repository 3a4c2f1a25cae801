"""CLI command: serve the HTTP API with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

APP_FACTORY = "bot.api.app:create_app_from_env"


def serve(
    host: Annotated[
        str | None, typer.Option(help="Interface to bind (default TRADEBOT_HOST)")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default TRADEBOT_PORT)")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes")] = 1,
) -> None:
    """Serve the API (chat, search, documents, feedback) until interrupted."""
    import uvicorn

    from bot.api.observability import configure_logging
    from bot.settings import Settings

    settings = Settings()
    configure_logging(settings.log_level)
    if workers > 1 and not settings.chroma_url:
        typer.echo(
            "warning: several workers over the embedded store; set TRADEBOT_CHROMA_URL to "
            "share a Chroma server between them",
            err=True,
        )
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level=settings.log_level.lower(),
        log_config=None,  # uvicorn's records go through our JSON handler
        access_log=False,  # its access lines carry query strings (questions); we log requests
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the CLI."""
    app.command("serve")(serve)
