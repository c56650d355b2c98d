"""Suite-wide fixtures, and the `db` marker on every test that touches the database (settings: tests/settings.py)."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark database tests so that `pytest -m db` runs exactly them on PostgreSQL."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or fixtures & {
            "db",
            "transactional_db",
            "django_db_setup",
            "live_server",
        }:
            item.add_marker(pytest.mark.db)


@pytest.fixture(scope="session")
def demo_newsroom():  # type: ignore[no-untyped-def]
    """The bundled demo newsroom, served on a loopback port for the whole run."""
    from pathlib import Path

    from techissue.newsroom.server import serve_corpus

    with serve_corpus(Path(__file__).parent / "demo" / "newsroom") as server:
        yield server
