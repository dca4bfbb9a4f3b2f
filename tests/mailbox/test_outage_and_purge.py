"""Nothing lost, on both engines: with the database gone the form answers 503, says the message
was not received and keeps every field; `gongkai cases purge` deletes expired unconfirmed
messages and the personal fields of cases closed longer than the retention period."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from gongkai.admin.db import utcnow
from gongkai.admin.models import OutboxMessage
from gongkai.cli import main
from gongkai.mailbox.attempts import key_of
from gongkai.mailbox.models import Attempt, Case, Submission
from gongkai.mailbox.states import CaseState
from tests.mailbox.conftest import filled
from tests.mailbox.test_lookup import answered, make_case


def take_database_away(database_url: str) -> None:
    """The database stops answering: PostgreSQL refuses new connections to it and drops the open
    ones; SQLite's file is replaced by a folder, which cannot be opened."""
    if database_url.startswith("sqlite"):
        path = Path(database_url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        path.mkdir()
        return
    port, name = re.search(r":(\d+)/(\w+)$", database_url).groups()
    with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True) as connection:
        connection.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
        connection.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))


def give_database_back(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        shutil.rmtree(database_url.removeprefix("sqlite:///"))
        return
    port, name = re.search(r":(\d+)/(\w+)$", database_url).groups()
    with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True) as connection:
        connection.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")


def test_a_database_outage_answers_503_with_the_form_still_filled(app, box, database_url):
    client = app.test_client()
    box.engine.dispose()
    take_database_away(database_url)
    try:
        response = client.post("/mailbox/", data=filled(box, subject="停電時送出的意見"), environ_base={"REMOTE_ADDR": "192.0.2.8"})
        html = response.get_data(as_text=True)
        assert response.status_code == 503 and "尚未送達" in html and "沒有收到" in html
        assert 'value="停電時送出的意見"' in html and "請問家用水量計檢定一次多少錢？" in html and 'value="wang@example.com"' in html
        assert 'value="06-2345678"' in html and "checked" in html.split('id="consent"')[1].split(">")[0]
        lookup = client.post("/mailbox/lookup/", data={"number": "1151202-000001", "password": "abcd-efgh-jkmn"})
        assert lookup.status_code == 503 and "尚未送達" in lookup.get_data(as_text=True)
        assert client.post("/mailbox/confirm/some-token/").status_code == 503
    finally:
        box.engine.dispose()
        give_database_back(database_url)
    if database_url.startswith("sqlite"):
        from gongkai.admin import migrate

        migrate.upgrade(box.engine)
    # back again: the same text sent again goes through, once
    assert client.post("/mailbox/", data=filled(box, subject="停電時送出的意見")).status_code == 200
    with box.sessions() as db:
        assert db.scalar(select(func.count()).select_from(Submission)) == 1
        assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_purge_deletes_expired_messages_and_old_personal_fields(app, box, settings, monkeypatch):
    client = app.test_client()
    for email in ("old@example.com", "new@example.com"):
        client.post("/mailbox/", data=filled(box, email=email))
    old_number, _ = make_case(box, **answered(days_ago=400))
    recent_number, _ = make_case(box, **answered(days_ago=3))
    open_number, _ = make_case(box)
    with box.sessions() as db:
        db.scalar(select(Submission).where(Submission.email == "old@example.com")).expires_at = utcnow() - dt.timedelta(minutes=1)
        db.scalar(select(Attempt).where(Attempt.key == key_of("old@example.com"))).at = utcnow() - dt.timedelta(minutes=61)
        db.commit()
    for name in ("DATABASE_URL", "VAR_DIR"):
        monkeypatch.setenv(f"GONGKAI_{name}", str(settings[name]))
    monkeypatch.setenv("GONGKAI_MAILBOX_RETENTION_DAYS", "365")
    result = CliRunner().invoke(main, ["cases", "purge"])
    assert result.exit_code == 0, result.output
    assert "deleted 1 unconfirmed message(s) and 1 rate-limit count(s)" in result.output and "of 1 closed case(s)" in result.output
    with box.sessions() as db:
        assert list(db.scalars(select(Submission.email))) == ["new@example.com"]
        cases = {case.number: case for case in db.scalars(select(Case))}
    old = cases[old_number]
    assert (old.name, old.email, old.phone, old.address, old.message) == ("", "", "", "", "") and old.purged_at is not None
    assert old.state is CaseState.ANSWERED and old.category == "question" and old.unit == "secretariat"  # statistics keep these
    for kept in (cases[recent_number], cases[open_number]):
        assert kept.name == "王小明" and kept.email == "wang@example.com" and kept.purged_at is None
    with box.sessions() as db:  # the counts still inside the window (60 minutes by default) stay
        assert db.scalar(select(func.count()).select_from(Attempt)) == 3
    again = CliRunner().invoke(main, ["cases", "purge"])
    assert "deleted 0 unconfirmed message(s)" in again.output and "of 0 closed case(s)" in again.output


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_calendar_draft_command_prints_a_year(database_url):
    result = CliRunner().invoke(main, ["cases", "calendar-draft", "2025"])
    assert result.exit_code == 0 and "year: 2025" in result.output and "2025-02-08" in result.output
