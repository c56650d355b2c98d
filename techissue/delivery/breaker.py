"""A circuit breaker per relay: after repeated failures, pause sending to it for a while, and say so once."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class CircuitBreaker:
    """Closed while the relay works; open (no new message) for `pause` seconds after `threshold` failures in a row.

    A failure is a connection that cannot be made or greeted, a reply that never comes, a dropped connection or
    a 421. Any accepted message closes it again. After the pause one connection may try (half-open); each
    failed episode doubles the pause, up to `max_pause`. One warning per episode, one line when it ends.
    """

    def __init__(
        self,
        relay: str,
        threshold: int = 5,
        pause: float = 30.0,
        max_pause: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.relay = relay
        self.threshold = max(1, threshold)
        self.base_pause = pause
        self.max_pause = max_pause
        self.clock = clock
        self.failures = 0
        self.opened_at: float | None = None
        self.reopen_at = 0.0
        self.current_pause = pause
        self.last_error = ""

    @property
    def is_open(self) -> bool:
        """True while no new message should go to this relay."""
        return self.opened_at is not None and self.clock() < self.reopen_at

    def seconds_left(self) -> float:
        return max(self.reopen_at - self.clock(), 0.0) if self.opened_at is not None else 0.0

    def failure(self, error: str) -> None:
        self.failures += 1
        self.last_error = error
        if self.failures < self.threshold and self.opened_at is None:
            return
        now = self.clock()
        if self.opened_at is None:
            self.opened_at = now
            self.current_pause = self.base_pause
            log.warning(
                "relay %s failed %d times in a row (last: %s); pausing sending to it for %.0f s",
                self.relay, self.failures, error, self.current_pause,
            )  # fmt: skip
        elif now >= self.reopen_at:  # the trial after a pause failed too: a longer pause, no new warning
            self.current_pause = min(self.current_pause * 2, self.max_pause)
        else:
            return
        self.reopen_at = now + self.current_pause

    def success(self) -> None:
        if self.opened_at is not None:
            log.warning("relay %s works again after %.0f s; sending resumes", self.relay, self.clock() - self.opened_at)
        self.failures = 0
        self.opened_at = None
        self.reopen_at = 0.0
