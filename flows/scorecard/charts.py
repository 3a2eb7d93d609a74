"""The 8-week trend chart as inline SVG: no script, no external file, prints sharply on A4."""

from __future__ import annotations

from markupsafe import Markup, escape

from flows.formatting import is_missing, pct
from flows.scorecard.cards import Row

WIDTH, HEIGHT = 330, 150
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 10, 22


def trend_svg(
    trend: list[Row],
    title: str,
    median_label: str,
    immature_label: str,
    week_tick: str = "W{week:02d}",
) -> Markup:
    """Defect rate per week with its interval band, the category median dashed.

    Immature weeks are drawn as hollow points; weeks without orders leave a gap (no zero).
    """
    if not trend:
        return Markup("")
    # Scale to the rates and medians, not the interval: a small week's interval can reach 80 %
    # and would flatten everything else. The band is clipped at the top of the chart.
    values = [
        float(v)
        for row in trend
        for v in (row.get("defect_rate"), row.get("category_median_defect_rate"))
        if not is_missing(v)
    ]
    top = (max(values, default=0.0) or 0.01) * 1.6
    n = len(trend)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - min(float(v), top) / top)

    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="trend">',
        f"<title>{escape(title)}</title>",
    ]
    for frac in (0, 0.5, 1):
        gy = TOP + plot_h * (1 - frac)
        parts.append(
            f'<line x1="{LEFT}" y1="{gy:.1f}" x2="{WIDTH - RIGHT}" y2="{gy:.1f}" class="grid"/>'
            f'<text x="{LEFT - 4}" y="{gy + 3:.1f}" class="axis" text-anchor="end">'
            f"{escape(pct(top * frac, 1))}</text>"
        )
    # Interval band and lines, split where a week has no rate.
    for segment in _segments(trend, "defect_rate"):
        upper = [(x(i), y(row["defect_rate_ci_high"])) for i, row in segment]
        lower = [(x(i), y(row["defect_rate_ci_low"])) for i, row in reversed(segment)]
        if all(not is_missing(r["defect_rate_ci_high"]) for _, r in segment) and all(
            not is_missing(r["defect_rate_ci_low"]) for _, r in segment
        ):
            parts.append(f'<polygon points="{_points(upper + lower)}" class="band"/>')
        parts.append(
            f'<polyline points="{_points([(x(i), y(r["defect_rate"])) for i, r in segment])}" '
            'class="rate"/>'
        )
    for segment in _segments(trend, "category_median_defect_rate"):
        points = [(x(i), y(r["category_median_defect_rate"])) for i, r in segment]
        parts.append(f'<polyline points="{_points(points)}" class="median"/>')
    for i, row in enumerate(trend):
        # The week number in the reader's words ("W39", "39周"); the tooltip has the full week.
        week = str(row.get("iso_week") or "")[-2:]
        label = week_tick.format(week=int(week)) if week.isdigit() else ""
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - 6}" class="axis" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
        if is_missing(row.get("defect_rate")):
            continue
        hollow = not row.get("is_mature", True)
        tip = f"{row.get('iso_week')}: {pct(row['defect_rate'])}"
        if hollow:
            tip += f" ({immature_label})"
        parts.append(
            f'<circle cx="{x(i):.1f}" cy="{y(row["defect_rate"]):.1f}" r="3" '
            f'class="{"point immature" if hollow else "point"}"><title>{escape(tip)}</title>'
            "</circle>"
        )
    parts.append(
        f'<line x1="{LEFT + 4}" y1="{TOP + 4}" x2="{LEFT + 20}" y2="{TOP + 4}" class="median"/>'
        f'<text x="{LEFT + 24}" y="{TOP + 7}" class="axis">{escape(median_label)}</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def _segments(trend: list[Row], key: str) -> list[list[tuple[int, Row]]]:
    segments: list[list[tuple[int, Row]]] = [[]]
    for i, row in enumerate(trend):
        if is_missing(row.get(key)):
            if segments[-1]:
                segments.append([])
        else:
            segments[-1].append((i, row))
    return [s for s in segments if s]


def _points(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
