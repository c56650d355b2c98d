"""`techissue check --deploy` is clean under production settings (an https SITE_URL, a real secret)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent / "techissue"


def test_it_passes_the_deploy_check_in_production(tmp_path: Path):
    env = {
        **os.environ,
        "TECHISSUE_DATA_DIR": str(tmp_path),
        "TECHISSUE_ENV_FILE": os.devnull,
        "SITE_URL": "https://news.example.com",
        "ALLOWED_HOSTS": "news.example.com",
        "SECRET_KEY": "x7Qp-production-like-secret-key-9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests' setting, never a deployment's
    done = subprocess.run(
        [str(BIN), "check", "--deploy", "--fail-level", "WARNING"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_it_refuses_a_bad_setting_with_a_clear_message(tmp_path: Path):
    env = {
        **os.environ,
        "TECHISSUE_DATA_DIR": str(tmp_path),
        "TECHISSUE_ENV_FILE": os.devnull,
        "TIME_ZONE": "Mars/Olympus",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run([str(BIN), "check"], env=env, capture_output=True, text=True)
    assert done.returncode == 2
    assert "TIME_ZONE is not a known time zone" in done.stderr
    assert "Traceback" not in done.stderr
