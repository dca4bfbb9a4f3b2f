"""The content repository: the content folder as a git repository of its own, where every
publication is one commit and ``git log`` is the publication record.

The back office writes content only through ``ContentRepository.publish``: the validated files
and attachments of one change are written, staged and committed together, with the people and the
reason as commit trailers (``Author:``, ``Reviewed-by:``, ``Unit:``, ``Reason:``). A change that
fails half-way is rolled back, so the folder the site serves never holds half a publication.

It drives the git command line (git is a system package here, like PostgreSQL): a dependency
that every webmaster can also use by hand to read the record, and one that is never the code's
own repository (``ContentRepository`` refuses a folder that is only inside another repository).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

GIT_TIMEOUT = 60
COMMITTER = ("gongkai 網站後台", "backoffice@gongkai.invalid")
LOCK_FILE = "gongkai-publish.lock"  # inside .git: never content
TRAILER_KEYS = ("Document", "Author", "Reviewed-by", "Unit", "Reason", "Action")


class ContentRepositoryError(RuntimeError):
    """The content repository is missing, is not a repository of its own, or git failed."""


@dataclass(frozen=True)
class Person:
    name: str
    email: str = ""

    def signature(self) -> str:
        # git needs an address; an account without one gets a placeholder no one can mistake for real
        return f"{self.name} <{self.email or 'no-address@gongkai.invalid'}>"


@dataclass(frozen=True)
class Commit:
    sha: str
    author: str
    date: str  # ISO 8601, as git wrote it
    subject: str
    trailers: dict[str, list[str]] = field(default_factory=dict)
    paths: tuple[str, ...] = ()


def _relative(path: str) -> str:
    """A path inside the repository, or ValueError (absolute paths, .., .git and backslashes refused)."""
    pure = PurePosixPath(path)
    if not path or pure.is_absolute() or "\\" in path or any(part in ("..", ".git", "") for part in pure.parts):
        raise ValueError(f"not a path inside the content repository: {path!r}")
    return str(pure)


class ContentRepository:
    def __init__(self, path: Path) -> None:
        self.path = Path(path).resolve()
        top = self._git("rev-parse", "--show-toplevel", check=False)
        if top.returncode != 0:
            raise ContentRepositoryError(f"{self.path} is not a git repository: create it with `gongkai content init`")
        if Path(top.stdout.strip()).resolve() != self.path:
            raise ContentRepositoryError(f"{self.path} is inside the repository {top.stdout.strip()}, not one of its own: "
                                         "the content repository must never be the code's")

    # ------------------------------------------------------------------ creating one

    @classmethod
    def create(cls, path: Path, source: Path | None = None) -> ContentRepository:
        """A new repository at ``path`` holding a copy of ``source`` (the shipped content/) as its first commit."""
        path = Path(path)
        if path.exists() and any(path.iterdir()):
            raise ContentRepositoryError(f"{path} exists and is not empty: refusing to turn it into a content repository")
        if source is not None:
            shutil.copytree(source, path, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".git", "__pycache__"))
        else:
            path.mkdir(parents=True, exist_ok=True)
        _run(["git", "init", "--quiet", "--initial-branch=main", str(path)], Path(path))
        repo = cls(path)
        repo._git("add", "--all")
        repo._git("commit", "--quiet", "--allow-empty", "-m", "內容初始化：來自出貨的 content/",
                  "--author", Person(*COMMITTER).signature())
        return repo

    @classmethod
    def ensure(cls, path: Path, source: Path) -> ContentRepository:
        """The repository at ``path``, created from ``source`` on the first start. The site and the
        back office start together (``make serve``): a lock beside the folder lets one create it."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.parent / f".{path.name}.init.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            if (path / ".git").exists():
                return cls(path)
            return cls.create(path, source)

    # ------------------------------------------------------------------ reading

    def head(self) -> str:
        return self._git("rev-parse", "HEAD").stdout.strip()

    def changed_paths(self, since: str, until: str = "HEAD") -> list[str]:
        """Paths added, changed or removed between two commits (for incremental reloads)."""
        out = self._git("diff", "--name-only", "--no-renames", "-z", since, until).stdout
        return [name for name in out.split("\0") if name]

    def log(self, path: str | None = None, limit: int = 50) -> list[Commit]:
        """The publication record, newest first, optionally for one file."""
        separator = "\x1e"
        args = ["log", f"-n{int(limit)}", "--name-only", f"--format={separator}%H%x00%an <%ae>%x00%aI%x00%s%x00%(trailers:only,unfold)%x00"]
        if path is not None:
            args += ["--", _relative(path)]
        commits = []
        for record in self._git(*args).stdout.split(separator)[1:]:
            sha, author, date, subject, trailers, paths = record.split("\0", 5)
            commits.append(Commit(sha, author, date, subject, _parse_trailers(trailers),
                                  tuple(line for line in paths.splitlines() if line.strip())))
        return commits

    def read(self, path: str, commit: str = "HEAD") -> bytes | None:
        result = self._git("show", f"{commit}:{_relative(path)}", check=False, text=False)
        return result.stdout if result.returncode == 0 else None

    # ------------------------------------------------------------------ writing

    def publish(self, changes: Mapping[str, bytes | None], *, subject: str, author: Person,
                trailers: Mapping[str, str | None] | None = None) -> str:
        """Write ``changes`` (path → new bytes, or None to remove the file) and commit them as one
        publication. Returns the new commit's id. Nothing is left written if any step fails."""
        if not changes:
            raise ValueError("a publication changes at least one file")
        paths = {_relative(path): data for path, data in changes.items()}
        lines = [subject.strip().splitlines()[0] if subject.strip() else "發布"]
        trailer_args = []
        for key, value in (trailers or {}).items():
            if key not in TRAILER_KEYS:
                raise ValueError(f"unknown trailer {key!r}: use one of {', '.join(TRAILER_KEYS)}")
            if value:
                trailer_args += ["--trailer", f"{key}: {' '.join(str(value).split())}"]
        with self._locked():
            before = self.head()
            try:
                for relative, data in paths.items():
                    target = self.path / relative
                    if data is None:
                        target.unlink(missing_ok=True)
                    else:
                        target.parent.mkdir(parents=True, exist_ok=True)
                        temporary = target.with_name(f".{target.name}.publishing")
                        temporary.write_bytes(data)
                        os.replace(temporary, target)  # a reader sees the old file or the new one, never half
                self._git("add", "--all", "--", *paths)
                self._git("commit", "--quiet", "-m", "\n".join(lines), *trailer_args, "--author", author.signature(),
                          "--", *paths)
            except BaseException:
                self._restore(before, list(paths))
                raise
            return self.head()

    def _restore(self, commit: str, paths: list[str]) -> None:
        self._git("reset", "--quiet", "--soft", commit, check=False)
        self._git("reset", "--quiet", "--", *paths, check=False)
        for relative in paths:
            known = self._git("cat-file", "-e", f"{commit}:{relative}", check=False).returncode == 0
            if known:
                self._git("checkout", commit, "--", relative, check=False)
            else:
                (self.path / relative).unlink(missing_ok=True)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """One publication at a time, across the back office's worker processes."""
        with open(self.path / ".git" / LOCK_FILE, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _git(self, *args: str, check: bool = True, text: bool = True) -> subprocess.CompletedProcess:
        command = ["git", "-c", f"user.name={COMMITTER[0]}", "-c", f"user.email={COMMITTER[1]}",
                   "-c", "core.quotepath=off", "-c", "commit.gpgsign=false", "-C", str(self.path), *args]
        return _run(command, self.path, check=check, text=text)


def read_head(path: Path) -> str | None:
    """The commit HEAD names, read from .git's files without running git (a running site asks
    every half second): HEAD, the branch's loose ref, else packed-refs. None for a folder that is
    not a repository, or a repository without a commit yet."""
    git = Path(path) / ".git"
    try:
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if not head.startswith("ref: "):
        return head or None  # a detached HEAD holds the commit itself
    ref = head[5:].strip()
    try:
        return (git / ref).read_text(encoding="utf-8").strip() or None
    except OSError:
        pass
    try:
        for line in (git / "packed-refs").read_text(encoding="utf-8").splitlines():
            sha, _, name = line.partition(" ")
            if name.strip() == ref:
                return sha
    except OSError:
        pass
    return None


def is_repository(path: Path) -> bool:
    """``path`` is the top of a git repository of its own (a content repository, not a plain folder)."""
    return (Path(path) / ".git" / "HEAD").is_file()


def _run(command: list[str], where: Path, check: bool = True, text: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C.UTF-8"}
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    try:
        result = subprocess.run(command, capture_output=True, text=text, timeout=GIT_TIMEOUT, env=env,
                                **({"encoding": "utf-8"} if text else {}))
    except FileNotFoundError as error:
        raise ContentRepositoryError("git is not installed: install the Debian package git") from error
    if check and result.returncode != 0:
        stderr = result.stderr if text else result.stderr.decode(errors="replace")
        shown = command[command.index("-C") + 2:] if "-C" in command else command[1:]
        raise ContentRepositoryError(f"git {' '.join(shown)} failed in {where}: {stderr.strip()}")
    return result


def _parse_trailers(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def serve_from_repository(settings: Mapping[str, object]) -> Path:
    """For the serve commands: the content repository to serve — CONTENT_REPO, or when it is
    empty VAR_DIR/content, created from CONTENT_DIR (the shipped content/) on the first start,
    which stays untouched. The caller names it in GONGKAI_CONTENT_REPO for the server it starts."""
    configured = settings.get("CONTENT_REPO")
    if configured:
        ContentRepository(Path(str(configured)))  # refuses a folder that is not a repository of its own
        return Path(str(configured))
    path = Path(str(settings["VAR_DIR"])) / "content"
    ContentRepository.ensure(path, Path(str(settings["CONTENT_DIR"])))
    return path
