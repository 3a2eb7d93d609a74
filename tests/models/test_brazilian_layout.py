"""A Brazilian-style export of the generator's sample (`;`, decimal commas with `.` thousands,
DD/MM/YYYY, Portuguese headers and values, America/Sao_Paulo, two lines above the header) loads
through a profile alone and gives the same marts as the same data in the canonical layout."""

from __future__ import annotations

import csv
import re
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from flows.build.run import build_and_publish
from flows.config import Settings
from flows.landing.pipeline import ingest_landing
from flows.warehouse import publishing, read_only

ZONE = "America/Sao_Paulo"
HEADERS_PT = {
    "merchant_id": "ID do lojista", "merchant_name": "Nome do lojista", "category": "Categoria",
    "onboarded_on": "Data de entrada", "sku_id": "Código SKU", "sku_name": "Nome do produto",
    "category_l1": "Categoria nível 1", "category_l2": "Categoria nível 2", "brand": "Marca",
    "order_id": "Nº do pedido", "quantity": "Quantidade", "paid_amount": "Valor pago",
    "ordered_at": "Data do pedido", "shipped_at": "Data de envio",
    "delivered_at": "Data de entrega", "buyer_id": "ID do comprador", "province": "Estado",
    "carrier": "Transportadora", "complaint_id": "Nº da reclamação", "channel": "Canal",
    "received_at": "Recebida em", "issue_type": "Tipo de problema",
    "responsibility": "Responsável", "remedy": "Solução", "refund_amount": "Valor reembolsado",
    "compensation_amount": "Valor de compensação", "status": "Situação",
    "satisfaction": "Satisfação", "description": "Descrição",
    "evidence_count": "Qtd. de evidências", "buyer_phone": "Telefone",
    "updated_at": "Atualizada em", "event_type": "Tipo de evento", "occurred_at": "Ocorrido em",
    "actor": "Autor", "note": "Observação", "action_id": "Nº da ação",
    "action_type": "Tipo de ação", "opened_at": "Aberta em", "completed_at": "Concluída em",
}  # fmt: skip
VALUES_PT = {
    "channel": {"app": "Aplicativo", "web_form": "Formulário web", "hotline": "Central telefônica",
                "social_media": "Redes sociais"},
    "status": {"open": "Aberta", "investigating": "Em análise",
               "awaiting_merchant": "Aguardando lojista", "resolved": "Resolvida",
               "closed": "Encerrada", "withdrawn": "Desistência"},
    "responsibility": {"merchant": "Lojista", "logistics": "Transportadora", "buyer": "Comprador",
                       "platform": "Plataforma", "undetermined": "A definir"},
}  # fmt: skip
AMOUNTS = {"paid_amount", "refund_amount", "compensation_amount"}
ISO_DATE = re.compile(r"^(\d{4})[-/](\d{2})[-/](\d{2})")
PREAMBLE = ["Relatório de exportação — Marketplace Exemplo", "Gerado em 27/04/2026 08:00"]
# What differs by construction between two builds: when they ran.
VOLATILE = {"built_at", "invocation_id", "_ingested_at", "recorded_at"}
MARTS = [
    "merchant_defect_rates_weekly",
    "sku_defect_rates_weekly",
    "sla_compliance_weekly",
    "complaints",
    "complaint_recurrence",
    "corrective_action_effectiveness",
    "merchant_scorecard_weekly",
]


def _amount(text: str) -> str:
    """12345.6 → 12.345,60 (Brazilian grouping and decimal comma)."""
    if text == "":
        return text
    whole, _, cents = f"{float(text):.2f}".partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    return ".".join([whole, *groups]) + "," + cents


def _brazilian(source: Path, target: Path) -> None:
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
        columns = list(rows[0]) if rows else next(csv.reader(source.open(encoding="utf-8")))
    with target.open("w", encoding="utf-8", newline="") as handle:
        handle.write("\n".join(PREAMBLE) + "\n")
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow([HEADERS_PT[c] for c in columns])
        for row in rows:
            out = []
            for column in columns:
                value = row[column]
                assert "T" not in value or not ISO_DATE.match(value), value  # naive times only
                if column in AMOUNTS:
                    value = _amount(value)
                elif ISO_DATE.match(value) and column.endswith(("_at", "_on")):
                    value = ISO_DATE.sub(r"\3/\2/\1", value)
                value = VALUES_PT.get(column, {}).get(value, value)
                out.append(value)
            writer.writerow(out)


def _profile() -> str:
    columns = "\n".join(f"      {pt!r}: {name}" for name, pt in HEADERS_PT.items())
    values = "\n".join(
        f"      {column}: {{{', '.join(f'{pt!r}: {code}' for code, pt in m.items())}}}"
        for column, m in VALUES_PT.items()
    )
    return (
        textwrap.dedent(
            """\
        profiles:
          - name: marketplace_br
            timezone: America/Sao_Paulo
            decimal_separator: ","
            thousands_separator: "."
            timestamp_formats: ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y"]
            columns:
        """
        )
        + columns
        + "\n    values:\n"
        + values
        + "\n"
    )


def _marts(warehouse: Path) -> dict[str, pd.DataFrame]:
    out = {}
    with read_only(warehouse) as con:
        for mart in MARTS:
            cols = [
                row[0]
                for row in con.execute(f"describe marts.{mart}").fetchall()
                if row[0] not in VOLATILE
            ]
            listed = ", ".join(f'"{c}"' for c in cols)
            out[mart] = con.execute(f"select {listed} from marts.{mart} order by all").df()
    return out


@pytest.fixture(scope="module")
def both(generated_in, tmp_path_factory, dbt_dirs):
    landing, canonical, result = generated_in(ZONE)
    assert result.success
    root = tmp_path_factory.mktemp("brazil")
    br_landing = root / "landing"
    br_landing.mkdir()
    for path in sorted(landing.glob("*.csv")):
        _brazilian(path, br_landing / path.name)
    profiles = root / "profiles.yml"
    profiles.write_text(_profile(), encoding="utf-8")
    warehouse = root / "warehouse.duckdb"
    settings = Settings(timezone=ZONE)
    with publishing(warehouse) as staging:
        report = ingest_landing(br_landing, staging, settings, profiles)
    build = build_and_publish(warehouse, settings, **dbt_dirs)
    return canonical, warehouse, report, build, br_landing


def test_every_brazilian_file_loads_through_the_profile(both):
    canonical, _, report, build, br_landing = both
    assert build.success
    first = (br_landing / "orders_2026-01.csv").read_text(encoding="utf-8").splitlines()
    assert first[:2] == PREAMBLE and ";" in first[2] and "Nº do pedido" in first[2]
    assert any(re.search(r"\d\.\d{3},\d{2}", line) for line in first[3:])  # 1.234,56
    with read_only(canonical) as con:
        loaded = dict(con.execute("select file_name, rows_loaded from meta.file_ledger").fetchall())
    for result in report.files:
        assert (result.status, result.profile) == ("loaded", "marketplace_br"), result.reason
        assert result.rows_quarantined == 0
        assert result.rows_loaded == loaded[result.file_name], result.file_name


@pytest.mark.parametrize("mart", MARTS)
def test_the_marts_equal_the_canonical_layout(both, mart):
    canonical, brazilian, *_ = both
    want, got = _marts(canonical)[mart], _marts(brazilian)[mart]
    assert len(want) > 0
    pd.testing.assert_frame_equal(got, want, obj=mart)
