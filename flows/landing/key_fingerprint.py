"""``meta.pii_key``: the fingerprint of the HMAC key the warehouse's phone hashes were made with.

Hashes made with two keys never match, so recurrence by buyer and repeat-buyer rates would break
silently if a run picked up another key (a key file resolved elsewhere, a lost file re-created).
The first load records the key's fingerprint; every later load compares and refuses a different
key with a sentence saying where the key came from. The fingerprint is a keyed digest of a fixed
label, so it identifies the key without revealing it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

import duckdb

from flows.errors import UserError
from flows.landing.pii import KEY_ENV

_LABEL = b"complaint-insight pii key fingerprint v1"


def fingerprint(key: bytes) -> str:
    """16 hex digits that identify ``key`` (HMAC of a fixed label; not reversible)."""
    return hmac.new(key, _LABEL, hashlib.sha256).hexdigest()[:16]


def key_source(key_file: Path) -> str:
    """Where this run's key comes from, for messages."""
    return f"${KEY_ENV}" if os.environ.get(KEY_ENV) else f"the key file {key_file}"


def check_key(con: duckdb.DuckDBPyConnection, key: bytes, key_file: Path) -> None:
    """Record the key's fingerprint on the first load; refuse a load with another key."""
    con.execute(
        """create table if not exists meta.pii_key (
               fingerprint varchar not null, recorded_at timestamptz not null)"""
    )
    row = con.execute("select fingerprint from meta.pii_key limit 1").fetchone()
    mine = fingerprint(key)
    if row is None:
        con.execute("insert into meta.pii_key values (?, now())", [mine])
        return
    if row[0] != mine:
        raise UserError(
            "err_key_mismatch", theirs=row[0], source=key_source(key_file), mine=mine, env=KEY_ENV
        )
