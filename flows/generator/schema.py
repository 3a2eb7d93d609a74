"""The contract's columns per entity: canonical name, Chinese header, value kind, required flag.

The writers, the Chinese translation and the tests all read this one table, so the generated
exports and the contract cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    zh: str
    kind: str  # text | int | decimal | timestamp | date | enum
    required: bool = False


def _cols(*rows: tuple[str, str, str, bool]) -> tuple[Column, ...]:
    return tuple(Column(*row) for row in rows)


ENTITIES: dict[str, tuple[Column, ...]] = {
    "merchants": _cols(
        ("merchant_id", "商家ID", "text", True),
        ("merchant_name", "商家名称", "text", False),
        ("category", "主营类目", "text", False),
        ("onboarded_on", "入驻日期", "date", False),
    ),
    "skus": _cols(
        ("sku_id", "SKU编码", "text", True),
        ("merchant_id", "商家ID", "text", True),
        ("sku_name", "商品名称", "text", False),
        ("category_l1", "一级类目", "text", False),
        ("category_l2", "二级类目", "text", False),
        ("brand", "品牌", "text", False),
    ),
    "orders": _cols(
        ("order_id", "订单编号", "text", True),
        ("sku_id", "SKU编码", "text", True),
        ("merchant_id", "商家ID", "text", True),
        ("quantity", "数量", "int", True),
        ("paid_amount", "实付金额", "decimal", False),
        ("ordered_at", "下单时间", "timestamp", True),
        ("shipped_at", "发货时间", "timestamp", False),
        ("delivered_at", "签收时间", "timestamp", False),
        ("buyer_id", "买家ID", "text", False),
        ("province", "省份", "text", False),
        ("carrier", "物流公司", "text", False),
    ),
    "complaints": _cols(
        ("complaint_id", "投诉编号", "text", True),
        ("order_id", "订单编号", "text", True),
        ("sku_id", "SKU编码", "text", True),
        ("merchant_id", "商家ID", "text", False),
        ("channel", "投诉渠道", "enum", True),
        ("received_at", "投诉时间", "timestamp", True),
        ("issue_type", "问题类型", "enum", False),
        ("responsibility", "责任方", "enum", False),
        ("remedy", "处理方式", "enum", False),
        ("refund_amount", "退款金额", "decimal", False),
        ("compensation_amount", "补偿金额", "decimal", False),
        ("status", "状态", "enum", True),
        ("satisfaction", "满意度", "int", False),
        ("description", "问题描述", "text", False),
        ("evidence_count", "凭证数量", "int", False),
        ("buyer_phone", "联系电话", "text", False),
        ("updated_at", "更新时间", "timestamp", True),
    ),
    "complaint_events": _cols(
        ("complaint_id", "投诉编号", "text", True),
        ("event_type", "事件类型", "enum", True),
        ("occurred_at", "发生时间", "timestamp", True),
        ("actor", "操作方", "enum", False),
        ("note", "备注", "text", False),
    ),
    "corrective_actions": _cols(
        ("action_id", "整改编号", "text", True),
        ("merchant_id", "商家ID", "text", True),
        ("sku_id", "SKU编码", "text", False),
        ("issue_type", "问题类型", "enum", False),
        ("action_type", "整改措施", "enum", False),
        ("opened_at", "开始时间", "timestamp", True),
        ("completed_at", "完成时间", "timestamp", False),
    ),
}

# Enumerations: English code -> Chinese value (None = English codes only).
ENUMS: dict[str, dict[str, str] | None] = {
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
    "event_type": None,
    "actor": None,
    "action_type": None,
}

EVENT_TYPES = (
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
ACTORS = ("agent", "merchant", "buyer", "system", "lab")
ACTION_TYPES = (
    "supplier_change",
    "incoming_inspection",
    "process_fix",
    "packaging_fix",
    "listing_removed",
    "merchant_warning",
    "merchant_penalty",
)
ENUM_CODES: dict[str, tuple[str, ...]] = {
    **{name: tuple(values) for name, values in ENUMS.items() if values},
    "event_type": EVENT_TYPES,
    "actor": ACTORS,
    "action_type": ACTION_TYPES,
}
DEFECT_ISSUES = ("quality_defect", "cosmetic_flaw", "counterfeit")
KEYS: dict[str, tuple[str, ...]] = {
    "merchants": ("merchant_id",),
    "skus": ("sku_id",),
    "orders": ("order_id", "sku_id"),
    "complaints": ("complaint_id", "updated_at"),
    "complaint_events": ("complaint_id", "event_type", "occurred_at"),
    "corrective_actions": ("action_id",),
}


def column_names(entity: str) -> list[str]:
    return [col.name for col in ENTITIES[entity]]


def chinese_headers(entity: str) -> dict[str, str]:
    return {col.name: col.zh for col in ENTITIES[entity]}
