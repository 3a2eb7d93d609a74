"""Landing-file ingest: plain functions ``complaints ingest``, ``complaints run`` and the
``daily-pipeline`` flow call.

One module per job: ``discovery`` (which files, which entity), ``fingerprint`` (content hash and
encoding), ``line_encoding`` (per-line encoding validation), ``readers`` (each format into a text
table),
``profiles`` (header layouts and value maps), ``timestamps`` (SQL that parses every accepted
form), ``rules`` (typed batch with per-row errors and warnings), ``classify`` (duplicates and
conflicts within a file), ``expectations_run`` (Great Expectations over the batch), ``merge``
(upserts), ``quarantine``, ``dq_warnings``, ``ledger``, ``pii`` (keyed hash and masking),
``schema`` (raw and meta DDL) and ``pipeline`` (one file, one landing folder).
"""
