"""意見信箱 benchmark: confirmed submissions per second through gunicorn, on PostgreSQL and on
SQLite, beside the plain page rate in the same run.

    .venv/bin/python benchmarks/cases.py [--seconds 10] [--clients 16] [--processes 4] [--engines sqlite,postgresql]

For each engine: a fresh database (PostgreSQL: a throwaway server started here, as the tests do),
gunicorn as `gongkai serve` runs it (2 workers × 8 threads, --preload), and an SMTP server on
loopback (aiosmtpd) that the site mails through. Each client thread sends the form, waits for the
confirmation mail at the SMTP server, follows its link with the confirming POST and checks the
case number on the page: one *confirmed submission* is those two requests and the mail between
them. Prints confirmed submissions/s, p50/p99 of the form's POST, of the wait for the mail and of
the confirmation's POST, then the rate of a plain page (GET /mailbox/lookup/) with the same
clients. Targets (issue 12): >= 300 confirmed submissions/s on PostgreSQL with p99 < 100 ms.

The SMTP server and the clients run in processes of their own (multiprocessing), so neither the
measuring process nor one shared GIL sets the pace: with the sink and 16 client threads in one
process, each SMTP reply waited for the GIL behind the clients. They still share the 2 cores with
gunicorn and the database. The rate limits keep their defaults (10 submissions an hour per
address, 5 per e-mail): the site is told to trust one proxy (GONGKAI_PROXY_COUNT=1, as behind the
agency's reverse proxy) and each submission comes from its own X-Forwarded-For address and e-mail,
as many citizens would.
"""

from __future__ import annotations

import argparse
import email
import multiprocessing
import os
import pwd
import queue
import re
import resource
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

REPO = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("GONGKAI_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
LINK = re.compile(r"https?://[^/\s]+(/mailbox/confirm/[^/\s]+/)")
RECIPIENT = re.compile(r"^p(\d+)-")  # p<client process>-r<run>-c<thread>-<sequence>@example.com: which process waits for it


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    """aiosmtpd handler in the sink process: each confirmation link goes to the queue of the client
    process whose thread waits for it (receipts carry no link and are only counted as received)."""

    def __init__(self, inboxes: list[multiprocessing.Queue]) -> None:
        self.inboxes = inboxes

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=default)
        match = LINK.search(message.get_content())
        recipient = str(message["To"])
        owner = RECIPIENT.match(recipient)
        if match and owner:
            self.inboxes[int(owner.group(1))].put((recipient, match.group(1)))
        return "250 OK"


def run_sink(port: int, inboxes: list[multiprocessing.Queue], ready, stop) -> None:
    from aiosmtpd.controller import Controller

    controller = Controller(Sink(inboxes), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


class Mailroom:
    """In a client process: the links the sink forwarded, handed to the thread waiting for each."""

    def __init__(self, inbox: multiprocessing.Queue) -> None:
        self.links: dict[str, str] = {}
        self.arrived = threading.Condition()
        self.done = threading.Event()
        self.receiver = threading.Thread(target=self._receive, args=(inbox,))
        self.receiver.start()

    def close(self) -> None:
        """Stop reading before the process ends: a process that dies inside Queue.get keeps its
        lock, and the next run's process would then wait for its mail forever."""
        self.done.set()
        self.receiver.join()

    def _receive(self, inbox: multiprocessing.Queue) -> None:
        while not self.done.is_set():
            try:
                recipient, link = inbox.get(timeout=0.1)
            except queue.Empty:
                continue
            with self.arrived:
                self.links[recipient] = link
                self.arrived.notify_all()

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
           "GONGKAI_MAILBOX_MIN_FILL_SECONDS": "0", "GONGKAI_PROXY_COUNT": "1",
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


def submissions_client(base: str, run: int, process: int, threads: int, seconds: float, inbox: multiprocessing.Queue,
                       results: multiprocessing.Queue) -> None:
    """One client process: ``threads`` citizens, each sending the form, waiting for its mail and confirming."""
    cpu = own_cpu()
    mailroom = Mailroom(inbox)
    start_token = re.search(r'name="start" value="([^"]+)"', requests.get(base + "/mailbox/", timeout=10).text).group(1)
    sends, waits, confirms, errors = [], [], [], [0]
    lock = threading.Lock()
    began = time.monotonic()
    stop = began + seconds

    def client(number: int) -> None:
        session, sequence = requests.Session(), 0
        while time.monotonic() < stop:
            sequence += 1
            # one address and one e-mail per submission: many citizens, each under the default limits
            recipient = f"p{process}-r{run}-c{number}-{sequence}@example.com"
            address = f"10.{process * 16 + number}.{run * 128 + sequence // 256 % 128}.{sequence % 256}"
            began = time.perf_counter()
            try:
                sent = session.post(base + "/mailbox/", timeout=30, headers={"X-Forwarded-For": address}, data={
                    "start": start_token, "category": "suggestion", "subject": f"效能測試 {number}-{sequence}", "message": "內容",
                    "name": "測試者", "email": recipient, "consent": "yes"})
                sent_at = time.perf_counter()
                link = mailroom.wait(recipient) if sent.status_code == 200 else None
                arrived_at = time.perf_counter()
                # a keep-alive connection idle past gunicorn's 2 s is closed by it: the POST goes on a new one
                confirmed = session.post(base + link, timeout=30, headers={"X-Forwarded-For": address}) if link else None
                done_at = time.perf_counter()
            except requests.RequestException:
                confirmed = None
            with lock:
                if confirmed is not None and confirmed.status_code == 201 and 'id="case-number"' in confirmed.text:
                    sends.append((sent_at - began) * 1000)
                    waits.append((arrived_at - sent_at) * 1000)
                    confirms.append((done_at - arrived_at) * 1000)
                else:
                    errors[0] += 1

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    mailroom.close()
    results.put({"sends": sends, "waits": waits, "confirms": confirms, "errors": errors[0], "elapsed": time.monotonic() - began,
                 "cpu": own_cpu() - cpu})


def pages_client(base: str, threads: int, seconds: float, results: multiprocessing.Queue) -> None:
    times, lock, cpu = [], threading.Lock(), own_cpu()
    began = time.monotonic()
    stop = began + seconds

    def client() -> None:
        session = requests.Session()
        while time.monotonic() < stop:
            started = time.perf_counter()
            session.get(base + "/mailbox/lookup/", timeout=30).raise_for_status()
            with lock:
                times.append((time.perf_counter() - started) * 1000)

    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    results.put({"times": times, "elapsed": time.monotonic() - began, "cpu": own_cpu() - cpu})


def split(clients: int, processes: int) -> list[int]:
    """Client threads per process, as even as can be."""
    return [clients // processes + (n < clients % processes) for n in range(processes)]


def gather(processes: list, results: multiprocessing.Queue) -> list[dict]:
    """Start the client processes and collect one result from each (read before join: a full queue blocks its writer)."""
    for process in processes:
        process.start()
    parts = [results.get() for _ in processes]
    for process in processes:
        process.join()
    return parts


def confirmed_submissions(base: str, run: int, inboxes: list[multiprocessing.Queue], clients: int, seconds: float,
                          servers: list[int], sink: int) -> dict:
    results: multiprocessing.Queue = CONTEXT.Queue()
    server_cpu, sink_cpu = cpu_of(servers), cpu_of([sink])
    shares = split(clients, len(inboxes))
    processes = [CONTEXT.Process(target=submissions_client, args=(base, run, n, shares[n], seconds, inboxes[n], results))
                 for n in range(len(inboxes)) if shares[n]]
    parts = gather(processes, results)
    sends = [ms for part in parts for ms in part["sends"]]
    done = max(len(sends), 1)
    return {"rate": len(sends) / max(part["elapsed"] for part in parts), "send": percentiles(sends),
            "server_ms": (cpu_of(servers) - server_cpu) * 1000 / done,
            "client_ms": (cpu_of([sink]) - sink_cpu + sum(part["cpu"] for part in parts)) * 1000 / done,
            "wait": percentiles([ms for part in parts for ms in part["waits"]]),
            "confirm": percentiles([ms for part in parts for ms in part["confirms"]]), "errors": sum(part["errors"] for part in parts)}


def plain_pages(base: str, clients: int, processes: int, seconds: float, servers: list[int]) -> dict:
    results: multiprocessing.Queue = CONTEXT.Queue()
    server_cpu = cpu_of(servers)
    started = [CONTEXT.Process(target=pages_client, args=(base, share, seconds, results)) for share in split(clients, processes) if share]
    parts = gather(started, results)
    times = [ms for part in parts for ms in part["times"]]
    done = max(len(times), 1)
    return {"rate": len(times) / max(part["elapsed"] for part in parts), "latency": percentiles(times),
            "server_ms": (cpu_of(servers) - server_cpu) * 1000 / done, "client_ms": sum(part["cpu"] for part in parts) * 1000 / done}


TICK = os.sysconf("SC_CLK_TCK")


def cpu_of(roots: list[int]) -> float:
    """CPU seconds (user + system) used so far by these processes and all their descendants, from
    /proc: the machine is shared, so CPU per confirmed submission is the figure that noise spares."""
    parents, used = {}, {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)], used[int(entry.name)] = int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK
    family, total = set(roots), 0.0
    while True:
        more = {pid for pid, parent in parents.items() if parent in family and pid not in family}
        if not more:
            break
        family |= more
    for pid in family:
        total += used.get(pid, 0.0)
    return total


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def percentiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return (values[0], values[0]) if values else (0.0, 0.0)
    cuts = statistics.quantiles(values, n=100)
    return cuts[49], cuts[98]


def load() -> str:
    """The 1/5/15-minute load average: with two cores, anything above 2 means the run shared them."""
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


# fork: the children start at once and inherit nothing threaded (the parent starts no thread)
CONTEXT = multiprocessing.get_context("fork")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--processes", type=int, default=4, help="client processes the client threads are spread over")
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args()
    print(f"cores {os.cpu_count()}, load average before the run {load()} (other sessions share the machine: figures are a floor)")
    print(f"{'engine':<11} {'confirmed/s':>11} {'send p50':>9} {'send p99':>9} {'mail p50':>9} {'mail p99':>9} {'conf p50':>9} "
          f"{'conf p99':>9} {'err':>4} | {'page/s':>7} {'p50 ms':>7} {'p99 ms':>7}", flush=True)
    rows: list[tuple[str, dict, dict]] = []
    for engine in args.engines.split(","):
        root = Path(tempfile.mkdtemp(prefix=f"gongkai-bench-{engine}-"))
        root.chmod(0o755)  # the postgres user walks into it
        stop_database: list[str] = []
        inboxes = [CONTEXT.Queue() for _ in range(args.processes)]
        ready, stop_sink, smtp_port = CONTEXT.Event(), CONTEXT.Event(), free_port()
        sink = CONTEXT.Process(target=run_sink, args=(smtp_port, inboxes, ready, stop_sink), daemon=True)
        sink.start()
        ready.wait(30)
        site = None
        try:
            servers: list[int] = []
            if engine == "postgresql":
                (root / "pg").mkdir()
                url, stop_database = start_postgres(root / "pg")
                servers.append(int((root / "pg" / "data" / "postmaster.pid").read_text().split()[0]))
            else:
                url = f"sqlite:///{root / 'backoffice.sqlite'}"
            site, base = start_site(url, root / "var", smtp_port)
            servers.append(site.pid)
            confirmed_submissions(base, 0, inboxes, args.clients, 1, servers, sink.pid)  # warm-up: each worker's first requests
            cases = confirmed_submissions(base, 1, inboxes, args.clients, args.seconds, servers, sink.pid)
            pages = plain_pages(base, args.clients, args.processes, args.seconds, servers)
            rows.append((engine, cases, pages))
            print(f"{engine:<11} {cases['rate']:>11,.1f} {cases['send'][0]:>9.1f} {cases['send'][1]:>9.1f} {cases['wait'][0]:>9.1f} "
                  f"{cases['wait'][1]:>9.1f} {cases['confirm'][0]:>9.1f} {cases['confirm'][1]:>9.1f} {cases['errors']:>4} | "
                  f"{pages['rate']:>7,.0f} {pages['latency'][0]:>7.1f} {pages['latency'][1]:>7.1f}  load {load()}", flush=True)
        finally:
            if site is not None:
                site.terminate()
                site.wait(20)
            stop_sink.set()
            sink.join(10)
            if stop_database:
                subprocess.run(stop_database, capture_output=True)
            shutil.rmtree(root, ignore_errors=True)
    print("CPU per confirmed submission and per page, in ms (server: gunicorn + PostgreSQL; client: the clients + SMTP sink),")
    print(f"and the rate {os.cpu_count()} cores would allow if the site had them to itself:")
    for engine, cases, pages in rows:
        ceiling = os.cpu_count() * 1000 / max(cases["server_ms"], 0.001)
        print(f"{engine:<11} case: server {cases['server_ms']:.1f} ms, client {cases['client_ms']:.1f} ms, ceiling {ceiling:,.0f}/s | "
              f"page: server {pages['server_ms']:.2f} ms, client {pages['client_ms']:.2f} ms, "
              f"ceiling {os.cpu_count() * 1000 / max(pages['server_ms'], 0.001):,.0f}/s")


if __name__ == "__main__":
    main()
