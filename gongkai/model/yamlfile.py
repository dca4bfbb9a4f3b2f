"""Read YAML (whole files or Markdown front matter) keeping each key's line number.

Editors need ``file:line`` in every error, so we compose the YAML node tree once and
answer "which line is this field on?" from it instead of re-parsing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

FENCE = "---"


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so a bad date is reported by the field
    validator with its field name and line instead of failing the whole file."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class ContentSyntaxError(Exception):
    """A file cannot be parsed at all; carries the line and a fix for the editor."""

    def __init__(self, code: str, line: int, message: str, fix: str) -> None:
        super().__init__(message)
        self.code = code
        self.line = line
        self.message = message
        self.fix = fix


@dataclass(frozen=True)
class Parsed:
    data: Any
    node: yaml.Node | None
    first_line: int  # line number of the YAML's first line within the file
    body: str = ""

    def line_of(self, path: tuple[Any, ...]) -> int:
        """The 1-based file line of the value at ``path`` (keys / list indexes), best effort."""
        node = self.node
        line = self.first_line
        for step in path:
            if isinstance(node, yaml.MappingNode):
                match = next((v for k, v in node.value if k.value == step), None)
                key = next((k for k, _ in node.value if k.value == step), None)
                if key is None:
                    break
                line = key.start_mark.line + self.first_line
                node = match
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                node = node.value[step]
                line = node.start_mark.line + self.first_line
            else:
                break
        return line


def _load(text: str, first_line: int) -> tuple[Any, yaml.Node | None]:
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + first_line) if mark else first_line
        raise ContentSyntaxError(
            "content.yaml-syntax",
            line,
            f"YAML cannot be read ({exc.problem or exc})",
            "check indentation and quote values that contain ':' or start with a symbol",
        ) from None
    except (ValueError, yaml.YAMLError) as exc:  # e.g. 2022-13-01 looks like a date but is not one
        raise ContentSyntaxError("content.unreadable-value", first_line, f"a value cannot be read ({exc})", "write dates as YYYY-MM-DD and quote other values") from None
    return data, node


def read_yaml(path: Path) -> Parsed:
    text = _read_text(path)
    data, node = _load(text, 1)
    return Parsed(data, node, 1)


def read_front_matter(path: Path) -> Parsed:
    """Split ``---`` front matter from the Markdown body and parse it."""
    text = _read_text(path)
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        raise ContentSyntaxError("content.no-front-matter", 1, "no front matter", f"start the file with a '{FENCE}' line, the YAML fields, then another '{FENCE}' line")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == FENCE), None)
    if end is None:
        raise ContentSyntaxError("content.front-matter-open", 1, "front matter is never closed", f"add a '{FENCE}' line after the last YAML field")
    data, node = _load("".join(lines[1:end]), 2)
    return Parsed(data, node, 2, body="".join(lines[end + 1 :]))


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentSyntaxError("content.not-utf8", 0, f"not UTF-8 text (byte {exc.start})", "save the file as UTF-8") from None
