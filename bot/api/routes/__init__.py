"""HTTP routes; each module holds a few thin handlers over the answer engine or the store."""

from __future__ import annotations

from fastapi import FastAPI

from bot.api.routes import chat, documents, feedback, health, openai_compat, search, timeline


def include_api_routes(app: FastAPI) -> None:
    """Add the REST API's routers (health, chat, search, timeline, documents, feedback, OpenAI)."""
    for module in (health, chat, search, timeline, documents, feedback, openai_compat):
        app.include_router(module.router)
