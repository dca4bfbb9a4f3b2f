"""The back office for the accessibility gate, in its own process:

    python -m a11y_tests.admin_serve ACCOUNTS.json

A fresh SQLite database in a temporary folder, the demo accounts (written to ACCOUNTS.json with
their passwords and the webmaster's TOTP secret), then served like the site (a11y_tests.serve):
127.0.0.1 at a free port, first line 'PORT <n>'.
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
import tempfile
from pathlib import Path

from a11y_tests.serve import serve


def main(argv: list[str] | None = None) -> None:
    from gongkai.admin import create_app
    from gongkai.admin.accounts import load_units
    from gongkai.admin.demo import reset_demo_accounts
    from gongkai.mailbox.staff.demo import add_demo_cases

    accounts_file = Path((argv or sys.argv[1:])[0])
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    var = tempfile.mkdtemp(prefix="gongkai-a11y-admin-")
    try:
        app = create_app({"VAR_DIR": var, "DATABASE_URL": "", "CONTENT_RELOAD_SECONDS": 0})
        with app.extensions["gongkai.admin"].sessions() as db:
            made = reset_demo_accounts(db, load_units(app.config["CONTENT_DIR"]), app.config)
            add_demo_cases(db)
            db.commit()
        # by role, the first account of each (demo-reviewer, not demo-secretary, is "reviewer"); the secretariat's as "secretary"
        found: dict[str, dict] = {}
        for a in made:
            key = "secretary" if "secretariat" in a.units else a.role.value
            found.setdefault(key, {"name": a.name, "password": a.password, "totp": a.totp_secret})
        accounts_file.write_text(json.dumps(found), encoding="utf-8")
        serve(app)
    finally:
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
