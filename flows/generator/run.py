"""The generator's driver: plan catalog and patterns, then stream week by week to the writers."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from flows.errors import UserError
from flows.generator import timestamps as ts
from flows.generator.bursts import apply_term_burst, plan_term_burst
from flows.generator.catalog import CATEGORY_NAMES, build_catalog
from flows.generator.complaints import Complaints, draw_complaints, follow_up_complaints
from flows.generator.descriptions import describe, fake_phones
from flows.generator.dirt import inject
from flows.generator.events import CLOSED, CLOSED2, EXECUTED, event_rows, state_at, timelines
from flows.generator.frames import (
    actions_frame,
    complaints_frame,
    events_frame,
    order_ids,
    orders_frame,
    to_chinese_values,
)
from flows.generator.orders import CARRIER_NAMES, week_order_lines
from flows.generator.planted import (
    impose_weaker_remedies,
    line_propensity,
    plan_bad_batches,
    plan_corrective_actions,
    plan_remedy_failure_rates,
    plan_weak_remedy_merchant,
    plant_lab_tests_and_silence,
    remedy_failures,
    under_compensate_counterfeit,
)
from flows.generator.truth import write_truth
from flows.generator.volume import PROMOTION_DAYS, allocate, day_weights
from flows.generator.writers import FORMATS, ExportWriter
from flows.working_calendar import china_calendar_between

ENTITY_PREFIXES = (
    "merchants",
    "skus",
    "orders",
    "complaints",
    "complaint_events",
    "corrective_actions",
)
DAY = 86400
STAGING = ".generating"
RESOLUTION_HOURS = 168
# Planted: a buyer whose complaint was resolved after the deadline scores this much lower.
LATE_RESOLUTION_SATISFACTION_DROP = 1.2
CHUNK_LINES = 120_000  # order lines generated at once: memory stays flat however large N is


@dataclass(frozen=True)
class GenerateOptions:
    """Everything that decides the output; the same options give byte-identical files."""

    out: Path
    truth: Path
    orders: int = 500_000
    start: date = date(2025, 11, 24)
    weeks: int = 52
    merchants: int = 100
    seed: int = 42
    fmt: str = "csv"
    headers: str = "en"
    encoding: str = "utf-8"
    dirty_rate: float = 0.001
    force: bool = False
    timezone: str = "Asia/Shanghai"
    export1_lag_days: int = field(default=28)

    def validate(self) -> None:
        if self.orders < 100:
            raise UserError("err_gen_orders", value=self.orders)
        if not 1 <= self.weeks <= 520:
            raise UserError("err_gen_weeks", value=self.weeks)
        if not 1 <= self.merchants <= 100_000:
            raise UserError("err_gen_merchants", value=self.merchants)
        if self.start.weekday() != 0:
            raise UserError("err_gen_monday", value=self.start)
        if self.fmt not in FORMATS:
            raise UserError("err_gen_format", choices=", ".join(FORMATS), value=repr(self.fmt))
        if self.headers not in ("en", "zh"):
            raise UserError("err_gen_headers", value=repr(self.headers))
        if self.encoding.lower() not in ("utf-8", "gbk"):
            raise UserError("err_gen_encoding", value=repr(self.encoding))
        if self.encoding.lower() == "gbk" and self.fmt != "csv":
            raise UserError("err_gen_gbk_csv")
        if not 0 <= self.dirty_rate <= 0.2:
            raise UserError("err_gen_dirty_rate", value=self.dirty_rate)
        out, truth = self.out.resolve(), self.truth.resolve()
        if truth.parent == out or out in truth.parents:
            raise UserError("err_gen_truth_inside", truth=self.truth, out=self.out)


def _rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, *stream])))


def _local_seconds(day: date) -> int:
    return int(np.datetime64(day, "s").astype(np.int64))


class _Files:
    """Open writers by file stem; tracks rows per file and the dirt recorded for each."""

    def __init__(self, folder: Path, opts: GenerateOptions) -> None:
        self.folder, self.opts = folder, opts
        self.open: dict[str, ExportWriter] = {}
        self.rows: dict[str, int] = {}
        self.dirty: list[dict[str, Any]] = []
        self.phone_rows = 0  # complaint rows written whose description carries a phone number

    def name(self, stem: str) -> str:
        return f"{stem}.{self.opts.fmt}"

    def writer(self, stem: str, entity: str) -> ExportWriter:
        if stem not in self.open:
            path = self.folder / self.name(stem)
            self.open[stem] = ExportWriter(
                path, entity, self.opts.fmt, self.opts.headers, self.opts.encoding
            )
        return self.open[stem]

    def write(
        self, stem: str, entity: str, df: pd.DataFrame, rng: np.random.Generator | None
    ) -> None:
        """Append a chunk (dirtied when ``rng`` is given), rolling xlsx over to parts when full."""
        if self.opts.headers == "zh":
            df = to_chinese_values(df)
        part, offset = 1, 0
        while True:
            current = stem if part == 1 else f"{stem}_part{part}"
            writer = self.writer(current, entity)
            room = max(writer.capacity - 10_000, 0)
            chunk = df.iloc[offset : offset + room] if room < len(df) - offset else df.iloc[offset:]
            if len(chunk) or (offset == 0 and writer.rows == 0):
                if rng is not None:
                    chunk, faults = inject(
                        chunk,
                        entity,
                        self.name(current),
                        writer.rows + 1,
                        self.opts.dirty_rate,
                        rng,
                    )
                    self.dirty.extend(faults)
                if "_phone" in chunk:
                    self.phone_rows += int(chunk["_phone"].sum())
                writer.write(chunk)
                self.rows[self.name(current)] = writer.rows
            offset += len(chunk) if room < len(df) - offset else len(df) - offset
            if offset >= len(df):
                return
            part += 1

    def close_before(self, prefix: str, stem: str) -> None:
        """Close the files of ``prefix`` that sort before ``stem`` (finished months)."""
        for name in [s for s in self.open if s.startswith(prefix) and s < stem]:
            self.open.pop(name).close()

    def close(self, stem_prefix: str | None = None) -> None:
        for stem in [s for s in self.open if stem_prefix is None or s.startswith(stem_prefix)]:
            self.open.pop(stem).close()


def generate(
    opts: GenerateOptions, progress: Callable[[int, int], None] | None = None
) -> dict[str, Any]:
    """Write the six exports into ``opts.out`` and the ground truth to ``opts.truth``."""
    opts.validate()
    out = opts.out
    out.mkdir(parents=True, exist_ok=True)
    existing = sorted(
        p.name for p in out.iterdir() if p.is_file() and p.name.startswith(ENTITY_PREFIXES)
    )
    if existing and not opts.force:
        raise UserError("err_gen_exists", out=out, first=existing[0])
    staging = out / STAGING
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        truth = _generate_into(staging, opts, progress)
        for path in out.iterdir():
            if path.is_file() and path.name.startswith(ENTITY_PREFIXES):
                path.unlink()
        for path in sorted(staging.iterdir()):
            path.replace(out / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    write_truth(opts.truth, truth)
    return truth


def _generate_into(
    folder: Path, opts: GenerateOptions, progress: Callable[[int, int], None] | None
) -> dict[str, Any]:
    start_day = np.datetime64(opts.start, "D")
    start_s = _local_seconds(opts.start)
    n_days = opts.weeks * 7
    as_of_s = start_s + n_days * DAY - 1
    export1_s = as_of_s - min(opts.export1_lag_days, max(n_days // 4, 1)) * DAY
    iso_form = ts.ISO_SHANGHAI if opts.timezone == "Asia/Shanghai" else ts.SLASH
    forms = {
        "orders": ts.STANDARD,
        "complaints_export1": ts.STANDARD,
        "complaints_export2": iso_form,
        "complaint_events": ts.STANDARD,
        "corrective_actions": ts.SLASH_MINUTES,
    }

    catalog = build_catalog(_rng(opts.seed, 0), opts.merchants, start_day)
    dw = day_weights(start_day, opts.weeks)
    lines_per_week = allocate(opts.orders, dw.reshape(opts.weeks, 7).sum(axis=1))
    actions = plan_corrective_actions(
        _rng(opts.seed, 1), catalog, lines_per_week, start_s, opts.weeks
    )
    batches = plan_bad_batches(_rng(opts.seed, 2), catalog, lines_per_week, actions)
    burst = plan_term_burst(catalog, lines_per_week, batches)
    burst_received: dict[int, int] = {}  # received week -> planted descriptions
    remedy_fail_rate = plan_remedy_failure_rates(_rng(opts.seed, 3), len(catalog.merchants))
    planted_failures: list[dict[str, str]] = []
    weak_merchant = plan_weak_remedy_merchant(catalog, remedy_fail_rate)
    weak_imposed = {"complaints": 0}
    batch_lab_tests: dict[int, int] = {b.sku: 0 for b in batches}
    counterfeit: dict[str, Any] = {}
    days = start_day + np.arange(n_days).astype("timedelta64[D]")
    month_day = [(int(str(d)[5:7]), int(str(d)[8:10])) for d in days]
    promo = np.array([md in PROMOTION_DAYS for md in month_day])

    files = _Files(folder, opts)
    files.write("merchants", "merchants", catalog.merchants, None)
    files.write("skus", "skus", catalog.skus, None)
    files.write(
        "corrective_actions",
        "corrective_actions",
        actions_frame(actions, catalog, forms["corrective_actions"]),
        None,
    )
    files.close()

    sku_ids = catalog.skus["sku_id"].to_numpy()
    merchant_ids = catalog.merchants["merchant_id"].to_numpy()
    sku_l2 = catalog.skus["category_l2"].to_numpy()
    sku_names = catalog.skus["sku_name"].to_numpy()
    sku_brand = catalog.skus["brand"].to_numpy()
    n_buyers = max(opts.orders // 3, 100)
    counts = {"order_lines": 0, "complaints": 0, "repeated": 0, "phones": 0}

    def emit(week: int, part: int, n_lines: int) -> None:
        """One chunk of a week: its order lines, their complaints and events."""
        rng = _rng(opts.seed, 10, week, part)
        dirt_rng = _rng(opts.seed, 11, week, part)
        week_s = start_s + week * 7 * DAY
        lines = week_order_lines(
            rng,
            catalog,
            week,
            n_lines,
            week_s,
            dw[week * 7 : week * 7 + 7],
            promo[week * 7 : week * 7 + 7],
            as_of_s,
            n_buyers,
            part,
        )
        counts["order_lines"] += len(lines)
        orders = orders_frame(lines, catalog, forms["orders"])
        month_code = lines.ordered.astype("datetime64[s]").astype("datetime64[M]").astype(np.int64)
        for code in np.unique(month_code):
            m = str(np.datetime64(int(code), "M"))
            month = month_code == code
            month_rows = orders if month.all() else orders[month].reset_index(drop=True)
            files.write(f"orders_{m}", "orders", month_rows, dirt_rng)

        p = line_propensity(catalog, lines.sku, lines.ordered, week, batches, actions)
        c = draw_complaints(rng, lines, catalog.sku_category, p, as_of_s)
        if len(c) == 0:
            return
        # planted outcomes, on their own random stream so the rest of the data stays as it was
        plant_rng = _rng(opts.seed, 15, week, part)
        c_sku, c_paid = lines.sku[c.line], lines.paid[c.line].astype(float)
        weak = catalog.sku_merchant[c_sku] == weak_merchant
        weak_imposed["complaints"] += int(impose_weaker_remedies(plant_rng, c, weak, c_paid).sum())
        batch_skus = np.array([b.sku for b in batches if week in b.weeks], dtype=np.int64)
        plant_lab_tests_and_silence(plant_rng, c, batch_skus, c_sku)
        for sku in batch_skus:
            batch_lab_tests[int(sku)] += int((c.needs_lab & (c_sku == sku)).sum())
        at = None
        if not counterfeit and week >= opts.weeks // 2:
            at = under_compensate_counterfeit(c, c_paid, as_of_s - 30 * DAY)
        t = write_complaints(
            rng,
            dirt_rng,
            lines,
            c,
            f"TS{week:03d}{part:02d}",
            (week, _rng(opts.seed, 14, week, part)),
        )
        if at is not None:
            paid = round(float(c_paid[at]), 2)
            required = max(3 * paid, 500.0)
            counterfeit.update(
                complaint_id=f"TS{week:03d}{part:02d}{at:06d}",
                merchant_id=str(merchant_ids[catalog.sku_merchant[c_sku[at]]]),
                paid_amount=paid,
                compensation_amount=round(float(c.compensation[at]), 2),
                required_compensation=round(required, 2),
                shortfall=round(required - float(c.compensation[at]), 2),
                closed=bool(t[at, CLOSED] >= 0),
            )
        # Remedy failures: the same buyer complains again about the same line and issue.
        closed_at = np.maximum(t[:, CLOSED], t[:, CLOSED2])
        failed, received = remedy_failures(
            _rng(opts.seed, 12, week, part),
            c.remedy,
            c.withdraw_stage >= 0,
            closed_at,
            remedy_fail_rate[catalog.sku_merchant[lines.sku[c.line]]],
            as_of_s,
        )
        if len(failed) == 0:
            return
        follow = follow_up_complaints(c, failed, received, lines.paid)
        prefix = f"TR{week:03d}{part:02d}"
        write_complaints(_rng(opts.seed, 13, week, part), dirt_rng, lines, follow, prefix)
        planted_failures.extend(
            {"complaint_id": f"TS{week:03d}{part:02d}{a:06d}", "recurred_by": f"{prefix}{i:06d}"}
            for i, a in enumerate(failed)
        )

    def write_complaints(
        rng, dirt_rng, lines, c: Complaints, prefix: str, burst_at=None
    ) -> np.ndarray:
        """Timelines, export rows and events of one set of complaints; returns the timelines.

        ``burst_at`` (order week, random stream) lets the term burst rewrite texts of the week.
        """
        n = len(c)
        sku = lines.sku[c.line]
        t = timelines(rng, c, catalog.merchant_slow[catalog.sku_merchant[sku]], as_of_s)
        ids = np.array([f"{prefix}{i:06d}" for i in range(n)], dtype=object)
        phones = fake_phones(rng, n)
        cats = [CATEGORY_NAMES[k] for k in catalog.sku_category[sku]]
        texts, has_phone = describe(
            rng,
            c.issue,
            cats,
            list(sku_l2[sku]),
            list(sku_names[sku]),
            list(sku_brand[sku]),
            list(CARRIER_NAMES[lines.carrier[c.line]]),
            phones,
        )
        planted = np.zeros(n, dtype=bool)
        if burst_at is not None:
            burst_week, burst_rng = burst_at
            planted = apply_term_burst(
                burst_rng, burst, burst_week, sku, c.issue, list(sku_l2[sku]), texts, has_phone
            )
        for received_week in (c.received[planted] - start_s) // (7 * DAY):
            burst_received[int(received_week)] = burst_received.get(int(received_week), 0) + 1
        merchant = merchant_ids[catalog.sku_merchant[sku]].astype(object)
        merchant[rng.random(n) < 0.005] = None  # derivable from the SKU; exports sometimes omit it
        base = {
            "order_id": order_ids(lines)[c.line],
            "sku_id": sku_ids[sku],
            "merchant_id": merchant,
            "description": np.array(texts, dtype=object),
            "buyer_phone": np.where(rng.random(n) < 0.85, phones, None).astype(object),
        }
        resolved_at = np.where(t[:, EXECUTED] >= 0, t[:, EXECUTED], t[:, CLOSED])
        late = (resolved_at >= 0) & (resolved_at - c.received > RESOLUTION_HOURS * 3600)
        sat = np.clip(
            np.round(
                c.satisfaction_base
                - LATE_RESOLUTION_SATISFACTION_DROP * late
                - 0.6 * (t[:, CLOSED2] >= 0)
                + rng.normal(0, 0.7, n)
            ),
            1,
            5,
        ).astype(int)
        sat[rng.random(n) >= 0.55] = -1  # not surveyed

        s1 = state_at(t, c, export1_s)
        s2 = state_at(t, c, as_of_s)
        rows1 = np.where(s1.visible)[0]
        rows2 = np.where(s2.visible & (s2.updated > export1_s))[0]
        counts["complaints"] += n
        counts["repeated"] += int((s1.visible & (s2.updated > export1_s)).sum())
        counts["phones"] += int(has_phone.sum())
        for stem, state, rows in (
            ("complaints_export1", s1, rows1),
            ("complaints_export2", s2, rows2),
        ):
            df = complaints_frame(ids, base, c, state, sat, forms[stem], rows)
            df["_phone"] = has_phone[rows]
            files.write(stem, "complaints", df, dirt_rng)
        ev = event_rows(t, c, rng)
        files.write(
            "complaint_events",
            "complaint_events",
            events_frame(ids, ev, forms["complaint_events"]),
            dirt_rng,
        )
        return t

    for week in range(opts.weeks):
        total = int(lines_per_week[week])
        n_parts = max(1, -(-total // CHUNK_LINES))
        for part, n_lines in enumerate(allocate(total, np.ones(n_parts))):
            emit(week, part, int(n_lines))
        # later weeks never reach back into a finished month: close its orders file
        current = str((start_day + np.timedelta64(7 * week + 6, "D")).astype("datetime64[M]"))
        files.close_before("orders_", f"orders_{current}")
        if progress:
            progress(week + 1, opts.weeks)
    files.close()
    written = sum(n for name, n in files.rows.items() if name.startswith("orders_"))
    extra = sum(
        1 for d in files.dirty if d["entity"] == "orders" and d["fault"] == "exact_duplicate"
    )
    extra += sum(1 for d in files.dirty if d["fault"] == "conflicting_duplicate") // 2
    if written != counts["order_lines"] + extra:  # a file opened twice would lose rows
        raise RuntimeError(f"wrote {written} order rows for {counts['order_lines']} lines")

    def monday(week: int) -> str:
        return str(start_day + np.timedelta64(7 * week, "D"))

    typical = float(np.median(lines_per_week)) * catalog.sku_share
    return {
        "seed": opts.seed,
        "arguments": {
            k: str(v) if isinstance(v, Path | date) else v for k, v in asdict(opts).items()
        },
        "timezone": opts.timezone,
        "export_moment": ts.render_one(as_of_s),
        "export1_moment": ts.render_one(export1_s),
        "period": {"start": str(opts.start), "weeks": opts.weeks},
        "merchants": len(catalog.merchants),
        "skus": catalog.n_skus,
        "order_lines": counts["order_lines"],
        "complaints": counts["complaints"],
        "repeated_complaints": counts["repeated"],
        "phones_in_descriptions": counts["phones"],
        "phone_description_rows": files.phone_rows,
        "bad_batches": [
            {
                "sku_id": str(sku_ids[b.sku]),
                "merchant_id": str(merchant_ids[catalog.sku_merchant[b.sku]]),
                "order_weeks": [monday(w) for w in b.weeks],
                "multiplier": b.multiplier,
                "base_propensity": round(float(catalog.sku_propensity[b.sku]), 6),
                "typical_weekly_lines": round(float(typical[b.sku]), 1),
            }
            for b in batches
        ],
        "corrective_actions": [
            {
                "action_id": a.action_id,
                "merchant_id": str(merchant_ids[a.merchant]),
                "sku_id": None if a.sku is None else str(sku_ids[a.sku]),
                "effective": a.effective,
                "propensity_factor": a.factor,
                "opened_at": ts.render_one(a.opened_s),
                "completed_at": None if a.completed_s is None else ts.render_one(a.completed_s),
            }
            for a in actions
        ],
        # The period's real calendar: working-time SLAs see these public holidays and 调休 days.
        "working_calendar": china_calendar_between(opts.start, opts.start + timedelta(days=n_days)),
        "satisfaction_drop_when_resolution_breached": LATE_RESOLUTION_SATISFACTION_DROP,
        "term_bursts": []
        if burst is None
        else [
            {
                "sku_id": str(sku_ids[burst.sku]),
                "merchant_id": str(merchant_ids[catalog.sku_merchant[burst.sku]]),
                "term": burst.term,
                "order_weeks": [monday(w) for w in burst.weeks],
                "planted_by_received_week": {
                    monday(w): n for w, n in sorted(burst_received.items())
                },
            }
        ],
        "weaker_remedy_merchant": {
            "merchant_id": str(merchant_ids[weak_merchant]),
            "imposed_partial_refunds": weak_imposed["complaints"],
            "rule": "partial refunds, never accepted, where return, exchange or repair is due",
        },
        "under_compensated_counterfeit": counterfeit or None,
        "lab_tests_on_bad_batches": {
            str(sku_ids[sku]): n for sku, n in sorted(batch_lab_tests.items())
        },
        "slow_evidence_merchants": [str(m) for m in merchant_ids[catalog.merchant_slow]],
        "remedy_failures": sorted(planted_failures, key=lambda f: f["complaint_id"]),
        "poor_remedy_merchants": [str(m) for m in merchant_ids[remedy_fail_rate > 0.1]],
        "dirty_rows": sorted(files.dirty, key=lambda d: (d["file"], d["row_number"])),
        "files": dict(sorted(files.rows.items())),
    }
