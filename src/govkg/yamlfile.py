"""YAML reading that keeps line numbers, so every error can name file, line and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import InputError


class Node(dict):
    """A YAML mapping that remembers where it and each of its keys were written."""

    path: Path
    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Seq(list):
    """A YAML sequence that remembers the line of each element."""

    path: Path
    line: int
    item_lines: list[int]


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when present: large derived files
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> Node:
    result = Node()
    result.path, result.line, result.key_lines = loader.name, node.start_mark.line + 1, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise InputError(loader.name, key_node.start_mark.line + 1, str(key),
                             "key written twice in one mapping", "keep one of them")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> Seq:
    result = Seq(loader.construct_object(child, deep=True) for child in node.value)
    result.path, result.line = loader.name, node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
# Dates stay text here, so that an impossible date is reported with its field by the reader.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def read_yaml(path: Path) -> Any:
    """Parses one YAML file; syntax errors become InputError with the file's line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise InputError(path, None, None, f"not UTF-8 text ({err.reason})", "save the file as UTF-8")
    loader = _Loader(text)
    loader.name = path
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        raise InputError(path, mark.line + 1 if mark else None, None,
                         f"YAML syntax error: {err.problem or err.context}",
                         "check indentation, colons and brackets on that line") from None
    finally:
        loader.dispose()
