"""One source of truth: the templates, the guidance page, the dbt sources and the agency seed are
what the return definition generates, and the shipped synthetic samples are what their generator
writes."""

from __future__ import annotations

import openpyxl

from extract.sources.returns.definition import load_agencies, load_definition
from tools.generate_returns_sample import SAMPLE_DIR, SYNTHETIC_NOTE, write_samples
from tools.return_templates import TEMPLATE_DIR, template_name, text_outputs, write_xlsx_template

DEFINITION = load_definition()


def test_generated_text_files_match_the_definition():
    stale = [
        str(path)
        for path, text in text_outputs(DEFINITION).items()
        if path.read_text(encoding="utf-8") != text
    ]
    assert stale == [], "run: python -m tools.return_templates"


def test_the_guide_lists_every_measure_and_rule():
    guide = (TEMPLATE_DIR.parent / "returns.md").read_text(encoding="utf-8")
    for measure in DEFINITION.all_measure_ids():
        assert f"`{measure}`" in guide
    assert "E07: a shire district" in guide and "children_missing cannot exceed missing_episodes" in guide


def test_xlsx_templates_have_the_return_and_a_guidance_sheet(tmp_path):
    for agency_type in DEFINITION.agency_types.values():
        shipped = TEMPLATE_DIR / template_name(agency_type, "xlsx")
        fresh = tmp_path / shipped.name
        write_xlsx_template(fresh, DEFINITION, agency_type)
        assert fresh.read_bytes() == shipped.read_bytes(), "run: python -m tools.return_templates"
        workbook = openpyxl.load_workbook(shipped)
        assert workbook.sheetnames == ["Return", "Guidance"]
        rows = list(workbook["Return"].iter_rows(values_only=True))
        assert rows[0] == DEFINITION.column_names
        assert [r[2] for r in rows[1:]] == list(agency_type.measure_ids)
        guidance = [r[0] for r in workbook["Guidance"].iter_rows(values_only=True)]
        assert set(agency_type.measure_ids) <= set(guidance)


def test_agency_codes_are_the_real_ons_lists():
    agencies = load_agencies()
    kinds = {
        kind: sorted(a.code[:3] for a in agencies.values() if a.agency_type == kind)
        for kind in ("children_services", "police")
    }
    assert (
        len(kinds["children_services"]) == 175 + 32
    )  # upper-tier authorities of England and Wales, Scottish councils
    assert set(kinds["children_services"]) == {"E06", "E08", "E09", "E10", "W06", "S12"}
    assert len(kinds["police"]) == 43 and set(kinds["police"]) == {"E23", "W15"}
    assert agencies["E10000016"].name == "Kent" and "E07000105" not in agencies


def test_shipped_samples_are_what_the_generator_writes_and_say_they_are_synthetic(tmp_path):
    for fresh in write_samples(tmp_path):
        shipped = SAMPLE_DIR / fresh.name
        assert fresh.read_bytes() == shipped.read_bytes(), "run: python -m tools.generate_returns_sample"
    assert SYNTHETIC_NOTE in (SAMPLE_DIR / "synthetic-councils-2024.csv").read_text(encoding="utf-8")
    police = openpyxl.load_workbook(SAMPLE_DIR / "synthetic-police-2024.xlsx")
    assert police["Return"]["A1"].value == SYNTHETIC_NOTE
