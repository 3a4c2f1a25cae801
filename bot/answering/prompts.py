"""Prompt templates for the LLM answerer: files in `prompts/`, loaded by name, filled strictly."""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from importlib.util import find_spec
from pathlib import Path

from bot.answering.citation_check import strip_markers
from bot.models import Turn
from ingest.models import Passage

# Passages are fenced by these tags; a passage must not be able to close the fence early.
_FENCE_TAG = re.compile(r"<\s*/?\s*passages\s*>", re.IGNORECASE)


class PromptError(ValueError):
    """A prompt file is missing, malformed, or was rendered with the wrong variables."""


def default_prompt_dir() -> Path:
    """Return the shipped prompts: `bot.prompt_templates` when installed, else `prompts/`."""
    shipped = find_spec("bot.prompt_templates")  # a folder without __init__.py: a namespace
    if shipped is None or not shipped.submodule_search_locations:
        return Path(__file__).resolve().parents[2] / "prompts"  # a source checkout
    return Path(next(iter(shipped.submodule_search_locations)))


class PromptLibrary:
    """Load `<directory>/<name>.md` templates and fill their `{variables}`."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or default_prompt_dir()
        self._templates: dict[str, str] = {}

    def names(self) -> list[str]:
        """Return the names of every prompt file in the directory."""
        return sorted(path.stem for path in self.directory.glob("*.md"))

    def template(self, name: str) -> str:
        """Return the raw text of prompt `name`.

        Raises:
            PromptError: the file does not exist.
        """
        if name not in self._templates:
            path = self.directory / f"{name}.md"
            if not path.is_file():
                raise PromptError(f"no prompt named {name!r} (looked for {path})")
            self._templates[name] = path.read_text(encoding="utf-8").strip()
        return self._templates[name]

    def variables(self, name: str) -> set[str]:
        """Return the variable names prompt `name` expects.

        Raises:
            PromptError: a placeholder is not a plain `{identifier}`.
        """
        fields: set[str] = set()
        for _, field, spec, conversion in string.Formatter().parse(self.template(name)):
            if field is None:
                continue
            if not field.isidentifier() or spec or conversion:
                raise PromptError(f"prompt {name!r} has a malformed placeholder {{{field}}}")
            fields.add(field)
        return fields

    def render(self, name: str, /, **values: str) -> str:
        """Fill prompt `name` with `values`.

        Raises:
            PromptError: a variable is missing or unexpected, or the prompt does not exist.
        """
        expected = self.variables(name)
        missing, unexpected = expected - values.keys(), values.keys() - expected
        if missing or unexpected:
            raise PromptError(
                f"prompt {name!r}: missing variables {sorted(missing)}, "
                f"unexpected variables {sorted(unexpected)}"
            )
        return self.template(name).format_map(values)


def format_passages(passages: Sequence[Passage]) -> str:
    """Number the passages [1]..[k] with title, source and date, fence tags neutralised."""
    blocks = []
    for number, passage in enumerate(passages, start=1):
        published = f"published {passage.published_at[:10]}" if passage.published_at else "undated"
        about = ", ".join(part for part in (passage.source, published) if part)
        heading = f"[{number}] {passage.title}" + (f" ({about})" if about else "")
        blocks.append(f"{_unfence(heading)}\n{_unfence(passage.text)}")
    return "\n\n".join(blocks)


def format_history(history: Sequence[Turn]) -> str:
    """Write earlier turns as alternating `User:` and `Assistant:` lines."""
    if not history:
        return "(none)"
    lines = []
    for turn in history:
        # Old markers named old passages; left in, they would invite citing the wrong ones.
        lines.append(f"User: {_one_line(turn.question)}")
        lines.append(f"Assistant: {_one_line(strip_markers(turn.answer))}")
    return "\n".join(lines)


def _unfence(text: str) -> str:
    """Defuse anything in quoted material that looks like the passages fence."""
    return _FENCE_TAG.sub("(passages)", text)


def _one_line(text: str) -> str:
    """Collapse whitespace so a turn stays on one line, fence tags neutralised."""
    return _unfence(" ".join(text.split()))
