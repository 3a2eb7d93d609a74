"""Other layouts declared in a profile: CSV delimiter, quote and lines above the header, number
format, one header feeding several columns, templates, assumed defaults, and errors that name the
real cause."""

from __future__ import annotations

import textwrap

from tests.ingest.samples import EVENT_HEADER, ORDER_HEADER, csv_text, event, order


def _profile(run, text: str):
    path = run.landing.parent / "profiles.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_semicolon_decimal_comma_and_console_lines_above_the_header(run):
    """Detected `;`, header found below two lines of console output, `1.234,50` read as 1234.5,
    and a malformed record keeps its data row number."""
    profiles = _profile(
        run,
        """
        profiles:
          - name: br_orders
            entity: orders
            decimal_separator: ","
            thousands_separator: "."
            columns: {Pedido: order_id}
        """,
    )
    rows = [order(1, paid_amount="1.234,50"), order(2, paid_amount="134,97"), order(3)]
    rows[2]["paid_amount"] = "13,50"
    header = ["Pedido", *ORDER_HEADER[1:]]
    lines = [";".join(header)] + [";".join(r.values()) for r in rows]
    lines.insert(3, "broken;row")
    body = "export started 2026-11-30 10:00\nrows: 3\n" + "\n".join(lines) + "\n"
    (run.landing / "orders_br.csv").write_text(body, encoding="utf-8")
    result = run.file(run(profiles), "orders_br.csv")
    assert (result.status, result.rows_read, result.rows_loaded, result.rows_quarantined) == (
        "loaded",
        4,
        3,
        1,
    ), result.reason
    assert run.rows("select order_id, paid_amount::varchar from raw.orders order by 1") == [
        ("O00001", "1234.50"),
        ("O00002", "134.97"),
        ("O00003", "13.50"),
    ]
    assert run.rows("select row_number, reason from meta.quarantine") == [
        (3, "malformed CSV row: missing columns")
    ]


def test_stated_delimiter_quote_and_skip_lines(run):
    profiles = _profile(
        run,
        """
        profiles:
          - name: pipes
            entity: orders
            match: {headers: [order_id]}
            delimiter: "|"
            quote: "'"
            skip_lines: 1
        """,
    )
    text = csv_text(ORDER_HEADER, [order(1, province="a|b"), order(2)])
    text = text.replace(",", "|").replace("a|b", "'a|b'")
    (run.landing / "orders_pipes.csv").write_text("title line\n" + text, encoding="utf-8")
    result = run.file(run(profiles), "orders_pipes.csv")
    assert (result.status, result.rows_loaded, result.profile) == ("loaded", 2, "pipes")
    assert run.rows("select province from raw.orders order by order_id") == [("a|b",), ("广东",)]


def test_wrong_delimiter_names_the_real_cause(run):
    profiles = _profile(
        run,
        """
        profiles:
          - name: commas
            entity: orders
            match: {file_glob: "orders_semi*"}
            delimiter: ","
            columns: {Pedido: order_id}
        """,
    )
    text = csv_text(ORDER_HEADER, [order(1)]).replace(",", ";")
    (run.landing / "orders_semi.csv").write_text(text, encoding="utf-8")
    result = run.file(run(profiles), "orders_semi.csv")
    assert result.status == "rejected"
    assert "the header has one column; the file looks ';'-delimited" in result.reason


def test_one_header_feeds_two_columns_and_templates_build_ids(run):
    profiles = _profile(
        run,
        """
        profiles:
          - name: us_complaints
            entity: complaints
            columns:
              Complaint ID: [order_id, sku_id]
              Date received: [received_at, updated_at]
              Submitted via: channel
              Company: merchant_id
            templates:
              complaint_id: "{Company}-{Complaint ID}"
            values:
              channel: {Web: web_form, Phone: hotline}
            defaults:
              status: open
        """,
    )
    (run.landing / "complaints_us.csv").write_text(
        "Date received,Company,Complaint ID,Submitted via,Status\n"
        "2026-11-20,ACME,123,Web,\n"
        "2026-11-21,ACME,124,Phone,closed\n"
        "2026-11-21,,125,Phone,\n",
        encoding="utf-8",
    )
    result = run.file(run(profiles), "complaints_us.csv")
    assert (result.rows_loaded, result.rows_quarantined) == (2, 1), result.reason
    assert run.rows(
        "select complaint_id, order_id, sku_id, merchant_id, channel, status, "
        "received_at = updated_at from raw.complaints order by 1"
    ) == [
        ("ACME-123", "123", "123", "ACME", "web_form", "open", True),
        ("ACME-124", "124", "124", "ACME", "hotline", "closed", True),
    ]
    # The template lacks a part on row 3: its complaint id is missing.
    assert run.rows("select row_number, field, reason from meta.quarantine") == [
        (3, "complaint_id", "required field missing")
    ]
    # `Status` is the contract's name; the default supplied it where it was empty (row 1).
    assert result.extra_columns == []
    assert run.rows(
        "select column_name, default_value, rows_assumed, every_row, row_numbers "
        "from meta.assumed_values"
    ) == [("status", "open", 1, False, [1])]
    assert any("status assumed as 'open'" in n for n in result.notes)
    assert run.rows("select field, row_number from meta.dq_warnings") == [("status", None)]


def test_assumed_rows_are_listed_when_only_some_rows_take_the_default(run):
    profiles = _profile(
        run,
        """
        profiles:
          - name: partial
            entity: orders
            match: {headers: [carrier]}
            defaults: {carrier: SF}
        """,
    )
    rows = [order(1, carrier=""), order(2), order(3, carrier="")]
    (run.landing / "orders_p.csv").write_text(csv_text(ORDER_HEADER, rows), encoding="utf-8")
    run(profiles)
    assert run.rows(
        "select column_name, rows_assumed, every_row, row_numbers from meta.assumed_values"
    ) == [("carrier", 2, False, [1, 3])]


def test_assumed_row_numbers_join_the_raw_rows_that_took_the_default(run):
    """The SLA models find an assumed event time by (_file_id, _row_number): the recorded row
    numbers must be exactly the raw rows whose occurred_at the default supplied."""
    profiles = _profile(
        run,
        """
        profiles:
          - name: events_default
            entity: complaint_events
            match: {headers: [occurred_at]}
            defaults: {occurred_at: "2026-11-01 00:00:00"}
        """,
    )
    rows = [
        event(1),
        event(1, event_type="acknowledged", occurred_at=""),
        event(2),
        event(2, event_type="acknowledged", occurred_at="2026-11-20 11:00:00"),
        event(3, occurred_at=""),
    ]
    (run.landing / "complaint_events_p.csv").write_text(
        csv_text(EVENT_HEADER, rows), encoding="utf-8"
    )
    run(profiles)
    assert run.rows(
        "select e.complaint_id, e.event_type from raw.complaint_events as e "
        "join meta.assumed_values as a on e._file_id = a.file_id "
        "and list_contains(a.row_numbers, e._row_number) "
        "where a.column_name = 'occurred_at' order by all"
    ) == [("C00001", "acknowledged"), ("C00003", "received")]


def test_a_profile_zone_other_than_the_platform_zone_is_a_warning(run):
    profiles = _profile(
        run,
        """
        profiles:
          - name: berlin
            entity: orders
            match: {headers: [order_id]}
            timezone: Europe/Berlin
        """,
    )
    (run.landing / "orders_b.csv").write_text(csv_text(ORDER_HEADER, [order(1)]), "utf-8")
    result = run.file(run(profiles), "orders_b.csv")
    assert result.profile == "berlin"
    assert any("Europe/Berlin" in n and "Asia/Shanghai" in n for n in result.notes)
    assert run.rows("select field, reason like '%Europe/Berlin%' from meta.dq_warnings") == [
        ("file", True)
    ]
