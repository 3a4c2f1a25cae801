"""Retention: a background thread that deletes state older than `TRADEBOT_RETENTION_DAYS`.

Every replica runs one; the deletes are idempotent, so several purging at once only repeat
work. A database that is down skips a round, it does not stop the thread.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from bot.state.base import PurgeReport, StateStore, StateUnavailableError, now_utc

log = logging.getLogger(__name__)


def purge_expired(state: StateStore, retention_days: float) -> PurgeReport:
    """Delete what is older than `retention_days` (0 keeps everything) and return the counts."""
    if retention_days <= 0:
        return PurgeReport(0, 0, 0)
    report = state.purge(now_utc() - timedelta(days=retention_days))
    if report.total:
        fields = {
            "conversations": report.conversations,
            "feedback": report.feedback,
            "events": report.events,
        }
        log.info("retention purge", extra={"fields": fields})
    return report


class RetentionPurger:
    """Purge at start and then every `interval_s` seconds until stopped."""

    def __init__(self, state: StateStore, retention_days: float, interval_s: float) -> None:
        self.state = state
        self.retention_days = retention_days
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="retention-purge", daemon=True)

    def start(self) -> RetentionPurger:
        """Start the thread (nothing runs when retention is off) and return self."""
        if self.retention_days > 0:
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the thread, waiting for a purge in progress."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                purge_expired(self.state, self.retention_days)
            except StateUnavailableError as exc:
                log.warning("retention purge skipped: %s", exc)
            except Exception:  # a failing purge must not end the thread
                log.exception("retention purge failed")
            self._stop.wait(self.interval_s)
