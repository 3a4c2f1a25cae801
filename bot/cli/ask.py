"""CLI command: ask one question and print the answer with its numbered citations."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.terminal import echo, echo_json, printable
from bot.models import Answer


def ask(
    question: Annotated[str, typer.Argument(help="The question to answer")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the Answer as JSON")] = False,
    top_k: Annotated[int, typer.Option(min=1, max=20, help="Passages to retrieve")] = 5,
    conversation: Annotated[str | None, typer.Option(help="Continue this conversation id")] = None,
) -> None:
    """Answer a question from the stored articles."""
    from bot.settings import Settings
    from bot.wiring import build_embedder, build_engine, open_store
    from ingest.store import StoreUnavailableError

    if not question.strip():
        raise typer.BadParameter("the question must not be blank", param_hint="QUESTION")
    settings = Settings()
    embedder = build_embedder(settings)
    try:
        engine = build_engine(settings, open_store(settings), embedder)
        answer = engine.answer(question.strip(), conversation, top_k=top_k)
    except StoreUnavailableError as exc:
        echo(f"error: {exc}", err=True, keep="")
        raise typer.Exit(1) from exc
    if as_json:
        echo_json(answer.model_dump_json(indent=2))
    else:
        echo(render_answer(answer))


def render_answer(answer: Answer) -> str:
    """Format an answer and its numbered citations (title, date, quote) for a terminal.

    Control characters from the articles are shown as escapes (`\\x1b`), never sent raw.
    """
    lines = [printable(answer.answer, keep="\n")]
    if answer.notice:
        lines += ["", f"({printable(answer.notice)})"]
    if answer.citations:
        lines.append("")
    for c in answer.citations:
        date = f", {printable(c.published_at)}" if c.published_at else ""
        lines.append(f"[{c.n}] {printable(c.title)}{date}")
        lines.append(f'    "{printable(c.quote)}"')
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the CLI."""
    app.command("ask")(ask)
