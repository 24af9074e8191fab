"""Reading YAML with ``yaml.safe_load`` while keeping the line of every key and item.

``yaml.safe_load`` gives plain data but forgets where it came from. (PyYAML's C build of the same
safe loader, ``CSafeLoader``, is used when PyYAML has it: the same plain data, about ten times
faster; it constructs no Python objects beyond plain data either.) The same text is also composed
into PyYAML's node tree (``yaml.compose`` with the safe loader, which builds no Python objects), and
the node tree gives a line for every path such as ``("indicators", 3, "thresholds", "2015/16")``.
Composing also reveals duplicate keys, which ``safe_load`` silently collapses.

Hostile files are refused before any of that: only a regular file of at most :data:`MAX_BYTES` is
read (a device such as ``/dev/zero`` or a FIFO would be read forever), the text must be UTF-8, and
YAML anchors and aliases (``&name``, ``*name``) are not allowed: a few hundred bytes of nested
aliases (a "billion laughs") expand to gigabytes. A registry needs neither.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scorecard.errors import DataError

PathKey = tuple[str | int, ...]

#: ``yaml.safe_load``'s loader, in C when PyYAML was built with libyaml.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: The largest registry or rule file read (the bundled registry is about 70 KB).
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class YamlSource:
    """The data of one YAML file and the line of every path in it."""

    file: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)
    duplicate_keys: tuple[tuple[PathKey, int], ...] = ()

    def line(self, path: PathKey) -> int:
        """The line of ``path``, or of its nearest ancestor that has one (1 for the document)."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1


class YamlSyntaxError(DataError):
    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file, self.line, self.message = file, line, message


def read_yaml(path: Path | str, text: str | None = None) -> YamlSource:
    """Load ``path`` (or ``text``, reported as coming from ``path``) with line information."""
    file = str(path)
    if text is None:
        text = read_text_file(Path(path))
    try:
        _refuse_aliases(file, text)
        data = yaml.load(text, Loader=_SAFE_LOADER)  # yaml.safe_load, in C where available
        root = yaml.compose(text, Loader=_SAFE_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlSyntaxError(file, line, f"not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(file, 1, f"not valid YAML: {exc}") from None
    lines: dict[PathKey, int] = {}
    duplicates: list[tuple[PathKey, int]] = []
    if root is not None:
        _index(root, (), lines, duplicates)
    return YamlSource(file, data, lines, tuple(duplicates))


def read_text_file(path: Path, limit: int = MAX_BYTES) -> str:
    """The UTF-8 text of ``path``, a regular file of at most ``limit`` bytes.

    Raises :class:`YamlSyntaxError` for anything else (a folder, a device, a FIFO, a larger file,
    text in another encoding) and ``OSError`` when the file cannot be opened.
    """
    file = str(path)
    info = os.stat(path)  # does not open the file: a FIFO is not waited on
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise YamlSyntaxError(file, 1, f"cannot be read: {kind} (give a YAML file)")
    if info.st_size > limit:
        raise YamlSyntaxError(file, 1, f"cannot be read: {info.st_size:,} bytes, more than the "
                                       f"limit of {limit:,} for a registry file")  # fmt: skip
    with open(path, "rb") as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:  # grew since stat
        raise YamlSyntaxError(file, 1, f"cannot be read: more than {limit:,} bytes")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlSyntaxError(
            file, line, f"not UTF-8 text: byte 0x{raw[exc.start]:02x} cannot be decoded "
                        "(save the file as UTF-8)"
        ) from None  # fmt: skip


def _refuse_aliases(file: str, text: str) -> None:
    """Raise :class:`YamlSyntaxError` at the first anchor or alias (one pass over the events,
    linear in the size of the text: nothing is expanded)."""
    for event in yaml.parse(text, Loader=_SAFE_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            raise YamlSyntaxError(
                file, line, "YAML anchors and aliases (&name, *name) are not allowed in a "
                            "registry file: write the values out"
            )  # fmt: skip


def _index(
    node: yaml.Node,
    path: PathKey,
    lines: dict[PathKey, int],
    duplicates: list[tuple[PathKey, int]],
) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = (*path, key)
            if key in seen:
                duplicates.append((child, key_node.start_mark.line + 1))
                continue
            seen.add(key)
            lines[child] = key_node.start_mark.line + 1
            _index(value_node, child, lines, duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for position, item in enumerate(node.value):
            _index(item, (*path, position), lines, duplicates)
