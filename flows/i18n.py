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
    "opt_fresh_process": (
        "每次运行在新进程中执行（Prefect 自带的运行器）：运行之间不保留已载入的 dbt，"
        "可在界面中取消运行。",
        "Run each flow run in a new process (Prefect's own runner): dbt is not kept loaded "
        "between runs, and a run can be cancelled from the UI.",
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
    "opt_unit_tests": (
        "同时运行 dbt 单元测试（用固定样例检查 SQL 逻辑；"
        "默认只在测试套件中运行，见配置 build_unit_tests）。",
        "Run dbt's unit tests too (they check the SQL on fixed rows; by default they run in the "
        "test suite, not in every build; setting build_unit_tests).",
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
    "err_unexpected": ("意外错误（原因：{kind}: {detail}）", "{kind}: {detail}"),
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
    # A library's own words quoted inside a message stay as the library wrote them; the frame
    # says so in Chinese ("原因：…").
    "err_reason": ("（原因：{detail}）", " ({detail})"),
    # ---- dbt build results (the summary after every build, and the failures it names)
    "build_summary": (
        "dbt 构建{outcome}，用时 {seconds} 秒（{parts}）",
        "dbt build {outcome} in {seconds}s ({parts})",
    ),
    "list_sep": ("，", ", "),
    "build_passed": ("通过", "passed"),
    "build_failed": ("失败", "FAILED"),
    "build_count": ("{status} {count}", "{count} {status}"),
    "build_node": ("{kind} {name} {status}", "{kind} {name} {status}"),
    "node_model": ("模型", "model"),
    "node_test": ("测试", "test"),
    "node_seed": ("种子表", "seed"),
    "node_snapshot": ("快照", "snapshot"),
    "node_unit_test": ("单元测试", "unit_test"),
    "node_operation": ("操作", "operation"),
    "node_success": ("成功", "success"),
    "node_pass": ("通过", "pass"),
    "node_fail": ("未通过", "fail"),
    "node_error": ("出错", "error"),
    "node_warn": ("警告", "warn"),
    "node_skipped": ("跳过", "skipped"),
    "node_no_op": ("无操作", "no-op"),
    "build_node_line": (
        "  [{colour}]{status}[/] {kind} {name}（{seconds} 秒）",
        "  [{colour}]{status}[/] {kind} {name} ({seconds}s)",
    ),
    "node_failing_rows": ("（{n} 行不通过）", " ({n} failing rows)"),
    "node_message": ("：原因：{detail}", ": {detail}"),
    "err_build_before_models": (
        "dbt 构建在运行任何模型之前失败{reason}",
        "dbt build failed before running any model{reason}",
    ),
    "err_build_failed": (
        "dbt 构建失败，数据仓库未发布：{named}{more}",
        "dbt build failed, the warehouse was not published: {named}{more}",
    ),
    "err_build_more": ("，另有 {n} 项", " and {n} more"),
    "err_docs_failed": ("dbt 文档生成失败（原因：{detail}）", "dbt docs generate failed: {detail}"),
    "see_dbt_log": ("详见 logs/dbt.log", "see logs/dbt.log"),
    "docs_written": (
        "文档已写入：在浏览器中打开 {page}（单个自包含文件，可离线查看），或运行 "
        "'uv run dbt docs serve --project-dir {project} --profiles-dir {project}' 启动文档站点",
        "documentation written: open {page} in a browser (one self-contained file, works "
        "offline), or run 'uv run dbt docs serve --project-dir {project} --profiles-dir "
        "{project}' for the served site",
    ),
    "built_on_spark": (
        "已在 Spark 上构建指标表（Parquet 位于 {work}）并发布到 {warehouse}",
        "marts built on Spark (Parquet under {work}) and published in {warehouse}",
    ),
    "exported_table": ("  {table}：{rows} 行{partitioned}", "  {table}: {rows} rows{partitioned}"),
    "exported_partitioned": ("，按 {column} 分区", ", partitioned by {column}"),
    "err_spark_macros": (
        "写入统计宏失败{reason}",
        "writing the statistics macros failed: {detail}",
    ),
    "err_missing_sources": (
        "数据仓库缺少源表 {tables}：请先运行 'complaints ingest'",
        "the warehouse lacks the source tables {tables}: run 'complaints ingest' first",
    ),
    "err_no_table_build": (
        "数据仓库中没有 {table}：请先运行 'complaints build'",
        "the warehouse has no {table}: run 'complaints build' first",
    ),
    # ---- serve and the Prefect server
    "serve_ui": (
        "Prefect 界面（运行记录、产出物）：{url}",
        "Prefect UI (run history, artifacts): {url}",
    ),
    "serve_schedule": (
        "  {name}：计划 '{cron}'（{zone}）",
        "  {name}: cron '{cron}' ({zone})",
    ),
    "serve_running": (
        "正在按计划运行（运行在本进程中执行）；按 'Ctrl-C' 停止。",
        "Serving (runs in this process); stop with Ctrl-C.",
    ),
    "serve_running_fresh": (
        "正在按计划运行（每次运行一个新进程）；按 'Ctrl-C' 停止。",
        "Serving (a new process per run); stop with Ctrl-C.",
    ),
    "serve_stopped": (
        "已停止；计划已暂停，直到下次运行 'serve'。",
        "Stopped; the schedules are paused until the next 'serve'.",
    ),
    "err_prefect_exited": (
        "Prefect 服务在就绪之前退出，退出码 {code}",
        "the Prefect server exited with code {code} before it was ready",
    ),
    "err_prefect_unhealthy": (
        "{url} 处的 Prefect 服务在 {seconds} 秒内未就绪",
        "the Prefect server at {url} did not become healthy within {seconds} s",
    ),
    "err_prefect_no_answer": (
        "PREFECT_API_URL={url} 没有响应：请启动该服务，或取消设置 PREFECT_API_URL，"
        "让 'serve' 启动本地服务",
        "PREFECT_API_URL={url} does not answer; start that server or unset PREFECT_API_URL to "
        "let 'serve' start a local one",
    ),
    "err_published_rejected": (
        "已发布，但以下落地文件被拒收：{names}",
        "published, but these landing files were rejected: {names}",
    ),
    # ---- the dashboard's sign-in
    "err_dashboard_open": (
        "拒绝在 {host} 上不经登录提供看板：任何能访问它的人都会看到每个商家、被隔离的原始值和 "
        "SQL 控制台。请创建用户文件 {users}（账户、角色与由 'complaints hash-password' 生成的 "
        "bcrypt 密码哈希；见 docs/dashboards.md 的“登录与角色”一节），或将 "
        "COMPLAINTS_DASHBOARD_USERS 指向一个用户文件，或在 127.0.0.1 上提供服务",
        "refusing to serve the dashboard on {host} without sign-in: anyone who reaches it would "
        "see every merchant, the quarantined raw values and the SQL console. Create the users "
        "file {users} (accounts with roles and bcrypt password hashes from 'complaints "
        "hash-password'; see docs/dashboards.md, 'Sign-in and roles'), or set "
        "COMPLAINTS_DASHBOARD_USERS to one, or serve on 127.0.0.1",
    ),
    "err_users_unreadable": (
        "{path}：无法读取看板用户文件{reason}",
        "{path}: cannot read the dashboard users file{reason}",
    ),
    "err_users_mapping": (
        "{path}：应为 'users:' 映射（用户名 → 账户）",
        "{path}: expected a 'users:' mapping of user names to accounts",
    ),
    "where_user": ("{path}：用户 {user}", "{path}: user {user}"),
    "err_user_hash": (
        "{where} 需要 bcrypt 密码哈希 'password_hash'（用 'complaints hash-password' 生成）",
        "{where} needs a bcrypt password_hash (make one with 'complaints hash-password')",
    ),
    "err_user_role": (
        "{where}：角色 'role' 只能是 {choices}，而不是 {role}",
        "{where}: role must be one of {choices}, got {role}",
    ),
    "err_user_categories": (
        "{where}：类目团队账户（category_team）需要 'categories: [...]'",
        "{where}: a category_team account needs 'categories: [...]'",
    ),
    "err_user_merchant": (
        "{where}：商家账户需要 'merchant_id'",
        "{where}: a merchant account needs 'merchant_id'",
    ),
    # ---- alerts
    "where_rule": ("告警规则 {name}", "alert rule {name}"),
    "err_alert_url": (
        "有收件人地址无法由 'apprise' 发送（请检查地址开头的协议）",
        "a recipient URL is not one apprise can send to (check its scheme)",
    ),
    "err_rule_stages": (
        "{where}：未知的 SLA 环节 {stages}",
        "{where}: unknown SLA stage(s) {stages}",
    ),
    "err_alerts_busy": (
        "另一个告警运行正在使用 {path}；请在其结束后重试",
        "another alerts run is using {path}; try again when it ends",
    ),
    "err_rule_env": (
        "{where}：收件人 {recipient} 需要环境变量 {name}，但它未设置",
        "{where}: recipient {recipient} needs the environment variable {name}, which is not set",
    ),
    "err_rule_mapping": ("{where}：规则须为映射", "{where}: a rule must be a mapping"),
    "err_rule_name": ("{where}：规则需要名称 'name'", "{where}: the rule needs a name"),
    "err_rule_name_twice": (
        "{where}：规则名 {name} 用了两次",
        "{where}: the rule name {name} is used twice",
    ),
    "err_rule_kind": (
        "{where}：类型 {kind} 不在 {choices} 之中",
        "{where}: kind {kind} is not one of {choices}",
    ),
    "err_rule_url": (
        "{where}：第 {n} 个收件人（'recipients[{n}]'）需要地址 'url'",
        "{where}: recipients[{n}] needs a url",
    ),
    "err_rule_lang": (
        "{where}：第 {n} 个收件人（'recipients[{n}]'）的语言 'lang' 只能是 'zh' 或 'en'，而不是 "
        "{value}",
        "{where}: recipients[{n}] lang must be zh or en, got {value}",
    ),
    "err_rule_no_recipients": ("{where}：没有收件人", "{where}: no recipients"),
    "err_alerts_incomplete": ("告警运行未完成：{summary}", "alerts run incomplete: {summary}"),
    "alerts_active": ("{n} 条告警有效", "{n} alert(s) active"),
    "alerts_sent": (
        "{alerts} 条已发送，共 {messages} 条消息",
        "{alerts} sent in {messages} message(s)",
    ),
    "alerts_failed": (
        "{n} 条消息发送失败（下次运行再发）",
        "{n} message(s) failed (sent again next run)",
    ),
    "alerts_rule_errors": ("{n} 条规则无法评估", "{n} rule(s) could not be evaluated"),
    "alerts_not_delivered": (
        "{recipient}：{n} 条告警未送达{reason}",
        "{recipient}: {n} alert(s) not delivered{reason}",
    ),
    # ---- scorecards: language, ledger, mail, recipients, summary
    "err_lang_unsupported": (
        "不支持语言 {value}；请从 {choices} 中选择",
        "language {value} is not supported; choose one of {choices}",
    ),
    "err_ledger_json": (
        "{path}：发送记录不是有效的 JSON{reason}",
        "{path}: the delivery ledger is not valid JSON{reason}",
    ),
    "err_smtp_starttls": (
        "COMPLAINTS_SMTP_STARTTLS={flag}：请使用 'true' 或 'false'",
        "COMPLAINTS_SMTP_STARTTLS={flag}: use true or false",
    ),
    "err_smtp_port": (
        "COMPLAINTS_SMTP_PORT={port} 不是端口号",
        "COMPLAINTS_SMTP_PORT={port} is not a port number",
    ),
    "err_smtp_from": (
        "使用 SMTP 时须将 COMPLAINTS_SMTP_FROM 设为发件人地址",
        "COMPLAINTS_SMTP_FROM must be set to the sender address when SMTP is used",
    ),
    "err_recipients_list": (
        "{where}：应为一个地址或地址列表",
        "{where}: expected an address or a list of addresses",
    ),
    "err_recipients_address": (
        "{where}：{item} 不是电子邮件地址",
        "{where}: {item} is not an email address",
    ),
    "err_recipients_yaml": ("{path}：不是有效的 YAML{reason}", "{path}: not valid YAML{reason}"),
    "err_recipients_mapping": (
        "{path}：应为类目 → 收件人的映射",
        "{path}: expected a mapping of category → recipients",
    ),
    "where_category": ("{path}，类目 {category}", "{path}, category {category}"),
    "err_recipients_keys": ("{where}：未知的键 {keys}", "{where}: unknown key(s) {keys}"),
    "err_recipients_to": ("{where}：没有 'to' 收件地址", "{where}: no 'to' address"),
    "scorecards_written": (
        "{week} 评分卡：{cards} 张商家卡片，{workbooks} 个工作簿，位于 {out}",
        "Scorecards {week}: {cards} merchant cards, {workbooks} workbooks in {out}",
    ),
    "scorecards_index": ("索引页：{path}", "Index: {path}"),
    "scorecards_delivery": (
        "  {category}：{status}{to}{detail}",
        "  {category}: {status}{to}{detail}",
    ),
    "scorecards_to": ("，发给 {recipients}", " to {recipients}"),
    "scorecards_detail": ("（{detail}）", " ({detail})"),
    "scorecards_warning": ("警告：{warning}", "warning: {warning}"),
    "delivery_sent": ("已发送", "sent"),
    "delivery_already_sent": ("此前已发送", "already_sent"),
    "delivery_no_recipients": ("没有收件人", "no_recipients"),
    "delivery_files_only": ("只写文件", "files_only"),
    "delivery_failed": ("发送失败", "failed"),
    "delivery_unconfirmed": ("未确认", "unconfirmed"),
    "delivery_no_smtp": ("未配置 SMTP", "SMTP is not configured"),
    "delivery_no_recipients_in": (
        "{path} 中没有该类目的收件人",
        "no recipients for this category in {path}",
    ),
    "delivery_sent_at": ("已于 {at} 发送", "sent {at}"),
    "delivery_refused": ("被拒收的收件人：{addresses}", "refused recipients: {addresses}"),
    "delivery_unconfirmed_detail": (
        "邮件服务器收到了邮件 {message_id} 但没有确认，邮件可能已送达；不会自动重发：请先查看收件人"
        "的邮箱，再加上 --resend 重新运行，以同一 'Message-ID' 再发一次",
        "the server received message {message_id} but did not confirm it, so it may have "
        "arrived; it is not sent again automatically: check the recipients' mailbox, then rerun "
        "with --resend to send it again under the same Message-ID",
    ),
    "warn_unknown_recipient_category": (
        "{path} 列出了类目 {category}，但指标表中没有该类目（已知类目：{known}）；"
        "其地址收不到任何邮件",
        "{path} names category {category}, which the marts do not have (known: {known}); its "
        "addresses receive nothing",
    ),
    # ---- the sample generator
    "err_gen_orders": (
        "--orders 至少为 100 行订单，而不是 {value}",
        "--orders must be at least 100 order lines, got {value}",
    ),
    "err_gen_weeks": (
        "--weeks 须在 1 到 520 之间，而不是 {value}",
        "--weeks must be between 1 and 520, got {value}",
    ),
    "err_gen_merchants": (
        "--merchants 须在 1 到 100000 之间，而不是 {value}",
        "--merchants must be between 1 and 100000, got {value}",
    ),
    "err_gen_monday": (
        "--start 须为周一（周为 ISO 周），而不是 {value}",
        "--start must be a Monday (weeks are ISO weeks), got {value}",
    ),
    "err_gen_format": (
        "--format 只能是 {choices}，而不是 {value}",
        "--format must be one of {choices}, got {value}",
    ),
    "err_gen_headers": (
        "--headers 只能是 'en' 或 'zh'，而不是 {value}",
        "--headers must be en or zh, got {value}",
    ),
    "err_gen_encoding": (
        "--encoding 只能是 'utf-8' 或 'gbk'，而不是 {value}",
        "--encoding must be utf-8 or gbk, got {value}",
    ),
    "err_gen_gbk_csv": (
        "--encoding 'gbk' 只适用于 CSV；请使用 --format csv",
        "--encoding gbk applies to csv only; use --format csv",
    ),
    "err_gen_dirty_rate": (
        "--dirty-rate 须在 0 到 0.2 之间，而不是 {value}",
        "--dirty-rate must be between 0 and 0.2, got {value}",
    ),
    "err_gen_truth_inside": (
        "真值文件 {truth} 不能位于落地文件夹 {out} 之内（导入会读取它）",
        "the truth file {truth} must not be inside the landing folder {out} "
        "(the ingest would read it)",
    ),
    "err_gen_exists": (
        "{out} 中已有导出文件（{first} 等）；加上 --force 以替换它们",
        "{out} already holds exports ({first}, ...); use --force to replace them",
    ),
    # ---- the configuration file (complaints.yml)
    "err_sla_target": ("{where}：{target} 不是 SLA 目标", "{where}: {target} is not an SLA target"),
    "err_sla_target_text": (
        "{where}：{target} 不是 SLA 目标（应为日历小时数，或如 '24 hours'、'2 working hours'、"
        "'2 working days' 的文字）",
        "{where}: {target} is not an SLA target (a number of calendar hours, or text like "
        "'24 hours', '2 working hours', '2 working days')",
    ),
    "err_sla_target_positive": (
        "{where}：SLA 目标须为正数，而不是 {target}",
        "{where}: an SLA target must be positive, got {target}",
    ),
    "err_config_mapping": (
        "{path}：配置须为设置项的映射",
        "{path}: the configuration must be a mapping of settings",
    ),
    "err_config_unknown": ("{path}：未知的设置项 {names}", "{path}: unknown setting(s) {names}"),
    "err_config_stage": ("{path}：未知的 SLA 环节 {stage}", "{path}: unknown SLA stage {stage}"),
    "err_config_in": ("{path}：{detail}", "{path}: {detail}"),
    "err_config_choice": (
        "{path}：{name} 须为 {choices} 之一，而不是 {value}",
        "{path}: {name} must be one of {choices}, got {value}",
    ),
    "err_config_list": (
        "{path}：{name} 须为列表，而不是 {value}",
        "{path}: {name} must be a list, got {value}",
    ),
    "err_config_pattern_sets": (
        "{path}：phone_pattern_sets 中有未知的号码规则集 {names}（已知：{known}）",
        "{path}: phone_pattern_sets: unknown set(s) {names} (known: {known})",
    ),
    "err_config_extra_pattern": (
        "{path}：phone_extra_patterns[{n}] 无效（原因：{error}）",
        "{path}: phone_extra_patterns[{n}]: {error}",
    ),
    "err_config_calendar": (
        "{path}：working_calendar 只能是 {choices}，而不是 {value}",
        "{path}: working_calendar must be one of {choices}, got {value}",
    ),
    "err_config_time": (
        "{path}：{name} 须为 24 小时制的 'HH:MM'，而不是 {value}",
        "{path}: {name} must be HH:MM (24 h), got {value}",
    ),
    "err_config_hours": (
        "{path}：working_hours_start 须早于 working_hours_end",
        "{path}: working_hours_start must be before working_hours_end",
    ),
    # ---- landing and the working-day calendar
    "err_key_mismatch": (
        "拒绝载入：数据仓库中的电话哈希是用另一个密钥生成的（指纹 {theirs}），而本次运行来自 "
        "{source} 的密钥指纹为 {mine}；请将 COMPLAINTS_KEY_FILE（或 complaints.yml 中的 "
        "key_file）指向原来的密钥文件，或将 ${env} 设为原来的密钥",
        "refusing to load: the warehouse's phone hashes were made with another key (fingerprint "
        "{theirs}), but this run's key from {source} has fingerprint {mine}; point "
        "COMPLAINTS_KEY_FILE (or key_file in complaints.yml) at the original key file, or set "
        "${env} to the original key",
    ),
    "err_calendar_beyond": (
        "工作时间制 SLA 目标需要 {day} 的中国工作日历，但已安装的 'chinesecalendar' {version} "
        "只覆盖 {first}–{last} 年：请升级 'chinesecalendar'（每年的新版本加入下一年的节假日与"
        "调休），或改用日历小时设定目标",
        "working-time SLA targets need China's working-day calendar for {day}, but the installed "
        "chinesecalendar {version} only covers {first}–{last}: upgrade chinesecalendar (its "
        "yearly release adds the next year's holidays and 调休 days), or set the targets in "
        "calendar hours",
    ),
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


def node_word(word: str) -> str:
    """A dbt node's kind or status (model, test; pass, fail, error…) in the command line's
    language; one dbt adds later is shown as dbt writes it."""
    key = "node_" + word.replace("-", "_")
    return say(key) if key in MESSAGES else word


def because(detail: object) -> str:
    """A library's own error text, quoted as it is inside one of the catalogue's sentences."""
    return say("err_reason", detail=detail)


def say(key: str, lang: str | None = None, **values: object) -> str:
    """The catalogue's words for ``key`` in ``lang`` (default: the command line's language)."""
    words = MESSAGES[key][LANGUAGES.index(lang or cli_language())]
    return words.format(**values) if values else words
