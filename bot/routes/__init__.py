"""HTTP routes; each module holds a few thin handlers over the answer engine or the store."""

from __future__ import annotations

from fastapi import FastAPI

from bot.routes import chat, documents, feedback, health, search, widget


def include_api_routes(app: FastAPI) -> None:
    """Add the REST API's and the web widget's routers to `app`."""
    for module in (health, chat, search, documents, feedback, widget):
        app.include_router(module.router)
