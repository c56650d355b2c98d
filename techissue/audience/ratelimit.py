"""A fixed-window rate limit on Django's cache, shared by every web process that shares the cache."""

from __future__ import annotations

from django.core.cache import cache

SUBSCRIBE_PER_IP = (10, 3600)
SUBSCRIBE_PER_ADDRESS = (3, 3600)


def allow(key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit on `key`; False once more than `limit` hits fell into the current window."""
    cache_key = f"techissue:ratelimit:{key}"
    # add() is atomic where it matters (Redis, memcached): the first hit creates the counter with its expiry.
    if cache.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=window_seconds)
        return True
    return count <= limit
