"""Children aged 0-17 for every area the local picture needs, from one ONS mid-year estimates
workbook (e.g. the real `data/population/raw/ons_mye22final.xlsx`).

The workbook publishes a row for the UK, each nation, each English region, each county and each
local authority district, each already checked against the publisher's 'All ages' by the loader.
A police force area has no row: it is the sum of its districts (`pfa_code` in
`data/geography/local_authorities.csv`). The published aggregates are also checked against the
sum of their districts, so a workbook whose rows do not add up is refused, naming the area,
rather than giving rates that disagree by level. Nothing is estimated: an area the workbook does
not cover has no row, and a rate over it is null with its reason.

    python -m extract.sources.population.areas FILE --year 2022 --source "ONS MYE2 mid-2022" [--out CSV]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from extract.sources.population.load import ChildPopulation, print_rejection, read_population_file
from pipeline.problems import Problem, RejectedFile
from pipeline.settings import GEOGRAPHY_DIR, REPO_ROOT

AREAS_CSV = REPO_ROOT / "data" / "population" / "child_population_areas.csv"
UK, GB, ENGLAND_AND_WALES = "K02000001", "K03000001", "K04000001"
FIELDS = [
    "year",
    "area_code",
    "area_name",
    "area_level",
    "population",
    "all_ages_population",
    "method",
    "source",
    "source_sha256",
]


@dataclass(frozen=True)
class AreaChildren:
    area_code: str
    area_name: str
    area_level: str  # uk | country | region | utla (unitary authorities included) | lad | pfa
    population: int
    all_ages: int | None
    method: str


@dataclass(frozen=True)
class Geography:
    districts: list[dict]  # local_authorities.csv: code, name, region_code, country_code, utla_code, pfa_code
    police_force_areas: list[dict]  # police_force_areas.csv: code, name
    regions: list[dict]  # regions.csv: code, name, level

    @classmethod
    def load(cls, directory: Path = GEOGRAPHY_DIR) -> Geography:
        def read(name: str) -> list[dict]:
            with (directory / name).open(encoding="utf-8", newline="") as handle:
                return list(csv.DictReader(handle))

        return cls(read("local_authorities.csv"), read("police_force_areas.csv"), read("regions.csv"))


def _problem(area: str, message: str) -> Problem:
    return Problem(
        rule="areas_add_up",
        field=area,
        message=message,
        fix="Send the publisher's workbook unchanged, with every district row.",
    )


def children_by_area(published: list[ChildPopulation], geography: Geography) -> list[AreaChildren]:
    """Every district, upper-tier authority, police force area, region, nation and the UK."""
    rows = {row.area_code: row for row in published}
    problems = []
    missing = [d["code"] for d in geography.districts if d["code"] not in rows]
    if missing:
        problems.append(_problem(missing[0], f"{len(missing)} district(s) have no row, e.g. {missing[:5]}"))
    districts_of: dict[tuple[str, str], list[str]] = defaultdict(list)
    for district in geography.districts:
        for level, key in (("utla", "utla_code"), ("region", "region_code"), ("country", "country_code")):
            if district.get(key):
                districts_of[(level, district[key])].append(district["code"])
        if district.get("pfa_code"):
            districts_of[("pfa", district["pfa_code"])].append(district["code"])

    def district_sum(level: str, code: str) -> int:
        return sum(rows[d].population for d in districts_of[(level, code)] if d in rows)

    def district_all_ages(level: str, code: str) -> int | None:
        """People of all ages in the area's districts; None unless every district gives the figure."""
        ages = [rows[d].all_ages if d in rows else None for d in districts_of[(level, code)]]
        return None if None in ages else sum(ages)  # type: ignore[arg-type]

    result: list[AreaChildren] = []
    for district in geography.districts:
        # a unitary authority is its own upper tier: one row, as a 'utla'
        if district["code"] in rows and district["code"] != district.get("utla_code"):
            row = rows[district["code"]]
            result.append(
                AreaChildren(
                    row.area_code, district["name"], "lad", row.population, row.all_ages, "published"
                )
            )
    utlas = sorted({d["utla_code"] for d in geography.districts if d.get("utla_code")})
    for level, codes in (
        ("utla", utlas),
        ("region", [r["code"] for r in geography.regions if r.get("level") == "region"]),
        ("country", sorted({d["country_code"] for d in geography.districts})),
    ):
        for code in codes:
            row = rows.get(code)
            if row is None:
                problems.append(_problem(code, f"the {level} {code} has no row"))
                continue
            if (total := district_sum(level, code)) != row.population:
                problems.append(
                    _problem(
                        code,
                        f"{row.area_name} ({level}) has {row.population:,} children but its districts {total:,}",
                    )
                )
            result.append(AreaChildren(code, row.area_name, level, row.population, row.all_ages, "published"))
    for force in geography.police_force_areas:
        members = districts_of[("pfa", force["code"])]
        if not members:
            problems.append(
                _problem(force["code"], f"the police force area {force['name']} has no districts")
            )
            continue
        result.append(
            AreaChildren(
                force["code"],
                force["name"],
                "pfa",
                district_sum("pfa", force["code"]),
                district_all_ages("pfa", force["code"]),
                f"sum of its {len(members)} districts",
            )
        )
    countries = [r for r in result if r.area_level == "country"]
    uk = rows.get(UK)
    if uk is None:
        problems.append(_problem(UK, "the United Kingdom has no row"))
    else:
        if (total := sum(c.population for c in countries)) != uk.population:
            problems.append(_problem(UK, f"the UK has {uk.population:,} children but its nations {total:,}"))
        result.append(AreaChildren(UK, uk.area_name, "uk", uk.population, uk.all_ages, "published"))
    if problems:
        raise RejectedFile(problems)
    return result


def area_rows(areas: list[AreaChildren], year: int, source: str, sha256: str) -> list[dict]:
    return [
        {
            "year": str(year),
            "area_code": a.area_code,
            "area_name": a.area_name,
            "area_level": a.area_level,
            "population": str(a.population),
            "all_ages_population": "" if a.all_ages is None else str(a.all_ages),
            "method": a.method,
            "source": source,
            "source_sha256": sha256,
        }
        for a in areas
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--year", type=int, required=True, help="the mid-year the estimates are for")
    parser.add_argument(
        "--source", required=True, help="where the file comes from (URL or publisher's title)"
    )
    parser.add_argument("--out", type=Path, default=AREAS_CSV)
    args = parser.parse_args(argv)
    try:
        areas = children_by_area(read_population_file(args.file), Geography.load())
    except RejectedFile as rejection:
        print_rejection(args.file, rejection)
        return 1
    rows = area_rows(areas, args.year, args.source, hashlib.sha256(args.file.read_bytes()).hexdigest())
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} areas for {args.year} written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
