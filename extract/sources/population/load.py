"""Children aged 0-17 from an ONS / NRS / NISRA mid-year population estimates table.

The publishers move the header row between editions and add title and note rows above it, so the
header is found by its content: a row with a code column ('Code', 'Area code', 'LAD code'...), a
name column, and single years of age '0' to '17' (as numbers or as 'Age 0'). Ages 0 to 17 are
summed per area. When the row also has every age to '90' / '90+' and 'All ages', their sum must
equal 'All ages' (the publisher's own total): a table that fails is rejected, naming the row.

The result refreshes data/population/child_population_nations.csv, the denominators' seed:

    python -m extract.sources.population.load FILE --year 2025 --source "ONS MYE2 mid-2025" [--areas K02000001,E92000001,...]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.ods import Cell, cell_text
from pipeline.problems import Problem, RejectedFile, column_letter, reject
from pipeline.settings import REPO_ROOT
from pipeline.tabular import Sheet, read_tabular_file

POPULATION_CSV = REPO_ROOT / "data" / "population" / "child_population_nations.csv"
CHILD_AGES = range(18)
_CODE = re.compile(r"^(area |lad |geography )?code$", re.I)
_NAME = re.compile(r"^(area |lad )?name$", re.I)
_AGE = re.compile(r"^(age )?(\d{1,2})\+?$", re.I)


@dataclass(frozen=True)
class ChildPopulation:
    area_code: str
    area_name: str
    population: int  # ages 0 to 17
    all_ages: int | None
    row: int


def _header(rows: list[list[Cell]]) -> tuple[int, int, int, dict[int, int], int | None] | None:
    """(row index, code column, name column, age -> column, 'All ages' column) of the header row."""
    for index, row in enumerate(rows[:60]):
        labels = [cell_text(v) for v in row]
        code = next((i for i, t in enumerate(labels) if _CODE.match(t)), None)
        name = next((i for i, t in enumerate(labels) if _NAME.match(t)), None)
        ages = {int(m.group(2)): i for i, t in enumerate(labels) if (m := _AGE.match(t))}
        if code is not None and name is not None and all(age in ages for age in CHILD_AGES):
            all_ages = next((i for i, t in enumerate(labels) if t.lower() == "all ages"), None)
            return index, code, name, ages, all_ages
    return None


def _count(
    value: Cell, sheet: str | None, row: int, column: int, field: str
) -> tuple[int | None, Problem | None]:
    text = cell_text(value).replace(",", "")
    if text.isdigit():
        return int(text), None
    return None, Problem(
        rule="count",
        message=f"{text!r} is not a whole number of people",
        fix="Send the table as published by ONS, NRS or NISRA (numbers, not text or shorthand).",
        sheet=sheet,
        row=row,
        column=column_letter(column),
        field=field,
        value=text,
    )


def read_child_population(sheets: list[Sheet]) -> list[ChildPopulation]:
    """Every area's children aged 0-17 from the first sheet with a single-year-of-age header."""
    for sheet in sheets:
        found = _header(sheet.rows)
        if found is None:
            continue
        header_index, code_col, name_col, ages, all_ages_col = found
        full_ages = all(age in ages for age in range(91)) and all_ages_col is not None
        areas, problems = [], []
        for index, raw in enumerate(sheet.rows[header_index + 1 :], start=header_index + 2):
            code = cell_text(raw[code_col]) if code_col < len(raw) else ""
            if not re.fullmatch(r"[EKNSW]\d{8}", code):
                continue  # notes, blank rows, footnotes
            counts = {}
            for age, column in ages.items():
                value, problem = _count(
                    raw[column] if column < len(raw) else None, sheet.name, index, column, f"age {age}"
                )
                problems += [problem] if problem else []
                counts[age] = value
            all_ages = None
            if all_ages_col is not None:
                all_ages, problem = _count(raw[all_ages_col], sheet.name, index, all_ages_col, "All ages")
                problems += [problem] if problem else []
            if (
                full_ages
                and all_ages is not None
                and None not in counts.values()
                and sum(counts.values()) != all_ages
            ):
                problems.append(
                    Problem(
                        rule="ages_sum_to_total",
                        message=f"ages 0 to 90+ sum to {sum(counts.values()):,} but 'All ages' is {all_ages:,}",
                        fix="Check the table: the single years of age must add up to the publisher's total.",
                        sheet=sheet.name,
                        row=index,
                        column=column_letter(all_ages_col),
                        field="All ages",
                        value=str(all_ages),
                    )
                )
            if None not in (counts[a] for a in CHILD_AGES):
                areas.append(
                    ChildPopulation(
                        code, cell_text(raw[name_col]), sum(counts[a] for a in CHILD_AGES), all_ages, index
                    )
                )
        if problems:
            raise RejectedFile(problems)
        if not areas:
            raise reject(
                rule="has_rows",
                message="the header is there but no area rows follow it",
                fix="Send the whole table.",
                sheet=sheet.name,
                row=header_index + 1,
            )
        return areas
    raise reject(
        rule="header_row",
        message="no header row with a code column, a name column and single years of age 0 to 17",
        fix="Send a mid-year estimates table by single year of age (e.g. ONS MYE2 persons).",
    )


def read_population_file(path: Path) -> list[ChildPopulation]:
    """Every area of a publisher's workbook (limits sized for a whole-UK MYE table)."""
    return read_child_population(read_tabular_file(path, max_bytes=200 * 2**20, max_unpacked_bytes=2**30))


def print_rejection(path: Path, rejection: RejectedFile) -> None:
    for problem in rejection.problems:
        print(f"{path}: {problem.describe()}. {problem.fix}", file=sys.stderr)


def merged_rows(
    existing: list[dict], areas: list[ChildPopulation], year: int, source: str, sha256: str, edition: str
) -> list[dict]:
    """The seed's rows with this year's figures for these areas replaced (or added)."""
    new = {
        a.area_code: {
            "year": str(year),
            "area_code": a.area_code,
            "area_name": a.area_name,
            "age_band": "0-17",
            "population": str(a.population),
            "source": source,
            "all_ages_population": "" if a.all_ages is None else str(a.all_ages),
            "publisher_edition": edition,
            "method": "sum of 18 single-year-of-age cells (ages 0..17) in the area's row, loaded by extract.sources.population.load",
            "source_sha256": sha256,
        }
        for a in areas
    }
    rows = [
        new.pop(r["area_code"]) if r["year"] == str(year) and r["area_code"] in new else r for r in existing
    ]
    return rows + list(new.values())  # replaced in place; areas new to the year at the end


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--year", type=int, required=True, help="the mid-year the estimates are for")
    parser.add_argument(
        "--source", required=True, help="where the file comes from (URL or publisher's title)"
    )
    parser.add_argument(
        "--edition", default="", help="the publisher's edition, e.g. 'released 26 March 2025'"
    )
    parser.add_argument(
        "--areas",
        default="K02000001,K03000001,K04000001,E92000001,W92000004,S92000003,N92000002,E12000001,E12000002,E12000003,E12000004,E12000005,E12000006,E12000007,E12000008,E12000009",
    )
    parser.add_argument("--out", type=Path, default=POPULATION_CSV)
    args = parser.parse_args(argv)
    try:
        areas = read_population_file(args.file)
    except RejectedFile as rejection:
        print_rejection(args.file, rejection)
        return 1
    wanted = set(args.areas.split(","))
    areas = [a for a in areas if a.area_code in wanted]
    with args.out.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, existing = reader.fieldnames, list(reader)
    rows = merged_rows(
        existing,
        areas,
        args.year,
        args.source,
        hashlib.sha256(args.file.read_bytes()).hexdigest(),
        args.edition,
    )
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(areas)} areas for {args.year} written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
