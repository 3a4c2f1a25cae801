"""CLI command: serve the HTTP API with uvicorn."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
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
    metrics_dir = (
        _multiprocess_metrics_dir(settings.prometheus_multiproc_dir) if workers > 1 else None
    )
    try:
        _run_uvicorn(host or settings.host, port or settings.port, workers, settings.log_level)
    finally:
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)


def _multiprocess_metrics_dir(parent: Path | None) -> Path:
    """Make a fresh directory for prometheus_client's multiprocess mode and hand it to workers.

    Fresh, because files left by an earlier run would be added to this run's counts. The
    variable is prometheus_client's own; worker processes inherit it before they import it.
    """
    if parent is not None:
        parent.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix="tradebot-metrics-", dir=parent))
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    return path


def _run_uvicorn(host: str, port: int, workers: int, log_level: str) -> None:
    import uvicorn

    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level.lower(),
        log_config=None,  # uvicorn's records go through our JSON handler
        access_log=False,  # its access lines carry query strings (questions); we log requests
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the CLI."""
    app.command("serve")(serve)
