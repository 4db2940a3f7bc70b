"""Errors a curator or user can act on: where, what is wrong, how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MAX_FIELD, MAX_PROBLEM = 80, 600  # an error message never quotes more of the input than this


def brief(value: object, limit: int = 60) -> str:
    """A short description of a value for a message: its text cut at ``limit`` characters, never
    the whole of a long string or a large (or alias-expanded) structure."""
    if isinstance(value, dict):
        return f"a mapping of {len(value)} keys"
    if isinstance(value, (list, tuple, set)):
        return f"a list of {len(value)} items"
    text = value if isinstance(value, str) else repr(value)
    if not isinstance(value, str) and len(text) > 4 * limit:
        return type(value).__name__
    text = text if len(text) <= limit else text[:limit] + f"…[{len(text) - limit} more characters]"
    return repr(text) if isinstance(value, str) else text


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass
class InputError(Exception):
    """Bad input: reported as ``file:line: field: problem (hint)``; the CLI exits with 2."""

    path: Path | str
    line: int | None
    field: str | None
    problem: str
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        field = f" {_cut(str(self.field), MAX_FIELD)}:" if self.field else ""
        hint = f" (how to fix: {_cut(self.hint, MAX_PROBLEM)})" if self.hint else ""
        return f"{where}:{field} {_cut(self.problem, MAX_PROBLEM)}{hint}"

    def __reduce__(self):   # whole across processes: a forked worker's error reaches the parent as raised
        return type(self), (self.path, self.line, self.field, self.problem, self.hint)


class DataNotConforming(Exception):
    """The data violates a core shape or the ontology; the CLI exits with 1."""
