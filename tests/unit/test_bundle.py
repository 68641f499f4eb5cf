"""Release bundles: complete, self-describing, formula-safe, immutable and reproducible."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from expectations.registry import SUITE_TABLES
from expectations.validate import read_gate_frames, validate_frames
from pipeline.ods import read_ods
from pipeline.settings import REPO_ROOT
from publish.bundle import build_bundle
from publish.checks import PublishError
from publish.controlled import _safe_text
from publish.relations import Definitions
from publish.release import publish_release
from tests.conftest import copy_home
from tests.unit.test_publication_checks import PUBLICATION_SUITES

GATE_SUITES = tuple(SUITE_TABLES)  # the sample loads both sources, so every gate suite runs


@pytest.fixture(scope="module")
def built_home(built_home, tmp_path_factory):
    """This module publishes releases into its home: its own copy of the built one."""
    return copy_home(built_home.home, tmp_path_factory.mktemp("bundle") / "home")


@pytest.fixture(scope="module")
def gate_dir(built_home, tmp_path_factory):
    """The results of a gate that passed, as the publish stage receives them."""
    return validate_frames(read_gate_frames(built_home)).write(tmp_path_factory.mktemp("gate"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+44 20", "'+44 20"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-12", "-12"),
        ("-1.5e3", "-1.5e3"),
        ("- cmd", "'- cmd"),
        ("Child", "Child"),
        ("", ""),
    ],
)
def test_text_that_a_spreadsheet_would_run_is_neutralised(text, expected):
    assert _safe_text(text) == expected


def test_release_is_written_atomically_with_a_valid_datapackage(built_home, gate_dir):
    release = publish_release(built_home, gate_dir)

    assert release.path.parent == built_home.published_dir
    assert (built_home.published_dir / "latest").resolve() == release.path
    assert not list(built_home.published_dir.glob(".building-*"))
    package = json.loads((release.path / "datapackage.json").read_text())
    assert package["id"] == release.release_id
    listed = {r["path"] for r in package["resources"]}
    assert listed == {
        "indicators.csv",
        "area_profiles.csv",
        "indicator_catalogue.csv",
        "revisions.csv",
        "disclosure_log.csv",
        "indicators.parquet",
        "revisions.parquet",
        "child-trafficking-indicators.ods",
        "child-trafficking-indicators.xlsx",
        "report.html",
        "quality/validation_summary.json",
        "quality/data_docs/index.html",
        *(
            f"quality/{folder}/{suite}.{extension}"
            for suite in (*GATE_SUITES, *PUBLICATION_SUITES)
            for folder, extension in (("validations", "json"), ("data_docs", "html"))
        ),
    }
    for resource in package["resources"]:
        content = (release.path / resource["path"]).read_bytes()
        assert resource["hash"] == "sha256:" + hashlib.sha256(content).hexdigest()
        assert resource["bytes"] == len(content)
        if resource["format"] == "csv":
            header = next(csv.reader(content.decode("utf-8").splitlines()))
            assert header == [f["name"] for f in resource["schema"]["fields"]]


def test_published_annual_child_referrals_equal_the_real_data(built_home, gate_dir):
    release = publish_release(built_home, gate_dir)
    with (release.path / "indicators.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    annual = {
        r["period_label"]: r["value"]
        for r in rows
        if r["indicator_id"] == "child_referrals" and r["period_type"] == "year"
    }
    assert annual["2017"] == "2114" and annual["2023"] == "7432"
    assert "2009" not in annual  # only three quarters of 2009 are in the series
    # counts only: a share of exactly 1 (6 of 6) is written '1' and is not a count; counts their
    # publisher prints already (police recorded offences by force area...) are public as they are
    definitions = Definitions.from_seeds(REPO_ROOT / "dbt_project" / "seeds")
    cells = [
        r[f]
        for r in rows
        for f in ("numerator", "denominator")
        if not definitions.is_public(r["indicator_id"], f)
    ]
    cells += [
        r["value"]
        for r in rows
        if r["unit"] == "count" and not definitions.is_public(r["indicator_id"], "numerator")
    ]
    assert cells and not any(c.isdigit() and 1 <= int(c) <= 4 for c in cells)
    printed = [r["numerator"] for r in rows if definitions.is_public(r["indicator_id"], "numerator")]
    assert any(c.isdigit() and 1 <= int(c) <= 4 for c in printed)  # shown: no one is protected by hiding them


def test_same_marts_give_the_same_release_and_files(built_home, gate_dir):
    first = publish_release(built_home, gate_dir)
    before = {p.name: p.read_bytes() for p in first.path.rglob("*") if p.is_file()}
    second = publish_release(built_home, gate_dir)
    assert second.release_id == first.release_id and not second.is_new
    assert {p.name: p.read_bytes() for p in second.path.rglob("*") if p.is_file()} == before


def test_nothing_is_published_without_a_passing_gate(built_home, gate_dir, tmp_path):
    held = shutil.copytree(gate_dir, tmp_path / "held")
    summary = json.loads((held / "validation_summary.json").read_text())
    (held / "validation_summary.json").write_text(json.dumps({**summary, "success": False}))
    before = sorted(built_home.published_dir.iterdir()) if built_home.published_dir.exists() else []
    with pytest.raises(PublishError, match="quality gate did not pass"):
        publish_release(built_home, held)
    assert sorted(built_home.published_dir.iterdir()) == before


def test_a_spreadsheet_that_cannot_be_written_stops_the_release_with_why(built_home, gate_dir, monkeypatch):
    # the .xlsx is written in a forked process beside the rest: its failure still stops the release
    def broken_writer(path, book):
        raise ValueError(f"no room for {book.title!r}")

    monkeypatch.setattr("publish.workbooks.write_xlsx_workbook", broken_writer)
    before = sorted(built_home.published_dir.iterdir()) if built_home.published_dir.exists() else []
    with pytest.raises(
        PublishError,
        match=r"writing child-trafficking-indicators.xlsx failed: ValueError: no room for "
        r"'UK child trafficking prevention indicators'",
    ):
        publish_release(built_home, gate_dir)
    assert sorted(built_home.published_dir.iterdir()) == before
    assert not list(built_home.published_dir.glob(".*"))  # no half-written release left behind


def test_two_builds_of_the_same_marts_are_byte_identical(built_home, gate_dir, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    assert build_bundle(built_home, gate_dir, first) == build_bundle(built_home, gate_dir, second)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert len(files) == 13 + 2 * (len(GATE_SUITES) + len(PUBLICATION_SUITES))
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_the_spreadsheet_and_parquet_hold_what_the_csv_holds(built_home, gate_dir):
    release = publish_release(built_home, gate_dir)
    with (release.path / "indicators.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert any(r["numerator"] == "[c]" for r in rows)  # the sample has suppressed cells

    sheets = read_ods(release.path / "child-trafficking-indicators.ods")
    assert list(sheets) == [
        "Cover_sheet", "Contents", "Notes", "Table_1", "Table_2", "Table_3", "Table_4", "Table_5",
    ]  # fmt: skip
    shorthand = next(row[1] for row in sheets["Cover_sheet"] if row[0] == "Shorthand")
    assert "[c] confidential: suppressed to protect children's identities (disclosure control)" in shorthand
    assert [row[0] for row in sheets["Contents"][3:]] == [
        "Notes",
        "Table_1",
        "Table_2",
        "Table_3",
        "Table_4",
        "Table_5",
    ]
    header, *table = sheets["Table_1"][2:]
    assert header[:3] == ["Indicator id", "Period type", "Period"] and len(table) == len(rows)
    for cells, row in zip(table, rows, strict=True):
        numerator = cells[header.index("Numerator (count)")]
        assert (str(numerator) if isinstance(numerator, str) else str(int(numerator))) == row["numerator"]

    parquet = pq.read_table(release.path / "indicators.parquet").to_pylist()
    assert len(parquet) == len(rows)
    for typed, row in zip(parquet, rows, strict=True):
        if row["numerator"] in ("[c]", "[x]", "[z]"):  # suppressed, not available, not applicable
            assert typed["numerator"] is None and typed["numerator_flag"] == row["numerator"]
        else:
            assert str(typed["numerator"]) == row["numerator"] and typed["numerator_flag"] is None
        assert typed["is_provisional"] == (row["is_provisional"] == "true")


def test_a_rounded_release_publishes_multiples_of_the_base_and_records_its_policy(
    built_home, gate_dir, tmp_path
):
    rounded = built_home.model_copy(update={"disclosure_rounding_base": 5})
    build_bundle(rounded, gate_dir, tmp_path)
    with (tmp_path / "indicators.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    counts = [int(r[f]) for r in rows for f in ("numerator", "denominator") if r[f].isdigit()]
    assert counts and all(c % 5 == 0 for c in counts)
    assert any(r["unit"] == "ratio" and r["value"][0].isdigit() for r in rows)
    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert package["disclosure_control"] == {"threshold": 4, "rounding_base": 5, "symbol": "[c]"}
    assert "rounded to the nearest 5" in package["description"]


def test_frictionless_validates_the_bundle_and_catches_a_tampered_file(built_home, gate_dir, tmp_path):
    release = publish_release(built_home, gate_dir)
    frictionless = str(Path(sys.executable).with_name("frictionless"))
    valid = subprocess.run(
        [frictionless, "validate", "--json", "datapackage.json"],
        cwd=release.path,
        capture_output=True,
        text=True,
    )
    report = json.loads(valid.stdout)
    assert valid.returncode == 0 and report["valid"], valid.stdout[-3000:]
    listed = json.loads((release.path / "datapackage.json").read_text())["resources"]
    assert len(report["tasks"]) == len(listed) and all(task["valid"] for task in report["tasks"])

    tampered = tmp_path / "tampered"
    shutil.copytree(release.path, tampered)
    with (tampered / "indicators.parquet").open("ab") as handle:
        handle.write(b"x")
    invalid = subprocess.run(
        [frictionless, "validate", "--json", "datapackage.json"], cwd=tampered, capture_output=True, text=True
    )
    failed = [task for task in json.loads(invalid.stdout)["tasks"] if not task["valid"]]
    assert invalid.returncode != 0 and [task["name"] for task in failed] == ["indicators-parquet"]


def test_the_release_carries_the_gx_results_and_data_docs_of_every_suite_it_passed(built_home, gate_dir):
    release = publish_release(built_home, gate_dir)
    quality = release.path / "quality"
    index = (quality / "data_docs" / "index.html").read_text()
    for suite in (*GATE_SUITES, *PUBLICATION_SUITES):
        result = json.loads((quality / "validations" / f"{suite}.json").read_text())
        failed = [r for r in result["results"] if not r["success"]]
        assert result["suite_name"] == suite
        # a suite passes, or fails only warnings (the real 2023 Q4 tables differ by one child referral)
        assert all(r["expectation_config"]["severity"] == "warning" for r in failed), suite
        assert all("id" not in r["expectation_config"] for r in result["results"])  # no random ids
        assert f"<a href='{suite}.html'>{suite}</a>" in index
        page = (quality / "data_docs" / f"{suite}.html").read_text()
        assert "Expectation Validation Result" in page and f"../validations/{suite}.json" in page
        assert not re.search(r"\d{8}T\d{6}\.\d+Z|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", page)  # no run times
    publication = json.loads((quality / "validations" / "publication_indicators.json").read_text())
    checked = {
        (r["expectation_config"]["type"], r["expectation_config"]["kwargs"].get("column"))
        for r in publication["results"]
    }
    assert ("expect_column_values_to_not_be_in_set", "numerator") in checked  # the small-count check


GOLDEN = Path(__file__).parents[1] / "golden" / "release_tables.sha256"
GOLDEN_TABLES = (
    "indicators.csv", "revisions.csv", "disclosure_log.csv", "indicator_catalogue.csv", "area_profiles.csv",
)  # fmt: skip


def test_the_release_tables_are_byte_identical_to_the_checked_in_ones(built_home, gate_dir, tmp_path):
    """A refactor changes no published byte: the tables built from the sample data hash as recorded.
    A deliberate change of what is published updates tests/golden/release_tables.sha256 in the same
    commit, with the reason in its message."""
    directory = tmp_path / "release"
    directory.mkdir()
    build_bundle(built_home, gate_dir, directory)
    actual = "".join(
        f"{hashlib.sha256((directory / name).read_bytes()).hexdigest()}  {name}\n" for name in GOLDEN_TABLES
    )
    assert actual == GOLDEN.read_text(), (
        f"the published tables changed; if meant, write to {GOLDEN}:\n{actual}"
    )


def test_publish_reads_nothing_of_the_warehouse_but_the_marts(built_home, gate_dir, tmp_path):
    """A warehouse holding only the `marts` schema (no raw, staging, intermediate, quality or audit)
    gives the same release, byte for byte: publish reads the marts and nothing else of it."""
    import duckdb

    from pipeline.settings import get_settings

    marts_only = get_settings(tmp_path / "marts-only")
    marts_only.create_dirs()
    with duckdb.connect(str(marts_only.warehouse_path)) as con:
        con.execute(f"attach '{built_home.warehouse_path}' as built (read_only)")
        con.execute("create schema marts")
        marts = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_catalog = 'built' and table_schema = 'marts' order by all"
            ).fetchall()
        ]
        for name in marts:
            con.execute(f"create table marts.{name} as select * from built.marts.{name}")
        schemas = {s for (s,) in con.execute("select schema_name from duckdb_schemas() where database_name = current_database()").fetchall()}  # fmt: skip
    assert {"dim_indicator_count", "dim_breakdown_family", "mart_prevention_indicators"} <= set(marts)
    assert not schemas & {"raw", "staging", "intermediate", "quality", "audit"}, schemas

    full, only = tmp_path / "full", tmp_path / "only"
    full.mkdir(), only.mkdir()
    assert build_bundle(marts_only, gate_dir, only) == build_bundle(built_home, gate_dir, full)
    files = sorted(p.relative_to(full) for p in full.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(only) for p in only.rglob("*") if p.is_file())
    for name in files:
        assert (full / name).read_bytes() == (only / name).read_bytes(), name
