"""The public site with the 意見信箱 for the accessibility gate, in its own process:

    python -m a11y_tests.mailbox_serve CASES.json

A fresh SQLite database in a temporary folder with what the citizen's pages need to be seen in
every state: unconfirmed messages (their confirmation links), an answered case, a §173
closure and a case merged into the answered one (numbers and passwords written to CASES.json); then served like the site
(a11y_tests.serve): 127.0.0.1 at a free port, first line 'PORT <n>'. The minimum fill time is 0,
so the browser may send the form at once.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import sys
import tempfile
from pathlib import Path

from a11y_tests.serve import serve


def main(argv: list[str] | None = None) -> None:
    from gongkai.admin.db import utcnow
    from gongkai.app import create_app
    from gongkai.mailbox import cases
    from gongkai.mailbox.states import CaseState, ClosureReason

    cases_file = Path((argv or sys.argv[1:])[0])
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    var = tempfile.mkdtemp(prefix="gongkai-a11y-mailbox-")
    try:
        app = create_app({"VAR_DIR": var, "DATABASE_URL": "", "CONTENT_RELOAD_SECONDS": 0, "MAILBOX_MIN_FILL_SECONDS": 0})
        box = app.extensions["gongkai.mailbox"]
        rules, calendar = box.data()
        now, tokens, made = utcnow(), [], {}
        with box.sessions() as db:
            for number in range(5):
                draft = cases.Draft(category="complaint", subject=f"檢定排程太久（第 {number + 1} 則）", message="申請水量計檢定後三週仍未排定日期。",
                                    name="陳美玲", email=f"chen{number}@example.com", phone="06-2345678", language="zh", address="127.0.0.1")
                cases.submit(db, draft, lambda token: tokens.append(token) or token, now)
            db.flush()
            for key, token in zip(("answered", "not_handled", "merged"), tokens[2:], strict=True):
                confirmed = cases.confirm(db, cases.pending(db, token, now), rules, calendar, "/mailbox/lookup/", now)
                made[key] = {"number": confirmed.case.number, "password": confirmed.password}
                if key == "answered":
                    answered = confirmed.case
                    confirmed.case.state, confirmed.case.reply = CaseState.ANSWERED, "已於 12 月 8 日排定檢定，承辦人會先以電話聯絡您。"
                    confirmed.case.answered_at, confirmed.case.answered_on, confirmed.case.closed_at = now, now.date(), now
                elif key == "not_handled":
                    confirmed.case.state, confirmed.case.closure_reason = CaseState.NOT_HANDLED, ClosureReason.REPEATED
                    confirmed.case.closed_at = now - dt.timedelta(days=1)
                else:  # a duplicate of the answered case
                    db.flush()  # the answered case's id
                    confirmed.case.state, confirmed.case.merged_into, confirmed.case.closed_at = CaseState.MERGED, answered.id, now
            db.commit()
        cases_file.write_text(json.dumps({"confirm": tokens[0], "confirm_post": tokens[1], **made}), encoding="utf-8")
        serve(app)
    finally:
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
