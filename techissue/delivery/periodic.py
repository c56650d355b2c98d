"""The worker's entry points: `run_delivery_loop(stop_event)` sends until stopped; `tick()` sends one batch."""

from __future__ import annotations

import threading

from techissue.delivery.engine import Engine
from techissue.delivery.engine import run_delivery_loop as _run_loop

_engine: Engine | None = None


def engine() -> Engine:
    """This process's engine, made on first use so that its SMTP connections live across ticks."""
    global _engine
    if _engine is None:
        _engine = Engine()
    return _engine


def tick() -> bool:
    """Claim one batch and send it; returns whether it did work (safe in any number of processes).

    Leases and backoffs run on the database's clock: there is no `now` to pass.
    """
    return engine().tick()


def reset() -> None:
    """Close the connections and forget the engine (tests and settings changes)."""
    global _engine
    if _engine is not None:
        _engine.close()
    _engine = None


def run_delivery_loop(stop_event: threading.Event, idle: float = 2.0) -> None:
    """Send until `stop_event` is set (SIGTERM): in-flight messages finish, the rest of the batch is handed back.

    Survives database and relay errors with backoff (logged once per episode). Runs on this process's engine.
    """
    global _engine
    try:
        _run_loop(stop_event, idle, engine())
    finally:
        _engine = None
