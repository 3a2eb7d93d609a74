"""The six entities of the data contract: columns, types, required fields, keys, enumerations.

Everything downstream (profiles, validation rules, DDL, suites) is derived from this table, so a
change to the contract is made here once.
"""

from __future__ import annotations

from dataclasses import dataclass

# Enumerations: canonical English code -> Chinese label (None: English codes only).
ENUMS: dict[str, dict[str, str | None]] = {
    "channel": {
        "app": "APP客服",
        "web_form": "在线表单",
        "hotline": "客服热线",
        "social_media": "社交媒体",
    },
    "issue_type": {
        "quality_defect": "质量问题",
        "cosmetic_flaw": "瑕疵",
        "counterfeit": "假冒伪劣",
        "transport_damage": "运输损坏",
        "misuse": "使用不当",
        "misunderstanding": "理解偏差",
        "other": "其他",
    },
    "responsibility": {
        "merchant": "商家",
        "logistics": "物流",
        "buyer": "买家",
        "platform": "平台",
        "undetermined": "待定",
    },
    "remedy": {
        "return_refund": "退货退款",
        "exchange": "换货",
        "repair": "维修",
        "partial_refund": "部分退款",
        "return_shipping_refund": "退货补运费",
        "none": "无",
        "rejected": "驳回",
    },
    "status": {
        "open": "待处理",
        "investigating": "调查中",
        "awaiting_merchant": "待商家举证",
        "resolved": "已解决",
        "closed": "已关闭",
        "withdrawn": "已撤销",
    },
    "event_type": dict.fromkeys(
        (
            "received",
            "acknowledged",
            "info_requested",
            "info_received",
            "merchant_notified",
            "merchant_evidence_submitted",
            "lab_test_requested",
            "lab_test_completed",
            "classified",
            "remedy_proposed",
            "remedy_accepted",
            "remedy_executed",
            "closed",
            "reopened",
            "withdrawn",
        )
    ),
    "actor": dict.fromkeys(("agent", "merchant", "buyer", "system", "lab")),
    "action_type": dict.fromkeys(
        (
            "supplier_change",
            "incoming_inspection",
            "process_fix",
            "packaging_fix",
            "listing_removed",
            "merchant_warning",
            "merchant_penalty",
        )
    ),
}


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
