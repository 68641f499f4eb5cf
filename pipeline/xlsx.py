"""Writing .xlsx files that are the same bytes for the same content, beside pipeline/ods/writing.py's
deterministic ODS writer: openpyxl stamps the time of saving into the workbook and its zip entries."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path


def make_reproducible(path: Path) -> None:
    """Rewrite an .xlsx with fixed timestamps (openpyxl stamps the time of saving), so that the
    same content gives the same bytes and regenerating changes nothing."""
    with zipfile.ZipFile(path) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            if name == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-10-01T00:00:00Z", data)
            target.writestr(
                zipfile.ZipInfo(name, date_time=(2024, 10, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED
            )
