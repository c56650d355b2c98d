"""Edition and post pages under wrk: nginx over the static export (production), gunicorn alone, nginx on a file."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
EXAMPLE = ROOT / "docs" / "nginx.conf.example"
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


def production_server_block(data_dir: Path, front_port: int, app_port: int) -> str:
    """docs/nginx.conf.example as an operator would install it, with this run's paths and ports."""
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in [
        ("/srv/techissue/var", str(data_dir)),
        ("listen 80;", f"listen 127.0.0.1:{front_port};"),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
    ]:
        if old not in text:
            raise SystemExit(f"{EXAMPLE} no longer contains {old!r}: update bench/site.py with it")
        text = text.replace(old, new)
    return text


def nginx_config(base: Path, production: str, static_port: int) -> Path:
    """One nginx: the production server block (a) and a plain static file server (c) on another port."""
    config = base / "nginx.conf"
    user = "user root;\n" if os.geteuid() == 0 else ""
    config.write_text(
        f"""{user}worker_processes 2;
daemon off;
pid {base}/nginx.pid;
error_log {base}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path {base}/tmp; proxy_temp_path {base}/tmp; fastcgi_temp_path {base}/tmp;
  uwsgi_temp_path {base}/tmp; scgi_temp_path {base}/tmp;
{production}
  server {{ listen 127.0.0.1:{static_port}; default_type text/html; root {base}/www;
           location / {{ try_files /edition.html =404; }} }}
}}
"""
    )
    return config


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def check_front(front: str, edition_path: str, html: bytes) -> None:
    """The production front answers the edition from the exported file, and passes the rest to Django."""
    status, headers, body = fetch(f"{front}{edition_path}")
    assert status == 200 and body == html, "nginx's copy differs from Django's page"
    assert "ETag" in headers and "Set-Cookie" not in headers, "the edition page was not served from the file"
    status, headers, _ = fetch(f"{front}/csrf/")
    assert status == 204 and "csrftoken" in headers.get("Set-Cookie", ""), "/csrf/ did not reach Django"
    assert fetch(f"{front}/e/999-missing/")[0] == 404, "an unknown edition did not reach Django"


def main() -> int:
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            print(f"bench/site.py needs {tool} (Debian packages wrk and nginx-light)")
            return 2
    base = Path(tempfile.mkdtemp(prefix="techissue-bench-"))
    (base / "www").mkdir()
    (base / "tmp").mkdir()
    data_dir = base / "data"
    env = {
        **os.environ,
        "TECHISSUE_DATA_DIR": str(data_dir),
        "TECHISSUE_ENV_FILE": os.devnull,
        "SECRET_KEY": "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DEBUG": "false",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("DATABASE_URL", None)
    techissue = str(VENV_BIN / "techissue")
    subprocess.run([techissue, "migrate", "-v0"], env=env, check=True)
    path = subprocess.run([techissue, "shell", "-c", SETUP], env=env, check=True, capture_output=True, text=True)
    edition_path = path.stdout.strip().splitlines()[-1]
    # Publishing exported the pages already; the operator guide runs the command once too.
    subprocess.run([techissue, "publish_site"], env=env, check=True, stdout=subprocess.DEVNULL)
    app_port, front_port, static_port = free_port(), free_port(), free_port()
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
        production = production_server_block(data_dir, front_port, app_port)
        config = nginx_config(base, production, static_port)
        nginx = subprocess.Popen([nginx_bin, "-c", str(config), "-p", str(base)])
        front = f"http://127.0.0.1:{front_port}"
        static_url = f"http://127.0.0.1:{static_port}/e/"
        assert wait_for(static_url) == html
        check_front(front, edition_path, html)
        print(f"edition page: {len(html)} bytes; wrk {' '.join(WRK_ARGS)}")
        front_rate, front_p99 = run_wrk(f"{front}{edition_path}")
        # The edition's editorial as a post of the magazine: exported too, so nginx serves it as a file.
        post_path = f"{edition_path}editorial/"
        post_html = wait_for(f"http://127.0.0.1:{app_port}{post_path}")
        status, headers, body = fetch(f"{front}{post_path}")
        assert status == 200 and body == post_html and "ETag" in headers, "the post page was not served from its file"
        post_rate, post_p99 = run_wrk(f"{front}{post_path}")
        app_rate, app_p99 = run_wrk(app_url)
        static_rate, static_p99 = run_wrk(static_url)
    finally:
        gunicorn.terminate()
        if nginx:
            nginx.terminate()
        gunicorn.wait(10)
        if nginx:
            nginx.wait(10)
    print(f"(a) nginx + export, try_files -> gunicorn: {front_rate:10.0f} req/s   p99 {front_p99:7.2f} ms")
    print(f"(a') the editorial's post page, the same way: {post_rate:8.0f} req/s   p99 {post_p99:7.2f} ms")
    print(f"(b) gunicorn alone (-w 2 --threads 4):      {app_rate:10.0f} req/s   p99 {app_p99:7.2f} ms")
    print(f"(c) nginx, the same HTML as a static file:  {static_rate:10.0f} req/s   p99 {static_p99:7.2f} ms")
    print(f"ratio (a)/(c): {front_rate / static_rate:.3f} (goal >= 0.3, p99 < 50 ms)")
    print(f"ratio (a')/(c): {post_rate / static_rate:.3f} (goal >= 0.3, p99 < 50 ms)")
    print(f"ratio (b)/(c): {app_rate / static_rate:.3f}")
    shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
