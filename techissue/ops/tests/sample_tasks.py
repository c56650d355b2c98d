"""Tasks for the task-loop tests: one that fails a given number of times, then succeeds."""

from __future__ import annotations

from django.core.cache import cache
from django_tasks import task


@task()
def flaky(key: str, failures: int) -> int:
    """Fail `failures` times (counted in the cache under `key`), then return the attempt number."""
    attempt = cache.get(key, 0) + 1
    cache.set(key, attempt)
    if attempt <= failures:
        raise ConnectionError(f"attempt {attempt} failed")
    return attempt
