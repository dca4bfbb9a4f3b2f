"""The gongkai app on 127.0.0.1 at a free port, for a given content folder.

In a child process rather than a thread: each test site gets a fresh interpreter, so packages
that set themselves up once per process (blueprints, stores) see exactly one create_app().
"""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

SERVER = """
import logging, sys
from werkzeug.serving import make_server
from gongkai.app import create_app
logging.getLogger("werkzeug").setLevel(logging.ERROR)
app = create_app({"CONTENT_RELOAD_SECONDS": 0})
server = make_server("127.0.0.1", 0, app, threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
"""


@contextmanager
def serve_site(content_dir: Path, var_dir: Path):
    env = dict(os.environ, GONGKAI_CONTENT_DIR=str(content_dir), GONGKAI_VAR_DIR=str(var_dir))
    process = subprocess.Popen([sys.executable, "-c", SERVER], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline().strip()
        if not line.isdigit():
            raise RuntimeError(f"the site did not start (content {content_dir}); got {line!r}")
        yield f"http://127.0.0.1:{line}"
    finally:
        process.terminate()
        process.wait(timeout=10)
