"""The week's ``index.html``: categories, their merchants with grades, links to every file."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from flows import formatting as fmt
from flows.file_modes import restrict
from flows.scorecard.cards import WeekCards
from flows.scorecard.labels import Labels
from flows.scorecard.paths import card_path, index_path, workbook_path
from flows.scorecard.rendering import environment


def _href(target: Path, base: Path) -> str:
    """A relative link that works offline, from the index folder to ``target``."""
    return "/".join(quote(part) for part in target.relative_to(base).parts)


def write_index(cards: WeekCards, out_dir: Path, labels: Labels) -> Path:
    categories = []
    for category in cards.categories:
        merchants = []
        for card in category.merchants:
            row = card.row
            merchants.append(
                {
                    "merchant_id": card.merchant_id,
                    "merchant_name": card.merchant_name,
                    "has_orders": card.has_orders,
                    "orders_loaded": card.orders_loaded,
                    "grade": row.get("grade"),
                    "defect_rate": row.get("defect_rate"),
                    "category_median_defect_rate": row.get("category_median_defect_rate"),
                    "is_mature": row.get("is_mature", True),
                    "order_lines": row.get("order_lines"),
                    "n_overdue": len({o["complaint_id"] for o in card.overdue}),
                    "href": _href(card_path(out_dir, category.category, card.merchant_id), out_dir),
                }
            )
        categories.append(
            {
                "name": category.category,
                "workbook": _href(workbook_path(out_dir, category.category), out_dir),
                "merchants": merchants,
            }
        )
    html = (
        environment()
        .get_template("index.html.j2")
        .render(
            L=labels,
            fmt=fmt,
            week=cards.week,
            as_of=fmt.local_time(cards.as_of, cards.timezone),
            categories=categories,
        )
    )
    path = index_path(out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    restrict(path)
    return path
