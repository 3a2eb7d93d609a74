"""Every label the dashboards show, in Chinese and English.

Chinese is the default: the people who act on these numbers (platform quality managers, merchant
managers) work in Chinese; English serves analysts and reviewers. The language lives in the URL
(``?lang=en``) so a shared link opens in the sender's language. Pages never hard-code visible text:
they call ``t(key, lang)`` for labels, ``enum_label`` for codes found in the data (worded by the
one code table, ``flows.contract.CODES``) and ``column_label`` for table headers, so a missing
translation shows up in the tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from flows.contract import CODED_COLUMNS, COLUMN_LABELS, ENTITIES, code_label, column_label
from flows.formatting import is_missing

# One language list and default for every face, and the SQL console's error words shared with
# ``complaints sql`` (flows.i18n); re-exported for the pages.
from flows.i18n import DEFAULT_LANGUAGE as DEFAULT_LANGUAGE
from flows.i18n import LANGUAGES as LANGUAGES
from flows.i18n import normalise_language as normalise_language
from flows.i18n import sql_error_label as sql_error_label

LABELS: dict[str, tuple[str, str]] = {
    # chrome
    "app_title": ("商品质量投诉洞察", "Complaint insight"),
    "filters": ("筛选", "Filters"),
    "week_from": ("起始周", "From week"),
    "week_to": ("截止周", "To week"),
    "weeks_outside_period": (
        "另有 {n} 周数据不在所选区间内（数据范围 {first} 至 {last}），扩大区间即可查看。",
        "{n} more weeks of data lie outside the period (data from {first} to {last}); "
        "widen the period to see them.",
    ),
    "merchant": ("商家", "Merchant"),
    "all": ("全部", "All"),
    "yes": ("是", "Yes"),
    "no": ("否", "No"),
    "data_as_of": ("数据截至", "Data as of"),
    "built_at_caption": ("构建于", "built at"),
    "no_warehouse_title": ("尚无数据仓库", "No warehouse yet"),
    "sign_in_title": ("登录", "Sign in"),
    "username": ("用户名", "User name"),
    "password": ("密码", "Password"),
    "sign_in": ("登录", "Sign in"),
    "sign_in_failed": ("用户名或密码错误。", "Wrong user name or password."),
    "session_expired": ("会话已过期，请重新登录。", "Your session expired; please sign in again."),
    "signed_in_as": ("已登录：{name}（{role}）", "Signed in: {name} ({role})"),
    "sign_out": ("退出登录", "Sign out"),
    "warehouse_busy": (
        "数据仓库正被写入进程锁定，几秒后将自动重试。",
        "The warehouse is locked by a writing process; retrying in a few seconds.",
    ),
    "no_warehouse_body": (
        "未找到数据仓库 {path}。请先运行 `complaints run` 生成指标，然后刷新本页。",
        "No warehouse at {path}. Run `complaints run` first to build the metrics, "
        "then reload this page.",
    ),
    "no_data": ("当前筛选条件下没有数据", "No data for this selection"),
    "no_orders": (
        "未加载订单导出：比率需要订单行（投诉、SLA、重开与问题分布照常计算）",
        "No order exports loaded: rates need order lines (complaints, SLA, reopens and issue "
        "mixes are computed as usual)",
    ),
    "no_orders_recurrence": (
        "未加载订单导出：复发率需要订单行上的买家",
        "No order exports loaded: recurrence rates need the buyers of order lines",
    ),
    "immature_note": (
        "虚线/灰色 = 未成熟周（订单周结束不足 30 天，投诉仍会增加，比率可能上升）",
        "Dashed/grey = immature weeks (fewer than 30 days since the order week ended; "
        "complaints are still arriving, the rate can still rise)",
    ),
    "sla_provisional_note": (
        "虚线/灰色 = 暂定周：部分投诉的该环节尚未到期，只有已完成或已超时的计入，达成率仍可能下降",
        "Dashed/grey = provisional weeks: some complaints' stage is not due yet and only the done "
        "or overdue ones count so far; the rate can still fall",
    ),
    "period_has_immature": (
        "所选期间含未成熟周，比率可能上升",
        "The period includes immature weeks; the rate can still rise",
    ),
    "channel_not_applicable": (
        "渠道筛选不适用于以订单为分母的比率（缺陷率、投诉率）",
        "The channel filter does not apply to rates per order line (defect and complaint rates)",
    ),
    "filters_not_applicable": (
        "侧边栏筛选不适用于本页：数据质量描述的是导入文件，而不是商家或周",
        "The sidebar filters do not apply here: data quality describes imported files, "
        "not merchants or weeks",
    ),
    "previous_partial": (
        "上一期间早于最早的数据周，不显示环比变化",
        "The previous period starts before the first week with data; no change is shown",
    ),
    # page titles
    "page_overview": ("总览", "Overview"),
    "page_merchants": ("商家", "Merchants"),
    "page_skus": ("商品 SKU", "SKUs"),
    "page_sla": ("时效 SLA", "SLA"),
    "page_compliance": ("合规", "Compliance"),
    "page_recurrence": ("复发与整改", "Recurrence & actions"),
    "page_scorecards": ("商家周评分卡", "Scorecards"),
    "page_data_quality": ("数据质量", "Data quality"),
    "page_sql": ("SQL 控制台", "SQL console"),
    # KPIs
    "kpi_complaints": ("投诉量（有效）", "Complaints (counted)"),
    "kpi_complaint_rate": ("投诉率", "Complaint rate"),
    "kpi_defect_rate": ("确认缺陷率", "Confirmed-defect rate"),
    "kpi_recurrence_rate": ("复发率", "Recurrence rate"),
    "recurrence_help": (
        "按关闭周计入期间；关闭满 90 天（已成熟）且已分类的投诉才计入复发率，"
        "近期关闭的投诉显示为 —",
        "Counted by closed week; only classified complaints closed at least 90 days before as_of "
        "(mature) count, so a recent period shows —",
    ),
    "kpi_refunds": ("退款 + 补偿", "Refunds + compensation"),
    "rate_n": ("n = {n}", "n = {n}"),
    "rate_too_few": (
        "n = {n}，少于 {minimum}：样本太少，不显示比率和变化",
        "n = {n}, fewer than {minimum}: too few cases for a rate or a change",
    ),
    "rate_cell_help": (
        "依据「{base}」列的 n；少于 {minimum} 时显示 —（样本太少，不显示比率）",
        'Rests on the n in column "{base}"; — when fewer than {minimum} (too few cases for a rate)',
    ),
    "rates_blanked": (
        "— = 样本少于 {minimum}（n 见计数列），比率从略（{n} 格）",
        "— = fewer than {minimum} cases (n in the row's count column): no rate ({n} cells)",
    ),
    "kpi_sla": ("SLA 达成率：{stage}", "SLA compliance: {stage}"),
    "kpi_open_alerts": ("异常告警", "Open alerts"),
    "section_kpis": ("核心指标", "Headline figures"),
    "section_trends": ("周趋势", "Weekly trends"),
    "section_pareto": ("问题类型帕累托", "Issue-type Pareto"),
    "section_channels": ("投诉渠道构成", "Channel mix"),
    "section_alerts": ("SKU 缺陷告警（超出控制上限）", "SKU defect alerts (above the upper limit)"),
    # chart titles and axes
    "chart_complaints_weekly": (
        "每周有效投诉量（按投诉周）",
        "Counted complaints per week (received)",
    ),
    "chart_rates_weekly": (
        "每周投诉率与缺陷率（按订单周）",
        "Complaint and defect rate per week (order week)",
    ),
    "chart_pareto": ("问题类型帕累托图", "Pareto of issue types"),
    "chart_channels": ("各渠道投诉量", "Complaints by channel"),
    "chart_funnel": (
        "漏斗图：缺陷率与订单量（95% 与 99.8% 控制限）",
        "Funnel plot: defect rate vs order volume (95 % and 99.8 % limits)",
    ),
    "chart_pchart": ("P 控制图：每周缺陷比例", "p-chart: weekly defect proportion"),
    "chart_issue_mix": ("问题类型构成", "Issue mix"),
    "chart_sla_weekly": ("各环节每周 SLA 达成率", "Weekly SLA compliance by stage"),
    "chart_sla_tiles": ("SLA 达成率：环节 × 渠道", "SLA compliance: stage × channel"),
    "chart_backlog": ("未结投诉账龄", "Backlog ageing of open complaints"),
    "chart_merchant_trend": ("商家每周缺陷率", "Merchant weekly defect rate"),
    "chart_actions": ("整改前后缺陷率", "Defect rate before and after each action"),
    "axis_order_week": ("订单周", "Order week"),
    "axis_received_week": ("投诉周", "Received week"),
    "axis_complaints": ("投诉量", "Complaints"),
    "axis_rate": ("比率", "Rate"),
    "axis_defect_rate": ("缺陷率", "Defect rate"),
    "axis_order_lines": ("订单行数", "Order lines"),
    "axis_cum_share": ("累计占比", "Cumulative share"),
    "axis_issue_type": ("问题类型", "Issue type"),
    "axis_channel": ("渠道", "Channel"),
    "axis_compliance": ("达成率", "Compliance"),
    "axis_stage": ("环节", "Stage"),
    "axis_age": ("账龄", "Age"),
    "axis_action": ("整改", "Action"),
    "series_complaint_rate": ("投诉率", "Complaint rate"),
    "series_defect_rate": ("缺陷率", "Defect rate"),
    "series_immature": ("（未成熟）", "(immature)"),
    "series_provisional": ("（暂定）", "(provisional)"),
    "series_platform": ("平台缺陷率", "Platform rate"),
    "series_limit95": ("95% 控制限", "95 % limit"),
    "series_limit998": ("99.8% 控制限", "99.8 % limit"),
    "series_merchants": ("商家", "Merchants"),
    "series_center": ("中心线", "Centre line"),
    "series_ucl": ("控制上限 UCL", "UCL"),
    "series_lcl": ("控制下限 LCL", "LCL"),
    "series_alert": ("告警", "Alert"),
    "series_before": ("整改前", "Before"),
    "series_after": ("整改后", "After"),
    # merchants page
    "merchant_table": ("商家缺陷率（所选期间）", "Merchant defect rates (selected period)"),
    "select_merchant": ("选择商家查看明细", "Select a merchant to drill down"),
    "drill_skus": ("SKU", "SKUs"),
    "drill_issues": ("问题", "Issues"),
    "drill_trend": ("趋势", "Trend"),
    "drill_sla": ("SLA 记录", "SLA record"),
    "drill_actions": ("整改措施", "Corrective actions"),
    "drill_complaints": ("投诉明细", "Complaints"),
    "platform_rate_caption": (
        "平台缺陷率 {rate}（{defects} / {lines} 订单行）",
        "Platform defect rate {rate} ({defects} / {lines} order lines)",
    ),
    "funnel_immature": (
        "空心点 = 期间含未成熟周（比率仍可能上升）；"
        "橙色 = 超出 95% 控制限，红色 = 超出 99.8% 控制限",
        "Open circles = the period includes immature weeks (the rate can still rise); "
        "orange = above the 95 % limit, red = above the 99.8 % limit",
    ),
    "sla_merchant_ranking": (
        "商家 SLA 排名（最差在前）",
        "Merchants by SLA compliance (worst first)",
    ),
    "sla_ranking_caption": (
        "近 26 周受理的投诉；按达成率从低到高排名，附 95% 区间；"
        "被考核投诉不足 20 条的商家只列出 n，不排名",
        "Complaints received in the last 26 weeks; ranked by compliance, lowest first, with its "
        "95 % interval; merchants with fewer than 20 measured complaints are listed with n, "
        "unranked",
    ),
    "sla_ranking_stage": ("环节", "Stage"),
    "page_number": ("页码（共 {pages} 页）", "Page (of {pages})"),
    "rows_page": ("第 {first}–{last} 行，共 {total} 行", "Rows {first}–{last} of {total}"),
    "download_late_csv": ("下载全部 {total} 行（CSV）", "Download all {total} rows (CSV)"),
    "outside_998": ("超出 99.8% 控制限的商家：{n}", "Merchants above the 99.8 % limit: {n}"),
    "insufficient_volume": (
        "订单量不足，不评级、不排名、不标记",
        "too few order lines: not graded, ranked or flagged",
    ),
    "funnel_small": (
        "灰色点 = 订单量低于 {n} 行的商家：不标记、不排名（悬停查看 n）",
        "Grey points = merchants under {n} order lines: never flagged or ranked (hover for n)",
    ),
    # sku page
    "select_sku": ("选择 SKU", "Select a SKU"),
    "chart_type_caption": (
        "控制图类型：{chart_type}；基线周数：{n_baseline}",
        "Chart type: {chart_type}; baseline weeks: {n_baseline}",
    ),
    "complaints_list": ("投诉列表", "Complaints"),
    "terms_title": ("买家在说什么", "What buyers write"),
    "terms_top": ("{week} 高频词与基线", "Top terms in {week} vs baseline"),
    "terms_series_week": ("本周", "This week"),
    "terms_series_baseline": ("前 8 周周均", "Weekly mean of the 8 weeks before"),
    "terms_emerging": ("新出现的投诉词", "Emerging terms"),
    "terms_no_emerging": ("所选区间内没有新出现的投诉词。", "No emerging terms in the period."),
    "terms_trend": ("高频词趋势", "Term trends"),
    "terms_pick": ("点击一个词筛选投诉列表", "Click a word to filter the complaint list"),
    "terms_filtered": ("只显示提到“{term}”的投诉", 'Only complaints mentioning "{term}"'),
    "terms_not_built": (
        "数据仓库中还没有投诉文本数据，请重新运行 complaints build。",
        "The warehouse holds no complaint-text marts yet; run complaints build again.",
    ),
    "axis_mentions": ("提及投诉数", "Complaints mentioning"),
    "axis_term": ("词", "Term"),
    "rows_shown": ("显示 {shown} / {total} 行", "Showing {shown} of {total} rows"),
    # sla page
    "sla_by_stage": ("各环节 SLA（所选期间）", "SLA by stage (selected period)"),
    "sla_table": (
        "明细：环节 × 渠道 × 周",
        "Details: stage × channel × week",
    ),
    "sla_targets": ("SLA 时限（环节 × 渠道）", "SLA targets (stage × channel)"),
    "sla_satisfaction": (
        "满意度：按时处理与超时处理对比（全部数据）",
        "Satisfaction: resolution on time vs late (all data)",
    ),
    "sla_satisfaction_caption": (
        "已调查的有效投诉；差值 = 超时均分 − 按时均分，95 % 区间不含 0 即差异显著",
        "Surveyed counted complaints; difference = late mean − on-time mean; a 95 % interval "
        "that excludes 0 is a real difference",
    ),
    # resolution outcomes (overview and SLA pages)
    "section_outcomes": ("处理结果与成本", "Resolution outcomes and cost"),
    "outcomes_remedy_mix": (
        "处理方式构成（问题类型 × 责任方，全部数据）",
        "Remedy mix (issue type × responsibility, all data)",
    ),
    "outcomes_remedy_caption": (
        "已关闭的有效投诉；每条为一个问题类型与责任方组合（投诉最多的 {n} 个），按处理方式占比分段",
        "Closed counted complaints; each bar is an issue type × responsibility cell (the {n} "
        "largest), split by the share of each remedy",
    ),
    "outcomes_cost": (
        "退款与赔偿由谁承担（所选期间）",
        "Refunds and compensation: who bears them (selected period)",
    ),
    "outcomes_cost_caption": (
        "承担方 = 投诉的责任方；成本不按渠道筛选",
        "Borne by = the complaint's responsibility; cost is not filtered by channel",
    ),
    "axis_borne_by": ("承担方", "Borne by"),
    "axis_cost": ("金额（元）", "Amount (CNY)"),
    "axis_share": ("占比", "Share"),
    "axis_cell": ("问题类型 · 责任方", "Issue type · responsibility"),
    "sla_investigations": (
        "调查环节：送检与补充材料（全部数据）",
        "Investigation: lab tests and information requests (all data)",
    ),
    "sla_lab_tests": ("送检（按类目）", "Lab tests by category"),
    "sla_lab_caption": (
        "送检率 = 送检投诉 ÷ 有效投诉；周期 = 送检到出结果，"
        "按日历小时与工作小时（中国工作日历）计；确认缺陷 = 检测后判定为商家责任的缺陷",
        "Lab-test rate = complaints sent to a lab ÷ counted complaints; turnaround = request to "
        "result, in calendar hours and in working hours (China's working calendar); defect "
        "confirmed = classified a merchant-responsible defect after the test",
    ),
    "sla_info_requests": ("向买家补充材料（按渠道）", "Information requests to buyers by channel"),
    "sla_info_caption": (
        "从未回复占比 = 从未回复 ÷（已回复 + 从未回复），仍在等待回复的不计入；"
        "回复时长按日历小时计",
        "Never-answered share = never answered ÷ (answered + never answered), requests still "
        "awaiting an answer left out; response time in calendar hours",
    ),
    # compliance page
    "compliance_caption": (
        "已关闭且订单已签收的投诉，按《消费者权益保护法》七日无理由退货、三包与假一赔三核对处理结果；"
        "低于法定权益且买家未确认接受（或在期限内直接驳回）即为不合规",
        "Closed complaints on delivered order lines, checked against the seven-day no-reason "
        "return, the three guarantees on defects (return, exchange, repair) and threefold "
        "counterfeit compensation (at least 500); a remedy below the buyer's entitlement "
        "that the buyer did not accept (or a rejection inside a window) is below entitlement",
    ),
    "compliance_rules": ("各规则不合规次数", "Below entitlement per rule"),
    "compliance_by_merchant": ("商家不合规率", "Below-entitlement rate per merchant"),
    "compliance_list": ("低于法定权益的投诉", "Complaints below the legal entitlement"),
    "compliance_rule_filter": ("规则", "Rule"),
    "compliance_all_rules": ("全部规则", "All rules"),
    "compliance_download": ("下载 CSV（全部符合条件的行）", "Download CSV (every matching row)"),
    "axis_rule": ("规则", "Rule"),
    "axis_below": ("不合规次数", "Below entitlement"),
    "sla_targets_caption": (
        "小时 = 自然小时；工作小时 / 工作日 按{calendar}工作日历的 {hours} 计"
        "（1 个工作日 = 一天的工作时长）；空白 = 该渠道不考核",
        "h = calendar hours; working h / working days count {hours} on {calendar} working days "
        "(1 working day = one business day's hours); blank = not measured on the channel",
    ),
    "working_calendar_china": (
        "中国（法定节假日休、调休上班）",
        "China's (public holidays off, make-up working weekends on)",
    ),
    "working_calendar_weekdays": ("周一至周五", "Monday–Friday"),
    "sla_late_list": ("超时与逾期清单", "Breached and overdue"),
    "sla_late_caption": (
        "已超时（完成但超时限）与逾期未完成；逾期时长 = 超出时限的小时数",
        "Breached (done late) and open overdue; overdue = hours past the deadline",
    ),
    "backlog_caption": (
        "未结投诉按截至数据时点的账龄分组（按投诉周筛选）",
        "Open complaints by age at the data's as-of time (filtered by received week)",
    ),
    # recurrence page
    "recurrence_by": ("复发率维度", "Recurrence rate by"),
    "group_merchant": ("商家", "Merchant"),
    "group_sku": ("SKU", "SKU"),
    "group_issue_type": ("问题类型", "Issue type"),
    "recurrence_caption": (
        "复发 = 同一买家在投诉关闭后 90 天内就同一 SKU、同一问题再次投诉（处理没有解决他的问题）；"
        "按关闭周筛选，仅计入已成熟（关闭满 90 天）、已分类且有买家的投诉",
        "Recurrence = the same buyer complains again about the same SKU and issue within 90 days "
        "of the close (the remedy did not fix their problem); filtered by closed week, only "
        "mature (closed ≥ 90 days ago) classified complaints with a buyer count",
    ),
    "reopen_rates": ("重开率与重复投诉买家", "Reopen and repeat-buyer rates"),
    "corrective_actions": ("整改措施效果", "Corrective-action effectiveness"),
    "actions_caption": (
        "显示在所选期间内进行中的整改；未完成或观察期未满 = 待评估；显著下降 = 有效，"
        "显著上升 = 恶化；否则检验功效 ≥ 80% 时为无可检测变化，不足时为数据不足（不判定无效）",
        "Actions active during the period; not completed or not mature = pending; a significant "
        "drop = effective, a significant rise = worsened; otherwise no detectable change when "
        "the test had ≥ 80 % power to see a halving, else insufficient data (never ineffective)",
    ),
    # scorecards page
    "scorecard_week": ("评分周", "Scorecard week"),
    "scorecard_title": ("商家周评分卡 {week}", "Merchant scorecard {week}"),
    "grade_count": ("{grade} 级商家数", "Grade {grade} merchants"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "download_xlsx": ("下载 XLSX", "Download XLSX"),
    "scorecard_workbook_category": (
        "工作簿类目（与邮件所附相同）",
        "Workbook category (as mailed)",
    ),
    # data quality page
    "dq_freshness": ("数据新鲜度", "Freshness"),
    "dq_file_ledger": ("文件台账", "File ledger"),
    "dq_quarantine": ("隔离行及原因", "Quarantined rows and reasons"),
    "dq_expectations": ("数据校验结果", "Expectation results"),
    "dq_warnings": ("数据告警（可选字段已置空）", "Warnings (optional fields nulled)"),
    "dq_assumed_values": (
        "假定值（由映射配置默认值填充的列；仅凭假定时间的 SLA 环节不计）",
        "Assumed values (set by a profile default; SLA stages resting on them not measured)",
    ),
    "dq_orphans": ("孤儿记录", "Orphans"),
    "dq_sla_stage_observation": (
        "SLA 环节记录情况（渠道从未记录的环节不计超时）",
        "SLA stages recorded per channel (a stage a channel never records is not counted late)",
    ),
    "dq_build": ("构建信息", "Build"),
    "dq_failed_expectations": ("未通过的校验：{n}", "Failed expectations: {n}"),
    # sql console
    "sql_schema": ("表结构（marts）", "Schema (marts)"),
    "sql_query": ("SQL 查询（只读，仅 marts）", "SQL query (read-only, marts only)"),
    "sql_run": ("运行", "Run"),
    "sql_limits": (
        "时间上限 {timeout} 秒，最多返回 {max_rows} 行",
        "Time limit {timeout} s, at most {max_rows} rows",
    ),
    "sql_result": ("{n} 行，用时 {seconds} 秒", "{n} rows in {seconds} s"),
    "sql_truncated": ("结果已截断为前 {n} 行", "Result truncated to the first {n} rows"),
    "sql_error": ("查询未执行：{message}", "Query not run: {message}"),
    "sql_no_docs": ("无列说明", "no column docs"),
    "sql_download": ("下载结果 CSV", "Download result as CSV"),
    "sql_placeholder": (
        "select * from marts.build_info",
        "select * from marts.build_info",
    ),
    # value labels
    "unclassified": ("未分类", "Unclassified"),
}


def t(key: str, lang: str, **values: object) -> str:
    """The label ``key`` in ``lang``, with ``{placeholders}`` filled in; a column's name gives its
    header from the one column-label table (flows.contract.COLUMN_LABELS)."""
    if key not in LABELS and key in COLUMN_LABELS:
        return column_label(key, lang)
    text = LABELS[key][LANGUAGES.index(lang)]
    return text.format(**values) if values else text


def enum_label(kind: str, code: object, lang: str) -> str:
    """The label of a code found in the data (unknown codes are shown as they are)."""
    if code is None or (isinstance(code, float) and pd.isna(code)):
        return t("unclassified", lang) if kind == "issue_type" else ""
    label = code_label(kind, code, lang)
    return str(code) if label is None else label


def _all_bool(series: pd.Series) -> bool:
    values = series.dropna()
    return series.dtype == object and not values.empty and all(isinstance(v, bool) for v in values)


def localise_frame(
    frame: pd.DataFrame, lang: str, columns: Iterable[str] | None = None
) -> pd.DataFrame:
    """``frame`` (or the chosen ``columns``) with translated codes and headers, for display."""
    shown = frame[list(columns)] if columns is not None else frame
    shown = shown.copy()
    yes_no = (t("yes", lang), t("no", lang))
    for column in shown.columns:
        kind = CODED_COLUMNS.get(column)
        if kind:
            shown[column] = [enum_label(kind, value, lang) for value in shown[column]]
        elif pd.api.types.is_bool_dtype(shown[column]) or _all_bool(shown[column]):
            # 是/否, Yes/No: never True/False (the header says what is asked).
            shown[column] = [
                None if is_missing(v) else yes_no[0] if bool(v) else yes_no[1]
                for v in shown[column]
            ]
    return shown.rename(columns={c: column_label(c, lang) for c in shown.columns})


# ---- data quality -----------------------------------------------------------------------------
# The ingest's reasons are English templates (flows/landing/rules.py, classify.py, pipeline.py);
# each is worded here from its parts, field names by their column labels.
_KINDS = {
    "integer": ("整数", "integer"),
    "number": ("数值", "number"),
    "timestamp": ("时间", "timestamp"),
    "date": ("日期", "date"),
}
_REASONS: list[tuple[re.Pattern[str], tuple[str, str]]] = [
    (re.compile(r"NUL byte in value"), ("值中含 NUL 字节", "NUL byte in value")),
    (re.compile(r"required field missing"), ("必填字段缺失", "Required field missing")),
    (re.compile(r"unknown (?P<code>\w+) value"), ("未知的{code}取值", "Unknown {code} value")),
    (re.compile(r"unparseable (?P<kind>\w+)"), ("无法解析的{kind}", "Unparseable {kind}")),
    (re.compile(r"(?P<field>\w+) out of range"), ("{field}超出范围", "{field} out of range")),
    (
        re.compile(r"quantity must be an integer ≥ 1"),
        ("数量须为 ≥ 1 的整数", "Quantity must be an integer ≥ 1"),
    ),
    (
        re.compile(r"(?P<field>\w+) must be between (?P<low>\S+) and (?P<high>\S+)"),
        ("{field}须在 {low} 至 {high} 之间", "{field} must be between {low} and {high}"),
    ),
    (
        re.compile(r"(?P<field>\w+) must be ≥ (?P<low>\S+)"),
        ("{field}须 ≥ {low}", "{field} must be ≥ {low}"),
    ),
    (
        re.compile(r"(?P<field>\w+) before (?P<other>\w+)"),
        ("{field}早于{other}", "{field} before {other}"),
    ),
    (
        re.compile(r"conflicting duplicate: same \((?P<fields>[\w, ]+)\), different values.*"),
        (
            "冲突的重复行：{fields}相同但取值不同",
            "Conflicting duplicate: same {fields}, other values",
        ),
    ),
    (
        re.compile(r"missing required column\(s\): (?P<fields>[\w, ]+)"),
        ("缺少必需列：{fields}", "Missing required columns: {fields}"),
    ),
]
_LOADED_AS_NULL = "; loaded as null"
_SCOPE_ALL = re.compile(r"all (?P<n>\d+) rows")
_SCOPE_SAMPLE = re.compile(r"sample of (?P<k>\d+) of (?P<n>\d+) rows; SQL rules checked all rows")


def _field(name: str, lang: str) -> str:
    """A contract field's label; a list of fields ("order_id,sku_id") field by field."""
    if "," in name:
        sep = "、" if lang == "zh" else ", "
        return sep.join(_field(part.strip(), lang) for part in name.split(","))
    for suffix, (zh, en) in (
        ("_hash", ("（哈希）", " (hash)")),
        ("_masked", ("（脱敏）", " (masked)")),
    ):
        if name.endswith(suffix) and name not in COLUMN_LABELS:
            return _field(name.removesuffix(suffix), lang) + (zh if lang == "zh" else en)
    if name in COLUMN_LABELS:
        return column_label(name, lang)
    for entity in ENTITIES.values():
        for column in entity.columns:
            if column.name == name:
                return column.zh if lang == "zh" else name
    return name


def reason_label(reason: object, lang: str) -> object:
    """An ingest reason in ``lang`` (unknown wording is shown as it is)."""
    if not isinstance(reason, str):
        return reason
    text, tail = reason, ""
    if text.endswith(_LOADED_AS_NULL):
        text = text.removesuffix(_LOADED_AS_NULL)
        tail = "；已按空值载入" if lang == "zh" else "; loaded as null"
    index = LANGUAGES.index(lang)
    for pattern, words in _REASONS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = match.groupdict()
        if "field" in parts:
            parts["field"] = _field(parts["field"], lang)
        if "other" in parts:
            parts["other"] = _field(parts["other"], lang)
        if "fields" in parts:
            sep = "、" if lang == "zh" else ", "
            parts["fields"] = sep.join(_field(f.strip(), lang) for f in parts["fields"].split(","))
        if "kind" in parts:
            parts["kind"] = _KINDS.get(parts["kind"], (parts["kind"],) * 2)[index]
        if "code" in parts:
            parts["code"] = _field(parts["code"], lang)
        return words[index].format(**parts) + tail
    return reason


def scope_label(scope: object, lang: str) -> object:
    """What an expectation examined ("all 4423 rows") in ``lang``."""
    if not isinstance(scope, str):
        return scope
    if match := _SCOPE_ALL.fullmatch(scope):
        n = f"{int(match['n']):,}"
        return f"全部 {n} 行" if lang == "zh" else f"all {n} rows"
    if match := _SCOPE_SAMPLE.fullmatch(scope):
        k, n = f"{int(match['k']):,}", f"{int(match['n']):,}"
        return (
            f"抽样 {k} / {n} 行；SQL 规则检查全部行"
            if lang == "zh"
            else f"sample of {k} of {n} rows; SQL rules checked all rows"
        )
    return scope


def localise_dq_frame(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A data-quality table with its reasons, fields, suites, statuses and scopes worded in
    ``lang`` (codes and headers are then worded by ``localise_frame`` as in every table)."""
    shown = frame.copy()
    for column in shown.columns:
        if column == "reason":
            shown[column] = [reason_label(v, lang) for v in shown[column]]
        elif column in ("field", "column_name"):
            shown[column] = [
                v if not isinstance(v, str) else _field(v, lang) for v in shown[column]
            ]
        elif column == "suite":
            shown[column] = [
                enum_label("entity", v.removeprefix("landing_"), lang) if isinstance(v, str) else v
                for v in shown[column]
            ]
        elif column == "status":
            shown[column] = [enum_label("file_status", v, lang) for v in shown[column]]
        elif column == "scope":
            shown[column] = [scope_label(v, lang) for v in shown[column]]
        elif column == "encoding":
            shown[column] = [v.upper() if isinstance(v, str) else v for v in shown[column]]
    return shown
