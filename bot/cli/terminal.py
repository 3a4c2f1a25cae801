"""Print stored text (titles, sources, ids, quotes) without letting it drive the terminal.

Article fields come from files and web pages nobody vetted; a title holding an escape
sequence (an OSC title change, a cursor move, a hyperlink) must print as visible text.
Every C0 and C1 control character and DEL becomes an escape such as `\\x1b`, except the
newlines (and tabs) a caller keeps on purpose; JSON output escapes them as `\\u009b`.
"""

from __future__ import annotations

import re

import typer

from ingest.cleaning import CONTROL_CHARACTERS

# json.dumps(ensure_ascii=False) and pydantic escape C0 controls but leave DEL and C1 raw.
_RAW_IN_JSON = re.compile(r"[\x7f-\x9f]")


def printable(text: str, keep: str = "") -> str:
    """Return `text` with control characters (other than those in `keep`) shown as escapes."""

    def escaped(match: re.Match[str]) -> str:
        char = match.group()
        return char if char in keep else f"\\x{ord(char):02x}"

    return CONTROL_CHARACTERS.sub(escaped, text)


def printable_json(text: str) -> str:
    """Escape the control characters a JSON encoder left raw (still valid, equal JSON)."""
    return _RAW_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def echo(text: str, *, err: bool = False, keep: str = "\n") -> None:
    """Print `text` (a line or several) with every other control character escaped."""
    typer.echo(printable(text, keep), err=err)


def echo_json(text: str) -> None:
    """Print JSON text made by json.dumps or pydantic, with DEL and C1 controls escaped."""
    typer.echo(printable_json(text))
