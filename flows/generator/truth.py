"""The ground-truth file: what was planted and every fault injected, written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_truth(path: Path, truth: dict[str, Any]) -> None:
    """Sorted keys and a fixed layout so the same run gives the same bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(truth, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_truth(path: Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))
