"""Children in Need and police recorded crime tables land like every source: archived, checked by
their GX suite, loaded or quarantined with a report, audited; a bad file never costs a good one."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb

from ctm.demo import SAMPLE_TABLES
from extract.ingest import ingest_everything, ingest_source
from extract.landing import land_file
from extract.sources.statistics.table import Figure, ParsedTable
from extract.sources.statistics.validate import table_problems

CIN = SAMPLE_TABLES["children_in_need"]
CRIME = SAMPLE_TABLES["police_recorded_crime"]


def _query(home, sql: str, params=()):
    with duckdb.connect(str(home.warehouse_path), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def _edit(source: Path, target: Path, change) -> Path:
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows = change(rows) or rows
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return target


def test_good_tables_load_beside_a_bad_one_which_is_quarantined_with_its_report(home, tmp_path):
    def break_a_cell(rows):
        rows[7][rows[0].index("Going_missing")] = "lots"

    bad = _edit(CIN, tmp_path / "c3-broken.csv", break_a_cell)
    land_file(home, "children_in_need", bad)
    land_file(home, "children_in_need", CIN)
    land_file(home, "police_recorded_crime", CRIME)
    summary = ingest_everything(home)

    assert sorted(summary.loaded) == sorted([CIN.name, CRIME.name])
    assert summary.quarantined == ["c3-broken.csv"]
    log = dict(_query(home, "select original_name, status || ' ' || source from audit.file_log"))
    assert log == {
        "c3-broken.csv": "quarantined children_in_need",
        CIN.name: "loaded children_in_need",
        CRIME.name: "loaded police_recorded_crime",
    }
    [(reason, file_id)] = _query(
        home, "select reason, file_id from audit.file_log where status = 'quarantined'"
    )
    assert (
        reason
        == "row 8, column AH ('going_missing'): 'lots' is not a count (a whole number, or c, x, z, u or low)"
    )
    report = json.loads((home.quarantine_dir / file_id / "rejection.json").read_text())
    assert report["problems"][0]["row"] == 8 and report["problems"][0]["field"] == "going_missing"
    # the good files are whole: every figure, shorthand kept as missing with its flag
    counts = dict(_query(home, "select source, count(*) from raw.published_statistics group by source"))
    assert counts == {"children_in_need": 7872, "police_recorded_crime": 1452}
    (zeros,) = _query(
        home,
        "select count(*) from raw.published_statistics where value_flag in ('c', 'x') and value is not null",
    )[0]
    assert zeros == 0
    assert not any(
        p.name != ".sequence" and not p.name.startswith(".")
        for p in home.landing_dir.rglob("*")
        if p.is_file()
    )


def test_the_same_edition_sent_again_supersedes_the_earlier_file_and_every_edition_is_kept(home, tmp_path):
    land_file(home, "police_recorded_crime", CRIME)
    ingest_source(home, "police_recorded_crime")

    def revise(rows):
        rows[1][-1] = str(int(rows[1][-1]) + 1)  # a corrected figure, same edition (to 2023-Q2)

    land_file(home, "police_recorded_crime", _edit(CRIME, tmp_path / "prc-corrected.csv", revise))
    summary = ingest_source(home, "police_recorded_crime")
    assert summary.superseded == ["police_recorded_crime-2023-Q2"]

    def older_edition(rows):
        return [rows[0], *(r for r in rows[1:] if r[2] < "2022/23")]

    land_file(home, "police_recorded_crime", _edit(CRIME, tmp_path / "prc-older.csv", older_edition))
    ingest_source(home, "police_recorded_crime")
    log = _query(home, "select original_name, status, release_id from audit.file_log order by received_at")
    assert log == [
        (CRIME.name, "superseded", "police_recorded_crime-2023-Q2"),
        ("prc-corrected.csv", "loaded", "police_recorded_crime-2023-Q2"),
        ("prc-older.csv", "loaded", "police_recorded_crime-2022-Q1"),
    ]
    # nothing is deleted: all three files' figures stay in raw
    (files,) = _query(home, "select count(distinct file_id) from raw.published_statistics")[0]
    assert files == 3


def test_the_gx_suite_names_each_figure_that_breaks_a_rule():
    def figure(row, **changes):
        base = dict(
            row=row, period="2024-25", area_level="utla", area_code="E09000001", area_name="City of London",
            measure="trafficking", value=1, flag=None, column="AJ",
        )  # fmt: skip
        return Figure(**{**base, **changes})

    table = ParsedTable(
        "children_in_need",
        None,
        [
            figure(2),
            figure(3, area_code="E09000002", value=None),  # missing without a flag
            figure(4, area_code="X123", area_name="Nowhere"),
            figure(5, area_code="E09000003", period="2024"),
            figure(6, area_code="E09000004", measure="cheese"),
        ],
        "children_in_need-2024-25",
    )
    problems = {(p.row, p.rule) for p in table_problems(table, ["trafficking"])}
    assert problems == {(3, "missing_flagged"), (4, "area_code"), (5, "period"), (6, "measure")}
