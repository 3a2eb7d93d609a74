"""Great Expectations, imported without pyspark.

GX imports pyspark whenever it is installed (it is, for the Spark target: docs/spark.md), which
adds seconds to every ingest process for Spark features the suites never use, and makes
pyspark.sql.connect end a ``python -c`` process (or a spawned worker) with exit status 0 when its
optional gRPC client is absent. The suites validate pandas frames only, so GX is imported once
with pyspark hidden (docs/decisions.md, "GX is imported without pyspark").
"""

from __future__ import annotations

import sys
from types import ModuleType


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
    try:
        import great_expectations

        # The submodules the ingest uses, while pyspark is still hidden.
        import great_expectations.data_context.types.base
        import great_expectations.execution_engine.pandas_execution_engine
    finally:
        del sys.modules["pyspark"]
        sys.modules.update(loaded)
    return great_expectations
