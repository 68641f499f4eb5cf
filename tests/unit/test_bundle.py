"""Release bundles: complete, self-describing, formula-safe, immutable and reproducible."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from expectations.validate import read_gate_frames, validate_frames
from extract.ods import read_ods
from publish.bundle import (
    INDICATOR_FIELDS,
    PublishError,
    _safe_text,
    build_bundle,
    check_no_small_counts,
    publish_release,
)


@pytest.fixture(scope="module")
def quality_summary(built_home):
    return validate_frames(read_gate_frames(built_home)).summary()


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


def test_release_is_written_atomically_with_a_valid_datapackage(built_home, quality_summary):
    release = publish_release(built_home, quality_summary)

    assert release.path.parent == built_home.published_dir
    assert (built_home.published_dir / "latest").resolve() == release.path
    assert not list(built_home.published_dir.glob(".building-*"))
    package = json.loads((release.path / "datapackage.json").read_text())
    assert package["id"] == release.release_id
    listed = {r["path"] for r in package["resources"]}
    assert listed == {
        "indicators.csv",
        "indicator_catalogue.csv",
        "revisions.csv",
        "disclosure_log.csv",
        "indicators.parquet",
        "revisions.parquet",
        "child-trafficking-indicators.ods",
        "report.html",
        "quality/validation_summary.json",
    }
    for resource in package["resources"]:
        content = (release.path / resource["path"]).read_bytes()
        assert resource["hash"] == "sha256:" + hashlib.sha256(content).hexdigest()
        assert resource["bytes"] == len(content)
        if resource["format"] == "csv":
            header = next(csv.reader(content.decode("utf-8").splitlines()))
            assert header == [f["name"] for f in resource["schema"]["fields"]]


def test_published_annual_child_referrals_equal_the_real_data(built_home, quality_summary):
    release = publish_release(built_home, quality_summary)
    with (release.path / "indicators.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    annual = {
        r["period_label"]: r["value"]
        for r in rows
        if r["indicator_id"] == "child_referrals" and r["period_type"] == "year"
    }
    assert annual["2017"] == "2114" and annual["2023"] == "7432"
    assert "2009" not in annual  # only three quarters of 2009 are in the series
    cells = [r[f] for r in rows for f in ("numerator", "denominator", "value")]
    assert not any(c.isdigit() and 1 <= int(c) <= 4 for c in cells)


def test_same_marts_give_the_same_release_and_files(built_home, quality_summary):
    first = publish_release(built_home, quality_summary)
    before = {p.name: p.read_bytes() for p in first.path.rglob("*") if p.is_file()}
    second = publish_release(built_home, quality_summary)
    assert second.release_id == first.release_id and not second.is_new
    assert {p.name: p.read_bytes() for p in second.path.rglob("*") if p.is_file()} == before


def test_nothing_is_published_without_a_passing_gate(built_home, quality_summary):
    with pytest.raises(PublishError, match="quality gate did not pass"):
        publish_release(built_home, {**quality_summary, "success": False})


def test_two_builds_of_the_same_marts_are_byte_identical(built_home, quality_summary, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    assert build_bundle(built_home, quality_summary, first) == build_bundle(
        built_home, quality_summary, second
    )
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert len(files) == 10
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_the_spreadsheet_and_parquet_hold_what_the_csv_holds(built_home, quality_summary):
    release = publish_release(built_home, quality_summary)
    with (release.path / "indicators.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert any(r["numerator"] == "[c]" for r in rows)  # the sample has suppressed cells

    sheets = read_ods(release.path / "child-trafficking-indicators.ods")
    assert list(sheets) == ["Cover_sheet", "Contents", "Notes", "Table_1", "Table_2", "Table_3", "Table_4"]
    assert [
        "[c]",
        "confidential: suppressed to protect children's identities (disclosure control)",
    ] in sheets["Cover_sheet"]
    assert [row[0] for row in sheets["Contents"][3:]] == ["Table_1", "Table_2", "Table_3", "Table_4"]
    header, *table = sheets["Table_1"][2:]
    assert header[:3] == ["indicator_id", "period_type", "period_label"] and len(table) == len(rows)
    for cells, row in zip(table, rows, strict=True):
        numerator = cells[header.index("numerator")]
        assert (str(numerator) if isinstance(numerator, str) else str(int(numerator))) == row["numerator"]

    parquet = pq.read_table(release.path / "indicators.parquet").to_pylist()
    assert len(parquet) == len(rows)
    for typed, row in zip(parquet, rows, strict=True):
        if row["numerator"] == "[c]":
            assert typed["numerator"] is None and typed["numerator_flag"] == "[c]"
        else:
            assert str(typed["numerator"]) == row["numerator"] and typed["numerator_flag"] is None
        assert typed["is_provisional"] == (row["is_provisional"] == "true")


def test_a_small_count_that_slipped_through_stops_the_release():
    fields = [name for name, _, _ in INDICATOR_FIELDS]
    row = dict.fromkeys(fields, "x") | {
        "numerator": "3",
        "denominator": "120",
        "value": "0.025",
        "unit": "ratio",
    }
    with pytest.raises(
        PublishError, match=r"counts from 1 to 4 would be published in \['indicators.numerator'\]"
    ):
        check_no_small_counts([[row[f] for f in fields]], [], 4)
    check_no_small_counts([[{**row, "numerator": "[c]", "value": "[c]"}[f] for f in fields]], [], 4)  # passes


def test_frictionless_validates_the_bundle_and_catches_a_tampered_file(built_home, quality_summary, tmp_path):
    release = publish_release(built_home, quality_summary)
    frictionless = str(Path(sys.executable).with_name("frictionless"))
    valid = subprocess.run(
        [frictionless, "validate", "--json", "datapackage.json"],
        cwd=release.path,
        capture_output=True,
        text=True,
    )
    report = json.loads(valid.stdout)
    assert valid.returncode == 0 and report["valid"], valid.stdout[-3000:]
    assert len(report["tasks"]) == 9 and all(task["valid"] for task in report["tasks"])

    tampered = tmp_path / "tampered"
    shutil.copytree(release.path, tampered)
    with (tampered / "indicators.parquet").open("ab") as handle:
        handle.write(b"x")
    invalid = subprocess.run(
        [frictionless, "validate", "--json", "datapackage.json"], cwd=tampered, capture_output=True, text=True
    )
    failed = [task for task in json.loads(invalid.stdout)["tasks"] if not task["valid"]]
    assert invalid.returncode != 0 and [task["name"] for task in failed] == ["indicators-parquet"]
