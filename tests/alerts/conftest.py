"""Local receivers for the alert tests (127.0.0.1 only) and a small warehouse of marts."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest
from aiosmtpd.controller import Controller

AS_OF = "2026-11-25 10:00:00+08"
PHONE = "13912345678"
MASKED = "139****5678"
STAGES = ("acknowledge", "merchant_notified", "merchant_evidence", "resolution")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Webhook:
    """An HTTP receiver that records each accepted POST; it can fail the next N requests."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.requests = 0
        self.fail_next = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.requests += 1
                if outer.fail_next > 0:
                    outer.fail_next -= 1
                    self.send_response(500)
                    self.end_headers()
                    return
                outer.received.append({"path": self.path, **json.loads(body)})
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args) -> None:  # keep the test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "hook") -> str:
        return f"json://127.0.0.1:{self.port}/{path}"

    def bodies(self) -> list[str]:
        return [f"{m.get('title', '')}\n{m.get('message', '')}" for m in self.received]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Mailbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def bodies(self) -> list[str]:
        out = []
        for message in self.messages:
            part = message.get_body(preferencelist=("plain",))
            out.append(f"{message['Subject']}\n{part.get_content() if part else ''}")
        return out


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook = Webhook()
    yield hook
    hook.close()


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


def make_warehouse(path: Path) -> Path:
    """The marts the alert kinds read, with a phone number and a buyer id where a careless query
    would pick them up."""
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(f"create table marts.build_info as select timestamptz '{AS_OF}' as as_of")
    con.execute(
        """create table marts.sku_defect_alerts as select * from (values
            ('S1', '保温杯 500ml', 'M1', '暖阳旗舰店', '家居家装', '2026-W45', date '2026-11-02',
             120, 4, 0.0333, 0.02),
            ('S2', '蓝牙耳机', 'M2', '极声数码', '数码3C', '2026-W44', date '2026-10-26',
             300, 6, 0.02, 0.012),
            ('S3', '旧款', 'M2', '极声数码', '数码3C', '2025-W30', date '2025-07-21',
             300, 9, 0.03, 0.012)
        ) t(sku_id, sku_name, merchant_id, merchant_name, category, iso_week, order_week,
            order_lines, defect_lines, defect_rate, ucl)"""
    )
    con.execute(
        """create table marts.emerging_terms as select * from (values
            ('sku', 'S1', '异味', '2026-W47', date '2026-11-16', '保温杯 500ml', 'M1',
             '暖阳旗舰店', '家居家装', 9, 0.5, 1.2e-9)
        ) t(scope, scope_id, term, iso_week, received_week, sku_name, merchant_id,
            merchant_name, category, n_complaints, expected_complaints, p_value)"""
    )
    con.execute(
        """create table marts.legal_entitlement_checks as select * from (values
            ('C200', 'M1', '暖阳旗舰店', '家居家装', 'S1', 'defect_return', 'return_refund',
             'partial_refund', true, null::double, true, '2026-W47', date '2026-11-16'),
            ('C201', 'M2', '极声数码', '数码3C', 'S2', 'counterfeit_compensation', 'return_refund',
             'return_refund', false, 120.5, true, '2026-W47', date '2026-11-16'),
            ('C202', 'M2', '极声数码', '数码3C', 'S2', null, null, 'exchange', false, null, false,
             '2026-W47', date '2026-11-16')
        ) t(complaint_id, merchant_id, merchant_name, category, sku_id, below_rule,
            entitled_remedy, remedy_given, is_remedy_below, compensation_shortfall,
            is_below_entitlement, iso_week, received_week)"""
    )
    stage_cols = ", ".join(
        f"'{'open_overdue' if s == 'acknowledge' else 'met'}' as {s}_status, "
        f"timestamptz '2026-11-25 08:00:00+08' as {s}_deadline_at, "
        f"{'2.0' if s == 'acknowledge' else 'null::double'} as {s}_overdue_hours"
        for s in STAGES
    )
    con.execute(
        f"""create table marts.complaints as
            select 'C100' as complaint_id, 'M1' as merchant_id, '暖阳旗舰店' as merchant_name,
                   '家居家装' as category, 'S1' as sku_id, '保温杯 500ml' as sku_name,
                   'app' as channel, date '2026-11-23' as received_week,
                   'B0001' as buyer_id, '{MASKED}' as buyer_phone_masked,
                   '杯子有异味，请联系我{MASKED}' as description, {stage_cols}"""
    )
    # a second complaint whose evidence stage is due in one hour (about to breach)
    con.execute(
        """insert into marts.complaints by name
           select 'C101' as complaint_id, 'M2' as merchant_id, '极声数码' as merchant_name,
                  '数码3C' as category, 'S2' as sku_id, '蓝牙耳机' as sku_name,
                  'hotline' as channel,
                  date '2026-11-23' as received_week, 'B0002' as buyer_id,
                  'met' as acknowledge_status, 'open_not_due' as merchant_evidence_status,
                  timestamptz '2026-11-25 11:00:00+08' as merchant_evidence_deadline_at"""
    )
    con.close()
    return path


@pytest.fixture
def warehouse(tmp_path) -> Path:
    return make_warehouse(tmp_path / "warehouse.duckdb")
