"""Weekly merchant scorecards: plain functions that read the marts, derive recommendations, and
write HTML cards, XLSX workbooks and an index, then deliver them by mail.

One job per module: ``weeks`` (ISO weeks), ``queries`` (marts → ``cards``), ``recommendations``
(documented rules), ``labels`` (zh/en text), ``ranked_lists``, ``charts`` (inline SVG),
``html_card``, ``workbook``, ``index_page``, ``recipients``, ``mailer``, ``ledger``, and
``produce`` (the steps in order, for the command line and the Prefect flow).
"""
