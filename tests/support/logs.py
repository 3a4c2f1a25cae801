"""Capture what the real JSON log handler writes, the way `tradebot serve` logs."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bot.api.observability import JsonLogFormatter, configure_logging


@contextmanager
def captured_json_logs(level: str = "INFO") -> Iterator[io.StringIO]:
    """Install the JSON log handler on a buffer, yield the buffer, then take the handler away."""
    loggers = [logging.getLogger(name) for name in ("", "httpx", "httpcore")]
    levels = [logger.level for logger in loggers]
    buffer = io.StringIO()
    configure_logging(level, stream=buffer)
    try:
        yield buffer
    finally:
        root = loggers[0]
        for handler in [h for h in root.handlers if isinstance(h.formatter, JsonLogFormatter)]:
            root.removeHandler(handler)
        for logger, old in zip(loggers, levels, strict=True):
            logger.setLevel(old)


def json_lines(buffer: io.StringIO) -> list[dict[str, Any]]:
    """Return every JSON line written to `buffer`, parsed."""
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]
