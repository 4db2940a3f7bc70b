"""Errors a curator or user can act on: where, what is wrong, how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
        field = f" {self.field}:" if self.field else ""
        hint = f" (how to fix: {self.hint})" if self.hint else ""
        return f"{where}:{field} {self.problem}{hint}"


class DataNotConforming(Exception):
    """The data violates a core shape or the ontology; the CLI exits with 1."""
