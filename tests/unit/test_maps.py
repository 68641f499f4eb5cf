"""The report's maps: the shipped ONS boundaries read and drawn, classes, and what marks an area
without a figure."""

from __future__ import annotations

import re

from publish.maps import NO_DATA, PALETTE, _simplified, choropleth, councils, force_areas, quantile_classes


def test_the_shipped_boundaries_have_every_force_area_and_council():
    assert len(force_areas()) == 43 and force_areas()["E23000034"].name == "London, City of"
    areas = councils()
    # the councils of 2023, and those abolished since under their old codes (the DfE's earlier years)
    assert {"E06000063", "E06000065", "E10000023", "E10000006"} <= set(areas)
    assert all(len(ring) >= 4 for area in areas.values() for polygon in area.polygons for ring in polygon)


def test_quantile_classes_hold_about_as_many_areas_each():
    classes = quantile_classes([float(v) for v in range(1, 11)])
    counts = [sum(classes.of(v) == k for v in range(1, 11)) for k in range(5)]
    assert counts == [2, 2, 2, 2, 2]
    assert quantile_classes([3.0, 3.0, 3.0]).breaks == ()  # one value: one class
    assert quantile_classes([]).breaks == ()


def test_simplifying_a_closed_ring_keeps_its_shape():
    square = [(0.0, 0.0), (10.0, 0.1), (20.0, 0.0), (20.0, 20.0), (0.0, 20.0), (0.0, 0.0)]
    assert _simplified(square, 0.5) == [(0.0, 0.0), (20.0, 0.0), (20.0, 20.0), (0.0, 20.0), (0.0, 0.0)]


def test_a_map_marks_suppressed_and_missing_areas_apart_from_colour_and_says_its_unit():
    svg = choropleth(
        "Test map, 2022-23",
        force_areas(),
        {"E23000001": 12.5, "E23000002": "[c]", "E23000003": None, "E23000004": 3.25, "X99999999": 1.0},
        "per 100,000 people",
    )
    titles = dict(re.findall(r'data-area="([^"]+)" fill="[^"]+" d="[^"]+"><title>([^<]+)</title>', svg))
    assert titles == {
        "E23000001": "Metropolitan Police: 12.5 per 100,000 people",
        "E23000002": "Cumbria: suppressed [c]",
        "E23000003": "Lancashire: no figure",
        "E23000004": "Merseyside: 3.25 per 100,000 people",
    }  # an unknown code is not drawn
    assert 'data-area="E23000002" fill="url(#suppressed)"' in svg  # hatched, not only a colour
    assert f'data-area="E23000003" fill="{NO_DATA}"' in svg
    assert 'aria-label="Test map, 2022-23"' in svg and "<title>Test map, 2022-23</title>" in svg
    assert "3.25 to 12.5" in svg and PALETTE[0] in svg


def test_a_council_map_of_england_stays_small():
    codes = [c for c in councils() if c.startswith(("E06", "E08", "E09", "E10"))]
    svg = choropleth("Councils", councils(), dict.fromkeys(codes, 1.0), "per 10,000 children")
    assert svg.count('class="area"') == len(codes) and len(svg) < 100_000
