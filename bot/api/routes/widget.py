"""GET /widget.js (the embeddable chat widget) and GET / (a demo page embedding it)."""

from __future__ import annotations

from functools import cache
from html import escape
from importlib.resources import files

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bot.api.deps import SettingsDep

router = APIRouter(tags=["widget"], include_in_schema=False)


@cache
def _static_text(name: str) -> str:
    """Read a file shipped in `bot/static` (once per process)."""
    return files("bot.api").joinpath("static", name).read_text(encoding="utf-8")


@router.get("/widget.js")
def widget_script() -> Response:
    """Serve the widget script; any site may load it, the API decides who may call it."""
    return Response(
        _static_text("widget.js"),
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"},
    )


@router.get("/")
def demo_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    """Serve a page that embeds the widget exactly as a customer site would."""
    api = str(request.base_url).rstrip("/")
    key = settings.widget_keys[0].get_secret_value() if settings.widget_keys else ""
    page = (
        _static_text("demo.html")
        .replace("__TRADEBOT_API__", escape(api, quote=True))
        .replace("__TRADEBOT_KEY__", escape(key, quote=True))
        .replace("__TRADEBOT_EXAMPLES__", _example_buttons(settings.demo_questions))
    )
    return HTMLResponse(page, headers={"X-Content-Type-Options": "nosniff"})


def _example_buttons(questions: list[str]) -> str:
    """List the example questions as buttons; the page's script asks the widget on a click."""
    if not questions:
        return ""
    items = "".join(
        f'<li><button type="button" data-question="{escape(q, quote=True)}">{escape(q)}</button>'
        "</li>"
        for q in questions
    )
    return (
        "<p>Or try one of these:</p>\n"
        f'<ul class="examples" aria-label="Example questions">{items}</ul>'
    )
