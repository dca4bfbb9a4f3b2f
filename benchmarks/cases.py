"""意見信箱 benchmark: confirmed submissions per second through gunicorn, on PostgreSQL and on
SQLite, beside the plain page rate in the same run.

    .venv/bin/python benchmarks/cases.py [--seconds 10] [--clients 16] [--engines sqlite,postgresql]

For each engine: a fresh database (PostgreSQL: a throwaway server started here, as the tests do),
gunicorn as `gongkai serve` runs it (2 workers × 8 threads, --preload), and an SMTP server on
loopback (aiosmtpd) that the site mails through. Each client thread sends the form, waits for the
confirmation mail at the SMTP server, follows its link with the confirming POST and checks the
case number on the page: one *confirmed submission* is those two requests and the mail between
them. Prints confirmed submissions/s, and p50/p99 of the form's POST and of the confirmation's,
then the rate of a plain page (GET /mailbox/lookup/) with the same clients. Targets (issue 12):
>= 300 confirmed submissions/s on PostgreSQL with p99 < 100 ms. The client runs on the same cores.
"""

from __future__ import annotations

import argparse
import email
import os
import pwd
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from email.policy import default
from pathlib import Path

import requests
from aiosmtpd.controller import Controller

REPO = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("GONGKAI_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
LINK = re.compile(r"https?://[^/\s]+(/mailbox/confirm/[^/\s]+/)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailroom:
    """aiosmtpd handler: the confirmation link of each recipient, handed to the client waiting for it."""

    def __init__(self) -> None:
        self.links: dict[str, str] = {}
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=default)
        match = LINK.search(message.get_content())
        if match:
            with self.arrived:
                self.links[str(message["To"])] = match.group(1)
                self.arrived.notify_all()
        return "250 OK"

    def wait(self, recipient: str, timeout: float = 30) -> str | None:
        with self.arrived:
            self.arrived.wait_for(lambda: recipient in self.links, timeout)
            return self.links.pop(recipient, None)


def start_postgres(root: Path) -> tuple[str, list[str]]:
    """A throwaway PostgreSQL server in ``root``; returns its database URL and the command that stops it."""
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", free_port()
    subprocess.run([*run_as, str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-instructions"],
                   check=True, capture_output=True)
    subprocess.run([*run_as, str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w", "-o",
                    f"-k {root} -h 127.0.0.1 -p {port} -c max_connections=200", "start"], check=True, capture_output=True)
    subprocess.run([*run_as, str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "bench"], check=True,
                   capture_output=True)
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/bench", [*run_as, str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]


def start_site(database_url: str, var: Path, smtp_port: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "GONGKAI_CONTENT_RELOAD_SECONDS": "0", "GONGKAI_DATABASE_URL": database_url, "GONGKAI_VAR_DIR": str(var),
           "GONGKAI_MAILBOX_MIN_FILL_SECONDS": "0", "GONGKAI_MAILBOX_MAX_PER_ADDRESS": "100000000",
           "GONGKAI_MAIL_HOST": "127.0.0.1", "GONGKAI_MAIL_PORT": str(smtp_port), "GONGKAI_MAIL_TLS": "none",
           "GONGKAI_MAIL_FROM": "noreply@example.gov.tw"}
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "8",
                                "--worker-class", "gthread", "--preload", "--log-level", "warning", "gongkai.wsgi:app"], cwd=REPO, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if requests.get(base + "/mailbox/", timeout=2).status_code == 200:
                return process, base
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not answer /mailbox/ within two minutes")


def confirmed_submissions(base: str, mailroom: Mailroom, clients: int, seconds: float) -> dict:
    start_token = re.search(r'name="start" value="([^"]+)"', requests.get(base + "/mailbox/", timeout=10).text).group(1)
    sends, confirms, errors, done = [], [], [0], [0]
    lock, stop = threading.Lock(), time.monotonic() + seconds

    def client(number: int) -> None:
        session, sequence = requests.Session(), 0
        while time.monotonic() < stop:
            sequence += 1
            recipient = f"c{number}-{sequence}@example.com"
            began = time.perf_counter()
            sent = session.post(base + "/mailbox/", timeout=30, data={
                "start": start_token, "category": "suggestion", "subject": f"效能測試 {number}-{sequence}", "message": "內容",
                "name": "測試者", "email": recipient, "consent": "yes"})
            sent_ms = (time.perf_counter() - began) * 1000
            link = mailroom.wait(recipient) if sent.status_code == 200 else None
            if link is None:
                with lock:
                    errors[0] += 1
                continue
            began = time.perf_counter()
            confirmed = session.post(base + link, timeout=30)
            confirm_ms = (time.perf_counter() - began) * 1000
            with lock:
                if confirmed.status_code == 201 and 'id="case-number"' in confirmed.text:
                    sends.append(sent_ms)
                    confirms.append(confirm_ms)
                    done[0] += 1
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    return {"rate": done[0] / elapsed, "send": percentiles(sends), "confirm": percentiles(confirms), "errors": errors[0]}


def plain_pages(base: str, clients: int, seconds: float) -> dict:
    times, stop, lock = [], time.monotonic() + seconds, threading.Lock()

    def client() -> None:
        session = requests.Session()
        while time.monotonic() < stop:
            began = time.perf_counter()
            session.get(base + "/mailbox/lookup/", timeout=30).raise_for_status()
            with lock:
                times.append((time.perf_counter() - began) * 1000)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"rate": len(times) / (time.monotonic() - began), "latency": percentiles(times)}


def percentiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return (values[0], values[0]) if values else (0.0, 0.0)
    cuts = statistics.quantiles(values, n=100)
    return cuts[49], cuts[98]


def load() -> str:
    """The 1/5/15-minute load average: with two cores, anything above 2 means the run shared them."""
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args()
    print(f"cores {os.cpu_count()}, load average before the run {load()} (other sessions share the machine: figures are a floor)")
    print(f"{'engine':<11} {'confirmed/s':>11} {'send p50':>9} {'send p99':>9} {'conf p50':>9} {'conf p99':>9} {'err':>4} | "
          f"{'page/s':>7} {'p50 ms':>7} {'p99 ms':>7}")
    for engine in args.engines.split(","):
        root = Path(tempfile.mkdtemp(prefix=f"gongkai-bench-{engine}-"))
        root.chmod(0o755)  # the postgres user walks into it
        stop_database: list[str] = []
        mailroom = Mailroom()
        controller = Controller(mailroom, hostname="127.0.0.1", port=free_port())
        controller.start()
        site = None
        try:
            if engine == "postgresql":
                (root / "pg").mkdir()
                url, stop_database = start_postgres(root / "pg")
            else:
                url = f"sqlite:///{root / 'backoffice.sqlite'}"
            site, base = start_site(url, root / "var", controller.port)
            confirmed_submissions(base, mailroom, args.clients, 1)  # warm-up: each worker's first requests
            cases = confirmed_submissions(base, mailroom, args.clients, args.seconds)
            pages = plain_pages(base, args.clients, args.seconds)
            print(f"{engine:<11} {cases['rate']:>11,.1f} {cases['send'][0]:>9.1f} {cases['send'][1]:>9.1f} {cases['confirm'][0]:>9.1f} "
                  f"{cases['confirm'][1]:>9.1f} {cases['errors']:>4} | {pages['rate']:>7,.0f} {pages['latency'][0]:>7.1f} "
                  f"{pages['latency'][1]:>7.1f}  load {load()}", flush=True)
        finally:
            if site is not None:
                site.terminate()
                site.wait(20)
            controller.stop()
            if stop_database:
                subprocess.run(stop_database, capture_output=True)
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
