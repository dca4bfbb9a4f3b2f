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

    accounts_file = Path((argv or sys.argv[1:])[0])
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    var = tempfile.mkdtemp(prefix="gongkai-a11y-admin-")
    try:
        app = create_app({"VAR_DIR": var, "DATABASE_URL": "", "CONTENT_RELOAD_SECONDS": 0})
        with app.extensions["gongkai.admin"].sessions() as db:
            made = reset_demo_accounts(db, load_units(app.config["CONTENT_DIR"]), app.config)
            db.commit()
        accounts_file.write_text(json.dumps({a.role.value: {"name": a.name, "password": a.password, "totp": a.totp_secret} for a in made}),
                                 encoding="utf-8")
        serve(app)
    finally:
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
