"""Great Expectations, imported without pyspark.

GX imports pyspark whenever it is installed (it is, for the Spark target: docs/spark.md), which
adds seconds to every ingest process for Spark features the suites never use, and makes
pyspark.sql.connect end a ``python -c`` process (or a spawned worker) with exit status 0 when its
optional gRPC client is absent. The suites validate pandas frames only, so GX is imported once
with pyspark hidden (docs/decisions.md, "GX is imported without pyspark").

GX also imports scipy.stats and altair at import time, for expectations and renderers the suites
never use: about a third of its import's CPU seconds, paid by every ingest process. They are
imported lazily: each runs on its first attribute access, so anything that does use them gets
the real module (docs/decisions.md, "Under GX's import, scipy.stats and altair load on first use").
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from types import ModuleType

# Modules GX imports eagerly but the pandas suites do not need before they use them.
LAZY_MODULES = frozenset({"scipy.stats", "altair"})


class _LazyFinder(importlib.abc.MetaPathFinder):
    """Finds the modules of ``LAZY_MODULES`` as usual, but loads them on first use."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in LAZY_MODULES:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = importlib.util.LazyLoader(spec.loader)
                return spec
        return None


def load_gx() -> ModuleType:
    """The ``great_expectations`` package, its Spark compatibility shims left unimported."""
    if "great_expectations" in sys.modules:
        return sys.modules["great_expectations"]
    loaded = {
        name: module
        for name, module in sys.modules.items()
        if name == "pyspark" or name.startswith("pyspark.")
    }
    for name in loaded:
        del sys.modules[name]
    sys.modules["pyspark"] = None  # type: ignore[assignment]  # "import pyspark" fails fast
    lazy = _LazyFinder()
    sys.meta_path.insert(0, lazy)
    try:
        import great_expectations

        # The submodules the ingest uses, while pyspark is still hidden.
        import great_expectations.data_context.types.base
        import great_expectations.execution_engine.pandas_execution_engine
    finally:
        sys.meta_path.remove(lazy)
        del sys.modules["pyspark"]
        sys.modules.update(loaded)
    return great_expectations
