"""docs/queries.md: every query runs on the sample warehouse, and gives the answers the published
figures say it should."""

from __future__ import annotations

import re

import duckdb
import pytest

from pipeline.settings import REPO_ROOT

QUERIES = re.findall(
    r"^## (\d+)\. (.*?)\n.*?```sql\n(.*?)```", (REPO_ROOT / "docs" / "queries.md").read_text(), re.S | re.M
)


def test_there_are_ten_questions():
    assert [int(number) for number, _, _ in QUERIES] == list(range(1, 11))


@pytest.fixture(scope="module")
def answers(built_home):
    with duckdb.connect(str(built_home.warehouse_path), read_only=True) as con:
        return {int(number): con.execute(sql).fetchall() for number, _, sql in QUERIES}


def test_each_query_answers_its_question(answers):
    assert answers[1] == [
        # the criminal share over all four first-responder tables, as computed from the extracts
        ("2023-Q1", 1894, 53.3),
        ("2023-Q2", 1745, 50.4),
        ("2023-Q3", 1848, 49.1),
        ("2023-Q4", 1945, 53.6),
    ]
    rates = {year: per_100k for year, per_100k, _, _ in answers[2]}
    assert rates["2013"] is None and rates["2017"] == pytest.approx(15.1, abs=0.05)
    assert answers[3] == [
        ("child_cg_positive_rate", 3085, 3822, 80.7),
        ("child_rg_positive_rate", 4610, 6241, 73.9),
    ]
    assert answers[4][0][:2] == ("local_authority", "Local Authority") and len(answers[4]) == 10
    assert [row[0] for row in answers[5]] == ["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"]
    assert sum(row[1] for row in answers[6]) == 1944  # the groups partition the quarter's child referrals
    assert answers[7] == []  # every agency returned in the sample
    assert {row[0] for row in answers[8]} == {
        "returns_on_time_share",
        "returns_missing_children_rate_per_10k",
    }
    assert answers[9] == []  # no figure is in two of the sample vintages
    assert [row[0] for row in answers[10]] == [
        f"nrm-{y}-q{q}"
        for y, q in ((2022, 2), (2022, 3), (2022, 4), (2023, 1), (2023, 2), (2023, 3), (2023, 4), (2025, 3))
    ]
    # the 2025 release carries only the county table
    assert answers[10][-1][-1].count("; ") == 8 and "county" not in answers[10][-1][-1]
