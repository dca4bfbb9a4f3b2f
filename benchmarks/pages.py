"""Page-serving benchmark: gunicorn (the production server) beside a static server on the
`gongkai freeze` output, same pages, same load, one run.

    .venv/bin/python benchmarks/pages.py [--seconds 10] [--connections 50]

Needs `wrk` (apt-get install wrk) for the load and `nginx` (apt-get install nginx-light) for
the static baseline; without nginx it falls back to Python's http.server and says so.
Prints requests/s, p50/p99 latency and errors per page; targets for dynamic pages on a 2-core
machine: >= 1,000 req/s and p99 < 100 ms with 0 errors.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGES = {  # kind → path, the same in both servers
    "home": "/",
    "list": "/procedures/",
    "detail": "/procedures/taxi-meter-verification/",
    "form page": "/forms/",
    "news page 2": "/news/page/2/",
    "en detail": "/en/page/about/",
}
NGINX_CONF = """
daemon off; worker_processes 2; pid {tmp}/nginx.pid; error_log {tmp}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000;
  include /etc/nginx/mime.types; default_type text/html;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fcgi;
  uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  server {{ listen 127.0.0.1:{port}; root {root}; index index.html; error_page 404 /404.html; }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not answer within {timeout:.0f}s")


def wrk(url: str, seconds: int, connections: int) -> dict[str, float]:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    def latency(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": latency("50"),
            "p99": latency("99"), "errors": errors + (int(non2xx.group(1)) if non2xx else 0)}


def start_dynamic(port: int) -> subprocess.Popen:
    env = {**os.environ, "GONGKAI_CONTENT_RELOAD_SECONDS": "0"}
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                             "--threads", "8", "--worker-class", "gthread", "--preload", "--log-level", "warning", "gongkai.wsgi:app"],
                            cwd=REPO, env=env)


def start_static(root: Path, port: int, tmp: Path) -> tuple[subprocess.Popen, str]:
    if shutil.which("nginx"):
        conf = tmp / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, root=root))
        return subprocess.Popen(["nginx", "-c", str(conf), "-p", str(tmp)]), "nginx"
    print("nginx not found (apt-get install nginx-light): static baseline uses python -m http.server", file=sys.stderr)
    return subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(root)]), "http.server"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="load duration per page and server")
    parser.add_argument("--connections", type=int, default=50, help="concurrent connections")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed for the load: apt-get install wrk")
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        # nginx started by root drops its workers to `nobody`, who cannot read a 0700 temp dir (403s)
        tmp.chmod(0o755)
        build = tmp / "build"
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "gongkai", "freeze", str(build)], cwd=REPO, check=True)
        print(f"freeze: {time.monotonic() - started:.1f} s, {sum(1 for p in build.rglob('*') if p.is_file())} files")
        dynamic_port, static_port = free_port(), free_port()
        servers = [start_dynamic(dynamic_port)]
        static, static_name = start_static(build, static_port, tmp)
        servers.append(static)
        try:
            wait_until_up(f"http://127.0.0.1:{dynamic_port}/")
            wait_until_up(f"http://127.0.0.1:{static_port}/")
            print(f"\n{args.connections} connections, {args.seconds} s per run, wrk -t2 on the same 2-core machine\n")
            print(f"{'page':<12} {'gunicorn req/s':>14} {'p50 ms':>7} {'p99 ms':>7} {'err':>4} | "
                  f"{static_name + ' req/s':>16} {'p50 ms':>7} {'p99 ms':>7} {'err':>4}")
            for kind, path in PAGES.items():
                for port in (dynamic_port, static_port):  # warm both (gunicorn renders each page once per worker)
                    for _ in range(4):
                        urllib.request.urlopen(f"http://127.0.0.1:{port}{path}").read()  # noqa: S310
                dyn = wrk(f"http://127.0.0.1:{dynamic_port}{path}", args.seconds, args.connections)
                sta = wrk(f"http://127.0.0.1:{static_port}{path}", args.seconds, args.connections)
                print(f"{kind:<12} {dyn['rps']:>14,.0f} {dyn['p50']:>7.2f} {dyn['p99']:>7.2f} {dyn['errors']:>4} | "
                      f"{sta['rps']:>16,.0f} {sta['p50']:>7.2f} {sta['p99']:>7.2f} {sta['errors']:>4}")
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=10)


if __name__ == "__main__":
    main()
