"""Fixtures: one misbehaving loopback server for the whole session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .badserver import BadServer


@pytest.fixture(scope="session")
def server() -> Iterator[BadServer]:
    bad = BadServer().start()
    yield bad
    bad.stop()
