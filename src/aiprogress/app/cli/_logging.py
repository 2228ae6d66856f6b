"""Logging for the long-running service (`aiprogress run`): text or JSON lines on stderr."""

import json
import logging
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aiprogress.app.settings import Settings


def _log_time(record: logging.LogRecord) -> str:
    """ISO 8601 in UTC to the millisecond: 2026-05-01T09:00:00.123Z."""
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _TextLines(logging.Formatter):
    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return _log_time(record)


# Fields a log call may add with `extra=` (the scheduler's job lines) that JSON lines carry.
_EXTRA_FIELDS = ("job", "duration_ms", "counts", "failing")


class _JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _log_time(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in _EXTRA_FIELDS:
            if name in record.__dict__:
                entry[name] = record.__dict__[name]
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(settings: "Settings") -> None:
    """Logs to stderr, as JSON lines by setting. Nothing logged carries a secret: settings
    keep tokens and keys in SecretStr, and errors are described without their requests."""
    handler = logging.StreamHandler(sys.stderr)
    if settings.run.log_json:
        handler.setFormatter(_JsonLines())
    else:
        handler.setFormatter(_TextLines("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    # APScheduler logs two lines per job run ("Running job", "executed successfully"): the
    # leader's heartbeat alone made that two lines every few seconds. Our own job line says
    # more; the scheduler keeps its warnings (a missed run, a job still running).
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # Alembic 1.16+ logs seven "setup plugin ..." lines before each upgrade; its "Running
    # upgrade" lines, which say what changed, stay.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
