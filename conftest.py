"""Suite-wide test setup: a throwaway data dir, and the `db` marker on every test that touches the database."""

from __future__ import annotations

import os
import tempfile

import pytest

# Settings read these at import time: a test run never touches the developer's ./var or .env.
os.environ.setdefault("TECHISSUE_DATA_DIR", tempfile.mkdtemp(prefix="techissue-test-"))
os.environ.setdefault("TECHISSUE_ENV_FILE", os.devnull)
os.environ.setdefault("SECRET_KEY", "test-secret-key-that-is-long-enough-for-django-0123456789")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark database tests so that `pytest -m db` runs exactly them on PostgreSQL."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or fixtures & {"db", "transactional_db", "django_db_setup", "live_server"}:
            item.add_marker(pytest.mark.db)
