"""`gongkai cases publish-statistics` on SQLite and PostgreSQL, into a real content repository (git):
known cases → one commit whose CSV holds their counts and passes frictionless and the personal-data
gate; the same counts again → no commit; a category name carrying a contact person's mobile number
(an editor's realistic slip in categories.yaml) → refused by the gate, nothing committed, exit 1."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from gongkai import clock
from gongkai.admin import migrate
from gongkai.admin.db import make_engine, session_factory
from gongkai.admin.models import AuditEntry
from gongkai.cli import main
from gongkai.content_repo import ContentRepository, Person
from gongkai.mailbox.states import CaseState
from gongkai.mailbox.statistics_dataset import COLUMNS, FOLDER, HEADER
from gongkai.model import load_content
from gongkai.opendata.validate import validate_all
from tests.admin.conftest import DOCUMENT
from tests.demo_content import DEMO_CONTENT
from tests.mailbox.test_statistics import case

D = dt.date
TODAY = D(2026, 4, 2)  # March is over: the rows run to 2026-03


@pytest.fixture
def repo(tmp_path) -> ContentRepository:
    """A content repository with the shipped site.yaml, codes, mailbox data and the dataset's descriptor."""
    seed = tmp_path / "seed"
    seed.mkdir()
    shutil.copy(DEMO_CONTENT / "site.yaml", seed / "site.yaml")
    for folder in ("codes", "mailbox", FOLDER):
        shutil.copytree(DEMO_CONTENT / folder, seed / folder)
    (seed / "docs").mkdir()
    (seed / "docs" / "meter-news.md").write_text(DOCUMENT, encoding="utf-8")
    (seed / "files").mkdir()
    return ContentRepository.create(tmp_path / "content-repo", seed)


@pytest.fixture
def sessions(database_url):
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def publish(repo, database_url, tmp_path, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    env = {"GONGKAI_DATABASE_URL": database_url, "GONGKAI_CONTENT_REPO": str(repo.path), "GONGKAI_VAR_DIR": str(tmp_path / "var")}
    return lambda *args: CliRunner().invoke(main, ["cases", "publish-statistics", *args], env=env)


def known_cases(sessions) -> None:
    with sessions() as db:
        db.add_all([
            # February: two answered across the Lunar New Year days off (on time, late), one open and overdue, one merged
            case(D(2026, 2, 13), D(2026, 2, 24), category="complaint", unit="secretariat", state=CaseState.ANSWERED,
                 answered_on=D(2026, 2, 24), satisfaction=5),
            case(D(2026, 2, 13), D(2026, 2, 24), category="complaint", unit="secretariat", state=CaseState.ANSWERED,
                 answered_on=D(2026, 2, 25), satisfaction=2),
            case(D(2026, 2, 20), D(2026, 3, 2), category="complaint", unit="secretariat"),
            case(D(2026, 2, 11), D(2026, 2, 25), category="complaint", unit="secretariat", state=CaseState.MERGED),
            # March: a question of 第四課 answered the next working day, one not handled
            case(D(2026, 3, 2), D(2026, 3, 5), category="question", unit="sec4", state=CaseState.ANSWERED, answered_on=D(2026, 3, 3)),
            case(D(2026, 3, 9), D(2026, 3, 12), category="question", unit="sec4", state=CaseState.NOT_HANDLED),
            case(D(2026, 4, 1), D(2026, 4, 8), category="question", unit="sec4"),  # April is not over: not published
        ])
        db.commit()


def rows_at(repo: ContentRepository, commit: str = "HEAD") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(repo.read(f"{FOLDER}/data.csv", commit).decode("utf-8"))))


def test_publish_commits_the_counts_once_and_they_pass_validation_and_the_gate(repo, sessions, publish):
    known_cases(sessions)
    before = repo.head()
    result = publish()
    assert result.exit_code == 0, result.output
    assert "published complaints-petitions: 2 row(s) up to 2026-03" in result.output
    commit = repo.log(limit=1)[0]
    assert commit.sha != before and commit.subject == "意見信箱統計：更新至 2026-03"
    assert set(commit.paths) == {f"{FOLDER}/data.csv", f"{FOLDER}/datapackage.json"}
    assert commit.trailers["Action"] == ["publish-statistics"]
    assert rows_at(repo) == [
        {"month": "2026-02", "category": "complaint", "category_name": "申訴", "unit": "secretariat", "unit_name": "秘書室",
         "received": "4", "answered": "2", "answered_on_time": "1", "overdue": "2", "not_handled": "0", "merged": "1",
         "mean_working_days": "2.5", "ratings": "2", "satisfaction_mean": "3.5"},
        {"month": "2026-03", "category": "question", "category_name": "詢問", "unit": "sec4", "unit_name": "第四課",
         "received": "2", "answered": "1", "answered_on_time": "1", "overdue": "0", "not_handled": "1", "merged": "0",
         "mean_working_days": "1", "ratings": "0", "satisfaction_mean": ""},
    ]
    package = json.loads(repo.read(f"{FOLDER}/datapackage.json"))
    assert package["datagovtw"]["modified"] == "2026-04-02"
    assert (package["datagovtw"]["temporalCoverageFrom"], package["datagovtw"]["temporalCoverageTo"]) == ("2026-02-01", "2026-03-31")
    assert package["datagovtw"]["identifier"] == "A15010100H-000004"  # the agency's metadata stays
    # the committed files pass frictionless, the metadata checks and the gate, as the site checks them
    corpus, _ = load_content(repo.path)
    report = validate_all(repo.path / "datasets", corpus.agency, set(corpus.codes["services"]))
    assert report.valid, report.lines()
    with sessions() as db:
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "mailbox_statistics_published")).one()
        assert entry.target == "dataset:complaints-petitions" and commit.sha[:12] in entry.detail

    again = publish()
    assert again.exit_code == 0 and "unchanged" in again.output, again.output
    assert repo.head() == commit.sha  # no empty commit


def test_a_year_is_recounted_alone_and_the_other_years_rows_stay(repo, sessions, publish):
    known_cases(sessions)
    with sessions() as db:
        db.add(case(D(2025, 12, 30), D(2026, 1, 6), category="suggestion", unit="secretariat"))
        db.commit()
    assert publish().exit_code == 0
    assert [row["month"] for row in rows_at(repo)] == ["2025-12", "2026-02", "2026-03"]
    with sessions() as db:
        db.add(case(D(2026, 3, 20), D(2026, 3, 27), category="question", unit="sec4"))
        db.add(case(D(2025, 12, 31), D(2026, 1, 7), category="suggestion", unit="secretariat"))  # not recounted with --year 2026
        db.commit()
    result = publish("--year", "2026")
    assert result.exit_code == 0, result.output
    received = {row["month"]: row["received"] for row in rows_at(repo)}
    assert received == {"2025-12": "1", "2026-02": "4", "2026-03": "3"}
    future = publish("--year", "2027")
    assert future.exit_code != 0 and "no month of 2027 is over yet" in future.output


def test_a_contact_person_in_a_category_name_is_refused_by_the_gate_and_nothing_is_committed(repo, sessions, publish):
    known_cases(sessions)
    rules = repo.read("mailbox/categories.yaml").decode("utf-8")
    slipped = rules.replace("{code: complaint, zh: 申訴,", "{code: complaint, zh: 申訴（承辦人 王小明 0912-345-678）,")
    assert slipped != rules
    repo.publish({"mailbox/categories.yaml": slipped.encode("utf-8")}, subject="類別改名", author=Person("editor"))
    before, csv_before = repo.head(), repo.read(f"{FOLDER}/data.csv")

    result = publish()
    assert result.exit_code == 1, result.output
    assert "complaints-petitions / data.csv / row 2 / category_name: data.personal-phone" in result.output
    assert "complaints-petitions / data.csv / row 2 / category_name: data.personal-name" in result.output
    assert "nothing was committed" in result.output
    assert "0912-345-678" not in result.output  # the report masks what it found
    assert repo.head() == before and repo.read(f"{FOLDER}/data.csv") == csv_before
    assert not repo.changed_paths(before) and (repo.path / FOLDER / "data.csv").read_bytes() == csv_before
    with sessions() as db:
        assert db.scalars(select(AuditEntry.action).where(AuditEntry.action.like("mailbox_statistics_%"))).all() == [
            "mailbox_statistics_refused"]


def test_the_shipped_dataset_has_the_commands_shape():
    """The demo's content/datasets/complaints-petitions is what the command writes (its columns and schema)."""
    package = json.loads((DEMO_CONTENT / FOLDER / "datapackage.json").read_text(encoding="utf-8"))
    fields = package["resources"][0]["schema"]["fields"]
    assert [(f["name"], f["type"], f["title"]) for f in fields] == [(c.name, c.type, c.title) for c in COLUMNS]
    with (DEMO_CONTENT / FOLDER / "data.csv").open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == HEADER
