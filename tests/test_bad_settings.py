"""Every setting's bad value stops techissue with "configuration error: …" and exit code 2, never a traceback."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.test_docs_cover_everything import ROOT, settings_variables

HTTPS = {"SITE_URL": "https://news.example"}  # the HTTPS hardening settings are read only then
BAD: dict[str, tuple[str, dict[str, str]]] = {
    "TECHISSUE_DATA_DIR": ("{file}", {}),
    "DATABASE_URL": ("mysql://db/news", {}),
    "SECRET_KEY": ("too-short", {}),
    "DEBUG": ("maybe", {}),
    "SITE_URL": ("news.example", {}),
    "CSRF_TRUSTED_ORIGINS": ("news.example", {}),
    "SECURE_SSL_REDIRECT": ("sometimes", HTTPS),
    "SECURE_HSTS_SECONDS": ("a year", HTTPS),
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": ("maybe", HTTPS),
    "SECURE_HSTS_PRELOAD": ("maybe", HTTPS),
    "LANGUAGE_CODE": ("fr", {}),
    "TIME_ZONE": ("Mars/Olympus", {}),
    "CACHE_URL": ("memcached://127.0.0.1:11211", {}),
    "TECHISSUE_TRUSTED_PROXIES": ("-1", {}),
    "LOG_LEVEL": ("loud", {}),
    "TASKS_BACKEND": ("celery", {}),
    "TECHISSUE_SCHEDULE": ("someday 7", {}),
    "TECHISSUE_FETCH_INTERVAL_MINUTES": ("often", {}),
    "TECHISSUE_FETCH_CONCURRENCY": ("many", {}),
    "TECHISSUE_FETCH_PER_HOST": ("0", {}),
    "TECHISSUE_FETCH_MAX_BYTES": ("10 MB", {}),
    "TECHISSUE_FETCH_DEADLINE": ("soon", {}),
    "TECHISSUE_FETCH_ALLOW_NETWORKS": ("my-laptop", {}),
    "TECHISSUE_UPLOAD_MAX_BYTES": ("big", {}),
    "TECHISSUE_PREFLIGHT_LINK_TIMEOUT": ("soon", {}),
    "TECHISSUE_EXTRACT_PROCESSES": ("-1", {}),
    "EMAIL_URL": ("smtp://h?timeout=soon", {}),
    "DEFAULT_FROM_EMAIL": ("newsletter", {}),
    "DKIM_DOMAIN": ("not a domain", {}),
    "DKIM_PRIVATE_KEY_PATH": ("/nonexistent/dkim.pem", {}),
    "DKIM_ED25519_PRIVATE_KEY_PATH": ("/nonexistent/ed25519.pem", {}),
    "DELIVERY_BATCH_SIZE": ("lots", {}),
    "DELIVERY_LEASE_SECONDS": ("5", {}),
    "DELIVERY_CONNECTIONS": ("0", {}),
    "DELIVERY_PER_CONNECTION": ("lots", {}),
    "DELIVERY_RATE_PER_SECOND": ("fast", {}),
    "DELIVERY_RATE_PER_DOMAIN": ("-1", {}),
    "DELIVERY_RETRY_BASE_SECONDS": ("0", {}),
    "DELIVERY_RETRY_MAX_SECONDS": ("forever", {}),
    "DELIVERY_MAX_IN_FLIGHT": ("lots", {}),
    "DELIVERY_BREAKER_FAILURES": ("0", {}),
    "DELIVERY_BREAKER_SECONDS": ("a while", {}),
    "BOUNCE_MAILBOX_URL": ("http://mail.example", {}),
    "BOUNCE_ADDRESS": ("bounces", {}),
    "UNSUBSCRIBE_MAILTO": ("unsubscribe", {}),
    "ANYMAIL_WEBHOOK_SECRET": ("no-colon", {}),
    "LOG_FORMAT": ("xml", {}),
    "TECHISSUE_BACKOFF_MAX_SECONDS": ("0", {}),
    "TECHISSUE_CURATE_IN_CHILD": ("perhaps", {}),
    "TECHISSUE_CURATE_RETRY_SECONDS": ("later", {}),
    "TECHISSUE_GIVE_UP_SECONDS": ("never", {}),
    "TECHISSUE_HEARTBEAT_SECONDS": ("0", {}),
    "TECHISSUE_LOGIN_FAILURE_LIMIT": ("0", {}),
    "TECHISSUE_LOGIN_LOCKOUT_MINUTES": ("half an hour", {}),
    "TECHISSUE_METRICS": ("maybe", {}),
    "TECHISSUE_METRICS_ALLOW": ("the-office", {}),
    "TECHISSUE_SCHEDULER_SECONDS": ("0.1", {}),
    "TECHISSUE_TASK_ATTEMPTS": ("0", {}),
    "TECHISSUE_TASK_KEEP_DAYS": ("a week", {}),
    "TECHISSUE_TASK_RETRY_SECONDS": ("soon", {}),
    "TECHISSUE_API_RATE_PER_MINUTE": ("0", {}),
    "TECHISSUE_REPLY_TO": ("the editor", {}),
}
# Free text: any value is a value (names, keys, selectors).
FREE_FORM = {
    "ALLOWED_HOSTS", "ANYMAIL_API_KEY", "DKIM_SELECTOR", "DKIM_ED25519_SELECTOR", "TECHISSUE_ENV_FILE",
    "TECHISSUE_SENDER_NAME", "TECHISSUE_SENDER_CONTACT",
}  # fmt: skip


def clean_environment(tmp_path: Path) -> dict[str, str]:
    keep = {"PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    return {**env, "TECHISSUE_DATA_DIR": str(tmp_path / "data"), "TECHISSUE_ENV_FILE": os.devnull}


def test_it_has_a_bad_value_for_every_setting():
    untested = set(settings_variables()) - set(BAD) - FREE_FORM
    assert not untested, f"add a bad value for: {sorted(untested)}"


@pytest.mark.parametrize("name", sorted(BAD))
def test_it_refuses_a_bad_value_with_the_variables_name(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    afile = tmp_path / "a-file"
    afile.write_text("x")
    value, extra = BAD[name]
    for key in list(os.environ):
        monkeypatch.delenv(key)
    for key, item in {**clean_environment(tmp_path), **extra, name: value.format(file=afile)}.items():
        monkeypatch.setenv(key, item)
    with pytest.raises(ImproperlyConfigured, match=name):
        runpy.run_path(str(ROOT / "techissue" / "settings.py"), run_name="settings_under_test")


@pytest.mark.parametrize(("name", "value"), [("EMAIL_URL", "smtp://h?timeout=soon"), ("LOG_LEVEL", "loud")])
def test_the_command_line_says_configuration_error_and_exits_2(name: str, value: str, tmp_path: Path):
    env = {**clean_environment(tmp_path), name: value}
    done = subprocess.run([sys.executable, "-m", "techissue", "check"], env=env, capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.startswith(f"techissue: configuration error: {name}")
    assert "Traceback" not in done.stderr
