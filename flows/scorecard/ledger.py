"""The delivery ledger: which (week, category) was mailed, to whom, with which Message-ID.

A JSON file beside the reports (never in the warehouse, which is replaced on every build). A
rerun of a week consults it and does not mail a category twice unless asked to resend. Writes are
serialised with a lock and published by atomic rename, so a crash never leaves half a ledger.

Exactly once: an entry under ``pending`` is written before a message is handed to the server (with
its Message-ID) and reconciled after: moved to ``deliveries`` when the server accepted it, to
``failures`` when it certainly did not. A pending entry that stays (a lost final reply, a crash)
means "may have arrived": no later run sends it again unless asked to resend, and a resend reuses
its Message-ID so mail systems and readers recognise the copy.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flows.errors import UserError
from flows.file_modes import SECRET_FILE_MODE, restrict
from flows.i18n import because


class DeliveryLedger:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def _read(self) -> dict[str, Any]:
        if not self.path.exists():
            return {"deliveries": [], "failures": [], "pending": []}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise UserError("err_ledger_json", path=self.path, reason=because(exc)) from None
        data.setdefault("deliveries", [])
        data.setdefault("failures", [])
        data.setdefault("pending", [])
        return data

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(f".{self.path.name}.lock"), "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _write(self, data: dict[str, Any]) -> None:
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        restrict(tmp, SECRET_FILE_MODE)  # recipient addresses: the pipeline's account only
        os.replace(tmp, self.path)

    def sent(self, week: str, category: str) -> dict[str, Any] | None:
        """The last successful delivery of ``week`` to ``category``, if any."""
        with self._locked():
            entries = self._read()["deliveries"]
        matches = [e for e in entries if e["week"] == week and e["category"] == category]
        return matches[-1] if matches else None

    def record_sent(
        self,
        week: str,
        category: str,
        recipients: list[str],
        message_id: str,
        attachments: list[str],
        attempts: int,
        refused: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        entry = {
            "week": week,
            "category": category,
            "recipients": recipients,
            "message_id": message_id,
            "attachments": attachments,
            "attempts": attempts,
            "refused": refused or {},
            "sent_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        with self._locked():
            data = self._read()
            _drop_pending(data, week, category)
            data["deliveries"].append(entry)
            self._write(data)
        return entry

    def record_failure(
        self, week: str, category: str, recipients: list[str], error: str, attempts: int
    ) -> None:
        entry = {
            "week": week,
            "category": category,
            "recipients": recipients,
            "error": error,
            "attempts": attempts,
            "failed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        with self._locked():
            data = self._read()
            _drop_pending(data, week, category)
            data["failures"].append(entry)
            self._write(data)

    def pending(self, week: str, category: str) -> dict[str, Any] | None:
        """A send of ``week`` to ``category`` whose outcome is unknown (it may have arrived)."""
        with self._locked():
            entries = self._read()["pending"]
        matches = [e for e in entries if e["week"] == week and e["category"] == category]
        return matches[-1] if matches else None

    def record_pending(
        self, week: str, category: str, recipients: list[str], message_id: str
    ) -> None:
        """Written before the message is handed to the server."""
        entry = {
            "week": week,
            "category": category,
            "recipients": recipients,
            "message_id": message_id,
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        with self._locked():
            data = self._read()
            _drop_pending(data, week, category)
            data["pending"].append(entry)
            self._write(data)

    def mark_unconfirmed(self, week: str, category: str, detail: str, attempts: int) -> None:
        """Keep the pending entry, with why its outcome is unknown."""
        with self._locked():
            data = self._read()
            for entry in data["pending"]:
                if entry["week"] == week and entry["category"] == category:
                    entry["unconfirmed"] = detail
                    entry["attempts"] = attempts
            self._write(data)


def _drop_pending(data: dict[str, Any], week: str, category: str) -> None:
    data["pending"] = [
        e for e in data["pending"] if not (e["week"] == week and e["category"] == category)
    ]
