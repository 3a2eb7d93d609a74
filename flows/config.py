"""The project's one configuration: paths, time zone, SLA targets, windows, thresholds.

Every part (generator, ingest, dbt vars, dashboards, scorecards) reads its settings from here, so a
platform changes a target in one place. Defaults follow the data contract; a YAML file named by
``COMPLAINTS_CONFIG`` (default ``complaints.yml`` in the working directory, optional) overrides any
key, and the path settings can also be given by environment variables or command-line options.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from flows.errors import ConfigError

if TYPE_CHECKING:
    from flows.landing.pii import PhonePatterns

CHANNELS = ("app", "web_form", "hotline", "social_media")
SLA_STAGES = ("acknowledge", "merchant_notified", "merchant_evidence", "resolution")

# Contract defaults, in calendar hours; the same for every channel unless overridden.
DEFAULT_SLA_HOURS = {
    "acknowledge": 2.0,
    "merchant_notified": 24.0,
    "merchant_evidence": 48.0,
    "resolution": 168.0,
}


# Units a target may be given in; calendar hours are the contract's default.
SLA_TARGET_UNITS = ("calendar_hours", "working_hours", "working_days")
# Mainland China's zones: the only ones where working-time targets follow China's calendar
# unless ``working_calendar`` says otherwise.
CHINA_ZONES = (
    "Asia/Shanghai",
    "Asia/Chongqing",
    "Asia/Chungking",
    "Asia/Harbin",
    "Asia/Urumqi",
    "PRC",
)
WORKING_CALENDARS = ("china", "weekdays")

SlaTarget = float | str | None
_TARGET_TEXT = re.compile(
    r"^\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>working\s+hours?|working\s+days?|hours?|h)\s*$",
    re.IGNORECASE,
)


def _default_sla_targets() -> dict[str, dict[str, SlaTarget]]:
    return {stage: dict.fromkeys(CHANNELS, hours) for stage, hours in DEFAULT_SLA_HOURS.items()}


# No usage data leaves the machine: dbt's anonymous usage stats (also off in dbt_project.yml's
# flags and on dbt's command line), the DO_NOT_TRACK convention, Prefect's server analytics.
# Set by the command line for itself and every process it starts (dbt, the Prefect server, the
# flow runs of ``complaints serve``).
TELEMETRY_OFF = {
    "DO_NOT_TRACK": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
}


def default_key_file() -> Path:
    """``$XDG_CONFIG_HOME/complaint-insight/pii.key`` (``~/.config/…`` without the variable)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "complaint-insight" / "pii.key"


def parse_sla_target(target: SlaTarget, where: str = "target") -> dict[str, Any] | None:
    """A target as {value, unit}: a number is calendar hours; text may say "2 working days",
    "2 working hours" or "24 hours". None = the stage is not measured there."""
    if target is None:
        return None
    if isinstance(target, bool):
        raise ConfigError("err_sla_target", where=where, target=repr(target))
    if isinstance(target, int | float):
        value, unit = float(target), "calendar_hours"
    else:
        match = _TARGET_TEXT.match(str(target))
        if not match:
            raise ConfigError("err_sla_target_text", where=where, target=repr(target))
        value = float(match["value"])
        word = match["unit"].lower()
        unit = (
            "working_days"
            if "day" in word
            else "working_hours"
            if "working" in word
            else "calendar_hours"
        )
    if value <= 0:
        raise ConfigError("err_sla_target_positive", where=where, target=repr(target))
    return {"value": value, "unit": unit}


@dataclass(frozen=True)
class Settings:
    """Settings shared by every stage of the pipeline."""

    warehouse: Path = Path("data/warehouse.duckdb")
    landing: Path = Path("data/landing")
    truth: Path = Path("data/ground_truth.json")
    reports: Path = Path("data/reports")
    profiles_file: Path = Path("data/profiles/profiles.yml")
    # The HMAC key of the phone hashes: one fixed place per user, never the working directory
    # (a run started elsewhere would mint a new key; meta.pii_key refuses that anyway).
    key_file: Path = field(default_factory=lambda: default_key_file())
    # Phone numbers masked in free text (flows/landing/pii.py): the country pattern sets enabled
    # (cn_mobile, cn_landline, international with + or 00, br_area_code for "(11) 98765-4321"),
    # and extra number patterns (RE2 syntax, no capture groups), each matched as a whole number.
    phone_pattern_sets: tuple[str, ...] = (
        "cn_mobile",
        "cn_landline",
        "international",
        "br_area_code",
    )
    phone_extra_patterns: tuple[str, ...] = ()
    timezone: str = "Asia/Shanghai"
    currency: str = "CNY"
    # Per stage and channel; None = not measured for that channel (not_applicable). A number is
    # calendar hours; text such as "2 working days" or "2 working hours" is working time.
    sla_targets_hours: dict[str, dict[str, SlaTarget]] = field(default_factory=_default_sla_targets)
    # Working time: business hours (local, in the platform zone) on the working days of
    # ``working_calendar`` ("china": public holidays off, 调休 make-up days on, from the
    # chinesecalendar library; "weekdays": Monday to Friday). None = "china" in a mainland China
    # zone, else "weekdays".
    working_hours_start: str = "09:00"
    working_hours_end: str = "18:00"
    working_calendar: str | None = None
    recurrence_window_days: int = 90
    # Legal entitlements (PRC consumer law defaults): windows in days after delivery, the
    # counterfeit compensation rule, and the SKU categories (level 1 or 2) exempt from the
    # seven-day no-reason return (fresh, custom-made, digital goods, periodicals).
    legal_no_reason_return_days: int = 7
    legal_defect_return_days: int = 7
    legal_defect_exchange_days: int = 15
    legal_counterfeit_multiple: float = 3.0
    legal_counterfeit_min_compensation: float = 500.0
    legal_exempt_categories: tuple[str, ...] = ("生鲜", "定制商品", "数字商品", "报纸期刊")
    effectiveness_window_days: int = 90
    complaint_lag_days: int = 30
    rate_maturity_days: int = 30
    min_volume_order_lines: int = 200
    # Grades and rankings: the mature order weeks they judge, the merchants a category needs at the
    # minimum volume for a prior of its own, and the weakest prior allowed (in order lines).
    grade_window_weeks: int = 12
    prior_min_merchants: int = 5
    prior_strength_floor: float = 50.0
    # SLA ranking of merchants per stage: received weeks counted, measured complaints to be ranked.
    sla_ranking_weeks: int = 26
    sla_min_measured: int = 20
    # Merchant grade thresholds on the defect rate (upper bounds, inclusive) for A, B, C; else D.
    grade_thresholds: dict[str, float] = field(
        default_factory=lambda: {"A": 0.005, "B": 0.01, "C": 0.02}
    )
    # Ingest: DuckDB memory cap of the writer, and the rows per file Great Expectations examines.
    # The process also holds Python, Great Expectations and a pandas chunk (~0.3 GB): with 1.5 GB
    # for DuckDB (which spills temporary tables to disk beyond it) the ingest stays under 2 GB.
    ingest_memory_limit: str = "1536MB"
    gx_max_rows_per_file: int = 100_000
    # Build: DuckDB memory cap of dbt's database (spills beyond it). dbt, the text step's jieba
    # and scikit-learn and the Python models take ~0.7 GB of the process besides.
    build_memory_limit: str = "1280MB"
    # dbt's unit tests check the SQL against fixed rows, not the data: a release passes them
    # before it ships (``make test``), so a production build skips them unless asked
    # (``--unit-tests``; docs/decisions.md, "Unit tests run in the test suite, not in every build").
    build_unit_tests: bool = False
    # What dbt writes to its log file (logs/dbt.log): "info" keeps each node's start, end and
    # errors; "debug" adds every SQL statement and cache event, ≈ 0.5–1 s more per build here
    # (docs/decisions.md, "dbt's log file at info level"); "none" writes no file.
    build_log_level: str = "info"
    # Files read and validated ahead of the one being written (each holds its batch in memory).
    ingest_files_ahead: int = 2
    # Pauses before each retry of a file whose reading or writing failed with an I/O error (a
    # flaky mount); bad data is never retried. After the last retry the file is rejected.
    ingest_io_retry_delays_seconds: tuple[float, ...] = (1.0, 5.0)
    # Limits on one landing file, so a hostile or broken file is refused quickly with a reason
    # naming the setting instead of exhausting memory: one record's size in bytes (a larger
    # record is quarantined alone), the columns (CSV/XLSX headers, distinct JSON keys) of a
    # file, and the decompressed size of a gzip file.
    ingest_max_record_bytes: int = 1_048_576
    ingest_max_columns: int = 500
    ingest_max_decompressed_bytes: int = 2 * 1024**3
    # Metric parameters beyond the contract's defaults (dbt vars of the same names).
    effectiveness_p_value: float = 0.05
    # Power to detect a halving of the before rate below which a mature action without a
    # significant change is insufficient_data rather than no_detectable_change.
    effectiveness_min_power: float = 0.8
    repeat_buyer_window_days: int = 90
    rolling_windows_days: tuple[int, ...] = (30, 90)
    # SKU control charts: limit width in sigmas, baseline weeks needed, defect lines to alert.
    spc_sigma: float = 3.0
    spc_min_baseline_weeks: int = 4
    spc_min_defect_lines: int = 3
    # Complaint terms (docs/marts.md, "Complaint text"): a term emerges on a SKU or category when
    # its weekly count is improbably high for a Poisson count at the baseline's weekly mean
    # (one-sided, at this level) and reaches the minimum count. The baseline is the previous
    # weeks (at least the minimum of them in the data); an expected count never below the floor.
    emerging_p_value: float = 0.001
    emerging_min_count: int = 4
    emerging_baseline_weeks: int = 8
    emerging_min_baseline_weeks: int = 4
    emerging_min_expected: float = 0.5
    # Unclassified complaints grouped by their descriptions (k-means groups, and its seed).
    text_groups: int = 12
    text_groups_seed: int = 0
    # ``--as-of`` may lie at most this many days after the latest complaint update or event
    # loaded (and never before the earliest order or complaint) unless ``--force`` is given.
    as_of_max_days_after_data: int = 7
    # A rate tile or cell resting on fewer cases shows "—" with the reason, and no change.
    min_rate_base: int = 30
    dashboard_host: str = "127.0.0.1"
    # Sign-in and roles (dashboards/auth.py); without this file the dashboard is open and
    # ``complaints dashboard`` serves it on loopback addresses only.
    dashboard_users_file: Path = Path("data/dashboard_users.yml")
    # Weeks the dashboard's period covers when a link names none: half a year shows the slow
    # patterns (bad batches months apart, corrective actions judged 4 months after completion).
    dashboard_default_weeks: int = 26
    dashboard_port: int = 8501
    # Dashboard query cache lifetime and size, and the SQL console's limits.
    dashboard_cache_ttl_seconds: int = 300
    dashboard_cache_max_entries: int = 256
    sql_console_timeout_seconds: float = 10.0
    sql_console_max_rows: int = 5000
    # Each console query runs in a worker process with these DuckDB caps (flows/console.py).
    sql_console_memory_limit: str = "512MB"
    sql_console_temp_limit: str = "1GB"
    sql_console_threads: int = 1
    # The command line's language (help, progress, summaries, errors): zh or en, Chinese first
    # like the dashboards; env COMPLAINTS_LANG overrides it (docs/decisions.md).
    language: str = "zh"
    # Scorecards: language, trend length, the thresholds of the recommendation rules
    # (docs/scorecards.md), and delivery.
    scorecard_language: str = "zh"
    scorecard_trend_weeks: int = 8
    reco_sku_window_weeks: int = 8
    reco_sku_defect_ratio: float = 2.0
    reco_sku_min_defects: int = 5
    reco_sla_target_rate: float = 0.9
    reco_sla_min_measured: int = 5
    reco_rising_defect_rate_change: float = 0.005
    reco_max_items: int = 6
    recipients_file: Path = Path("data/recipients.yml")
    delivery_ledger: Path = Path("data/reports/scorecards/deliveries.json")
    smtp_attempts: int = 4
    smtp_backoff_seconds: float = 2.0
    smtp_timeout_seconds: float = 30.0
    # Alerts (docs/alerts.md): rules, the ledger beside the warehouse, delivery retries, the
    # digest size, and the dashboard address the messages link to.
    alert_rules: list[dict[str, Any]] = field(default_factory=list)
    alert_ledger: Path = Path("data/alerts/ledger.sqlite")
    alert_digest_threshold: int = 5
    alert_attempts: int = 4
    alert_backoff_seconds: float = 2.0
    dashboard_url: str = "http://127.0.0.1:8501"
    alerts_cron: str = "0 * * * *"
    # Schedules served by ``complaints serve`` (cron in ``schedule_timezone``).
    schedule_timezone: str = "Asia/Shanghai"
    daily_pipeline_cron: str = "0 2 * * *"
    weekly_scorecards_cron: str = "0 8 * * 1"
    prefect_server_host: str = "127.0.0.1"
    prefect_server_port: int = 4200

    def dbt_vars(self, as_of: str | None = None) -> dict[str, Any]:
        """The dbt vars that carry these settings into the models."""
        out: dict[str, Any] = {
            "timezone": self.timezone,
            "currency": self.currency,
            "sla_targets_hours": self.sla_targets_normalised(),
            "working_hours": {"start": self.working_hours_start, "end": self.working_hours_end},
            "recurrence_window_days": self.recurrence_window_days,
            "legal_no_reason_return_days": self.legal_no_reason_return_days,
            "legal_defect_return_days": self.legal_defect_return_days,
            "legal_defect_exchange_days": self.legal_defect_exchange_days,
            "legal_counterfeit_multiple": self.legal_counterfeit_multiple,
            "legal_counterfeit_min_compensation": self.legal_counterfeit_min_compensation,
            "legal_exempt_categories": list(self.legal_exempt_categories),
            "effectiveness_window_days": self.effectiveness_window_days,
            "complaint_lag_days": self.complaint_lag_days,
            "rate_maturity_days": self.rate_maturity_days,
            "min_volume_order_lines": self.min_volume_order_lines,
            "grade_window_weeks": self.grade_window_weeks,
            "prior_min_merchants": self.prior_min_merchants,
            "prior_strength_floor": self.prior_strength_floor,
            "sla_ranking_weeks": self.sla_ranking_weeks,
            "sla_min_measured": self.sla_min_measured,
            "grade_thresholds": self.grade_thresholds,
            "effectiveness_p_value": self.effectiveness_p_value,
            "effectiveness_min_power": self.effectiveness_min_power,
            "repeat_buyer_window_days": self.repeat_buyer_window_days,
            "rolling_windows_days": list(self.rolling_windows_days),
            "spc_sigma": self.spc_sigma,
            "spc_min_baseline_weeks": self.spc_min_baseline_weeks,
            "spc_min_defect_lines": self.spc_min_defect_lines,
            "emerging_p_value": self.emerging_p_value,
            "emerging_min_count": self.emerging_min_count,
            "emerging_baseline_weeks": self.emerging_baseline_weeks,
            "emerging_min_baseline_weeks": self.emerging_min_baseline_weeks,
            "emerging_min_expected": self.emerging_min_expected,
        }
        if as_of:
            out["as_of"] = as_of
        return out

    def sla_targets_normalised(self) -> dict[str, dict[str, Any]]:
        """The targets as dbt reads them: calendar hours as plain numbers, working time as
        {value, unit}, unset as null."""
        out: dict[str, dict[str, Any]] = {}
        for stage, per_channel in self.sla_targets_hours.items():
            out[stage] = {}
            for channel, target in per_channel.items():
                parsed = parse_sla_target(target, f"sla_targets_hours.{stage}.{channel}")
                if parsed is None or parsed["unit"] == "calendar_hours":
                    out[stage][channel] = None if parsed is None else parsed["value"]
                else:
                    out[stage][channel] = parsed
        return out

    def uses_working_time(self) -> bool:
        """Whether any stage of any channel has a target in working time."""
        return any(
            isinstance(target, dict)
            for per_channel in self.sla_targets_normalised().values()
            for target in per_channel.values()
        )

    def working_calendar_name(self) -> str:
        """The calendar of working days: as configured, else China's in a mainland China zone."""
        if self.working_calendar is not None:
            return self.working_calendar
        return "china" if self.timezone in CHINA_ZONES else "weekdays"

    def phone_patterns(self) -> PhonePatterns:
        """The masking patterns of these settings (Python and SQL use the same ones)."""
        from flows.landing.pii import phone_patterns

        return phone_patterns(tuple(self.phone_pattern_sets), tuple(self.phone_extra_patterns))

    def with_paths(self, **paths: Path | str | None) -> Settings:
        """A copy with the given path settings replaced (None leaves a setting as it is)."""
        given = {key: Path(value) for key, value in paths.items() if value is not None}
        return replace(self, **given)


_ENV_PATHS = {
    "warehouse": "COMPLAINTS_WAREHOUSE",
    "landing": "COMPLAINTS_LANDING",
    "truth": "COMPLAINTS_TRUTH",
    "reports": "COMPLAINTS_REPORTS",
    "profiles_file": "COMPLAINTS_PROFILES",
    "key_file": "COMPLAINTS_KEY_FILE",
    "recipients_file": "COMPLAINTS_RECIPIENTS",
    "delivery_ledger": "COMPLAINTS_DELIVERY_LEDGER",
    "dashboard_users_file": "COMPLAINTS_DASHBOARD_USERS",
    "alert_ledger": "COMPLAINTS_ALERT_LEDGER",
}


def load_settings(config_file: Path | str | None = None) -> Settings:
    """Defaults, then the YAML config file (if present), then environment variables."""
    values: dict[str, Any] = {}
    path = Path(config_file or os.environ.get("COMPLAINTS_CONFIG", "complaints.yml"))
    if path.is_file():
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(loaded, dict):
            raise ConfigError("err_config_mapping", path=path)
        known = set(asdict(Settings()))
        unknown = sorted(set(loaded) - known)
        if unknown:
            raise ConfigError("err_config_unknown", path=path, names=", ".join(unknown))
        values.update(loaded)
        if "sla_targets_hours" in loaded:
            merged = _default_sla_targets()
            for stage, per_channel in loaded["sla_targets_hours"].items():
                if stage not in merged:
                    raise ConfigError("err_config_stage", path=path, stage=repr(stage))
                if isinstance(per_channel, dict):
                    merged[stage].update(per_channel)
                else:
                    merged[stage] = dict.fromkeys(CHANNELS, per_channel)
            values["sla_targets_hours"] = merged
    for key, env in _ENV_PATHS.items():
        if os.environ.get(env):
            values[key] = os.environ[env]
    if os.environ.get("COMPLAINTS_TIMEZONE"):
        values["timezone"] = os.environ["COMPLAINTS_TIMEZONE"]
    if os.environ.get("COMPLAINTS_LANG"):
        values["language"] = os.environ["COMPLAINTS_LANG"]
    for key in _ENV_PATHS:
        if key in values:
            values[key] = Path(values[key])
    if "key_file" in values:
        # A relative key file in complaints.yml is relative to that file, from the environment
        # to where the variable was set; resolved now so no later chdir moves it.
        key_file = values["key_file"]
        if not key_file.is_absolute() and os.environ.get("COMPLAINTS_KEY_FILE") is None:
            key_file = path.resolve().parent / key_file
        values["key_file"] = key_file.resolve()
    settings = Settings(**values)
    _validate_working_time(settings, path)
    _validate_phone_patterns(settings, path)
    _validate_choice(settings, path, "build_log_level", DBT_LOG_LEVELS)
    return settings


# dbt's --log-level-file values.
DBT_LOG_LEVELS = ("debug", "info", "warn", "error", "none")


def _validate_choice(settings: Settings, path: Path, name: str, choices: tuple[str, ...]) -> None:
    value = getattr(settings, name)
    if value not in choices:
        raise ConfigError(
            "err_config_choice", path=path, name=name, value=repr(value), choices=", ".join(choices)
        )


def _validate_phone_patterns(settings: Settings, path: Path) -> None:
    """A misspelt set or a pattern RE2 rejects fails here, not in the first file's SQL."""
    from flows.landing.pii import PHONE_PATTERN_SETS, extra_pattern_error

    sets, extra = settings.phone_pattern_sets, settings.phone_extra_patterns
    if isinstance(sets, str) or not isinstance(sets, list | tuple):
        raise ConfigError("err_config_list", path=path, name="phone_pattern_sets", value=repr(sets))
    unknown = [name for name in sets if name not in PHONE_PATTERN_SETS]
    if unknown:
        raise ConfigError(
            "err_config_pattern_sets",
            path=path,
            names=", ".join(map(repr, unknown)),
            known=", ".join(PHONE_PATTERN_SETS),
        )
    if isinstance(extra, str) or not isinstance(extra, list | tuple):
        raise ConfigError(
            "err_config_list", path=path, name="phone_extra_patterns", value=repr(extra)
        )
    for n, body in enumerate(extra):
        error = extra_pattern_error(body)
        if error:
            raise ConfigError("err_config_extra_pattern", path=path, n=n, error=error)


def _validate_working_time(settings: Settings, path: Path) -> None:
    """Fail at load, naming the file and setting, rather than in the middle of a build."""
    try:
        settings.sla_targets_normalised()
    except ValueError as error:
        raise ConfigError("err_config_in", path=path, detail=error) from None
    if settings.working_calendar is not None and settings.working_calendar not in WORKING_CALENDARS:
        raise ConfigError(
            "err_config_calendar",
            path=path,
            choices=", ".join(WORKING_CALENDARS),
            value=repr(settings.working_calendar),
        )
    times = {}
    for key in ("working_hours_start", "working_hours_end"):
        text = str(getattr(settings, key))
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", text):
            raise ConfigError("err_config_time", path=path, name=key, value=repr(text))
        times[key] = text
    if times["working_hours_start"] >= times["working_hours_end"]:
        raise ConfigError("err_config_hours", path=path)
