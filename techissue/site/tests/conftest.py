"""Each test exports into its own data dir, so files left by one test never satisfy another."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def public_dir(settings: object, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    return tmp_path / "public"
