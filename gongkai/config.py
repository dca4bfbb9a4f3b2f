"""Settings, declared once as a table: name, default, help. Read from a mapping, then the
instance file, then GONGKAI_* environment variables (the flaskr / Datasette pattern)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    secret: bool = False  # its value is never printed (gongkai settings shows only whether it is set)


SETTINGS: tuple[Setting, ...] = (
    Setting("CONTENT_DIR", str(REPO_ROOT / "content"), "Folder holding site.yaml, codes/, docs/ and files/."),
    Setting("CONTENT_REPO", "", "The content repository: a git repository of its own (never the code's) where every publication is a commit; "
            "when set, it is the content folder that the site, the back office and every command read (CONTENT_DIR is then only the seed "
            "`gongkai content init` copies). Empty = CONTENT_DIR is read as a plain folder, except that `gongkai serve`, `make serve` and "
            "`gongkai admin serve --demo` then serve VAR_DIR/content, created from CONTENT_DIR on the first start."),
    Setting("VAR_DIR", str(REPO_ROOT / "var"), "Folder for generated state: search index, SQLite stores, reports."),
    Setting("BASE_URL", "", "Public address of the site (https://…), used in sitemap.xml and metadata; empty = the request's host "
            "(for a site on this machine only: the host names answered are then localhost, 127.0.0.1 and ::1)."),
    Setting("TRUSTED_HOSTS", "", "Host names the site answers, comma-separated exact names (the port is ignored); empty = BASE_URL's host, "
            "or the loopback names when BASE_URL is empty. Any other Host header gets 400."),
    Setting("PROXY_COUNT", 0, "Reverse proxies in front of the public site whose X-Forwarded-For / -Proto to trust (0 = none: the "
            "connecting address is the citizen's). Behind the agency's proxy set it, or the mailbox's per-address limit counts everyone as one."),
    Setting("CONTENT_RELOAD_SECONDS", 5, "How often a running site looks for changed content (0 = never). A build with problems is not swapped in."),
    Setting("NEWS_PER_PAGE", 10, "News items per page in the news list."),
    Setting("PAGE_CACHE_SIZE", 4096, "Rendered pages kept in memory per process (0 = no cache)."),
    Setting("SEARCH_BACKEND", "tantivy", "Search backend: tantivy (default) or whoosh."),
    Setting("SEARCH_INDEX_DIR", "", "Search index folder; empty = VAR_DIR/index."),
    Setting("DATA_DB", "", "SQLite store of dataset rows; empty = VAR_DIR/opendata.sqlite."),
    Setting("LINKS_DB", "", "SQLite history of link and accessibility audits; empty = VAR_DIR/audits.sqlite."),
    Setting("CHROMIUM", "/usr/bin/chromium", "Chromium for the accessibility audit and gate (Debian's package chromium; never a downloaded browser)."),
    Setting("CHROMEDRIVER", "/usr/bin/chromedriver", "chromedriver matching CHROMIUM (Debian's package chromium-driver)."),
    Setting("NODE_MODULES", str(REPO_ROOT / "node_modules"), "Folder with axe-core, pa11y-ci and vnu-jar, from 'npm ci --ignore-scripts'."),
    # the back office (gongkai.admin): its own application, database and mail
    Setting("DATABASE_URL", "", "The back office's database (SQLAlchemy URL): postgresql+psycopg://user@host/db in a real deployment; "
            "empty = SQLite at VAR_DIR/backoffice.sqlite."),
    Setting("ADMIN_BASE_URL", "", "Public address of the back office (https://…), served apart from the site; empty = this machine only "
            "(loopback host names, and session cookies without Secure, as plain http is then the only way in)."),
    Setting("ADMIN_TRUSTED_HOSTS", "", "Host names the back office answers, comma-separated; empty = ADMIN_BASE_URL's host, or the loopback names."),
    Setting("ADMIN_SECRET_KEY", "", "Key signing the back office's cookies and CSRF tokens; empty = a random key kept in VAR_DIR/admin-secret-key (mode 0600).",
            secret=True),
    Setting("ADMIN_PROXY_COUNT", 0, "Reverse proxies in front of the back office whose X-Forwarded-For / -Proto to trust (0 = none: "
            "the connecting address is the person's, as the audit log records it)."),
    Setting("ADMIN_IDLE_MINUTES", 30, "A back-office session ends after this many minutes without a request."),
    Setting("SIGN_IN_WINDOW_MINUTES", 15, "Failed sign-ins are counted over this many minutes (throttling)."),
    Setting("SIGN_IN_MAX_PER_ACCOUNT", 5, "Failed sign-ins allowed for one account name within the window before it must wait."),
    Setting("SIGN_IN_MAX_PER_ADDRESS", 20, "Failed sign-ins allowed from one network address within the window before it must wait."),
    Setting("MAIL_HOST", "", "SMTP server for the back office's mail; empty = mail is queued in the outbox and not sent."),
    Setting("MAIL_PORT", 587, "SMTP port (587 for STARTTLS, 465 for implicit TLS, 25 for none)."),
    Setting("MAIL_TLS", "starttls", "SMTP encryption: starttls, implicit or none (none only for a relay on this machine)."),
    Setting("MAIL_CA_FILE", "", "CA certificate (PEM) to verify the SMTP server's certificate with, e.g. the agency's own CA; empty = the system's."),
    Setting("MAIL_USER", "", "SMTP user name; empty = no authentication."),
    Setting("MAIL_PASSWORD", "", "SMTP password (never logged).", secret=True),
    Setting("MAIL_FROM", "noreply@localhost", "The From address of the back office's mail."),
    Setting("MAIL_MAX_ATTEMPTS", 8, "Times a message is tried (with growing waits, up to a day apart) before it is marked failed."),
    # the 意見信箱 (gongkai.mailbox): the public form and its cases, on the back office's database
    Setting("MAILBOX_SECRET_KEY", "", "Key signing the mailbox form's start time (the minimum fill time); empty = a random key kept in "
            "VAR_DIR/mailbox-secret-key (mode 0600).", secret=True),
    Setting("MAILBOX_MIN_FILL_SECONDS", 5, "A mailbox form sent sooner than this after it was served is refused as automated (no CAPTCHA)."),
    Setting("MAILBOX_RATE_WINDOW_MINUTES", 60, "Mailbox submissions and 案件查詢 failures are counted over this many minutes."),
    Setting("MAILBOX_MAX_PER_ADDRESS", 10, "Mailbox submissions allowed from one network address within the window."),
    Setting("MAILBOX_MAX_PER_EMAIL", 5, "Mailbox submissions allowed for one e-mail address within the window."),
    Setting("MAILBOX_LOOKUP_FAILURES", 10, "Wrong 案件查詢 number/password pairs allowed from one network address within the window."),
    Setting("MAILBOX_RETENTION_DAYS", 1825, "Days after a case is closed before `gongkai cases purge` removes its personal fields."),
    Setting("MAILBOX_REMIND_WORKING_DAYS", 1, "`gongkai cases remind` mails a unit's staff once when an open case's deadline is this many "
            "working days away or fewer (office calendar; 0 = on the deadline's day only); past the deadline, the unit's heads."),
)


def shown(setting: Setting, value: Any) -> str:
    """A setting's value as `gongkai settings` prints it: secrets, and a password inside a URL, hidden."""
    if setting.secret:
        return "(set, not shown)" if value else ""
    return re.sub(r"(://[^:/@]+:)[^@/]+@", r"\1***@", str(value))


def load_settings(overrides: Mapping[str, Any] | None = None, instance_file: Path | None = None) -> dict[str, Any]:
    """Defaults, then an optional instance file of NAME = value lines, then the environment, then overrides."""
    values = {s.name: s.default for s in SETTINGS}
    if instance_file and instance_file.is_file():
        namespace: dict[str, Any] = {}
        exec(compile(instance_file.read_text(encoding="utf-8"), str(instance_file), "exec"), namespace)  # noqa: S102 - the admin's own config file
        values.update({k: v for k, v in namespace.items() if k in values})
    for setting in SETTINGS:
        env = os.environ.get(f"GONGKAI_{setting.name}")
        if env is not None:
            values[setting.name] = type(setting.default)(env) if isinstance(setting.default, int) else env
    if overrides:
        unknown = set(overrides) - set(values) - {"TESTING", "SERVER_NAME"}
        if unknown:
            raise ValueError(f"unknown setting(s) {sorted(unknown)} — the settings are listed by 'gongkai settings'")
        values.update(overrides)
    if values["CONTENT_REPO"]:
        # one folder for everything that reads content: the site, the back office, check, index, data
        values["CONTENT_DIR"] = str(values["CONTENT_REPO"])
    return values


def stored_secret(var_dir: Path, filename: str) -> str:
    """A random key kept in VAR_DIR/filename (mode 0600), made on first use: the default of the
    secret-key settings, so a key survives restarts without anyone having to set one."""
    import secrets

    path = Path(var_dir) / filename
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip()
