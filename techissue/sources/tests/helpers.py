"""Small helpers for the tests: run a coroutine, fetch one URL under a test policy."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from techissue.sources.fetch import Fetcher, FetchPolicy, FetchResult

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion in a fresh event loop (no pytest-asyncio here)."""
    return asyncio.run(coroutine)


def quick_policy(**overrides: Any) -> FetchPolicy:
    """A policy with short limits so the slow-server tests stay fast."""
    values: dict[str, Any] = {"connect_timeout": 0.5, "read_timeout": 1.5, "deadline": 2.0}
    values.update(overrides)
    return FetchPolicy(**values)


def fetch(url: str, policy: FetchPolicy | None = None, **conditional: str | None) -> FetchResult:
    """Fetch one URL with a fresh Fetcher."""

    async def go() -> FetchResult:
        async with Fetcher(policy or quick_policy()) as fetcher:
            return await fetcher.get(url, **conditional)

    return run(go())
