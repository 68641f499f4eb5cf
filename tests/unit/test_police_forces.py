"""NRM police first responders -> the area each covers (data/geography/nrm_police_forces.csv)."""

from __future__ import annotations

import csv
import re

from pipeline.settings import REPO_ROOT

GEOGRAPHY = REPO_ROOT / "data" / "geography"


def _read(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_police_first_responder_has_its_area_and_every_force_area_one_force():
    lookup = {r["nrm_first_responder"]: r for r in _read(GEOGRAPHY / "nrm_police_forces.csv")}
    known = {
        r["label"]
        for r in _read(REPO_ROOT / "extract" / "sources" / "nrm" / "known_labels.csv")
        if r["dimension"] == "first responder"
        and re.search(r"police|constabulary|regional|rocu|special operations", r["label"], re.I)
    } - {"Police total"}
    assert set(lookup) == known | {"National Police Air Service"}  # on the referral form, not yet in a table
    areas = [r["area_code"] for r in lookup.values() if r["area_code"]]
    assert len(areas) == len(set(areas))  # one force per area
    force_areas = {r["code"] for r in _read(GEOGRAPHY / "police_force_areas.csv")}
    assert force_areas <= set(areas)  # every force area of England and Wales
    assert lookup["City of London Police"]["area_code"] == "E23000034"
    assert lookup["British Transport Police"]["area_code"] == ""  # no area: not guessed
    assert lookup["Tarian ROCU"]["area_code"] == ""  # a regional unit of several forces
