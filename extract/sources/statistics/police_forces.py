"""Police forces by any name they are published under -> their police force area (ONS code).

Publishers name a force in several ways: 'Devon & Cornwall', 'Devon and Cornwall Police',
'London, City of', 'City of London Police', 'Metropolitan Police Service'. Names are compared by
`match_key` with the words that only say "police" ('Police', 'Constabulary', 'Police Service')
removed. British Transport Police polices the railways, not an area: it is a force without one.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from extract.labels import match_key
from pipeline.settings import GEOGRAPHY_DIR

_POLICE_WORDS = re.compile(r"\b(?:the|police service|police force|police|constabulary|service)\b")
# Names the ONS list does not have in any spelling, and forces without an area (code None).
SYNONYMS: dict[str, str | None] = {
    "city of london": "E23000034",
    "met": "E23000001",
    "british transport": None,
    "btp": None,
}


def force_key(name: str) -> str:
    return " ".join(_POLICE_WORDS.sub(" ", match_key(name)).split())


@cache
def _index(geography_dir: Path = GEOGRAPHY_DIR) -> dict[str, tuple[str | None, str]]:
    index: dict[str, tuple[str | None, str]] = {}
    names: dict[str, str] = {}
    with (geography_dir / "police_force_areas.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names[row["code"]] = row["name"]
            index[force_key(row["name"])] = (row["code"], row["name"])
    for spelling, code in SYNONYMS.items():
        index[force_key(spelling)] = (code, names[code] if code else "British Transport Police")
    return index


def police_force_area(name: str) -> tuple[str | None, str] | None:
    """(ONS code or None for a force without an area, the area's name), or None if not a force we know."""
    return _index().get(force_key(name))
