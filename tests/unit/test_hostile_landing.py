"""What lands is read within bounds, or not at all: links are never followed, what is not a file is
quarantined with a report, names cannot break the pipeline, and the good file beside each is loaded."""

from __future__ import annotations

import os
import zipfile

import duckdb
import pytest

from extract.ingest import ingest_returns
from extract.landing import MAX_NAME_CHARS, land_file, safe_landing_name
from tests.unit.test_returns_intake import TODAY, good_file, ingest, write


def _file_log(home) -> dict[str, tuple]:
    with duckdb.connect(str(home.warehouse_path), read_only=True) as con:
        rows = con.execute(
            "select original_name, status, reason, archive_path from audit.file_log"
        ).fetchall()
    return {name: (status, reason, archive) for name, status, reason, archive in rows}


def _archived_bytes(home) -> list[bytes]:
    return [p.read_bytes() for p in home.archive_dir.iterdir()]


def test_a_symlink_in_landing_is_quarantined_unread_and_the_good_file_loads(tmp_path, home):
    landing = home.landing_dir_for("returns")
    landing.mkdir(parents=True, exist_ok=True)
    os.symlink("/etc/passwd", landing / "passwd.csv")
    summary = ingest(home, good_file(tmp_path))
    assert summary.loaded == ["good.csv"] and summary.quarantined == ["passwd.csv"]
    status, reason, archive = _file_log(home)["passwd.csv"]
    assert status == "quarantined" and "a symbolic link (to '/etc/passwd')" in reason and "not read" in reason
    passwd = open("/etc/passwd", "rb").read()
    assert passwd not in _archived_bytes(home)  # not archived
    for directory in home.quarantine_dir.iterdir():  # kept as the link it is, never its target
        kept = directory / "passwd.csv"
        assert kept.is_symlink() and os.readlink(kept) == "/etc/passwd"
        assert "not a file" in (directory / "rejection.md").read_text()
    assert not (landing / "passwd.csv").exists()  # gone from landing: the next run is not blocked


def test_a_directory_named_like_a_workbook_is_reported_not_ignored(tmp_path, home):
    landing = home.landing_dir_for("returns")
    (landing / "x.xlsx").mkdir(parents=True)
    (landing / "x.xlsx" / "inside.csv").write_text("agency_code;period;measure;value\n")
    summary = ingest(home, good_file(tmp_path))
    assert summary.loaded == ["good.csv"] and summary.quarantined == ["x.xlsx"]
    assert "is a directory, not a file" in _file_log(home)["x.xlsx"][1]


def test_a_fifo_in_landing_does_not_hang_the_ingest(tmp_path, home):
    landing = home.landing_dir_for("returns")
    landing.mkdir(parents=True, exist_ok=True)
    os.mkfifo(landing / "pipe.csv")
    summary = ingest(home, good_file(tmp_path))
    assert summary.loaded == ["good.csv"] and summary.quarantined == ["pipe.csv"]


def test_a_very_long_name_lands_shortened_and_loads(tmp_path, home):
    long_file = write(tmp_path, "long.csv", good_file(tmp_path).read_text())
    landed = land_file(home, "returns", long_file, name="r" * 240 + ".csv")  # as `ctm submit` lands it
    assert len(landed.name.encode()) <= MAX_NAME_CHARS and landed.name.endswith("~.csv")
    assert ingest_returns(home, today=TODAY).loaded == [landed.name]


def test_a_255_byte_name_placed_without_a_landing_record_does_not_crash_the_batch(tmp_path, home):
    """The REST API route: the file is placed in landing directly; its name leaves no room for a record."""
    landing = home.landing_dir_for("returns")
    landing.mkdir(parents=True, exist_ok=True)
    placed = landing / ("p" * 251 + ".csv")
    placed.write_text((good_file(tmp_path)).read_text().replace("E09000001", "E06000001"))
    later = write(tmp_path, "later.csv", (tmp_path / "good.csv").read_text())
    summary = ingest(home, later)
    assert sorted(summary.loaded) == sorted([placed.name, "later.csv"])
    assert not placed.exists()


def test_names_are_tidied_as_they_land():
    assert safe_landing_name("../../etc/x.csv") == "x.csv"
    assert safe_landing_name(".hidden.csv") == "hidden.csv"
    assert safe_landing_name("two\nlines.csv") == "twolines.csv"
    assert safe_landing_name("Cafe\u0301.csv") == "Caf\u00e9.csv"  # NFC
    assert safe_landing_name("") == "unnamed"


def test_an_xlsx_claiming_a_billion_cells_is_refused_at_once(tmp_path, home):
    """A sheet whose one value sits at XFD1048576: reading it cell by cell would never end."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<dimension ref="A1:XFD1048576"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>agency_code</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    )
    path = tmp_path / "huge.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        )
        zf.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        zf.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Return" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
    summary = ingest(home, path, good_file(tmp_path))
    assert summary.loaded == ["good.csv"] and summary.quarantined == ["huge.xlsx"]
    assert "holds more than 2,000,000 cells" in _file_log(home)["huge.xlsx"][1]


def test_a_utf16_csv_is_read_not_called_binary(tmp_path, home):
    """Excel's "Unicode text" and some exports write UTF-16 with a byte-order mark."""
    text = good_file(tmp_path).read_text(encoding="utf-8").replace("E09000001", "E06000001")
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes(text.encode("utf-16"))
    summary = ingest(home, utf16)
    assert summary.loaded == ["utf16.csv"], summary.messages


@pytest.mark.slow
def test_a_file_that_breaks_the_reader_is_quarantined_and_the_batch_goes_on(tmp_path, monkeypatch):
    """Out of memory, forever, or a crash in native code: the reader runs in a child process
    within limits, so the file is quarantined with a report and an audit row, and the good files
    landed before and after it load."""
    import extract.handlers
    from extract.ingest import ingest_nrm
    from pipeline.settings import get_settings
    from tests.conftest import SAMPLE_RELEASES
    from tests.fixtures.hostile_readers import parse_or_break

    monkeypatch.setenv("CTM_READER_MEMORY_BYTES", str(2 * 2**30))
    monkeypatch.setenv("CTM_READER_SECONDS", "8")
    home = get_settings(tmp_path / "home")
    monkeypatch.setattr(extract.handlers, "parse_workbook", parse_or_break)
    land_file(home, "nrm", SAMPLE_RELEASES[0])
    for name in ("memory.ods", "forever.ods", "crash.ods"):
        land_file(home, "nrm", SAMPLE_RELEASES[0], name=name)  # the same bytes would be a duplicate:
        path = home.landing_dir_for("nrm") / name
        path.write_bytes(path.read_bytes() + name.encode())  # each is its own file
    land_file(home, "nrm", SAMPLE_RELEASES[1])

    summary = ingest_nrm(home)

    assert summary.loaded == [SAMPLE_RELEASES[0].name, SAMPLE_RELEASES[1].name], summary.messages
    assert summary.quarantined == ["memory.ods", "forever.ods", "crash.ods"]
    log = _file_log(home)
    assert "needed more than 2 GiB of memory" in log["memory.ods"][1]
    assert "took longer than 8 seconds and was stopped" in log["forever.ods"][1]
    assert "the reader crashed on the file (signal SIGSEGV)" in log["crash.ods"][1]
    assert all(log[name][0] == "quarantined" for name in ("memory.ods", "forever.ods", "crash.ods"))
    left = [p.name for p in home.landing_dir_for("nrm").iterdir() if not p.name.startswith(".")]
    assert left == []  # nothing left to break the next run
