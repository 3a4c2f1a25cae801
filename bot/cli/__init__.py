"""The `tradebot` command line; `main` is the console-script entry point."""

from bot.cli.main import main

__all__ = ["main"]
