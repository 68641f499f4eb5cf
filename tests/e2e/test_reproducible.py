"""Reproducible on any day: the same inputs, landed and run under two different clocks, give the
same release id and every file byte for byte. Run with Debian's faketime (make test installs it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.conftest import SAMPLE_RETURNS, SAMPLE_WORKBOOK

CLOCKS = ("2027-06-01 10:00:00", "2028-02-15 23:30:00")


def _run_under(clock: str, home: Path) -> Path:
    faketime = shutil.which("faketime")
    assert faketime, "Debian's faketime runs the pipeline under another clock: make test installs it"
    cli = [sys.executable, "-m", "ctm.cli"]
    for command in (
        ["submit", "--source", "nrm", str(SAMPLE_WORKBOOK)],
        ["submit", str(SAMPLE_RETURNS[0])],
        ["run"],
    ):
        done = subprocess.run(
            [faketime, clock, *cli, *command, "--home", str(home)],
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    return (home / "published" / "latest").resolve()


def _files(release: Path) -> dict[str, bytes]:
    return {str(p.relative_to(release)): p.read_bytes() for p in sorted(release.rglob("*")) if p.is_file()}


def test_two_clocks_give_the_same_release_byte_for_byte(tmp_path):
    first = _run_under(CLOCKS[0], tmp_path / "a")
    second = _run_under(CLOCKS[1], tmp_path / "b")
    assert first.name == second.name
    one, other = _files(first), _files(second)
    assert sorted(one) == sorted(other)
    differing = [name for name in one if one[name] != other[name]]
    assert differing == []
    # and the clocks really differed: each home recorded its files landing on its own date
    landed = []
    for home in (tmp_path / "a", tmp_path / "b"):
        with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
            landed.append(
                {
                    str(d)
                    for (d,) in con.execute(
                        "select distinct cast(received_at as date) from audit.file_log"
                    ).fetchall()
                }
            )
    assert landed == [{"2027-06-01"}, {"2028-02-15"}]
