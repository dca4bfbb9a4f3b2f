"""The README's layout section matches the tree: every package is listed, every listed path exists."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DESCRIPTION_COLUMN = 20  # paths are indented two spaces a level; descriptions start further right


def layout_paths() -> set[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("## Layout", 1)[1].split("```", 2)[1]
    paths, parents = set(), []
    for line in block.splitlines():
        match = re.match(r"^( *)(\S+)", line)
        if not match or len(match.group(1)) >= DESCRIPTION_COLUMN or not re.fullmatch(r"[\w.-]+/?", match.group(2)):
            continue  # a continuation of the previous line's description
        depth = len(match.group(1)) // 2
        parents = parents[:depth]
        path = "/".join([*parents, match.group(2).rstrip("/")])
        paths.add(path)
        if match.group(2).endswith("/"):
            parents.append(match.group(2).rstrip("/"))
    return paths


def test_every_listed_path_exists() -> None:
    paths = layout_paths()
    assert "gongkai/web" in paths and "gongkai/audits/links" in paths
    missing = sorted(p for p in paths if not (REPO / p).exists())
    assert not missing, f"the README's layout lists paths that do not exist: {missing}"


def test_every_package_is_listed() -> None:
    packages = {p.parent.relative_to(REPO).as_posix() for p in (REPO / "gongkai").rglob("*.py")}
    top_level = {p.relative_to(REPO).as_posix() for p in REPO.iterdir()
                 if p.is_dir() and not p.name.startswith(".") and p.name not in ("node_modules", "var", "build", "instance")
                 and not p.name.endswith(".egg-info")}
    unlisted = sorted((packages | top_level) - layout_paths())
    assert not unlisted, f"the README's layout leaves out: {unlisted}"
