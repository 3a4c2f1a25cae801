"""CLI commands: the `eval` group (`eval retrieval DIR`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

eval_cli = typer.Typer(no_args_is_help=True, help="Measure the bot against labelled data.")


@eval_cli.command("retrieval")
def retrieval(
    folder: Annotated[
        Path, typer.Argument(help="BEIR folder: corpus.jsonl, queries.jsonl, qrels/<split>.tsv")
    ],
    split: Annotated[str, typer.Option("--split", help="Which qrels file to score")] = "test",
    as_json: Annotated[
        bool, typer.Option("--json", help="End with a one-line JSON object of the figures")
    ] = False,
    index_dir: Annotated[
        Path | None,
        typer.Option(
            "--index-dir",
            help="Keep the indexed corpus here and reuse it next time (default: a temp dir)",
        ),
    ] = None,
) -> None:
    """Index a BEIR corpus in a temporary store; print nDCG@10, Recall@100 and MRR@10."""
    from bot.evaluation.beir import BeirFormatError, evaluate_retrieval, load_beir
    from bot.settings import Settings
    from bot.wiring import build_embedder

    settings = Settings()
    try:
        dataset = load_beir(folder, split)
    except BeirFormatError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    embedder = build_embedder(settings)
    metrics = evaluate_retrieval(
        dataset, settings, embedder, index_dir, lambda line: typer.echo(line, err=True)
    )
    if as_json:
        typer.echo(json.dumps(metrics.as_json()))
        return
    typer.echo(f"nDCG@10     {metrics.ndcg_at_10:.4f}")
    typer.echo(f"Recall@100  {metrics.recall_at_100:.4f}")
    typer.echo(f"MRR@10      {metrics.mrr_at_10:.4f}")
    typer.echo(f"queries     {metrics.queries}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the CLI."""
    app.add_typer(eval_cli, name="eval")
