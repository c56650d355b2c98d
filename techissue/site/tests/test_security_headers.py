"""Every page carries the security headers: Django's pages, the admin, and the static export nginx serves."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.test import Client, override_settings

from techissue.editions.tests.builders import published_edition
from techissue.headers import PERMISSIONS_POLICY, csp_text, hsts_text
from techissue.site.export import export_site

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "nginx.conf.example"
# The headers an exported page must carry exactly as Django sends them on its own copy of that page.
SAME = ["Content-Security-Policy", "Permissions-Policy", "Referrer-Policy", "X-Content-Type-Options", "X-Frame-Options"]


def directives(policy: str) -> dict[str, list[str]]:
    """A policy as {directive: sources}: django-csp writes the directives in no fixed order."""
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {words[0]: words[1:] for words in parts}


def get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def nginx(data_dir: Path, upstream: str, base: Path) -> Iterator[str]:
    """docs/nginx.conf.example as an operator installs it, on a loopback port, in front of `upstream`."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(binary):
        pytest.skip("nginx is not installed (scripts/system-deps.sh installs nginx-light)")
    port = free_port()
    server = EXAMPLE.read_text(encoding="utf-8")
    for old, new in [
        ("/srv/techissue/var", str(data_dir)),
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("server 127.0.0.1:8000;", f"server {upstream.removeprefix('http://')};"),
    ]:
        assert old in server, f"{EXAMPLE} no longer contains {old!r}"
        server = server.replace(old, new)
    (base / "tmp").mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = " ".join(f"{kind}_temp_path {base}/tmp;" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    config = base / "nginx.conf"
    config.write_text(
        f"{user}worker_processes 1; daemon off; pid {base}/nginx.pid; error_log {base}/error.log warn;\n"
        f"events {{ worker_connections 64; }}\n"
        f"http {{ include /etc/nginx/mime.types; access_log off; {temp}\n{server}\n}}\n"
    )
    process = subprocess.Popen([binary, "-c", str(config), "-p", str(base)], stderr=subprocess.PIPE)
    try:
        for _ in range(200):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else "nginx stopped"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.django_db(transaction=True)
def test_it_sends_the_same_headers_on_the_exported_page_as_django(live_server, settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"
    edition = published_edition(title="보안 머리글")
    export_site()

    status, django_headers, django_body = get(f"{live_server.url}{edition.get_absolute_url()}")
    assert status == 200
    with nginx(settings.DATA_DIR, live_server.url, tmp_path) as front:
        status, static_headers, static_body = get(f"{front}{edition.get_absolute_url()}")

    assert status == 200 and "ETag" in static_headers and "Set-Cookie" not in static_headers  # the exported file
    assert static_body == django_body
    for name in SAME[1:]:
        assert static_headers.get(name) == django_headers.get(name), name
    policy = directives(django_headers["Content-Security-Policy"])
    assert directives(static_headers["Content-Security-Policy"]) == policy == directives(csp_text())
    # Only files may run on an exported page: nginx's policy has no nonce, so an inline script would be refused.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", static_body)
    with override_settings(SECURE_HSTS_SECONDS=31536000):
        assert static_headers["Strict-Transport-Security"] == hsts_text() == "max-age=31536000"


def test_it_sends_a_nonce_policy_and_permissions_policy_on_the_admin(client: Client) -> None:
    response = client.get("/admin/login/")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-eval'" not in policy
    assert "default-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert re.search(r"script-src [^;]*'unsafe-inline'", policy) is None
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert response["Referrer-Policy"] == "same-origin"


def test_it_adds_a_fresh_nonce_when_a_page_uses_one(rf) -> None:
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    def view(request):  # type: ignore[no-untyped-def]
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    middleware = CSPMiddleware(view)  # type: ignore[arg-type]
    first, second = middleware(rf.get("/")), middleware(rf.get("/"))
    nonces = [re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1] for response in (first, second)]
    assert nonces[0] != nonces[1]
    assert f'nonce="{nonces[0]}"' in first.content.decode()


@pytest.mark.django_db
def test_it_makes_hsts_preload_and_subdomains_opt_in(client: Client) -> None:
    with override_settings(
        SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=False, SECURE_HSTS_PRELOAD=False
    ):
        response = client.get("/admin/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"


def test_it_keeps_preload_off_in_production_settings(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TECHISSUE_DATA_DIR": str(tmp_path),
        "TECHISSUE_ENV_FILE": os.devnull,
        "SITE_URL": "https://news.example.com",
        "DJANGO_SETTINGS_MODULE": "techissue.settings",
    }
    code = "from django.conf import settings as s; print(s.SECURE_HSTS_PRELOAD, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"], env=env, capture_output=True, text=True
    )
    assert done.stdout.split() == ["False", "False"], done.stderr
