"""Typed reading of one YAML mapping's fields, with errors naming file, line and field."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode

from .. import timeutil
from ..errors import InputError, brief
from ..keys import RULE as KEY_RULE
from ..keys import key_problem
from ..yamlfile import Node, Seq
from .model import SourceRef, Where

_REF = re.compile(r"^(?P<ref>[^\s]+)(?: art(?P<art>\d+(?:-\d+)?))?(?: par(?P<par>\d+))?(?: item(?P<item>\d+(?:-\d+)?))?$")


def _is_iri(text: str) -> bool:
    """Whether the text is an absolute IRI (RFC 3987), as the store checks it."""
    try:
        NamedNode(text)
    except ValueError:
        return False
    return True


class Fields:
    """Typed access to one YAML mapping, with errors naming file, line and field."""

    def __init__(self, node: Any, what: str, allowed: set[str], where: Where | None = None, prefix: str = ""):
        if not isinstance(node, Node):
            raise (where or Where(Path("?"), 0)).error(prefix.rstrip(".") or None,
                                                       f"{what} must be a mapping (key: value)")
        self.node, self.what, self.prefix = node, what, prefix
        self.where = Where(node.path, node.line)
        unknown = set(node) - allowed
        if unknown:
            key = sorted(unknown, key=str)[0]
            raise InputError(node.path, node.line_of(key), f"{prefix}{key}", f"unknown field in {what}",
                             f"allowed fields: {', '.join(sorted(allowed))}")

    def at(self, key: str) -> Where:
        return Where(self.node.path, self.node.line_of(key))

    def fail(self, key: str, problem: str, hint: str | None = None) -> InputError:
        return InputError(self.node.path, self.node.line_of(key), f"{self.prefix}{key}", problem, hint)

    def text(self, key: str, required: bool = True) -> str | None:
        value = self.node.get(key)
        if value is None:
            if required:
                raise self.fail(key, f"missing in {self.what}", f"add `{key}:`")
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected text, got {brief(value)}")
        return nfc(value.strip(), self, key)

    def key(self, key: str, required: bool = True) -> str | None:
        """A key or ref that becomes part of an IRI: text in the one character set of keys."""
        value = self.text(key, required)
        problem = value and key_problem(value)
        if problem:
            raise self.fail(key, f"{brief(value)} {problem}", KEY_RULE)
        return value

    def url(self, key: str) -> str | None:
        """An optional web address: an http or https IRI, nothing else (it becomes a link)."""
        value = self.text(key, False)
        if value and (not re.match(r"https?://[^\s<>\"]+$", value, re.I) or not _is_iri(value)):
            raise self.fail(key, f"not an http(s) address: {brief(value)}",
                            "write the page's https:// address, with { } | ^ ` and a stray % percent-encoded")
        return value

    def dates(self, key: str) -> tuple[str, ...]:
        """A list of dates, each checked where it is written."""
        value = self.node.get(key)
        if value is None:
            return ()
        if not isinstance(value, Seq):
            raise self.fail(key, f"expected a list of dates, got {brief(value)}", f"write `{key}: [YYYY-MM-DD, ...]`")
        out = []
        for i, item in enumerate(value):
            try:
                day = timeutil.iso(item)
            except ValueError:
                raise InputError(self.node.path, value.item_lines[i], f"{self.prefix}{key}",
                                 f"not a valid date: {brief(item)}", "write a real date as YYYY-MM-DD") from None
            if day in out:
                raise InputError(self.node.path, value.item_lines[i], f"{self.prefix}{key}",
                                 f"{day} is listed twice", "give each date once")
            out.append(day)
        return tuple(out)

    def date(self, key: str, required: bool = True) -> str | None:
        value = self.node.get(key)
        if value is None:
            if required:
                raise self.fail(key, f"missing in {self.what}", "add a date as YYYY-MM-DD")
            return None
        try:
            return timeutil.iso(value)
        except ValueError:
            raise self.fail(key, f"not a valid date: {brief(value)}", "write a real date as YYYY-MM-DD") from None

    def until(self, key: str, start: str) -> str | None:
        """An optional last day of a period that begins on ``start``: not before it."""
        end = self.date(key, required=False)
        if end and end < start:
            raise self.fail(key, f"ends ({end}) before it starts ({start})", "swap or correct the dates")
        return end

    def texts(self, key: str, required: bool = True) -> tuple[str, ...]:
        value = self.node.get(key)
        if value is None:
            if required:
                raise self.fail(key, f"missing in {self.what}", f"add `{key}: [...]`")
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, f"expected a list of text, got {brief(value)}")
        return tuple(nfc(v.strip(), self, key) for v in value)

    def refs(self, key: str, required: bool = True) -> tuple[SourceRef, ...]:
        refs = tuple(parse_ref(v, self, key) for v in self.texts(key, required))
        if required and not refs:
            raise self.fail(key, "no source given", "every record cites at least one source")
        return refs

    def choice(self, key: str, options: dict[str, Any]) -> str:
        value = self.text(key)
        if value not in options:
            raise self.fail(key, f"unknown value {brief(value)}", f"use one of: {', '.join(options)}")
        return value

    def mapping(self, key: str, what: str, allowed: set[str], required: bool = True) -> Fields | None:
        value = self.node.get(key)
        if value is None:
            if required:
                raise self.fail(key, f"missing in {self.what}")
            return None
        return Fields(value, what, allowed, self.at(key), f"{self.prefix}{key}.")


def nfc(value: str, fields: Fields, key: str) -> str:
    if unicodedata.normalize("NFC", value) != value:
        raise fields.fail(key, "text is not in Unicode NFC", "normalise the file to NFC (e.g. uconv -x any-nfc)")
    return " ".join(value.split())


def parse_ref(text: str, fields: Fields, key: str) -> SourceRef:
    match = _REF.match(text)
    if not match:
        raise fields.fail(key, f"cannot read source reference {brief(text)}",
                          "write `<ref> [artN[-M]] [parN] [itemN[-M]]`, e.g. `rule-179 art10 par5 item3`")
    par = match["par"]
    return SourceRef(match["ref"], match["art"], int(par) if par else None, match["item"])


def attested(fields: Fields) -> tuple[str, str | None]:
    att = fields.mapping("attested", "attested period", {"from", "until"})
    start = att.date("from")
    return start, att.until("until", start)


def listed(value: Any, what: str, where: Where | None = None) -> list:
    if value is None:
        return []
    if not isinstance(value, Seq):
        line = getattr(value, "line", where.line if where else None)
        raise InputError(getattr(value, "path", where.path if where else "?"), line, what, "expected a list (- items)")
    return value
