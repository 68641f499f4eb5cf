"""The streaming ODS reader gives the same grid as pandas.read_excel(engine='odf'), and copes with
what spreadsheet programs write (repeated cells and rows, covered cells, spaces, line breaks)."""

from __future__ import annotations

import zipfile

import pytest

from pipeline.ods import ODS_MIMETYPE, read_ods, read_ods_with_pandas, write_ods
from pipeline.ods.writing import _MANIFEST
from tests.conftest import SAMPLE_WORKBOOK


@pytest.mark.slow
def test_same_grid_as_pandas_on_the_sample():
    assert read_ods(SAMPLE_WORKBOOK) == read_ods_with_pandas(SAMPLE_WORKBOOK)


def test_same_grid_as_pandas_with_line_breaks_and_blanks(tmp_path):
    path = tmp_path / "mixed.ods"
    write_ods(path, [("S", [["Labour\n & Criminal", None, 3], [], [None, 2.5, "x"]])])
    assert (
        read_ods(path)
        == read_ods_with_pandas(path)
        == {"S": [["Labour\n & Criminal", None, 3], [None, None, None], [None, 2.5, "x"]]}
    )


def _raw_workbook(path, rows_xml: str) -> None:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        f'<table:table table:name="Table_9">{rows_xml}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", _MANIFEST)
        zf.writestr("content.xml", content)


def test_repeated_and_covered_cells_and_a_million_padding_rows(tmp_path):
    path = tmp_path / "libreoffice-like.ods"
    _raw_workbook(
        path,
        (
            '<table:table-row><table:table-cell office:value-type="string"><text:p>Year<text:s text:c="2"/>and'
            "</text:p></table:table-cell><table:covered-table-cell/>"
            '<table:table-cell table:number-columns-repeated="2" office:value-type="float" office:value="7"/>'
            '<table:table-cell table:number-columns-repeated="16380"/></table:table-row>'
            '<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="5"/></table:table-row>'
            '<table:table-row><table:table-cell/><table:table-cell office:value-type="float" office:value="1.5"/></table:table-row>'
            '<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
        ),
    )
    assert read_ods(path) == {
        "Table_9": [
            ["Year  and", None, 7, 7],
            [None] * 4,
            [None] * 4,
            [None, 1.5, None, None],
        ]
    }
