"""Edition page throughput: gunicorn (as the README runs it) against nginx serving the same HTML, under wrk."""

from __future__ import annotations

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

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
WRK_ARGS = ["-t2", "-c64", "-d10s", "--latency"]
SETUP = """
from techissue.editions import services
from techissue.editions.models import Edition, Pick
edition = Edition.objects.create(number=1, title="AI 반도체 전쟁, 이번 주의 흐름", subtitle="메모리 가격과 수출",
    language="ko", editorial_md="> 이번 주에 읽을 것\\n\\n" + "반도체 수출이 늘었다. " * 60)
Pick.objects.bulk_create([Pick(edition=edition, position=n, headline=f"기사 제목 {n}: 엔비디아와 삼성전자",
    url=f"https://example.com/{n}", outlets="연합뉴스, Reuters", comment="요약 문장입니다. " * 8) for n in range(1, 11)])
services.publish_edition(edition)
print(edition.get_absolute_url())
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 20.0) -> bytes:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url: str) -> tuple[float, float]:
    """(requests per second, p99 latency in ms)."""
    out = subprocess.run(["wrk", *WRK_ARGS, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    p99 = to_ms(re.search(r"99%\s+(\S+)", out)[1])  # type: ignore[index]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"  warning: {errors[1]} error responses from {url}")
    return rate, p99


def nginx_config(base: Path, port: int) -> Path:
    config = base / "nginx.conf"
    user = "user root;\n" if os.geteuid() == 0 else ""
    config.write_text(
        f"""{user}worker_processes 2;
daemon off;
pid {base}/nginx.pid;
error_log {base}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  default_type text/html;
  client_body_temp_path {base}/tmp; proxy_temp_path {base}/tmp; fastcgi_temp_path {base}/tmp;
  uwsgi_temp_path {base}/tmp; scgi_temp_path {base}/tmp;
  server {{ listen 127.0.0.1:{port}; root {base}/www; location / {{ try_files /edition.html =404; }} }}
}}
"""
    )
    return config


def main() -> int:
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            print(f"bench/site.py needs {tool} (Debian packages wrk and nginx-light)")
            return 2
    base = Path(tempfile.mkdtemp(prefix="techissue-bench-"))
    (base / "www").mkdir()
    (base / "tmp").mkdir()
    env = {
        **os.environ,
        "TECHISSUE_DATA_DIR": str(base / "data"),
        "TECHISSUE_ENV_FILE": os.devnull,
        "DATABASE_URL": "",
        "SECRET_KEY": "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DEBUG": "false",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("DATABASE_URL")
    techissue = str(VENV_BIN / "techissue")
    subprocess.run([techissue, "migrate", "-v0"], env=env, check=True)
    path = subprocess.run([techissue, "shell", "-c", SETUP], env=env, check=True, capture_output=True, text=True)
    edition_path = path.stdout.strip().splitlines()[-1]
    app_port, nginx_port = free_port(), free_port()
    gunicorn = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "techissue.wsgi", "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{app_port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    nginx = None
    try:
        app_url = f"http://127.0.0.1:{app_port}{edition_path}"
        html = wait_for(app_url)
        (base / "www" / "edition.html").write_bytes(html)
        os.chmod(base, 0o755)
        nginx_bin = shutil.which("nginx") or "/usr/sbin/nginx"
        nginx = subprocess.Popen([nginx_bin, "-c", str(nginx_config(base, nginx_port)), "-p", str(base)])
        nginx_url = f"http://127.0.0.1:{nginx_port}/e/"
        assert wait_for(nginx_url) == html
        print(f"edition page: {len(html)} bytes; wrk {' '.join(WRK_ARGS)}")
        app_rate, app_p99 = run_wrk(app_url)
        nginx_rate, nginx_p99 = run_wrk(nginx_url)
    finally:
        gunicorn.terminate()
        if nginx:
            nginx.terminate()
        gunicorn.wait(10)
        if nginx:
            nginx.wait(10)
    print(f"gunicorn (-w 2 --threads 4): {app_rate:10.0f} req/s   p99 {app_p99:7.2f} ms")
    print(f"nginx (static file):         {nginx_rate:10.0f} req/s   p99 {nginx_p99:7.2f} ms")
    print(f"ratio gunicorn/nginx: {app_rate / nginx_rate:.3f} (goal >= 0.3); p99 goal < 50 ms")
    shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
