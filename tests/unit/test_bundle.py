"""Release bundles: complete, self-describing, formula-safe, immutable and reproducible."""

from __future__ import annotations

import csv
import hashlib
import json

import pytest

from expectations.validate import read_gate_frames, validate_frames
from publish.bundle import PublishError, _safe_text, publish_release


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
