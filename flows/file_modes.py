"""Who may read the files the product writes.

The warehouse, its analysts' copy and the reports hold complaint data: the owner (the pipeline's
account) reads and writes them, its group (the platform's analysts) reads them, nobody else
(0640). The PII key and the delivery ledger (recipient addresses) are the owner's only (0600).
The command line also sets the umask 027 so files written by libraries (dbt's target, logs) follow.
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_FILE_MODE = 0o640
SECRET_FILE_MODE = 0o600
UMASK = 0o027


def restrict(path: Path | str, mode: int = DATA_FILE_MODE) -> Path:
    """Give ``path`` its mode (after writing it: the mode of a new file follows the umask)."""
    os.chmod(path, mode)
    return Path(path)
