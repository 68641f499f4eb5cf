"""The population loader: header found by content, ages 0-17 summed, the publisher's total checked,
and the real 2022 figures reproduced from a table in the ONS layout."""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict

import pytest

from extract.sources.population.load import POPULATION_CSV, main, read_child_population
from pipeline.ods import write_ods
from pipeline.problems import RejectedFile
from pipeline.settings import REPO_ROOT
from pipeline.tabular import read_tabular_file

SINGLE_YEARS = REPO_ROOT / "data" / "population" / "child_population_single_year_0_17.csv"


def _real(year: int) -> tuple[dict[str, dict[int, int]], dict[str, tuple[str, int, int]]]:
    ages: dict[str, dict[int, int]] = defaultdict(dict)
    with SINGLE_YEARS.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if int(row["year"]) == year:
                ages[row["area_code"]][int(row["age"])] = int(row["population"])
    with POPULATION_CSV.open(encoding="utf-8") as handle:
        totals = {
            r["area_code"]: (r["area_name"], int(r["population"]), int(r["all_ages_population"]))
            for r in csv.DictReader(handle)
            if int(r["year"]) == year
        }
    return ages, totals


def _ons_layout(path, year: int, rows_above: int, age_label=str):
    """The real figures of `year` laid out as ONS MYE2 persons: title and notes, then Code, Name,
    Geography, All ages, 0..17 (the single years this project keeps)."""
    ages, totals = _real(year)
    rows = [[f"MYE2: Population estimates: Persons by single year of age, mid-{year}"]]
    rows += [[f"Note {i}"] for i in range(rows_above - 1)]
    rows.append(["Code", "Name", "Geography", "All ages", *(age_label(a) for a in range(18))])
    for code, (name, _, all_ages) in totals.items():
        rows.append([code, name, "Country", all_ages, *(ages[code][a] for a in range(18))])
    rows.append(["Source: Office for National Statistics"])
    write_ods(path, [("MYE2 - Persons", rows)])
    return totals


@pytest.mark.parametrize(("rows_above", "age_label"), [(3, str), (7, lambda a: f"Age {a}")])
def test_reproduces_the_real_totals_wherever_the_header_sits(tmp_path, rows_above, age_label):
    path = tmp_path / "mye22.ods"
    totals = _ons_layout(path, 2022, rows_above, age_label)
    areas = read_child_population(read_tabular_file(path, max_bytes=10**7, max_unpacked_bytes=10**8))
    assert {a.area_code: a.population for a in areas} == {code: pop for code, (_, pop, _) in totals.items()}
    uk = next(a for a in areas if a.area_code == "K02000001")
    assert uk.row == rows_above + 2 and uk.population == 13_949_452


def test_a_cell_that_is_not_a_number_is_named(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "Code,Name,All ages,"
        + ",".join(map(str, range(18)))
        + "\nK02000001,UK,100,"
        + ",".join(["5"] * 17)
        + ",[x]\n"
    )
    with pytest.raises(RejectedFile) as caught:
        read_child_population(read_tabular_file(path, max_bytes=10**6, max_unpacked_bytes=10**6))
    (problem,) = caught.value.problems
    assert (problem.row, problem.column, problem.field, problem.value) == (2, "U", "age 17", "[x]")


def test_every_age_must_add_up_to_the_publishers_total(tmp_path):
    path = tmp_path / "full.csv"
    header = ["Code", "Name", "All ages", *map(str, range(90)), "90+"]
    good = ["E92000001", "England", str(91 * 10), *(["10"] * 91)]
    bad = ["W92000004", "Wales", "999", *(["10"] * 91)]
    path.write_text("\n".join(",".join(r) for r in (header, good, bad)) + "\n")
    with pytest.raises(RejectedFile) as caught:
        read_child_population(read_tabular_file(path, max_bytes=10**6, max_unpacked_bytes=10**6))
    (problem,) = caught.value.problems
    assert (
        problem.rule == "ages_sum_to_total"
        and problem.row == 3
        and "sum to 910 but 'All ages' is 999" in problem.message
    )


def test_the_command_refreshes_one_year_of_the_seed_and_leaves_the_rest(tmp_path):
    seed = tmp_path / "child_population_nations.csv"
    shutil.copyfile(POPULATION_CSV, seed)
    before = seed.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "mye22.ods"
    _ons_layout(path, 2022, 5)

    assert (
        main([str(path), "--year", "2022", "--source", "test copy of MYE2 mid-2022", "--out", str(seed)]) == 0
    )

    after = list(csv.DictReader(seed.open(encoding="utf-8")))
    refreshed = [r for r in after if r["year"] == "2022"]
    assert {r["source"] for r in refreshed} == {"test copy of MYE2 mid-2022"}
    assert len(after) == len(before) - 1  # same areas, replaced in place
    assert [r for r in after if r["year"] != "2022"] == [
        r for r in csv.DictReader(before) if r["year"] != "2022"
    ]


@pytest.mark.slow
def test_the_real_ons_workbook_reads_every_area_with_its_real_zeros():
    """ONS's own mid-2022 workbook as published: the Isles of Scilly have ages with 0 people, a
    figure, not a blank (the loader once rejected the file at row 383, column V)."""
    workbook = REPO_ROOT / "data" / "population" / "raw" / "ons_mye22final.xlsx"
    areas = {
        a.area_code: a
        for a in read_child_population(read_tabular_file(workbook, max_bytes=10**7, max_unpacked_bytes=10**8))
    }
    assert len(areas) == 404
    assert areas["K02000001"].population == 13_949_452 and areas["K02000001"].all_ages == 67_596_281
    assert {
        code: areas[code].population for code in ("E92000001", "W92000004", "S92000003", "N92000002")
    } == {
        "E92000001": 11_886_906,
        "W92000004": 619_629,
        "S92000003": 1_006_212,
        "N92000002": 436_705,
    }
    scilly = areas["E06000053"]
    assert (scilly.area_name, scilly.population, scilly.all_ages, scilly.row) == (
        "Isles of Scilly",
        359,
        2281,
        383,
    )


@pytest.mark.slow
def test_children_by_area_from_the_real_workbook_add_up_at_every_level():
    """Every district, upper tier, police force area, region, nation and the UK, from the real ONS
    workbook; a police force area is the sum of its districts; each area once."""
    from extract.sources.population.areas import Geography, children_by_area

    workbook = REPO_ROOT / "data" / "population" / "raw" / "ons_mye22final.xlsx"
    published = read_child_population(read_tabular_file(workbook, max_bytes=10**7, max_unpacked_bytes=10**8))
    areas = children_by_area(published, Geography.load())
    by_code = {a.area_code: a for a in areas}
    assert len(by_code) == len(areas) == 439
    levels = {
        level: [a for a in areas if a.area_level == level]
        for level in ("lad", "utla", "pfa", "region", "country", "uk")
    }
    assert {level: len(rows) for level, rows in levels.items()} == {
        "lad": 207,
        "utla": 175,
        "pfa": 43,
        "region": 9,
        "country": 4,
        "uk": 1,
    }
    assert by_code["K02000001"].population == 13_949_452 == sum(a.population for a in levels["country"])
    assert sum(a.population for a in levels["pfa"]) == sum(
        by_code[c].population for c in ("E92000001", "W92000004")
    )  # the 43 forces of England and Wales cover both nations
    assert sum(a.all_ages for a in levels["pfa"]) == sum(
        by_code[c].all_ages for c in ("E92000001", "W92000004")
    )  # and so do their people of all ages (the denominator of offences per 100,000 people)
    greater_manchester = by_code["E23000005"]
    assert (greater_manchester.population, greater_manchester.method) == (662_942, "sum of its 10 districts")
    assert by_code["E06000053"].area_level == "utla"  # Isles of Scilly: a unitary authority, one row


def test_an_aggregate_that_its_districts_do_not_add_up_to_is_refused_naming_it():
    from extract.sources.population.areas import Geography, children_by_area
    from extract.sources.population.load import ChildPopulation

    geography = Geography(
        districts=[
            {
                "code": "E07000001",
                "name": "A",
                "utla_code": "E10000001",
                "region_code": "",
                "country_code": "E92000001",
                "pfa_code": "E23000001",
            },
            {
                "code": "E07000002",
                "name": "B",
                "utla_code": "E10000001",
                "region_code": "",
                "country_code": "E92000001",
                "pfa_code": "E23000001",
            },
        ],
        police_force_areas=[{"code": "E23000001", "name": "Force"}],
        regions=[],
    )
    rows = [
        ChildPopulation("E07000001", "A", 10, None, 9),
        ChildPopulation("E07000002", "B", 20, None, 10),
        ChildPopulation("E10000001", "County", 31, None, 8),  # not 30
        ChildPopulation("E92000001", "England", 30, None, 7),
        ChildPopulation("K02000001", "UK", 30, None, 6),
    ]
    with pytest.raises(RejectedFile) as caught:
        children_by_area(rows, geography)
    assert [p.field for p in caught.value.problems] == ["E10000001"]
    assert "County (utla) has 31 children but its districts 30" in str(caught.value)
    rows[2] = ChildPopulation("E10000001", "County", 30, None, 8)
    force = next(a for a in children_by_area(rows, geography) if a.area_level == "pfa")
    assert (force.population, force.method) == (30, "sum of its 2 districts")


@pytest.mark.slow
def test_the_shipped_area_seed_is_what_the_loader_makes_of_the_real_workbook(tmp_path):
    from extract.sources.population.areas import AREAS_CSV, main

    out = tmp_path / "areas.csv"
    source = "ONS, Mid-Year Population Estimates, UK, June 2022 (mye22final.xlsx, published 26 March 2024)"
    workbook = REPO_ROOT / "data" / "population" / "raw" / "ons_mye22final.xlsx"
    assert main([str(workbook), "--year", "2022", "--source", source, "--out", str(out)]) == 0
    assert out.read_text() == AREAS_CSV.read_text()
