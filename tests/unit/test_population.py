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
