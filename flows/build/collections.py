"""Python's full garbage collections held back while dbt runs.

A build allocates millions of long-lived objects (the manifest, compiled nodes, events), so each
of CPython's automatic full collections walks them all: about ten per build, 0.1 s each, on the
thread dbt schedules nodes from. The young generations are still collected as usual (they free
the short-lived cycles dbt makes per node); only the full collections wait until the build is
over, when the usual thresholds apply again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Full collections after this many young-generation collections (a build makes about 200).
HELD_BACK_THRESHOLD = 1_000_000


@contextmanager
def full_collections_held_back() -> Iterator[None]:
    """Run the block with CPython's automatic full collections postponed, then restore them."""
    young, middle, full = gc.get_threshold()
    gc.set_threshold(young, middle, HELD_BACK_THRESHOLD)
    try:
        yield
    finally:
        current = gc.get_threshold()
        if current == (young, middle, HELD_BACK_THRESHOLD):  # nobody changed them meanwhile
            gc.set_threshold(young, middle, full)
