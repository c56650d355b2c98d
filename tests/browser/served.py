"""`techissue serve` as a real subprocess (web, worker and scheduler in one process) over its own data dir.

The compose test needs the worker to hand a scheduled edition over and send it while the browser watches,
so the server is the product's own process, not pytest-django's live_server thread, and it has a file
database of its own that setup scripts reach through the same settings.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

PROJECT_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServedSite:
    """A running `techissue serve --port P` with SITE_URL on that port; `script` runs Python against its data."""

    def __init__(self, data_dir: Path, **env: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = data_dir
        self.env = {
            key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
        }
        self.env.update(
            {
                "DJANGO_SETTINGS_MODULE": "techissue.settings",
                "TECHISSUE_DATA_DIR": str(data_dir),
                "TECHISSUE_ENV_FILE": os.devnull,
                "SECRET_KEY": "browser-test-secret-key-that-is-long-enough-0123456789abcdef",
                "SITE_URL": self.url,
                "TECHISSUE_FETCH_ALLOW_NETWORKS": "127.0.0.0/8",
                "LOG_LEVEL": "WARNING",
                **env,
            }
        )
        self.process: subprocess.Popen[bytes] | None = None
        self.log = data_dir / "serve.log"

    def script(self, code: str) -> str:
        """Run `code` in a fresh Python with Django set up on this site's settings; returns its stdout."""
        done = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup()\n{code}"],
            env=self.env,
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode:
            raise RuntimeError(done.stderr[-3000:])
        return done.stdout.strip()

    def start(self) -> None:
        subprocess.run(
            [sys.executable, "-m", "techissue", "migrate", "--noinput", "-v", "0"],
            env=self.env,
            cwd=PROJECT_DIR,
            check=True,
            timeout=180,
        )
        log = self.log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "techissue",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--no-migrate",
            ],
            env=self.env,
            cwd=PROJECT_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.log.read_text()[-3000:])
            try:
                httpx.get(f"{self.url}/robots.txt", timeout=2)
                return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise RuntimeError("techissue serve did not answer in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
