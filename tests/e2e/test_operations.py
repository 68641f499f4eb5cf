"""Operations: a backfill publishes past NRM vintages one by one, oldest first, whatever order they
come in; a rerun rebuilds a quarter's release from the archive, byte for byte the one published then,
without moving `latest`."""

from __future__ import annotations

import json
import shutil

from pipeline.settings import get_settings
from tests.conftest import SAMPLE_WORKBOOK
from tests.fixtures.cli import ctm


def _listed(home) -> list[str]:
    return [
        r["release_id"] for r in json.loads((home / "published" / "releases.json").read_text())["releases"]
    ]


def test_backfill_then_rerun_a_quarter_from_the_archive(tmp_path, referrals, make_workbook):
    home = tmp_path / "home"
    folder = tmp_path / "vintages"
    folder.mkdir()
    # the releases of 2023 Q2, Q3 and Q4 (each with every table, up to its quarter), named so that
    # sorting by name would take them in the wrong order
    for position, quarter in enumerate([(2023, 4), (2023, 3), (2023, 2)]):
        upto = {period: figures for period, figures in referrals.items() if period <= quarter}
        make_workbook(str(folder / f"{position}-release.ods"), table_referrals=upto)

    backfilled = ctm(home, "backfill", str(folder))
    assert backfilled.returncode == 0, backfilled.stderr
    vintages = [line.split(":")[0] for line in backfilled.stdout.splitlines() if line.startswith("nrm-")]
    assert vintages == ["nrm-2023-q2", "nrm-2023-q3", "nrm-2023-q4"]
    releases = _listed(home)
    assert len(releases) == 3 and [r[:7] for r in releases] == ["2023-q4", "2023-q3", "2023-q2"]
    latest = (home / "published" / "latest").resolve().name
    the_q3_release = next(r for r in releases if r.startswith("2023-q3"))
    q3_bytes = {p.name: p.read_bytes() for p in (home / "published" / the_q3_release).glob("*.csv")}
    shutil.rmtree(home / "published" / the_q3_release)  # lost, say: the archive can rebuild it

    rerun = ctm(home, "rerun", "--quarter", "2023-Q3")
    assert rerun.returncode == 0, rerun.stderr
    assert f"the release of 2023-Q3 is {home / 'published' / the_q3_release}" in rerun.stdout
    rebuilt = {p.name: p.read_bytes() for p in (home / "published" / the_q3_release).glob("*.csv")}
    assert rebuilt == q3_bytes  # the same release, from the archived files and their arrival times
    assert (home / "published" / "latest").resolve().name == latest  # the newest release stays latest
    assert set(_listed(home)) == set(releases)

    for quarter, message in (
        ("2023Q4", "is not a quarter: write it as 2023-Q4"),
        ("2019-Q1", "no NRM release"),
    ):
        refused = ctm(home, "rerun", "--quarter", quarter)
        assert refused.returncode == 2 and message in refused.stderr, refused.stderr
    assert get_settings(home).published_dir.is_dir()


def test_backfill_refuses_a_folder_with_a_file_that_is_not_a_release(tmp_path):
    folder = tmp_path / "vintages"
    folder.mkdir()
    shutil.copyfile(SAMPLE_WORKBOOK, folder / "good.ods")
    (folder / "notes.txt").write_text("not a workbook")
    refused = ctm(tmp_path / "home", "backfill", str(folder))
    assert refused.returncode == 2
    assert "no NRM release period on the cover of: notes.txt; nothing was landed" in refused.stderr
    assert not any((tmp_path / "home" / "landing" / "nrm").glob("*.ods"))
