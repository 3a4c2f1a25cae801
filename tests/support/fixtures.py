"""Types shared by the fixtures in tests/conftest.py and the suites that use them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from bot.settings import Settings

SeedArticles = Callable[[Sequence[dict[str, Any]]], Settings]
