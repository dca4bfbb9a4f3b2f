"""Serving from the content repository: the CONTENT_REPO setting, `gongkai content init`, and the
serve commands' demo repository under VAR_DIR, made from a copy of the shipped content."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from click.testing import CliRunner

from gongkai.cli import main
from gongkai.config import load_settings
from gongkai.content_repo import ContentRepository, serve_from_repository
from tests.demo_content import FIXTURE_CONTENT


def test_the_content_repository_is_the_content_folder_of_everything(tmp_path: Path) -> None:
    assert load_settings({"CONTENT_REPO": str(tmp_path / "repo")})["CONTENT_DIR"] == str(tmp_path / "repo")
    plain = load_settings({"CONTENT_DIR": str(FIXTURE_CONTENT)})
    assert plain["CONTENT_DIR"] == str(FIXTURE_CONTENT) and plain["CONTENT_REPO"] == ""


def test_content_init_creates_a_repository_from_a_checked_copy(tmp_path: Path) -> None:
    target = tmp_path / "content"
    runner = CliRunner()
    done = runner.invoke(main, ["content", "init", str(target), "--from", str(FIXTURE_CONTENT)])
    assert done.exit_code == 0, done.output
    repo = ContentRepository(target)
    assert len(repo.log()) == 1 and (target / "site.yaml").read_bytes() == (FIXTURE_CONTENT / "site.yaml").read_bytes()
    again = runner.invoke(main, ["content", "init", str(target), "--from", str(FIXTURE_CONTENT)])
    assert again.exit_code == 0 and "already a content repository" in again.output and len(repo.log()) == 1


def test_content_init_refuses_content_with_problems_and_a_folder_in_use(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(FIXTURE_CONTENT, broken)
    path = broken / "docs" / "zh" / "water-meter.md"
    path.write_text(path.read_text(encoding="utf-8").replace("unit: sec4", "unit: nowhere"), encoding="utf-8")
    done = CliRunner().invoke(main, ["content", "init", str(tmp_path / "new"), "--from", str(broken)])
    assert done.exit_code == 1 and "content.unknown-code" in done.output and not (tmp_path / "new").exists()
    used = tmp_path / "used"
    used.mkdir()
    (used / "notes.txt").write_text("x", encoding="utf-8")
    done = CliRunner().invoke(main, ["content", "init", str(used), "--from", str(FIXTURE_CONTENT)])
    assert done.exit_code == 1 and "not empty" in done.output


def test_the_serve_commands_make_the_demo_repository_once_and_leave_the_seed_alone(tmp_path: Path) -> None:
    seed = tmp_path / "seed"
    shutil.copytree(FIXTURE_CONTENT, seed)
    before = sorted((p.relative_to(seed), p.read_bytes()) for p in seed.rglob("*") if p.is_file())
    settings = {"CONTENT_REPO": "", "CONTENT_DIR": str(seed), "VAR_DIR": str(tmp_path / "var")}
    path = serve_from_repository(settings)
    assert path == tmp_path / "var" / "content" and "GONGKAI_CONTENT_REPO" not in os.environ  # the caller names it
    head = ContentRepository(path).head()
    assert serve_from_repository(settings) == path and ContentRepository(path).head() == head  # the second start reuses it
    assert sorted((p.relative_to(seed), p.read_bytes()) for p in seed.rglob("*") if p.is_file()) == before
    assert not (seed / ".git").exists()
    status = subprocess.run(["git", "-C", str(path), "status", "--porcelain"], capture_output=True, text=True, check=True)
    assert status.stdout == ""
