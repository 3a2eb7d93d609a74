"""The six entities of the data contract: columns, types, required fields, keys, enumerations.

Everything downstream (profiles, validation rules, DDL, suites) is derived from this table, so a
change to the contract is made here once.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.column_labels import COLUMN_LABELS as COLUMN_LABELS  # the column-header table
from flows.column_labels import column_label as column_label

# The words of every code, in Chinese and English: kind -> code -> (zh, en). The one table of
# code labels: the dashboard, the scorecards (HTML, workbook, e-mail) and the ingest (a Chinese
# export may name a code by its Chinese word) all read it.
CODES: dict[str, dict[str, tuple[str, str]]] = {
    "channel": {
        "app": ("APP客服", "App"),
        "web_form": ("在线表单", "Web form"),
        "hotline": ("客服热线", "Hotline"),
        "social_media": ("社交媒体", "Social media"),
    },
    "issue_type": {
        "quality_defect": ("质量问题", "Quality defect"),
        "cosmetic_flaw": ("瑕疵", "Cosmetic flaw"),
        "counterfeit": ("假冒伪劣", "Counterfeit"),
        "transport_damage": ("运输损坏", "Transport damage"),
        "misuse": ("使用不当", "Misuse"),
        "misunderstanding": ("理解偏差", "Misunderstanding"),
        "other": ("其他", "Other"),
    },
    "responsibility": {
        "merchant": ("商家", "Merchant"),
        "logistics": ("物流", "Logistics"),
        "buyer": ("买家", "Buyer"),
        "platform": ("平台", "Platform"),
        "undetermined": ("待定", "Undetermined"),
    },
    "remedy": {
        "return_refund": ("退货退款", "Return and refund"),
        "exchange": ("换货", "Exchange"),
        "repair": ("维修", "Repair"),
        "partial_refund": ("部分退款", "Partial refund"),
        "return_shipping_refund": ("退货补运费", "Return shipping refund"),
        "none": ("无", "None"),
        "rejected": ("驳回", "Rejected"),
    },
    "status": {
        "open": ("待处理", "Open"),
        "investigating": ("调查中", "Investigating"),
        "awaiting_merchant": ("待商家举证", "Awaiting merchant"),
        "resolved": ("已解决", "Resolved"),
        "closed": ("已关闭", "Closed"),
        "withdrawn": ("已撤销", "Withdrawn"),
    },
    "event_type": {
        "received": ("收到投诉", "Received"),
        "acknowledged": ("已受理", "Acknowledged"),
        "info_requested": ("补充信息请求", "Information requested"),
        "info_received": ("已收到补充信息", "Information received"),
        "merchant_notified": ("已通知商家", "Merchant notified"),
        "merchant_evidence_submitted": ("商家已举证", "Merchant evidence submitted"),
        "lab_test_requested": ("申请检测", "Lab test requested"),
        "lab_test_completed": ("检测完成", "Lab test completed"),
        "classified": ("已定性", "Classified"),
        "remedy_proposed": ("已提出处理方案", "Remedy proposed"),
        "remedy_accepted": ("处理方案已接受", "Remedy accepted"),
        "remedy_executed": ("处理方案已执行", "Remedy executed"),
        "closed": ("已结案", "Closed"),
        "reopened": ("已重开", "Reopened"),
        "withdrawn": ("已撤诉", "Withdrawn"),
    },
    "actor": {
        "agent": ("客服", "Agent"),
        "merchant": ("商家", "Merchant"),
        "buyer": ("买家", "Buyer"),
        "system": ("系统", "System"),
        "lab": ("检测机构", "Lab"),
    },
    "action_type": {
        "supplier_change": ("更换供应商", "Supplier change"),
        "incoming_inspection": ("来料检验", "Incoming inspection"),
        "process_fix": ("工艺改进", "Process fix"),
        "packaging_fix": ("包装改进", "Packaging fix"),
        "listing_removed": ("商品下架", "Listing removed"),
        "merchant_warning": ("商家警告", "Merchant warning"),
        "merchant_penalty": ("商家处罚", "Merchant penalty"),
    },
    # Codes the marts add.
    "stage": {
        "acknowledge": ("受理确认", "Acknowledge"),
        "merchant_notified": ("通知商家", "Merchant notified"),
        "merchant_evidence": ("商家举证", "Merchant evidence"),
        "resolution": ("问题解决", "Resolution"),
    },
    "sla_status": {
        "met": ("达标", "Met"),
        "breached": ("超时", "Breached"),
        "open_overdue": ("逾期未完成", "Open, overdue"),
        "open_not_due": ("未到期", "Open, not due"),
        "not_started": ("未开始", "Not started"),
        "not_applicable": ("不适用", "Not applicable"),
        "not_observed": ("渠道未记录", "Not recorded on the channel"),
    },
    "sla_target_unit": {
        "calendar_hours": ("小时", "h"),
        "working_hours": ("工作小时", "working h"),
        "working_days": ("个工作日", "working days"),
    },
    "evaluation": {
        "pending": ("待评估（数据未成熟）", "Pending (not mature yet)"),
        "effective": ("有效", "Effective"),
        "worsened": ("恶化", "Worsened"),
        "no_detectable_change": ("无可检测变化", "No detectable change"),
        "insufficient_data": ("数据不足", "Insufficient data"),
    },
    "grade_status": {
        "graded": ("已评级", "Graded"),
        "insufficient_volume": ("样本量不足", "Insufficient volume"),
        "no_mature_weeks": ("暂无成熟周", "No mature weeks yet"),
    },
    "rank_status": {
        "ranked": ("已排名", "Ranked"),
        "insufficient_volume": ("样本量不足", "Insufficient volume"),
    },
    "legal_rule": {
        "defect_return": ("三包·7日退换", "Defect: return within 7 days"),
        "defect_exchange": ("三包·15日换修", "Defect: exchange within 15 days"),
        "defect_repair": ("三包·保修", "Defect: repair"),
        "no_reason_return": ("七日无理由退货", "Seven-day no-reason return"),
        "counterfeit_compensation": ("假一赔三", "Counterfeit compensation (3x, min. 500)"),
    },
    "scope": {"sku": ("SKU", "SKU"), "merchant": ("全店", "Whole merchant")},
    "chart_type": {"p": ("P 图", "p-chart"), "laney_p_prime": ("Laney P′ 图", "Laney p′-chart")},
    "backlog_age_bucket": {
        "age_lt1d": ("< 1 天", "< 1 day"),
        "age_1_3d": ("1–3 天", "1–3 days"),
        "age_3_7d": ("3–7 天", "3–7 days"),
        "age_7_14d": ("7–14 天", "7–14 days"),
        "age_14_30d": ("14–30 天", "14–30 days"),
        "age_gt30d": ("> 30 天", "> 30 days"),
    },
    # The data-quality tables' codes.
    "entity": {
        "merchants": ("商家", "Merchants"),
        "skus": ("商品", "SKUs"),
        "orders": ("订单", "Orders"),
        "complaints": ("投诉", "Complaints"),
        "complaint_events": ("投诉事件", "Complaint events"),
        "corrective_actions": ("整改措施", "Corrective actions"),
    },
    "file_status": {
        "loaded": ("已载入", "Loaded"),
        "rejected": ("已拒收", "Rejected"),
        "skipped": ("已跳过", "Skipped"),
    },
    "file_format": {
        "csv": ("CSV", "CSV"),
        "xlsx": ("XLSX", "XLSX"),
        "jsonl": ("JSONL", "JSONL"),
        "parquet": ("Parquet", "Parquet"),
    },
    "file_profile": {
        "canonical_en": ("标准英文表头", "Contract headers (English)"),
        "contract_zh": ("标准中文表头", "Contract headers (Chinese)"),
    },
    "orphan_kind": {
        "order_line_missing": ("缺少对应订单行", "Order line missing"),
        "sku_missing": ("缺少对应商品", "SKU missing"),
        "merchant_missing": ("缺少对应商家", "Merchant missing"),
        "complaint_missing": ("缺少对应投诉", "Complaint missing"),
    },
    "expectation": {
        "expect_column_to_exist": ("列存在", "Column exists"),
        "expect_column_values_to_not_be_null": ("值非空", "Values not null"),
        "expect_column_values_to_be_unique": ("值唯一", "Values unique"),
        "expect_compound_columns_to_be_unique": ("组合键唯一", "Compound key unique"),
        "expect_column_values_to_be_in_set": ("值在允许集合内", "Values in the allowed set"),
        "expect_column_values_to_be_between": ("值在范围内", "Values within range"),
        "expect_column_value_lengths_to_be_between": ("长度在范围内", "Lengths within range"),
        "expect_column_values_to_match_regex": ("值符合格式", "Values match the pattern"),
        "expect_column_values_to_not_match_regex": (
            "值不含禁止格式",
            "Values do not match the forbidden pattern",
        ),
        "expect_column_pair_values_a_to_be_greater_than_b": (
            "两列先后顺序正确",
            "First column after the second",
        ),
    },
}

# Which code table a column's values come from (a column not listed holds no codes).
CODED_COLUMNS: dict[str, str] = {
    "channel": "channel",
    "issue_type": "issue_type",
    "responsibility": "responsibility",
    "status": "status",
    "complaint_status": "status",
    "remedy": "remedy",
    "event_type": "event_type",
    "actor": "actor",
    "stage": "stage",
    "sla_status": "sla_status",
    "evaluation": "evaluation",
    "action_type": "action_type",
    "scope": "scope",
    "chart_type": "chart_type",
    "target_unit": "sla_target_unit",
    "grade_status": "grade_status",
    "rank_status": "rank_status",
    "below_rule": "legal_rule",
    "remedy_rule": "legal_rule",
    "rule": "legal_rule",
    "entitled_remedy": "remedy",
    "remedy_given": "remedy",
    "borne_by": "responsibility",
    "age_bucket": "backlog_age_bucket",
    "backlog_age_bucket": "backlog_age_bucket",
    "entity": "entity",
    "expectation": "expectation",
    "orphan_kind": "orphan_kind",
    "format": "file_format",
    "profile": "file_profile",
}

# The export files' enumerations: code -> the Chinese word a Chinese export may use instead
# (None: the exports use the English codes only).
_CHINESE_IN_EXPORTS = ("channel", "issue_type", "responsibility", "remedy", "status")
ENUMS: dict[str, dict[str, str | None]] = {
    kind: {
        code: (words[0] if kind in _CHINESE_IN_EXPORTS else None)
        for code, words in CODES[kind].items()
    }
    for kind in (*_CHINESE_IN_EXPORTS, "event_type", "actor", "action_type")
}


def code_label(kind: str, code: object, lang: str) -> str | None:
    """The word for ``code`` of ``kind`` in ``lang`` ("zh" or "en"); None for an unknown code."""
    words = CODES.get(kind, {}).get(str(code))
    return None if words is None else words[("zh", "en").index(lang)]


@dataclass(frozen=True)
class Column:
    """One contract column. ``kind``: text, integer, decimal, timestamp, date or enum."""

    name: str
    zh: str
    kind: str = "text"
    required: bool = False
    enum: str | None = None
    minimum: int | None = None  # integers and decimals
    maximum: int | None = None
    after: str | None = None  # timestamp that must not precede this one (optional fields only)
    personal: bool = False  # phone number: hashed and masked, never stored in clear
    free_text: bool = False  # phone numbers inside are masked

    @property
    def sql_type(self) -> str:
        return {
            "text": "VARCHAR",
            "enum": "VARCHAR",
            "integer": "INTEGER",
            "decimal": "DECIMAL(18,2)",
            "timestamp": "TIMESTAMPTZ",
            "date": "DATE",
        }[self.kind]


@dataclass(frozen=True)
class Entity:
    """An entity: its file-name prefix, columns and the key that identifies a row."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    # Key within one file for conflict detection (complaints: a state is identified by its update).
    file_key: tuple[str, ...]

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _c(name: str, zh: str, kind: str = "text", **kw: object) -> Column:
    return Column(name, zh, kind, **kw)  # type: ignore[arg-type]


ENTITIES: dict[str, Entity] = {
    "merchants": Entity(
        "merchants",
        (
            _c("merchant_id", "商家ID", required=True),
            _c("merchant_name", "商家名称"),
            _c("category", "主营类目"),
            _c("onboarded_on", "入驻日期", "date"),
        ),
        key=("merchant_id",),
        file_key=("merchant_id",),
    ),
    "skus": Entity(
        "skus",
        (
            _c("sku_id", "SKU编码", required=True),
            _c("merchant_id", "商家ID", required=True),
            _c("sku_name", "商品名称"),
            _c("category_l1", "一级类目"),
            _c("category_l2", "二级类目"),
            _c("brand", "品牌"),
        ),
        key=("sku_id",),
        file_key=("sku_id",),
    ),
    "orders": Entity(
        "orders",
        (
            _c("order_id", "订单编号", required=True),
            _c("sku_id", "SKU编码", required=True),
            _c("merchant_id", "商家ID", required=True),
            _c("quantity", "数量", "integer", required=True, minimum=1),
            _c("paid_amount", "实付金额", "decimal", minimum=0),
            _c("ordered_at", "下单时间", "timestamp", required=True),
            _c("shipped_at", "发货时间", "timestamp", after="ordered_at"),
            _c("delivered_at", "签收时间", "timestamp", after="shipped_at"),
            _c("buyer_id", "买家ID"),
            _c("province", "省份"),
            _c("carrier", "物流公司"),
        ),
        key=("order_id", "sku_id"),
        file_key=("order_id", "sku_id"),
    ),
    "complaints": Entity(
        "complaints",
        (
            _c("complaint_id", "投诉编号", required=True),
            _c("order_id", "订单编号", required=True),
            _c("sku_id", "SKU编码", required=True),
            _c("merchant_id", "商家ID"),
            _c("channel", "投诉渠道", "enum", required=True, enum="channel"),
            _c("received_at", "投诉时间", "timestamp", required=True),
            _c("issue_type", "问题类型", "enum", enum="issue_type"),
            _c("responsibility", "责任方", "enum", enum="responsibility"),
            _c("remedy", "处理方式", "enum", enum="remedy"),
            _c("refund_amount", "退款金额", "decimal", minimum=0),
            _c("compensation_amount", "补偿金额", "decimal", minimum=0),
            _c("status", "状态", "enum", required=True, enum="status"),
            _c("satisfaction", "满意度", "integer", minimum=1, maximum=5),
            _c("description", "问题描述", free_text=True),
            _c("evidence_count", "凭证数量", "integer", minimum=0),
            _c("buyer_phone", "联系电话", personal=True),
            _c("updated_at", "更新时间", "timestamp", required=True),
        ),
        key=("complaint_id",),
        file_key=("complaint_id", "updated_at"),
    ),
    "complaint_events": Entity(
        "complaint_events",
        (
            _c("complaint_id", "投诉编号", required=True),
            _c("event_type", "事件类型", "enum", required=True, enum="event_type"),
            _c("occurred_at", "发生时间", "timestamp", required=True),
            _c("actor", "操作方", "enum", enum="actor"),
            _c("note", "备注", free_text=True),
        ),
        key=("complaint_id", "event_type", "occurred_at"),
        file_key=("complaint_id", "event_type", "occurred_at"),
    ),
    "corrective_actions": Entity(
        "corrective_actions",
        (
            _c("action_id", "整改编号", required=True),
            _c("merchant_id", "商家ID", required=True),
            _c("sku_id", "SKU编码"),
            _c("issue_type", "问题类型", "enum", enum="issue_type"),
            _c("action_type", "整改措施", "enum", enum="action_type"),
            _c("opened_at", "开始时间", "timestamp", required=True),
            _c("completed_at", "完成时间", "timestamp", after="opened_at"),
        ),
        key=("action_id",),
        file_key=("action_id",),
    ),
}


def raw_columns(entity: Entity) -> list[tuple[str, str]]:
    """The columns of ``raw.<entity>`` in order: personal fields become hash + masked form."""
    out: list[tuple[str, str]] = []
    for col in entity.columns:
        if col.personal:
            out += [(f"{col.name}_hash", "VARCHAR"), (f"{col.name}_masked", "VARCHAR")]
        else:
            out.append((col.name, col.sql_type))
    return out
