"""Staff-side fixtures: the back office on SQLite and PostgreSQL, accounts of a section, of the
secretariat and of another section, and a confirmed case made through gongkai.mailbox.cases."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest

from gongkai.admin import accounts
from gongkai.admin.db import utcnow
from gongkai.clock import TAIWAN
from gongkai.mailbox.models import Case
from gongkai.mailbox.states import CaseState
from gongkai.model.codes import Code
from tests.admin.conftest import app, cheap_hashes, content_dir, database_url, db, office, postgres_server, settings  # noqa: F401
from tests.admin.editing_support import signed_in
from tests.admin.support import PASSWORD

KNOWN = {code: Code(code=code, zh=code, en=code) for code in ("sec1", "sec4", "it", "secretariat")}


def _account(office, name: str, role: str, units: tuple[str, ...]):  # noqa: F811 - office is the shared fixture
    with office.sessions() as session:
        account = accounts.create(session, name=name, role=role, units=units, password=PASSWORD, known_units=KNOWN,
                                  email=f"{name}@example.gov.tw", actor="test")
        if role == "webmaster":
            account.totp_secret, account.totp_enabled = pyotp.random_base32(), True
        session.commit()
        session.refresh(account)
        return account


@pytest.fixture
def staff(office):  # noqa: F811
    return {"author": _account(office, "lin", "author", ("sec4",)),
            "reviewer": _account(office, "chen", "reviewer", ("sec4",)),
            "reviewer2": _account(office, "huang", "reviewer", ("sec4",)),
            "secretary": _account(office, "mei", "reviewer", ("secretariat",)),
            "stranger": _account(office, "other", "author", ("sec1",)),
            "webmaster": _account(office, "web", "webmaster", ("it",))}


def make_case(office, number: str = "1151202-000001", state: CaseState = CaseState.RECEIVED, unit: str = "secretariat",  # noqa: F811
              language: str = "zh-Hant-TW", drafted_by: int | None = None, draft_reply: str = "") -> str:
    now = utcnow()
    with office.sessions() as session:
        session.add(Case(number=number, password_hash="x", confirmation_hash=number, state=state, tier="normal", unit=unit,
                         submitted_at=now, received_at=now, received_on=now.astimezone(TAIWAN).date(),
                         deadline=now.astimezone(TAIWAN).date() + dt.timedelta(days=10), category="other", subject="路燈不亮",
                         message="中山路口的路燈壞了三天。", name="王小明", email="citizen@example.com", phone="0912345678",
                         language=language, address="203.0.113.9", attachment_name="photo.png", attachment_type="image/png",
                         attachment=b"\x89PNG-photo", draft_reply=draft_reply, drafted_by=drafted_by, reply="", satisfaction_comment="", reopen_reason="",
                         reopen_count=0))
        session.commit()
    return number


def client_of(app, account):  # noqa: F811
    return signed_in(app, account)
