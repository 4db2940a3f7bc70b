"""YAML reading that keeps line numbers, so every error can name file, line and field.

Curated and derived files are read within limits, so that no file can exhaust memory or the stack:
at most ``MAX_BYTES`` bytes, nesting at most ``MAX_DEPTH`` deep, aliases (``*name``) adding at most
``MAX_ALIAS_NODES`` nodes in all (an alias is the anchored value itself, not a copy, but whoever
walks it walks the whole), one document, no tags other than the standard scalar ones, scalar keys.
The file must be a regular file (not a folder, FIFO or device) in UTF-8 without NUL characters.
The document is built from the parser's events in one loop, never by recursion.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import stat
from pathlib import Path
from typing import Any

import yaml

from . import cachedir
from .errors import InputError, brief

MAX_BYTES = 64 << 20
MAX_DEPTH = 64
MAX_ALIAS_NODES = 10_000
_SCALAR_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}


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


# Dates stay text here, so that an impossible date is reported with its field by the reader.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def read_text(path: Path, what: str = "file", limit: int = MAX_BYTES, folder_hint: str = "rename or move it") -> str:
    """The text of a regular UTF-8 file of at most ``limit`` bytes, or an InputError saying why not
    (a folder, a FIFO, a broken or looping link, unreadable, too large, not UTF-8, NUL bytes)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # O_NONBLOCK: a FIFO must not hang the read
    except IsADirectoryError:
        raise InputError(path, None, None, f"is a folder, not a {what}", folder_hint) from None
    except FileNotFoundError:
        problem = "is a symbolic link to nothing" if os.path.islink(path) else "does not exist"
        raise InputError(path, None, None, problem, "fix or remove the link" if os.path.islink(path) else None) from None
    except PermissionError:
        raise InputError(path, None, None, "cannot be read (permission denied)", "make it readable (chmod a+r)") from None
    except OSError as err:
        problem = "is a symbolic link loop" if err.errno == 40 else f"cannot be opened ({err.strerror})"
        raise InputError(path, None, None, problem, "fix or remove the link" if err.errno == 40 else None) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(path, None, None, f"is a folder, not a {what}", folder_hint)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(path, None, None, "is not a regular file (a FIFO, socket or device)", "remove it")
        if info.st_size > limit:
            raise InputError(path, None, None, f"is {info.st_size} bytes, more than the {limit} a {what} may have",
                             "split it into several files")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)
    except IsADirectoryError:
        raise InputError(path, None, None, f"is a folder, not a {what}", folder_hint) from None
    except OSError as err:
        raise InputError(path, None, None, f"cannot be read ({err.strerror})") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise InputError(path, None, None, f"is larger than the {limit} bytes a {what} may have", "split it")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise InputError(path, line, None, f"not UTF-8 text ({err.reason})", "save the file as UTF-8") from None
    if "\x00" in text:
        raise InputError(path, text[:text.index("\x00")].count("\n") + 1, None, "has a NUL character",
                         "remove it; the file may be binary or saved as UTF-16")
    return text


def read_yaml(path: Path, cache: Path | None = None) -> Any:
    """Parses one YAML file within the limits above; every problem is an InputError with the line.

    With ``cache`` (a folder), the document is kept there under the sha256 of the file's path and
    text, so a file that did not change is not parsed again: the national data's 55 MB take most of
    the load stage to parse, and an edit changes one file.
    """
    text = read_text(path, "YAML file")
    if cache is None:
        return _parse(path, text)
    key = hashlib.sha256(f"{_CACHE_VERSION}\0{path}\0".encode() + text.encode("utf-8")).hexdigest()
    kept = cache / "yaml" / f"{key}.pickle"
    try:
        document = _Unpickler(io.BytesIO(kept.read_bytes())).load()
        cachedir.kept(kept)
        return document
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass  # not kept yet, or unreadable: parse again
    document = _parse(path, text)
    try:
        cachedir.put(kept, pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # a cache that cannot be written only costs time
    return document


_CACHE_VERSION = 1  # raise when Node, Seq or what _build makes changes


class _Unpickler(pickle.Unpickler):
    """Reads back only what _build makes: a cache file cannot name any other class."""

    _ALLOWED = {("govkg.yamlfile", "Node"), ("govkg.yamlfile", "Seq"), ("pathlib", "PosixPath"),
                ("pathlib", "Path"), ("datetime", "date"), ("datetime", "datetime")}

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self._ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not a YAML value")
        return super().find_class(module, name)


def _parse(path: Path, text: str) -> Any:
    loader = _Loader(text)
    loader.name = path
    try:
        return _build(loader, path)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        raise InputError(path, mark.line + 1 if mark else None, None,
                         f"YAML syntax error: {err.problem or err.context}",
                         "check indentation, colons and brackets on that line") from None
    except yaml.YAMLError as err:  # the reader's errors (e.g. a control character) carry a position
        position = getattr(err, "position", None)
        line = text.encode("utf-8")[:position].count(b"\n") + 1 if isinstance(position, int) else None
        raise InputError(path, line, None, f"YAML error: {str(err).splitlines()[0][:200]}",
                         "remove the character; YAML text holds no control characters") from None
    finally:
        loader.dispose()


def _build(loader: _Loader, path: Path) -> Any:
    """The document, from the parser's events: mappings become Node, sequences Seq."""
    def fail(event, problem: str, hint: str | None = None) -> InputError:
        return InputError(path, event.start_mark.line + 1, None, problem, hint)

    anchors: dict[str, tuple[Any, int]] = {}   # anchor → (value, its node count)
    stack: list[list] = []                      # [container, node count, anchor, pending key, key line]
    aliased = 0
    document = None
    documents = 0

    def add(value: Any, weight: int, event) -> None:
        nonlocal document
        if not stack:
            document = value
            return
        frame = stack[-1]
        frame[1] += weight
        container = frame[0]
        if isinstance(container, Seq):
            container.append(value)
            container.item_lines.append(event.start_mark.line + 1)
        elif frame[3] is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise fail(event, "a mapping key must be plain text, not a list or mapping")
            if value in container:
                raise InputError(path, event.start_mark.line + 1, str(value), "key written twice in one mapping",
                                 "keep one of them")
            frame[3], frame[4] = value, event.start_mark.line + 1
        else:
            container[frame[3]] = value
            container.key_lines[frame[3]] = frame[4]
            frame[3] = _NO_KEY

    while True:
        event = loader.get_event()
        if isinstance(event, yaml.ScalarEvent):
            tag = event.tag
            if tag in (None, "!"):
                tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
            elif tag not in _SCALAR_TAGS:
                raise fail(event, "YAML tags are not used in govkg files", "remove the `!…` tag")
            node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            try:
                value = loader.yaml_constructors[tag](loader, node)
            except (ValueError, TypeError):
                raise fail(event, f"cannot read the value {brief(event.value)} as {tag.rsplit(':', 1)[-1]}") from None
            if event.anchor:
                anchors[event.anchor] = (value, 1)
            add(value, 1, event)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if event.tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
                raise fail(event, "YAML tags are not used in govkg files", "remove the `!…` tag")
            if len(stack) >= MAX_DEPTH:
                raise fail(event, f"nested more than {MAX_DEPTH} deep", "govkg records are a few levels deep")
            if isinstance(event, yaml.MappingStartEvent):
                container: Any = Node()
                container.key_lines = {}
            else:
                container = Seq()
                container.item_lines = []
            container.path, container.line = path, event.start_mark.line + 1
            stack.append([container, 1, event.anchor, _NO_KEY, 0, event])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            container, weight, anchor, _, _, start = stack.pop()
            if anchor:
                anchors[anchor] = (container, weight)
            add(container, weight, start)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in anchors:
                raise fail(event, f"alias *{brief(event.anchor, 40)} names no anchor before it")
            value, weight = anchors[event.anchor]
            aliased += weight
            if aliased > MAX_ALIAS_NODES:
                raise fail(event, f"aliases expand to more than {MAX_ALIAS_NODES} nodes",
                           "write the values out; govkg files need no aliases")
            add(value, weight, event)
        elif isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise fail(event, "more than one YAML document in the file", "one document per file (remove `---`)")
        elif isinstance(event, yaml.StreamEndEvent):
            return document


_NO_KEY = object()
