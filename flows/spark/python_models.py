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
        exec(compile(compiled_code, f"<dbt python model {name}>", "exec"), {"spark": spark})
        return None


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
