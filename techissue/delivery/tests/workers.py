"""Run `techissue deliver` and small setup scripts as real subprocesses against a given database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[3]

SETUP_SCRIPT = """
import django; django.setup()
from django.utils import timezone
from techissue.audience.models import Subscriber
from techissue.delivery.services import start_send
from techissue.editions.models import Edition
count = int({count})
now = timezone.now()
Subscriber.objects.bulk_create([
    Subscriber(email=f"reader{{i}}@example.test", name=f"Reader {{i}}", status="active", consent_at=now, consent_method="admin")
    for i in range(count)
])
Subscriber.objects.create(email="gone@example.test", status="unsubscribed")
edition = Edition.objects.create(number=7, title="Fault test", slug="fault-test")
print(start_send(edition))
"""


def worker_env(data_dir: Path, smtp_port: int, database_url: str | None = None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "techissue.settings",
            "TECHISSUE_DATA_DIR": str(data_dir),
            "TECHISSUE_ENV_FILE": os.devnull,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "LOG_LEVEL": "ERROR",
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=PROJECT_DIR, capture_output=True, text=True, check=True, timeout=300
    )


def start_deliver(env: dict[str, str], *options: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "techissue", "deliver", "--wait", *options]
    return subprocess.Popen(command, env=env, cwd=PROJECT_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
