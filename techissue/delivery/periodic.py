"""The worker's entry point: `tick()` claims one batch of deliveries and sends it."""

from __future__ import annotations

from datetime import datetime

from techissue.delivery.engine import Engine

_engine: Engine | None = None


def engine() -> Engine:
    """This process's engine, made on first use so that its SMTP connections live across ticks."""
    global _engine
    if _engine is None:
        _engine = Engine()
    return _engine


def tick(now: datetime | None = None) -> bool:
    """Claim one batch and send it; returns whether it did work (safe in any number of processes)."""
    return engine().tick(now)


def reset() -> None:
    """Close the connections and forget the engine (tests and settings changes)."""
    global _engine
    if _engine is not None:
        _engine.close()
    _engine = None
