"""The release spreadsheet in the Analysis Function's standard, as .xlsx (gptables) and .ods (our
writer) from one description: cover, linked contents, notes, headers with units, typed cells, Yes/No,
a note where a table is empty, byte-reproducible; and opened by LibreOffice with no header cut."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from pipeline.ods import read_ods
from publish.formats import Table
from publish.schema import INDICATOR_FIELDS, REVISION_FIELDS
from publish.spreadsheet import (
    cell_value,
    column_heading,
    workbook,
    write_ods_workbook,
    write_xlsx_workbook,
)
from tests.fixtures.programs import profile_dir

ROW = {
    "indicator_id": "child_referral_rate_per_100k",
    "period_type": "quarter",
    "period_label": "2023-Q4",
    "period_start_date": "2023-10-01",
    "area_code": "K02000001",
    "area_name": "United Kingdom",
    "breakdown": "all",
    "numerator": "1945",
    "denominator": "[c]",
    "value": "13.6",
    "unit": "per_100k",
    "source_vintage": "nrm-2023-q4",
    "is_provisional": "true",
    "null_reason": "",
}


def _book(revisions: list[list[str]] | None = None):
    indicators = [[ROW[name] for name, _, _ in INDICATOR_FIELDS]]
    indicators.append([*indicators[0][:-2], "false", ""])
    return workbook(
        "UK child trafficking prevention indicators",
        release_id="2023-q4-0123456789",
        period="2023-Q1 to 2023-Q4",
        nrm_release="nrm-2023-q4, published 1 February 2024",
        source="Sources: Home Office, NRM statistics.",
        contact="statistics@example.org",
        notes=["Counts from 1 to 4 are suppressed as [c].", "Ratios are fractions."],
        tables=[
            Table("Table_1", "Indicators", INDICATOR_FIELDS, indicators),
            Table("Table_3", "Revisions", REVISION_FIELDS, revisions or []),
        ],
        empty_notes={"Table_3": "no published NRM figure was revised since the previous release vintage."},
    )


@pytest.mark.parametrize(
    ("field", "heading"),
    [
        (("numerator", "integer", "Count in the numerator"), "Numerator (count)"),
        (("numerator", "string", "What the numerator counts"), "Numerator"),  # the catalogue's text
        (("value", "integer", "The figure as published now"), "Value (count)"),
        (("value", "number", "Indicator value in its unit"), "Value (in the unit of the Unit column)"),
        (("is_provisional", "boolean", "True for the latest quarter"), "Provisional (Yes or No)"),
        (
            ("cin_trafficking_rate", "number", "CIN episodes with the factor, per 10,000 children aged 0-17"),
            "CIN trafficking rate (per 10,000 children aged 0-17)",
        ),
        (("nrm_police_child_referrals_count", "integer", "the count"), "NRM police child referrals (count)"),
        (("modern_slavery_offences_rank", "integer", "Rank"), "Modern slavery offences rank (1 = highest)"),
        (("area_name", "string", "Area name"), "Area name"),
    ],
)
def test_headers_are_words_with_their_units(field, heading):
    assert column_heading(*field) == heading


@pytest.mark.parametrize(
    ("text", "kind", "cell"),
    [
        ("1945", "integer", 1945),
        ("0.25", "number", 0.25),
        ("[c]", "integer", "[c]"),
        ("true", "boolean", "Yes"),
        ("false", "boolean", "No"),
        ("'=SUM(A1)", "string", "=SUM(A1)"),  # the CSV's formula guard; a typed text cell needs none
        ("", "integer", None),
    ],
)
def test_cells_are_typed(text, kind, cell):
    assert cell_value(text, kind) == cell


def test_the_ods_has_linked_contents_widths_and_a_note_for_an_empty_table(tmp_path):
    path = tmp_path / "book.ods"
    write_ods_workbook(path, _book())
    sheets = read_ods(path)
    assert list(sheets) == ["Cover_sheet", "Contents", "Notes", "Table_1", "Table_3"]
    cover = {row[0]: row[1] for row in sheets["Cover_sheet"] if len(row) > 1}
    assert cover["Contact"] == "statistics@example.org"
    assert cover["Period covered"] == "2023-Q1 to 2023-Q4"
    assert cover["NRM statistics used"] == "nrm-2023-q4, published 1 February 2024"
    assert cover["Sources"] == "Home Office, NRM statistics."
    assert "[c] confidential" in cover["Shorthand"]
    title, about, header, *rows = sheets["Table_1"]
    assert header[:3] == ["Indicator id", "Period type", "Period"] and "Numerator (count)" in header
    assert rows[0][header.index("Numerator (count)")] == 1945  # a number, not text
    assert [r[header.index("Provisional (Yes or No)")] for r in rows] == ["Yes", "No"]
    assert sheets["Table_3"][1][0] == (
        "This worksheet contains one table, with no rows: no published NRM figure was revised since "
        "the previous release vintage."
    )
    content = zipfile.ZipFile(path).read("content.xml").decode()
    for sheet in ("Notes", "Table_1", "Table_3"):
        assert f'xlink:href="#{sheet}.A1"' in content
    widths = [float(w) for w in re.findall(r'style:column-width="([\d.]+)cm"', content)]
    assert widths and all(1.5 <= w <= 16 for w in widths)


def test_the_xlsx_is_gptables_with_hyperlinked_contents_and_typed_cells(tmp_path):
    path = tmp_path / "book.xlsx"
    write_xlsx_workbook(path, _book())
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Cover_sheet", "Contents", "Notes", "Table_1", "Table_3"]
    cover = [c.value for c in book["Cover_sheet"]["A"] if c.value]
    assert cover[0] == "UK child trafficking prevention indicators"
    assert "Contact" in cover and "statistics@example.org" in cover
    assert any(str(v).startswith("Period covered: 2023-Q1 to 2023-Q4") for v in cover)
    links = {c.hyperlink.location for row in book["Contents"].iter_rows() for c in row if c.hyperlink}
    assert {link.split("!")[0].strip("'") for link in links} == {"Table_1", "Table_3"}
    table = [[c.value for c in row] for row in book["Table_1"].iter_rows()]
    header_row = next(i for i, row in enumerate(table) if row[0] == "Indicator id")
    header, rows = table[header_row], table[header_row + 1 :]
    assert rows[0][header.index("Numerator (count)")] == 1945
    assert rows[0][header.index("Denominator (count of children or people)")] == "[c]"
    assert [r[header.index("Provisional (Yes or No)")] for r in rows] == ["Yes", "No"]
    empty = [c.value for row in book["Table_3"].iter_rows() for c in row if c.value]
    assert "no published NRM figure was revised since the previous release vintage." in empty
    assert book["Table_1"].column_dimensions["A"].width > len("child_referral_rate_per_100k") * 0.9


def test_both_spreadsheets_are_byte_reproducible(tmp_path):
    for name, write in (("book.ods", write_ods_workbook), ("book.xlsx", write_xlsx_workbook)):
        first, second = tmp_path / "a" / name, tmp_path / "b" / name
        first.parent.mkdir(exist_ok=True)
        second.parent.mkdir(exist_ok=True)
        write(first, _book())
        write(second, _book())
        assert first.read_bytes() == second.read_bytes(), name


# --- in LibreOffice ----------------------------------------------------------------------------------


def _pdf_words(spreadsheet: Path, out: Path) -> set[str]:
    """The words of the spreadsheet as LibreOffice prints it: a cell's text cut by its column (or
    run into the next cell) prints cut, so its words are not whole."""
    soffice = shutil.which("soffice")
    assert soffice, "Debian's libreoffice-calc-nogui opens the spreadsheets: make test installs it"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile_dir('soffice')}", "--headless", "--convert-to",
         "pdf", "--outdir", str(out), str(spreadsheet)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = out / (spreadsheet.stem + ".pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return set(text.split())


def test_a_cut_header_is_caught(tmp_path):
    """The check below can fail: a header wider than its column, beside a filled cell, prints cut."""
    from pipeline.ods import write_ods

    path = tmp_path / "cut.ods"
    write_ods(
        path, [("S", [["child_cg_position_long_header", "United Kingdom"], [1, 2]])], widths={"S": [1.5, 4]}
    )
    words = _pdf_words(path, tmp_path)
    assert "child_cg_position_long_header" not in words and "Kingdom" in words


@pytest.fixture(scope="module")
def release(published_release):
    return published_release


def test_libreoffice_opens_both_spreadsheets_of_a_release_with_no_header_cut(release, tmp_path):
    from publish.area_profiles import AREA_PROFILE_FIELDS
    from publish.schema import CATALOGUE_FIELDS, DISCLOSURE_FIELDS

    tables = {
        "indicators.csv": INDICATOR_FIELDS,
        "indicator_catalogue.csv": CATALOGUE_FIELDS,
        "revisions.csv": REVISION_FIELDS,
        "disclosure_log.csv": DISCLOSURE_FIELDS,
        "area_profiles.csv": AREA_PROFILE_FIELDS,
    }
    for suffix in ("ods", "xlsx"):
        words = _pdf_words(release.path / f"child-trafficking-indicators.{suffix}", tmp_path / suffix)
        assert {"Contents", "Notes", "Shorthand"} <= words
        for csv_name, fields in tables.items():
            empty = len((release.path / csv_name).read_text(encoding="utf-8").splitlines()) == 1
            if empty and suffix == "xlsx":
                continue  # gptables shows an empty table as its note (tested above)
            for field in fields:
                missing = [w for w in column_heading(*field).split() if w not in words]
                assert not missing, f"{suffix}, {csv_name}: header {column_heading(*field)!r} prints cut"
