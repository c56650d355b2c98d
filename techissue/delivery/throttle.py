"""Rate limits for sending: fixed token buckets (overall and per recipient domain) and the relay's own "slow down"."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable

log = logging.getLogger(__name__)

RELAY = "*"  # the key of the relay as a whole (a 421), next to recipient domains (a 451)
RECENT = 32  # sends remembered per key to estimate the rate at the moment the relay complained
RAMP_SECONDS = 60.0  # after a slow-down, the rate climbs back to where it was over this long


class Bucket:
    def __init__(self, rate: float, now: float | None = None):
        self.rate = rate
        self.tokens = 1.0
        self.stamp = time.monotonic() if now is None else now

    def wait_time(self, now: float) -> float:
        """Seconds until a token is free (0 when one is, which it takes)."""
        # `now` may come from just before this bucket was made: never count time backwards.
        self.tokens = min(max(self.rate, 1.0), self.tokens + max(now - self.stamp, 0.0) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate

    def give_back(self) -> None:
        self.tokens += 1.0


class SlowDown:
    """A rate that a relay asked for: half of what we sent at when it said 421/451, back to full over a minute."""

    def __init__(self, was: float, now: float, floor: float):
        self.was = max(was, floor * 2)
        self.since = now
        self.floor = floor
        self.bucket = Bucket(self.rate(now), now)

    def rate(self, now: float) -> float:
        return max(self.floor, self.was / 2 + self.was / 2 * min((now - self.since) / RAMP_SECONDS, 1.0))

    def over(self, now: float) -> bool:
        return now - self.since >= RAMP_SECONDS


class Throttle:
    """A rate of 0 means no limit. `slow_down` lowers the rate for the relay or for one domain, adaptively."""

    def __init__(
        self,
        per_second: float = 0,
        per_domain: float = 0,
        floor: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.overall = Bucket(per_second) if per_second > 0 else None
        self.per_domain = per_domain
        self.domains: dict[str, Bucket] = {}
        self.floor = floor
        self.clock = clock
        self.slowed: dict[str, SlowDown] = {}
        self.recent: dict[str, deque[float]] = {}
        self.lock = threading.Lock()

    def acquire(self, domain: str) -> None:
        """Block until one message to `domain` may go."""
        while wait := self.try_acquire(domain):
            time.sleep(min(wait, 1.0))

    def try_acquire(self, domain: str) -> float:
        """0 when one message to `domain` may go now (and it counts as gone), else the seconds to wait."""
        if self.overall is None and self.per_domain <= 0 and not self.slowed:
            self._note(domain, self.clock())
            return 0.0
        with self.lock:
            now = self.clock()
            taken: list[Bucket] = []
            for bucket in self._buckets(domain, now):
                wait = bucket.wait_time(now)
                if wait:
                    for other in taken:  # give the tokens back: this message did not go yet
                        other.give_back()
                    return wait
                taken.append(bucket)
            self._note(domain, now)
            return 0.0

    def _buckets(self, domain: str, now: float) -> list[Bucket]:
        buckets = []
        for key in (domain, RELAY):
            slowed = self.slowed.get(key)
            if slowed is not None:
                if slowed.over(now):
                    del self.slowed[key]
                    log.info("sending to %s is back at full speed", "the relay" if key == RELAY else key)
                else:
                    slowed.bucket.rate = slowed.rate(now)
                    buckets.append(slowed.bucket)
        if self.per_domain > 0:
            buckets.append(self.domains.setdefault(domain, Bucket(self.per_domain, now)))
        if self.overall is not None:
            buckets.append(self.overall)
        return buckets

    def _note(self, domain: str, now: float) -> None:
        for key in (domain, RELAY):
            self.recent.setdefault(key, deque(maxlen=RECENT)).append(now)

    def recent_rate(self, key: str) -> float:
        times = self.recent.get(key)
        if not times or len(times) < 2 or times[-1] <= times[0]:
            return self.floor * 2
        return (len(times) - 1) / (times[-1] - times[0])

    def slow_down(self, key: str) -> float:
        """The relay said 421 (key RELAY) or 451 for a domain: halve the rate for that key; returns the new rate."""
        with self.lock:
            now = self.clock()
            current = self.slowed.get(key)
            was = current.rate(now) if current is not None else self.recent_rate(key)
            if current is not None and now - current.since < 1.0:
                return current.rate(now)  # one complaint per second is enough: replies in flight say the same
            slowed = self.slowed[key] = SlowDown(was, now, self.floor)
        rate = slowed.rate(now)
        log.warning(
            "%s asked to slow down: now at most %.1f messages a second", key if key != RELAY else "the relay", rate
        )
        return rate

    def rate_for(self, key: str) -> float | None:
        """The adaptive limit for `key`, or None when the relay has not asked for one."""
        slowed = self.slowed.get(key)
        return None if slowed is None else slowed.rate(self.clock())
