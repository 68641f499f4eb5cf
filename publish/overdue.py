"""Agency returns past their deadline: which agencies have not returned for a quarter whose deadline
(CTM_RETURN_DEADLINE_DAYS after it ends) has passed, read from the readers' snapshot
(marts.mart_returns_completeness), so the check never waits on or blocks the pipeline.

The completeness mart lists the quarters for which some return has arrived; a quarter for which no
agency has returned anything is not listed there, and not here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from pipeline import warehouse
from pipeline.settings import Settings


@dataclass(frozen=True)
class Overdue:
    period_label: str
    agency_code: str
    agency_name: str
    agency_type: str
    deadline: date


def overdue_returns(settings: Settings, today: date) -> list[Overdue]:
    """Every agency without a return for a quarter whose deadline is before `today`."""
    if not settings.snapshot_path.exists():
        return []
    with warehouse.connect_reader(settings) as con:
        if not warehouse.table_exists(con, "marts", "mart_returns_completeness"):
            return []
        rows = con.execute(
            "select period_label, agency_code, agency_name, agency_type, deadline_date "
            "from marts.mart_returns_completeness where not has_returned and deadline_date < ? "
            "order by period_label, agency_type, agency_name",
            [today],
        ).fetchall()
    return [Overdue(*row) for row in rows]


def overdue_message(items: list[Overdue], *, named: int = 20) -> str:
    """One paragraph a quarter: how many agencies are late, the deadline, and who (the first `named`)."""
    by_period: dict[tuple[str, date], list[Overdue]] = defaultdict(list)
    for item in items:
        by_period[(item.period_label, item.deadline)].append(item)
    parts = []
    for (period, deadline), late in sorted(by_period.items()):
        names = ", ".join(f"{i.agency_name} ({i.agency_code})" for i in late[:named])
        more = f" and {len(late) - named} more" if len(late) > named else ""
        parts.append(
            f"{len(late)} {'agency has' if len(late) == 1 else 'agencies have'} not sent their return for {period} "
            f"(deadline {deadline:%d %B %Y}): {names}{more}."
        )
    return "\n".join(parts)
