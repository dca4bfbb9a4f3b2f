"""Back-office fixtures: every database test runs on SQLite and on a real PostgreSQL server.

The PostgreSQL server is started once per session in a temporary folder, on 127.0.0.1 at a free
port, as the postgres user (initdb refuses root), and stopped at the end. Missing server
binaries fail the suite: they never skip it (scripts/install_system_deps.sh installs them)."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from argon2 import PasswordHasher

from gongkai.admin import passwords

REPO = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("GONGKAI_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
ENGINES = ("sqlite", "postgresql")
DOCUMENT = """\
---
kind: news
id: meter-news
lang: zh-Hant-TW
title: 水量計檢定新聞
summary: 第四課的新聞。
unit: sec4
theme: ["220"]
policy: [P20]
service: [E00]
keywords: [水量計]
published: 2022-01-10
updated: 2022-06-01
update_cycle: as-needed
review: {author: 林上稿, reviewer: 陳審稿, date: 2022-06-02, status: published}
---
本文。
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL server; yields its URL without a database name."""
    initdb, pg_ctl = PG_BIN / "initdb", PG_BIN / "pg_ctl"
    if not (initdb.is_file() and pg_ctl.is_file()):
        pytest.fail(f"PostgreSQL server binaries not found in {PG_BIN}: run scripts/install_system_deps.sh (Debian package postgresql)",
                    pytrace=False)
    root = Path(tempfile.mkdtemp(prefix="gongkai-postgres-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", free_port()
    try:
        subprocess.run([*run_as, str(initdb), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-instructions"],
                       check=True, capture_output=True, timeout=120)
        # -F: no fsync (a test server loses nothing of value in a crash); the socket in our folder
        subprocess.run([*run_as, str(pg_ctl), "-D", str(data), "-l", str(root / "server.log"), "-w", "-t", "60",
                        "-o", f"-F -k {root} -h 127.0.0.1 -p {port}", "start"], check=True, capture_output=True, timeout=120)
    except subprocess.CalledProcessError as error:
        log = (root / "server.log").read_text(errors="replace") if (root / "server.log").exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"PostgreSQL did not start: {error.stderr.decode(errors='replace')}\n{log}", pytrace=False)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run([*run_as, str(pg_ctl), "-D", str(data), "-m", "immediate", "-w", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


def _admin_connection(server_url: str) -> psycopg.Connection:
    port = re.search(r":(\d+)$", server_url).group(1)
    return psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True)


@pytest.fixture(params=ENGINES)
def database_url(request, tmp_path) -> Iterator[str]:
    """A new, empty database on each engine in turn."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'backoffice.sqlite'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = f"test_{uuid.uuid4().hex[:12]}"
    with _admin_connection(server) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    yield f"{server}/{name}"
    with _admin_connection(server) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def content_dir(tmp_path_factory) -> Path:
    """The demo's site.yaml and code lists with one document: the unit list without a 2-second load."""
    root = tmp_path_factory.mktemp("content")
    shutil.copy(REPO / "content" / "site.yaml", root / "site.yaml")
    shutil.copytree(REPO / "content" / "codes", root / "codes")
    (root / "docs").mkdir()
    (root / "docs" / "meter-news.md").write_text(DOCUMENT, encoding="utf-8")
    (root / "files").mkdir()
    return root


@pytest.fixture(autouse=True, scope="session")
def cheap_hashes() -> Iterator[None]:
    """argon2 with small parameters: the default costs 64 MiB and ~50 ms a hash."""
    default = passwords.HASHER
    passwords.HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    passwords.HASHER = default


@pytest.fixture
def settings(database_url, content_dir, tmp_path) -> dict:
    return {"DATABASE_URL": database_url, "CONTENT_DIR": str(content_dir), "VAR_DIR": str(tmp_path / "var"),
            "CONTENT_RELOAD_SECONDS": 0, "TESTING": True}


@pytest.fixture
def app(settings):
    from gongkai.admin import create_app

    application = create_app(settings)
    yield application
    application.extensions["gongkai.admin"].engine.dispose()


@pytest.fixture
def office(app):
    return app.extensions["gongkai.admin"]


@pytest.fixture
def db(office):
    with office.sessions() as session:
        yield session
