"""dbt Python models on the Spark target's local session.

dbt-spark submits Python models only to Databricks clusters (its ``job_cluster`` and
``all_purpose_cluster`` methods), not to the in-process ``session`` it runs SQL on. The code
dbt-spark compiles for a Python model is plain PySpark over a global ``spark`` (it calls the
model, then writes its frame with ``saveAsTable``), so on the session method it runs as it is in
the session's own process: this helper executes it there. Registered on dbt-spark's adapter by the
Spark build (``flows.spark.build``) before dbt runs (docs/decisions.md, "Python models on the Spark
session").
"""

from __future__ import annotations

import re
from typing import Any

SESSION_METHOD = "session"


class SessionPythonJobHelper:
    """dbt's PythonJobHelper interface: ``submit`` runs the compiled model in this process."""

    def __init__(self, parsed_model: dict, credential: Any) -> None:
        self.parsed_model = parsed_model
        self.credential = credential

    def submit(self, compiled_code: str) -> Any:
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.getOrCreate()
        name = self.parsed_model.get("alias") or self.parsed_model.get("name", "python model")
        # The model's result passes through spark_frame before dbt-spark converts it.
        code = re.sub(
            rf"^{re.escape(MODEL_CALL)}$",
            "df = spark_frame(model(dbt, spark), spark)",
            compiled_code,
            count=1,
            flags=re.MULTILINE,
        )
        namespace = {"spark": spark, "spark_frame": spark_frame}
        exec(compile(code, f"<dbt python model {name}>", "exec"), namespace)
        return None


# The line of dbt-spark's compiled Python model that calls the model (a comment above it
# shows the same call after "# ").
MODEL_CALL = "df = model(dbt, spark)"


def spark_frame(frame: Any, spark: Any) -> Any:
    """An empty pandas result as an empty Spark DataFrame typed by its dtypes; anything else as
    it is. Spark infers a schema from rows, so an empty frame (e.g. no window with enough order
    lines to fit a prior, as in a small or new warehouse) would fail the build where DuckDB
    writes an empty table."""
    import pandas as pd
    from pyspark.sql import types

    if not isinstance(frame, pd.DataFrame) or not frame.empty:
        return frame

    def spark_type(dtype) -> types.DataType:
        if pd.api.types.is_bool_dtype(dtype):
            return types.BooleanType()
        if pd.api.types.is_integer_dtype(dtype):
            return types.LongType()
        if pd.api.types.is_float_dtype(dtype):
            return types.DoubleType()
        if pd.api.types.is_datetime64_any_dtype(dtype):
            return types.TimestampType()
        return types.StringType()

    schema = types.StructType(
        [types.StructField(str(name), spark_type(dtype)) for name, dtype in frame.dtypes.items()]
    )
    return spark.createDataFrame([], schema)


def register_session_python_models() -> None:
    """Let dbt-spark's adapter submit Python models to the local session (idempotent)."""
    from dbt.adapters.spark.impl import SparkAdapter

    if getattr(SparkAdapter, "_session_python_models", False):
        return
    helpers = SparkAdapter.python_submission_helpers.fget
    default = SparkAdapter.default_python_submission_method.fget

    def python_submission_helpers(self) -> dict:
        return {**helpers(self), SESSION_METHOD: SessionPythonJobHelper}

    def default_python_submission_method(self) -> str:
        method = str(getattr(self.config.credentials, "method", ""))
        return SESSION_METHOD if method.endswith(SESSION_METHOD) else default(self)

    SparkAdapter.python_submission_helpers = property(python_submission_helpers)
    SparkAdapter.default_python_submission_method = property(default_python_submission_method)
    SparkAdapter._session_python_models = True
