"""The Spark engine of the same dbt project (docs/spark.md): the raw tables as Parquet for Spark
to read (``export``), and the dbt build on a Spark target."""
