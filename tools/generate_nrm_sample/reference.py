"""Reading the real figures in `data/nrm/`: the tidy extracts of the published tables, as the
generator lays them back out."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from extract.sources.nrm.tables import ALL_AGES
from pipeline.settings import REPO_ROOT

REFERENCE_DIR = REPO_ROOT / "data" / "nrm"
REFERENCE_CSV = REFERENCE_DIR / "nrm_referrals_longitudinal.csv"

Referrals = dict[tuple[int, int], dict[tuple[str, str], int]]
# (year, quarter or None for the year's total) -> (group or None, column label) -> value
PeriodTable = dict[tuple[int, int | None], dict[tuple[str | None, str], int]]
# row key (first responder, exploitation type, age, gender) -> nationality -> people
ResponderRows = dict[tuple[str, str, str, str], dict[str, int]]


def load_referrals(path: Path = REFERENCE_CSV) -> Referrals:
    """(year, quarter) -> (age label, location label) -> referrals, from the tidy Table_2 extract."""
    table: Referrals = defaultdict(dict)
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (int(row["Year"]), int(row["Quarter"].removeprefix("Q")))
            table[key][(row["Age at exploitation"], row["Location of exploitation"])] = int(
                row["NRM referrals"]
            )
    return dict(table)


def load_period_table(path: Path) -> PeriodTable:
    """A decision or Duty to Notify extract: columns 'Age - Outcome' as published ('Adult (18 or
    over) - Negative reasonable grounds'), the grand 'Total', or just 'Total', per period."""
    table: PeriodTable = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            quarter = None if row["Quarter"] == "Total" else int(row["Quarter"].removeprefix("Q"))
            cells: dict[tuple[str | None, str], int] = {}
            for column, value in row.items():
                if column in ("Year", "Quarter"):
                    continue
                if " - " in column:
                    group, outcome = column.split(" - ", 1)
                    cells[(group, outcome)] = int(value)
                elif "Adult (18 or over) - Total" in row:
                    cells[(ALL_AGES, column)] = int(value)  # the decision table's grand total
                else:
                    cells[(None, column)] = int(value)
            table[(int(row["Year"]), quarter)] = cells
    return table


def load_responder_table(path: Path) -> tuple[ResponderRows, list[str]]:
    """A long first-responder extract as wide rows, and its nationality columns in published order.
    The police extracts list only non-zero cells: a missing cell of a listed row is 0."""
    table: ResponderRows = defaultdict(dict)
    nationalities: list[str] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (
                row["First responder"],
                row["Exploitation type"],
                row["Age at exploitation"],
                row["Gender"],
            )
            table[key][row["Nationality"]] = int(row["People"])
            if row["Nationality"] not in nationalities:
                nationalities.append(row["Nationality"])
    # 'Total' is the last column, as published
    nationalities = [n for n in nationalities if n != "Total"] + (
        ["Total"] if "Total" in nationalities else []
    )
    return dict(table), nationalities
