"""The content repository: one commit per publication, trailers as the record, nothing half-written."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gongkai.content_repo import ContentRepository, ContentRepositoryError, Person
from tests.demo_content import FIXTURE_CONTENT

AUTHOR = Person("林上稿", "lin@example.gov.tw")


@pytest.fixture
def repo(tmp_path: Path) -> ContentRepository:
    return ContentRepository.create(tmp_path / "content", FIXTURE_CONTENT)


def test_created_from_the_shipped_content_with_one_commit(repo: ContentRepository) -> None:
    assert (repo.path / "site.yaml").is_file()
    assert len(repo.log()) == 1
    status = subprocess.run(["git", "-C", str(repo.path), "status", "--porcelain"], capture_output=True, text=True, check=True)
    assert status.stdout == ""


def test_a_publication_is_one_commit_naming_both_people(repo: ContentRepository) -> None:
    before = repo.head()
    sha = repo.publish({"docs/zh/news/new.md": "新內容\n".encode(), "files/forms/new.odt": b"PK\x03\x04"},
                       subject="發布 new", author=AUTHOR,
                       trailers={"Document": "new", "Author": "林上稿", "Reviewed-by": "陳審稿", "Unit": "sec4", "Reason": None})
    assert sha != before and repo.head() == sha
    last = repo.log(limit=1)[0]
    assert last.author == "林上稿 <lin@example.gov.tw>"
    assert last.trailers == {"Document": ["new"], "Author": ["林上稿"], "Reviewed-by": ["陳審稿"], "Unit": ["sec4"]}
    assert set(last.paths) == {"docs/zh/news/new.md", "files/forms/new.odt"}
    assert repo.changed_paths(before) == ["docs/zh/news/new.md", "files/forms/new.odt"]
    assert repo.read("docs/zh/news/new.md") == "新內容\n".encode()
    assert repo.read("docs/zh/news/new.md", before) is None


def test_removing_a_file_is_a_publication_too(repo: ContentRepository) -> None:
    target = next(p for p in sorted((repo.path / "docs").rglob("*.md")))
    relative = str(target.relative_to(repo.path))
    repo.publish({relative: None}, subject="撤下", author=AUTHOR, trailers={"Action": "withdraw"})
    assert not target.exists()
    assert repo.log(relative, limit=1)[0].trailers["Action"] == ["withdraw"]


@pytest.mark.parametrize("path", ["/etc/passwd", "../outside.md", "docs/../../x", ".git/config", "docs\\x.md", ""])
def test_paths_outside_the_repository_are_refused(repo: ContentRepository, path: str) -> None:
    with pytest.raises(ValueError, match="not a path inside"):
        repo.publish({path: b"x"}, subject="x", author=AUTHOR)
    assert len(repo.log()) == 1


def test_a_failed_commit_leaves_nothing_written(repo: ContentRepository, monkeypatch: pytest.MonkeyPatch) -> None:
    existing = next(p for p in sorted((repo.path / "docs").rglob("*.md")))
    original = existing.read_bytes()
    real = repo._git

    def failing_commit(*args: str, **kwargs):
        if args and args[0] == "commit":
            raise ContentRepositoryError("simulated failure")
        return real(*args, **kwargs)

    monkeypatch.setattr(repo, "_git", failing_commit)
    with pytest.raises(ContentRepositoryError):
        repo.publish({str(existing.relative_to(repo.path)): b"changed", "docs/zh/news/added.md": b"new"}, subject="x", author=AUTHOR)
    monkeypatch.undo()
    assert existing.read_bytes() == original
    assert not (repo.path / "docs/zh/news/added.md").exists()
    status = subprocess.run(["git", "-C", str(repo.path), "status", "--porcelain"], capture_output=True, text=True, check=True)
    assert status.stdout == ""


def test_unknown_trailers_are_refused(repo: ContentRepository) -> None:
    with pytest.raises(ValueError, match="unknown trailer"):
        repo.publish({"docs/x.md": b"x"}, subject="x", author=AUTHOR, trailers={"Signed-off-by": "x"})


def test_never_the_code_repository(tmp_path: Path) -> None:
    outer = tmp_path / "code"
    (outer / "content").mkdir(parents=True)
    subprocess.run(["git", "init", "--quiet", str(outer)], check=True)
    with pytest.raises(ContentRepositoryError, match="not one of its own"):
        ContentRepository(outer / "content")
    with pytest.raises(ContentRepositoryError, match="not a git repository"):
        ContentRepository(tmp_path)


def test_ensure_creates_once(tmp_path: Path) -> None:
    first = ContentRepository.ensure(tmp_path / "c", FIXTURE_CONTENT)
    first.publish({"docs/x.md": b"x"}, subject="x", author=AUTHOR)
    again = ContentRepository.ensure(tmp_path / "c", FIXTURE_CONTENT)
    assert again.head() == first.head() and len(again.log()) == 2
