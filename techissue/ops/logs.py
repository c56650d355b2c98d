"""Log formatters: one event per line with a UTC timestamp, as plain text or as JSON."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime


def utc_timestamp(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _exception_text(formatter: logging.Formatter, record: logging.LogRecord) -> str:
    if record.exc_info:
        return formatter.formatException(record.exc_info)
    return record.exc_text or ""


class OneLineFormatter(logging.Formatter):
    """`2026-12-01T21:00:00.000Z ERROR techissue.ops.loops: message`; a traceback stays on the same line."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{utc_timestamp(record)} {record.levelname} {record.name}: {record.getMessage()}"
        extra = _exception_text(self, record)
        if extra:
            line += " | " + extra
        return line.replace("\r", "").replace("\n", "\\n")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, and the traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        event: dict[str, object] = {
            "time": utc_timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
            "thread": record.threadName,
        }
        extra = _exception_text(self, record)
        if extra:
            event["exception"] = extra
        return json.dumps(event, ensure_ascii=False, default=str)
