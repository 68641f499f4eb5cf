"""Returns past their deadline, named agency by agency, from the readers' snapshot."""

from __future__ import annotations

from datetime import date

import duckdb

from pipeline.settings import get_settings
from publish.overdue import overdue_message, overdue_returns


def _snapshot(settings, rows) -> None:
    settings.snapshot_path.parent.mkdir(parents=True)
    with duckdb.connect(str(settings.snapshot_path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.mart_returns_completeness (period_label varchar, agency_code varchar, "
            "agency_name varchar, agency_type varchar, has_returned boolean, deadline_date date)"
        )
        con.executemany("insert into marts.mart_returns_completeness values (?, ?, ?, ?, ?, ?)", rows)


def test_only_agencies_without_a_return_past_the_deadline_are_named(tmp_path):
    settings = get_settings(tmp_path / "home")
    _snapshot(
        settings,
        [
            ("2024-Q3", "E06000001", "Hartlepool", "children_services", False, date(2024, 10, 30)),
            ("2024-Q3", "E06000002", "Middlesbrough", "children_services", True, date(2024, 10, 30)),
            ("2024-Q3", "E23000001", "Metropolitan Police", "police", False, date(2024, 10, 30)),
            ("2024-Q4", "E06000001", "Hartlepool", "children_services", False, date(2025, 1, 30)),
        ],
    )
    late = overdue_returns(settings, date(2024, 11, 15))  # 2024-Q4's deadline has not passed
    assert [(i.period_label, i.agency_code) for i in late] == [
        ("2024-Q3", "E06000001"),
        ("2024-Q3", "E23000001"),
    ]
    assert overdue_message(late) == (
        "2 agencies have not sent their return for 2024-Q3 (deadline 30 October 2024): "
        "Hartlepool (E06000001), Metropolitan Police (E23000001)."
    )
    assert "and 1 more" in overdue_message(late, named=1)


def test_nothing_is_overdue_before_any_build(tmp_path):
    assert overdue_returns(get_settings(tmp_path / "empty"), date(2030, 1, 1)) == []
