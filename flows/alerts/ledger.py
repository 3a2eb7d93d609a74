"""The alert ledger: which alert went to whom at which level, beside the warehouse.

A SQLite file (the warehouse is replaced by every build, so it cannot hold state that must
survive one). One row per rule, subject and recipient. A message's rows are written as
``sending`` *before* it is handed to the receiver and marked ``sent`` (with the level sent) or
``failed`` after; the next run sends what was not sent, or was sent at a lower level. A row still
``sending`` at the start of a run was interrupted between the two writes: it is sent again,
marked as a possible repeat, rather than lost. One run at a time holds the ledger's lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from flows.errors import UserError

SCHEMA = """
create table if not exists alert_deliveries (
    rule text not null,
    subject text not null,
    recipient text not null,
    kind text not null,
    status text not null check (status in ('sending', 'sent', 'failed')),
    level integer not null,          -- the level of the last attempt
    sent_level integer not null,     -- the highest level delivered (0 = never)
    attempts integer not null,
    first_seen_at text not null,
    last_attempt_at text not null,
    sent_at text,
    last_error text,
    primary key (rule, subject, recipient)
)
"""

Key = tuple[str, str, str]  # rule, subject, recipient


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class AlertLedger:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextlib.contextmanager
    def open(self) -> Iterator[AlertLedger]:
        """Hold the ledger for one run (a second run at the same time fails at once)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(f".{self.path.name}.lock"), "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise UserError("err_alerts_busy", path=self.path) from None
            self._con = sqlite3.connect(self.path, isolation_level=None)
            try:
                self._con.execute("pragma journal_mode = wal")
                self._con.execute(SCHEMA)
                yield self
            finally:
                self._con.close()
                fcntl.flock(handle, fcntl.LOCK_UN)

    def state(self) -> dict[Key, tuple[str, int]]:
        """(status, sent_level) of every known key."""
        rows = self._con.execute(
            "select rule, subject, recipient, status, sent_level from alert_deliveries"
        ).fetchall()
        return {(r[0], r[1], r[2]): (r[3], r[4]) for r in rows}

    def mark_sending(self, items: Iterable[tuple[Key, str, int]]) -> None:
        """Record the attempt before the message leaves (committed at once)."""
        now = _now()
        with self._transaction():
            for (rule, subject, recipient), kind, level in items:
                self._con.execute(
                    """insert into alert_deliveries values
                       (?, ?, ?, ?, 'sending', ?, 0, 1, ?, ?, null, null)
                       on conflict (rule, subject, recipient) do update set
                         status = 'sending', level = excluded.level,
                         attempts = attempts + 1, last_attempt_at = excluded.last_attempt_at""",
                    [rule, subject, recipient, kind, level, now, now],
                )

    def mark_sent(self, keys: Iterable[Key]) -> None:
        now = _now()
        with self._transaction():
            for key in keys:
                self._con.execute(
                    """update alert_deliveries set status = 'sent', sent_level = level,
                       sent_at = ?, last_error = null
                       where rule = ? and subject = ? and recipient = ?""",
                    [now, *key],
                )

    def mark_failed(self, keys: Iterable[Key], error: str) -> None:
        with self._transaction():
            for key in keys:
                self._con.execute(
                    """update alert_deliveries set status = 'failed', last_error = ?
                       where rule = ? and subject = ? and recipient = ?""",
                    [error[:500], *key],
                )

    def rows(self) -> list[dict]:
        cursor = self._con.execute("select * from alert_deliveries order by 1, 2, 3")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._con.execute("begin immediate")
        try:
            yield
        except BaseException:
            self._con.execute("rollback")
            raise
        self._con.execute("commit")
