"""Token-bucket rate limits for sending: messages per second overall and per recipient domain."""

from __future__ import annotations

import threading
import time


class Bucket:
    def __init__(self, rate: float):
        self.rate = rate
        self.tokens = 1.0
        self.stamp = time.monotonic()

    def wait_time(self, now: float) -> float:
        """Seconds until a token is free (0 when one is, which it takes)."""
        # `now` may come from just before this bucket was made: never count time backwards.
        self.tokens = min(max(self.rate, 1.0), self.tokens + max(now - self.stamp, 0.0) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


class Throttle:
    """Shared by a worker's sending threads; a rate of 0 means no limit."""

    def __init__(self, per_second: float = 0, per_domain: float = 0):
        self.overall = Bucket(per_second) if per_second > 0 else None
        self.per_domain = per_domain
        self.domains: dict[str, Bucket] = {}
        self.lock = threading.Lock()

    def acquire(self, domain: str) -> None:
        """Block until one message to `domain` may go."""
        while wait := self.try_acquire(domain):
            time.sleep(min(wait, 1.0))

    def try_acquire(self, domain: str) -> float:
        """0 when one message to `domain` may go now (and it counts as gone), else the seconds to wait."""
        if self.overall is None and self.per_domain <= 0:
            return 0.0
        with self.lock:
            now = time.monotonic()
            wait = 0.0
            bucket = None
            if self.per_domain > 0:
                bucket = self.domains.setdefault(domain, Bucket(self.per_domain))
                wait = bucket.wait_time(now)
            if wait == 0.0 and self.overall is not None:
                wait = self.overall.wait_time(now)
                if wait and bucket is not None:
                    bucket.tokens += 1.0  # give the domain's token back: this message did not go yet
            return wait
