"""What a scorecard run did, as one value: files per category and delivery per category.

The command line prints it; the Prefect flow also publishes it as run artifacts (a table of
files per merchant and a table of deliveries), so the run history shows each run's results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flows.errors import UserError
from flows.i18n import say
from flows.scorecard.delivery import DeliveryOutcome
from flows.scorecard.produce import CategoryFiles


class DeliveryFailed(UserError):
    """At least one category's email could not be sent; every file is written."""

    def __init__(self, message: str, report: ScorecardReport) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class ScorecardReport:
    week: str
    out_dir: Path
    index: Path
    categories: list[CategoryFiles]
    deliveries: list[DeliveryOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[DeliveryOutcome]:
        return [d for d in self.deliveries if d.failed]

    @property
    def n_cards(self) -> int:
        return sum(len(c.cards) for c in self.categories)

    def raise_for_failures(self) -> None:
        if self.failures:
            names = ", ".join(f"{d.category} ({d.detail})" for d in self.failures)
            raise DeliveryFailed(
                f"scorecards for {self.week} written, but not delivered: {names}", self
            )

    def file_rows(self) -> list[dict[str, str]]:
        """One row per written file (workbooks and cards), for a table artifact."""
        rows = []
        for files in self.categories:
            rows.append(
                {
                    "category": files.category,
                    "merchant": "",
                    "grade": "",
                    "file": str(files.workbook),
                }
            )
            for merchant_id, path in files.cards.items():
                grade = files.grades.get(merchant_id) or "not graded"
                rows.append(
                    {
                        "category": files.category,
                        "merchant": merchant_id,
                        "grade": grade,
                        "file": str(path),
                    }
                )
        return rows

    def delivery_rows(self) -> list[dict[str, str]]:
        return [
            {
                "category": d.category,
                "status": d.status,
                "recipients": ", ".join(d.recipients),
                "message_id": d.message_id or "",
                "attempts": str(d.attempts),
                "detail": d.detail,
            }
            for d in self.deliveries
        ]

    def summary(self) -> str:
        """A few lines for people: what was written, what was sent, what failed."""
        lines = [
            say(
                "scorecards_written",
                week=self.week,
                cards=self.n_cards,
                workbooks=len(self.categories),
                out=self.out_dir,
            ),
            say("scorecards_index", path=self.index),
        ]
        for d in self.deliveries:
            to = say("scorecards_to", recipients=", ".join(d.recipients)) if d.recipients else ""
            detail = say("scorecards_detail", detail=d.detail) if d.detail else ""
            status = say(f"delivery_{d.status}")
            lines.append(
                say("scorecards_delivery", category=d.category, status=status, to=to, detail=detail)
            )
        lines.extend(say("scorecards_warning", warning=warning) for warning in self.warnings)
        return "\n".join(lines)

    def markdown(self) -> str:
        rows = "\n".join(
            f"| {d.category} | {d.status} | {', '.join(d.recipients)} | {d.attempts} | {d.detail} |"
            for d in self.deliveries
        )
        return (
            f"# Scorecards {self.week}\n\n{self.n_cards} merchant cards and "
            f"{len(self.categories)} workbooks in `{self.out_dir}`.\n\n"
            "| category | delivery | recipients | attempts | detail |\n|---|---|---|---|---|\n"
            f"{rows}\n"
        )
