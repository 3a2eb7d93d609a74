"""The words of the command line in Chinese and English, and the language it speaks.

One catalogue for the terminal: every command's and option's help, the progress stages, the stage
summaries and the one-sentence errors (``flows.errors.UserError`` carries a key of ``MESSAGES``
and its values, worded when shown). Codes are worded by ``flows.contract.CODES`` as everywhere;
the dashboards read ``LANGUAGES``, ``DEFAULT_LANGUAGE`` and the SQL console's errors from here, so
the terminal and the pages say the same thing the same way.

The language is the ``language`` setting (``complaints.yml``, env ``COMPLAINTS_LANG``), Chinese by
default like the dashboards. Typer fixes help texts when commands register, so the command line
resolves it once, before registering (``cli_language``).
"""

from __future__ import annotations

import functools
import os
import re

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- the app and its commands
    "app_help": (
        "complaint-insight：电商平台商品质量投诉分析。",
        "complaint-insight: product-quality complaint analytics for e-commerce platforms.",
    ),
    "cmd_export_raw": (
        "将原始表、元数据表与日历表写为 Parquet，作为 Spark 构建的源数据。",
        "Write the raw, meta and calendar tables as Parquet, the sources of the Spark target.",
    ),
    "cmd_ingest": (
        "将落地文件夹中的导出文件载入数据仓库（经校验，可重复运行）。",
        "Load the landing folder's exports into the warehouse (validated, idempotent).",
    ),
    "cmd_build": (
        "由原始表计算全部指标表（dbt 构建：模型与测试）并发布。",
        "Compute every mart from the raw tables (dbt build: models and tests) and publish.",
    ),
    "cmd_run": (
        "导入落地文件夹，再构建指标表；读者要么看到两步都完成，要么都看不到。",
        "Ingest the landing folder, then build the marts; readers see both steps or neither.",
    ),
    "cmd_docs": (
        "将 dbt 文档站点（模型、列、测试、血缘）写入 target/。",
        "Write the dbt documentation site (models, columns, tests, lineage) into target/.",
    ),
    "cmd_dashboard": (
        "启动看板（质量经理与分析师视图、SQL 控制台）。",
        "Serve the dashboards (quality managers' and analysts' views, SQL console).",
    ),
    "cmd_hash_password": (
        "为用户文件生成密码的 bcrypt 哈希（输入两次，不回显）。",
        "Print a bcrypt hash of a password (asked twice, never echoed) for the users file.",
    ),
    "cmd_generate": (
        "生成逼真的电商样例数据（六个导出文件）及其真值。",
        "Generate a realistic marketplace sample (six exports) and its ground truth.",
    ),
    "cmd_scorecards": (
        "生成商家周评分卡并发送给各类目团队。每个商家一张 HTML 卡片，每个类目一个 XLSX "
        "工作簿和一个索引页；配置了 SMTP（COMPLAINTS_SMTP_*）时每个类目团队收到一封邮件，"
        "否则只写文件。",
        "Write the weekly merchant scorecards and mail them to each category team. One HTML card "
        "per merchant, one XLSX workbook per category and an index page; each category team "
        "gets one email when SMTP is configured (COMPLAINTS_SMTP_*), else files only.",
    ),
    "cmd_serve": (
        "按计划运行：每日流水线（导入 + 构建）与每周评分卡。计划与时区取自配置；未设置 "
        "PREFECT_API_URL 时在后台启动本地 Prefect 服务，运行记录见其界面。",
        "Run the schedules: daily pipeline (ingest + build) and weekly scorecards. Crons and "
        "time zone come from the configuration; starts a local Prefect server in the background "
        "when PREFECT_API_URL is not set, with the run history in its UI.",
    ),
    "cmd_sql": (
        "只读查询指标表（不可访问文件、不可写入，有时间上限与行数上限）。",
        "Query the marts read-only (no files, no writes, time limit, row cap).",
    ),
    "cmd_alerts": (
        "按 complaints.yml 中的告警规则评估数据仓库并发送到期的告警。每条告警对每个收件人"
        "只发一次，升级时再发；有消息未送达或规则无法评估时退出码为 1。",
        "Evaluate the alert rules of complaints.yml on the warehouse and deliver what is due. "
        "Each alert goes to each recipient once, again only when it escalates; exit code 1 when "
        "a message could not be delivered or a rule could not be evaluated.",
    ),
    # ---- options shared by several commands
    "opt_warehouse": (
        "DuckDB 数据仓库文件（默认 data/warehouse.duckdb）。",
        "DuckDB warehouse file (default: data/warehouse.duckdb).",
    ),
    "opt_landing": (
        "读取导出文件的文件夹（默认 data/landing）。",
        "Folder the exports are read from (default: data/landing).",
    ),
    "opt_as_of": (
        "构建的参考时间，如 '2026-11-26 10:00'（平台时区）（默认：已载入的最新投诉更新或事件）。",
        "Reference time of the build, e.g. '2026-11-26 10:00' (platform time zone) "
        "(default: the latest complaint update or event loaded).",
    ),
    "opt_force": (
        "即使 --as-of 超出已载入数据的时间范围也照常构建。",
        "Build on an --as-of outside the loaded data's time span.",
    ),
    "opt_full_refresh": (
        "从全部历史重建所有数据集市（默认：仓库已有上次构建时只重算受影响的订单周）。",
        "Rebuild every mart from all history (default: when the warehouse holds a previous "
        "build, redo only the order weeks touched since).",
    ),
    "opt_verbose": (
        "列出每个 dbt 模型与测试，而不只是失败项。",
        "List every dbt model and test, not only failures.",
    ),
    "opt_engine": (
        "'duckdb'（写入数据仓库文件）或 'spark'（本地 Spark 会话；见 docs/spark.md）。",
        "duckdb (in the warehouse file) or spark (a local Spark session; docs/spark.md).",
    ),
    "opt_spark_dir": (
        "Spark 构建写入其 Parquet 源数据与指标表的位置（默认：数据仓库旁的 'spark' 文件夹）。",
        "Where the Spark build writes its Parquet sources and marts "
        "(default: a 'spark' folder beside the warehouse).",
    ),
    "opt_export_to": (
        "Parquet 目录树所在的文件夹（每张表一个文件夹）。",
        "Folder of the Parquet tree (one folder per table).",
    ),
    "opt_profiles": (
        "映射配置的 YAML 文件（默认 data/profiles/profiles.yml）。",
        "YAML file of mapping profiles (default: data/profiles/profiles.yml).",
    ),
    "opt_strict": (
        "有文件被拒收时以非零码退出，包括之前运行已拒收的内容（默认只有新的拒收才如此）。",
        "Exit non-zero when any file is rejected, also content rejected by an earlier run "
        "(by default only new rejections do).",
    ),
    "opt_retry_rejected": (
        "重新判定之前运行拒收的文件（例如修正权限之后）。",
        "Judge files rejected by earlier runs again (after fixing, say, a permission).",
    ),
    "opt_host": ("监听地址（默认 127.0.0.1）。", "Address to listen on (default 127.0.0.1)."),
    "opt_port": ("监听端口（默认 8501）。", "Port to listen on (default 8501)."),
    "opt_gen_out": (
        "写入导出文件的落地文件夹（默认 data/landing）。",
        "Landing folder to write the exports into (default: data/landing).",
    ),
    "opt_orders": ("生成的订单行数。", "Order lines to generate."),
    "opt_start": ("第一天，须为周一（如 2025-11-24）。", "First day, a Monday (YYYY-MM-DD)."),
    "opt_weeks": (
        "周数；导出时刻为最后一周结束时。",
        "Number of weeks; the export moment is the end of the last.",
    ),
    "opt_merchants": ("商家数量。", "Number of merchants."),
    "opt_seed": (
        "随机种子；相同种子与选项生成相同的字节。",
        "Random seed; the same seed and options give the same bytes.",
    ),
    "opt_gen_format": ("'csv'、'xlsx'、'jsonl' 或 'parquet'。", "csv, xlsx, jsonl or parquet."),
    "opt_headers": (
        "表头与枚举值的语言：'en' 或 'zh'。",
        "Header and enumeration language: en or zh.",
    ),
    "opt_encoding": ("CSV 编码：'utf-8' 或 'gbk'。", "CSV encoding: utf-8 or gbk."),
    "opt_dirty_rate": (
        "带有错误的交易行比例（0 = 全部干净）。",
        "Share of transactional rows given a fault (0 = clean).",
    ),
    "opt_truth": (
        "真值 JSON 文件（默认取配置中的真值路径 data/ground_truth.json）。",
        "Ground-truth JSON (default: the config's truth path, data/ground_truth.json).",
    ),
    "opt_gen_force": ("替换文件夹中已有的导出文件。", "Replace exports already in the folder."),
    "opt_week": (
        "ISO 周，如 2026-W47 [默认：构建参考时间之前最近一个完整周]。",
        "ISO week, e.g. 2026-W47 [default: the last complete week before the build's as_of].",
    ),
    "opt_category": (
        "只生成该类目 [默认：全部类目]。",
        "Only this category [default: every category].",
    ),
    "opt_lang": ("语言：{choices} [默认：'zh']。", "Language: {choices} [default: zh]."),
    "opt_sc_out": (
        "输出文件夹 [默认：data/reports/scorecards/<周>/]。",
        "Output folder [default: data/reports/scorecards/<week>/].",
    ),
    "opt_send": (
        "配置了 SMTP 时向各类目团队发送邮件。",
        "Mail each category team when SMTP is configured.",
    ),
    "opt_resend": (
        "发送记录显示已发送的周也再发一次。",
        "Mail again a week the delivery ledger says was sent.",
    ),
    "arg_query": (
        "一条查询指标表的 SELECT 语句；'-' 表示从标准输入读取。",
        "One SELECT over the marts; '-' reads it from stdin.",
    ),
    "opt_sql_format": ("'table'（默认）或 'csv'。", "table (default) or csv."),
    "opt_max_rows": ("行数上限（默认取配置）。", "Row cap (default from config)."),
    "opt_timeout": (
        "查询被停止前的秒数（默认取配置）。",
        "Seconds before the query is stopped (default from config).",
    ),
    # ---- progress stages and summaries
    "stage_ingest": ("导入", "ingest"),
    "stage_build": ("构建", "build"),
    "stage_generate": ("生成", "generate"),
    "stage_read": ("读取", "read"),
    "stage_write": ("写入", "write"),
    "stage_mail": ("发送", "mail"),
    "progress_week": ("第 {n} 周", "week {n}"),
    "error_prefix": ("错误：", "error:"),
    "interrupted": ("已中断", "interrupted"),
    "warning_prefix": ("警告", "warning"),
    "built": (
        "指标表已发布到 {warehouse}（参考时间 {as_of}）",
        "marts published in {warehouse} (as_of {as_of})",
    ),
    "as_of_default": ("默认", "default"),
    "ran": ("已导入 {landing} 并发布 {warehouse}", "ingested {landing} and published {warehouse}"),
    "ingest_total": (
        "{files} 个文件：载入 {loaded} 行，隔离 {quarantined} 行，拒收 {rejected} 个文件",
        "{files} file(s): {loaded} rows loaded, {quarantined} quarantined, "
        "{rejected} file(s) rejected",
    ),
    "ingest_rejected_earlier": (
        "，{n} 个之前已拒收（跳过）",
        ", {n} rejected earlier (skipped)",
    ),
    "ingest_building_next": ("；接下来构建指标表", "; building the marts next"),
    "ingest_title": ("导入", "Ingest"),
    "col_file": ("文件", "file"),
    "col_entity": ("数据对象", "entity"),
    "col_profile": ("映射配置", "profile"),
    "col_status": ("状态", "status"),
    "col_read": ("读取", "read"),
    "col_loaded": ("载入", "loaded"),
    "col_quarantined": ("隔离", "quarantined"),
    "col_duplicate": ("重复", "duplicate"),
    "col_warnings": ("警告", "warnings"),
    "col_reason": ("原因", "reason"),
    "generated": (
        "已写入 {files} 个文件（{order_lines} 行订单，{complaints} 条投诉）到 {landing}；"
        "真值在 {truth}",
        "wrote {files} files ({order_lines} order lines, {complaints} complaints) to {landing}; "
        "truth in {truth}",
    ),
    "exported": ("已写入 {n} 张表到 {path}", "{n} tables written under {path}"),
    "sql_rows": ("{n} 行，用时 {seconds} 秒", "{n} row(s) in {seconds} s"),
    "sql_cut": (
        "（截至 {n} 行：请调高 --max-rows 或缩小查询）",
        " (cut at {n} rows: raise --max-rows or narrow the query)",
    ),
    "smtp_off": (
        "未配置 SMTP（COMPLAINTS_SMTP_HOST 未设置）：只写文件，不发送邮件。",
        "SMTP is not configured (COMPLAINTS_SMTP_HOST is unset): writing files only, "
        "nothing is mailed.",
    ),
    "dashboard_no_warehouse": (
        "提示：{path} 尚无数据仓库；请先运行 'complaints run'",
        "note: no warehouse at {path} yet; run 'complaints run' first",
    ),
    "dashboard_on": (
        "看板地址 http://{host}:{port}（数据仓库 {path}）",
        "dashboard on http://{host}:{port} (warehouse {path})",
    ),
    "password_prompt": ("密码", "password"),
    # ---- one-sentence errors (UserError keys)
    "err_unexpected": ("{kind}：{detail}", "{kind}: {detail}"),
    "err_no_warehouse_run": (
        "{path} 处没有数据仓库：请先运行 'complaints run'",
        "no warehouse at {path}: run 'complaints run' first",
    ),
    "err_no_warehouse_ingest": (
        "{path} 处没有数据仓库：请先运行 'complaints ingest'",
        "no warehouse at {path}: run 'complaints ingest' first",
    ),
    "err_not_duckdb": (
        "{path} 不是 DuckDB 数据仓库文件：请用 --warehouse 指定数据仓库（如 "
        "data/warehouse.duckdb），而不是导出文件或其他文件",
        "{path} is not a DuckDB warehouse file: pass the warehouse (e.g. data/warehouse.duckdb) "
        "with --warehouse, not an export or another file",
    ),
    "err_warehouse_busy": (
        "另一个导入或构建正在写入 {path}；请在其结束后重试",
        "another ingest or build is already writing {path}; try again when it ends",
    ),
    "err_no_landing": ("{path} 处没有落地文件夹", "no landing folder at {path}"),
    "err_as_of_not_time": (
        "--as-of {text} 不是时间；请使用如 '2026-11-26 10:00' 或 '2026-11-26T10:00:00+08:00'",
        "--as-of {text} is not a time; use e.g. '2026-11-26 10:00' or '2026-11-26T10:00:00+08:00'",
    ),
    "err_no_complaints": (
        "尚未载入任何投诉或投诉事件，构建没有参考时间：请先载入投诉导出（'complaints ingest'），"
        "或指定 --as-of",
        "no complaints or complaint events are loaded, so the build has no reference time "
        "(as_of): load complaint exports first ('complaints ingest'), or pass --as-of",
    ),
    "err_as_of_outside": (
        "--as-of {instant} 超出已载入数据的范围（{first} 至 {last}，允许其后 {days} 天）；"
        "请在该范围内选择时间，或加上 --force 照常构建",
        "--as-of {instant} lies outside the loaded data ({first} to {last}, allowing {days} "
        "days after it); choose a time in that range, or add --force to build on it anyway",
    ),
    "err_unknown_category": (
        "没有类目 {category}；可选：{known}（或不指定 --category 以生成全部类目）",
        "there is no category {category}; choose one of: {known} "
        "(or leave out --category for every category)",
    ),
    "err_scorecards_empty": (
        "marts.merchant_scorecard_weekly 为空：没有可报告的内容",
        "marts.merchant_scorecard_weekly is empty: nothing to report",
    ),
    "err_no_scorecard_rows": (
        "{week}{where} 没有评分卡数据；指标表中的周为 {first} 至 {last}",
        "no scorecard rows for {week}{where}; the marts hold weeks {first} to {last}",
    ),
    "err_in_category": ("（类目 {category}）", " in category {category}"),
    "err_no_build_info": (
        "{path} 没有 marts.build_info：请先运行 'complaints run'",
        "{path} has no marts.build_info: run 'complaints run' first",
    ),
    "err_build_info_no_as_of": (
        "{path}：marts.build_info 没有参考时间；请用 'complaints run' 重新构建，或指定 --week",
        "{path}: marts.build_info has no as_of; rebuild with 'complaints run' or pass --week",
    ),
    "err_bad_week": (
        "周 {text} 不是 ISO 周（如 2026-W47）",
        "week {text} is not an ISO week like 2026-W47",
    ),
    "err_no_such_week": (
        "周 {text} 不存在（{year} 年没有第 {week} 周）",
        "week {text} does not exist (year {year} has no week {week})",
    ),
    "err_bad_lang": ("--lang 只能是 {choices}", "--lang must be one of {choices}"),
    "err_start_date": (
        "--start 须为日期，如 2025-11-24，而不是 {text}",
        "--start must be a date like 2025-11-24, got {text}",
    ),
    "err_short_password": ("请使用至少 8 个字符的密码", "use a password of at least 8 characters"),
    "err_engine": (
        "未知的构建引擎 {engine}：请用 'duckdb' 或 'spark'",
        "unknown engine {engine}: duckdb or spark",
    ),
    "err_sql": ("查询被拒绝或失败：{message}", "query refused or failed: {message}"),
}


# ---- SQL console errors ---------------------------------------------------------------------
# The console's own refusals (flows/console.py) and DuckDB's commonest errors, worded for a reader
# on the dashboard page and in ``complaints sql``; anything else keeps DuckDB's first line.
_SQL_ERRORS: list[tuple[re.Pattern[str], tuple[str, str]]] = [
    (
        re.compile(r"Catalog Error: Table with name (?P<name>\S+) does not exist!?.*"),
        (
            "表 {name} 不存在：请从指标表中选择（见表结构）",
            "Table {name} does not exist: pick one of the marts' tables (see the schema)",
        ),
    ),
    (
        re.compile(r'Binder Error: Referenced column "?(?P<name>[^" ]+)"? not found.*'),
        (
            "列 {name} 不存在：请核对该表的列名（见表结构）",
            "Column {name} does not exist: check the table's column names (see the schema)",
        ),
    ),
    (
        re.compile(r'Parser Error: syntax error at or near "?(?P<near>[^"]*)"?.*'),
        ("SQL 语法错误，位于 {near} 附近", "SQL syntax error near {near}"),
    ),
    (
        re.compile(r"Parser Error: syntax error at end of input.*"),
        ("SQL 语法错误：语句不完整", "SQL syntax error: the statement is incomplete"),
    ),
    (
        re.compile(r"enter exactly one statement"),
        ("请只输入一条语句", "Enter exactly one statement"),
    ),
    (re.compile(r"the query is empty"), ("查询为空", "The query is empty")),
    (
        re.compile(r"only read queries \(SELECT\) are allowed; this is a (?P<kind>\w+)"),
        ("只允许只读查询（SELECT）", "Only read queries (SELECT) are allowed"),
    ),
    (
        re.compile(r"the query ran longer than (?P<s>\S+) s and was stopped"),
        (
            "查询超过 {s} 秒，已停止：请缩小范围或加上筛选条件",
            "The query ran longer than {s} s and was stopped: narrow it or add filters",
        ),
    ),
    (
        re.compile(r"the query used more than the console's memory \((?P<limit>[^)]+)\)"),
        (
            "查询超出控制台内存上限（{limit}）：请缩小范围或加上筛选条件",
            "The query used more than the console's memory ({limit}): narrow it or add filters",
        ),
    ),
    (
        re.compile(r"no analysts' copy at (?P<path>.+): run 'complaints build' to publish it"),
        (
            "未找到分析副本 {path}：请先运行 `complaints build` 发布",
            "No analysts' copy at {path}: run `complaints build` to publish it",
        ),
    ),
]


def sql_error_label(message: str, lang: str) -> str:
    """A console error as one sentence in ``lang`` that says what to do."""
    index = LANGUAGES.index(lang)
    for pattern, words in _SQL_ERRORS:
        if match := pattern.fullmatch(message.strip()):
            return words[index].format(**match.groupdict())
    return message


def normalise_language(value: object) -> str:
    """``value`` if it is a known language, else the default."""
    return value if isinstance(value, str) and value in LANGUAGES else DEFAULT_LANGUAGE


@functools.cache
def cli_language() -> str:
    """The command line's language: env ``COMPLAINTS_LANG``, else the ``language`` setting.

    Resolved once per process (help texts are fixed when commands register). A configuration
    that does not load falls back to the default here; the command itself then reports it."""
    if os.environ.get("COMPLAINTS_LANG"):
        return normalise_language(os.environ["COMPLAINTS_LANG"].strip().lower())
    try:
        from flows.config import load_settings

        return normalise_language(load_settings().language)
    except Exception:  # the command reports a broken configuration itself, in one sentence
        return DEFAULT_LANGUAGE


def say(key: str, lang: str | None = None, **values: object) -> str:
    """The catalogue's words for ``key`` in ``lang`` (default: the command line's language)."""
    words = MESSAGES[key][LANGUAGES.index(lang or cli_language())]
    return words.format(**values) if values else words
