"""When a file arrived is when it landed, recorded at landing; never when it was ingested, and never
the mtime a sender controls. The first valid file of a return decides whether it was on time."""

from __future__ import annotations

import os
from datetime import date, datetime

import duckdb
import pytest

import extract.landing
from extract.ingest import ingest_returns
from extract.landing import land_file, waiting_files
from pipeline.settings import get_settings
from tests.conftest import SAMPLE_RETURNS
from transform.build import build_warehouse

_COUNCILS, _POLICE, CORRECTION = SAMPLE_RETURNS[:3]  # CORRECTION: E08000025's 2024-Q3 return
ON_TIME = datetime(2024, 10, 15, 9, 0)  # 2024-Q3 returns are due 30 days after 30 September
LATE = datetime(2024, 11, 20, 9, 0)


def _land_at(monkeypatch, settings, path, when: datetime, name: str | None = None):
    monkeypatch.setattr(extract.landing, "_now", lambda: when)
    return land_file(settings, "returns", path, name=name)


def _on_time(settings) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.execute(
            "select distinct agency_code, period_label, cast(first_received_at as date), is_on_time "
            "from marts.fct_agency_returns where agency_code = 'E08000025'"
        ).fetchall()


@pytest.fixture
def settings(tmp_path):
    return get_settings(tmp_path / "home")


def test_a_return_that_landed_on_time_is_on_time_however_late_it_is_ingested(monkeypatch, settings):
    _land_at(monkeypatch, settings, CORRECTION, ON_TIME)
    monkeypatch.undo()
    ingest_returns(settings, today=date(2026, 11, 23))  # two years later
    build_warehouse(settings)
    assert _on_time(settings) == [("E08000025", "2024-Q3", ON_TIME.date(), True)]


def test_a_late_correction_does_not_make_an_on_time_return_late(monkeypatch, settings, tmp_path):
    _land_at(monkeypatch, settings, CORRECTION, ON_TIME)
    corrected = tmp_path / "again.csv"
    corrected.write_bytes(CORRECTION.read_bytes().replace(b"concern;3", b"concern;4"))
    _land_at(monkeypatch, settings, corrected, LATE)
    monkeypatch.undo()
    summary = ingest_returns(settings, today=date(2026, 11, 23))
    assert summary.loaded == [CORRECTION.name, "again.csv"] and summary.superseded
    build_warehouse(settings)
    assert _on_time(settings) == [("E08000025", "2024-Q3", ON_TIME.date(), True)]


def test_files_are_taken_in_landing_order_whatever_their_mtime(monkeypatch, settings, tmp_path):
    """`cp -p` keeps a sender's mtime: an original copied in after its correction must not win."""
    original = _land_at(monkeypatch, settings, CORRECTION, ON_TIME, name="original.csv")
    corrected = tmp_path / "corrected.csv"
    corrected.write_bytes(CORRECTION.read_bytes().replace(b"concern;3", b"concern;4"))
    correction = _land_at(monkeypatch, settings, corrected, LATE, name="corrected.csv")
    monkeypatch.undo()
    later = correction.stat().st_mtime + 3600
    os.utime(original, (later, later))  # the original now looks newer by its mtime
    assert [p.name for p in waiting_files(settings, "returns")] == ["original.csv", "corrected.csv"]
    ingest_returns(settings, today=date(2026, 11, 23))
    build_warehouse(settings)
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        (value,) = con.execute(
            "select value from marts.fct_agency_returns where agency_code = 'E08000025' "
            "and measure = 'children_assessed_trafficking_concern'"
        ).fetchone()
        statuses = dict(con.execute("select original_name, status from audit.file_log").fetchall())
    assert value == 4  # the correction, landed last, is the one used
    assert statuses == {"original.csv": "superseded", "corrected.csv": "loaded"}


def test_a_quarantined_file_sent_again_unchanged_is_read_again(settings, tmp_path):
    """Quarantined because its quarter had not finished; the same bytes after it has are loaded."""
    land_file(settings, "returns", CORRECTION)
    first = ingest_returns(settings, today=date(2024, 9, 1))  # 2024-Q3 not finished yet
    assert first.quarantined == [CORRECTION.name]
    land_file(settings, "returns", CORRECTION)
    again = ingest_returns(settings, today=date(2026, 11, 23))
    assert again.loaded == [CORRECTION.name] and again.duplicates == []
