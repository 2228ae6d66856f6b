"""When to fetch a source next, and when to give up on it."""

from __future__ import annotations

from datetime import datetime, timedelta

from aiprogress.core.types import FetchResult, FetchStatus, Source, SourceCheck, value_type


@value_type
class FetchPolicy:
    # A server may ask us to come back later (max-age, Expires), but never later than this.
    max_fresh: timedelta = timedelta(hours=12)
    # Backoff after failures doubles from the source's interval up to this.
    max_backoff: timedelta = timedelta(hours=24)
    # Consecutive failures after which a source is disabled and its admins told.
    disable_after: int = 8

    def after_fetch(self, source: Source, result: FetchResult, now: datetime) -> SourceCheck:
        interval = timedelta(seconds=source.interval_seconds)
        if result.status is FetchStatus.ERROR:
            failures = source.failures + 1
            delay = min(interval * 2 ** (failures - 1), self.max_backoff)
            if result.retry_after_seconds:
                delay = max(
                    delay, min(timedelta(seconds=result.retry_after_seconds), self.max_backoff)
                )
            reason = None
            if failures >= self.disable_after:
                reason = f"disabled after {failures} failures in a row; last: {result.error}"
            return SourceCheck(failures=failures, next_check_at=now + delay, disabled_reason=reason)
        delay = interval
        if result.fresh_for_seconds:
            # Polling a feed the server calls fresh only costs both sides.
            delay = max(delay, min(timedelta(seconds=result.fresh_for_seconds), self.max_fresh))
        return SourceCheck(failures=0, next_check_at=now + delay)
