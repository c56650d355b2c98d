"""Named events that other parts may follow (the HTTP API's webhooks do): one signal, sent after the commit."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.dispatch import Signal

# Sent with `event` (e.g. "subscriber.confirmed") and `data` (a JSON-ready dict) once the write commits.
happened = Signal()


def announce(event: str, **data: Any) -> None:
    """Tell followers that `event` happened, once the current transaction (if any) commits."""
    transaction.on_commit(partial(happened.send, sender=None, event=event, data=data))
