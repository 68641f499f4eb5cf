"""Choropleth maps for the release report: inline SVG drawn from the ONS boundaries shipped in
data/geography/boundaries/, nothing fetched.

The boundaries are already generalised by the ONS; here they are projected (longitude scaled by
the cosine of Britain's middle latitude, so shapes are not stretched), simplified (Douglas-Peucker,
a fraction of a pixel) and written with one decimal, which keeps a map of the 153 English councils
small. Each area is a path with its name and figure in a <title> (read out by screen readers, shown
on hover); classes are quantiles of the figures shown, with their ranges and unit in the legend; an
area whose figure is suppressed is hatched, one without a figure is grey: colour is never the only
cue.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from pipeline.settings import REPO_ROOT
from publish.pages import render_macro

BOUNDARIES = REPO_ROOT / "data" / "geography" / "boundaries"
FORCE_AREAS_FILE = BOUNDARIES / "police_force_areas_dec2022_buc.geojson"
UK_AREAS_FILE = BOUNDARIES / "ons_uk_areas_2014_2025.topo.json"
# ColorBrewer 'Blues', five classes: ordered light to dark, readable in grey.
PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_DATA = "#d9d9d9"
SUPPRESSED = "[c]"
_COS_MID_LATITUDE = math.cos(math.radians(54.0))

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    polygons: tuple[tuple[Ring, ...], ...]  # each polygon: its outer ring, then holes


@cache
def force_areas() -> dict[str, Area]:
    """The 43 police force areas of England and Wales (ONS, December 2022)."""
    collection = json.loads(FORCE_AREAS_FILE.read_text(encoding="utf-8"))
    areas = {}
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        code = feature["properties"]["PFA22CD"]
        areas[code] = Area(
            code,
            feature["properties"]["PFA22NM"],
            tuple(tuple([tuple(p) for p in ring] for ring in polygon) for polygon in polygons),
        )
    return areas


@cache
def councils() -> dict[str, Area]:
    """Every upper-tier council of the ONS TopoJSON (those abolished since under their old codes)."""
    topology = json.loads(UK_AREAS_FILE.read_text(encoding="utf-8"))
    arcs = _decoded_arcs(topology)

    def ring(indices: list[int]) -> Ring:
        points: Ring = []
        for index in indices:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc if not points else arc[1:])
        return points

    areas = {}
    for geometry in topology["objects"]["utla"]["geometries"]:
        rings = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        properties = geometry["properties"]
        areas[properties["areacd"]] = Area(
            properties["areacd"],
            properties["areanm"],
            tuple(tuple(ring(r) for r in polygon) for polygon in rings),
        )
    return areas


def _decoded_arcs(topology: dict) -> list[Ring]:
    """TopoJSON's quantised, delta-encoded arcs as longitude and latitude."""
    (scale_x, scale_y), (origin_x, origin_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((origin_x + x * scale_x, origin_y + y * scale_y))
        decoded.append(points)
    return decoded


def _simplified(points: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker, iteratively: the points a line needs to stay within `tolerance` of itself."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1)
        farthest, distance = first, 0.0
        for index in range(first + 1, last):
            x, y = points[index]
            if length == 0:  # a closed ring's ends: the distance from that point
                d = math.hypot(x - x1, y - y1)
            else:
                d = abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length
            if d > distance:
                farthest, distance = index, d
        if distance > tolerance:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _path(points: Ring) -> str:
    """A closed ring as SVG path data: the first point, then relative steps (a third shorter)."""
    rounded = [(round(x, 1), round(y, 1)) for x, y in points]
    steps = [
        f"{x - px:.1f},{y - py:.1f}".replace(".0,", ",").removesuffix(".0")
        for (px, py), (x, y) in zip(rounded, rounded[1:], strict=False)
    ]
    return f"M{rounded[0][0]:.1f},{rounded[0][1]:.1f}l" + " ".join(steps) + "z"


@dataclass(frozen=True)
class Classes:
    breaks: tuple[float, ...]  # upper bound of each class but the last

    def of(self, value: float) -> int:
        return sum(value > b for b in self.breaks)


def quantile_classes(values: Sequence[float], count: int = len(PALETTE)) -> Classes:
    """Up to `count` classes holding about as many areas each (fewer when values repeat)."""
    ordered = sorted(values)
    if not ordered:
        return Classes(())
    breaks = sorted({ordered[max(0, (len(ordered) * k) // count - 1)] for k in range(1, count)})
    return Classes(tuple(b for b in breaks if b < ordered[-1]))


def _number(value: float) -> str:
    return f"{value:,.1f}" if value >= 10 else f"{value:,.2f}"


def choropleth(
    title: str,
    areas: Mapping[str, Area],
    figures: Mapping[str, float | str | None],
    unit: str,
    *,
    width: float = 440.0,
) -> str:
    """An SVG map of `areas`, each filled by its figure (a number, '[c]' suppressed, or None: no
    figure). `unit` reads after a number ('per 100,000 children')."""
    drawn = {code: areas[code] for code in sorted(figures) if code in areas}
    if not drawn:
        return ""
    xs = [lon for a in drawn.values() for poly in a.polygons for lon, _ in poly[0]]
    ys = [lat for a in drawn.values() for poly in a.polygons for _, lat in poly[0]]
    west, east, south, north = min(xs), max(xs), min(ys), max(ys)
    scale = width / ((east - west) * _COS_MID_LATITUDE)
    height = (north - south) * scale

    def svg_point(lon: float, lat: float) -> tuple[float, float]:
        return ((lon - west) * _COS_MID_LATITUDE * scale, (north - lat) * scale)

    values = [v for v in figures.values() if isinstance(v, int | float)]
    classes = quantile_classes(values)
    paths = []
    for code, area in drawn.items():
        figure = figures[code]
        if isinstance(figure, int | float):
            fill, said = PALETTE[classes.of(figure)], f"{_number(figure)} {unit}"
        elif figure == SUPPRESSED:
            fill, said = "url(#suppressed)", "suppressed [c]"
        else:
            fill, said = NO_DATA, "no figure"
        rings = []
        for polygon in area.polygons:
            for ring in polygon:
                points = _simplified([svg_point(*p) for p in ring], 0.8)
                if len(points) >= 3:
                    rings.append(_path(points))
        paths.append({"code": code, "fill": fill, "d": "".join(rings), "name": area.name, "said": said})
    return str(
        render_macro(
            "_map.html",
            "choropleth_figure",
            title,
            f"{width + 230:.0f}",
            f"{max(height, 200):.0f}",
            f"{width + 16:.0f}",
            paths,
            unit,
            _LEGEND_TOP,
            _legend_keys(classes, values),
        )
    )


_LEGEND_TOP = 12


def _legend_keys(classes: Classes, values: list[float]) -> list[dict]:
    """The legend's keys below its title: each class with its range, then suppressed and no figure."""
    if not values:
        bounds: list[tuple[float, float]] = []
    else:
        edges = [min(values), *classes.breaks, max(values)]
        bounds = list(zip(edges[:-1], edges[1:], strict=True))
    items = [(PALETTE[i], f"{_number(low)} to {_number(high)}") for i, (low, high) in enumerate(bounds)]
    items += [("url(#suppressed)", "suppressed [c]"), (NO_DATA, "no figure")]
    return [
        {"fill": fill, "label": label, "y": _LEGEND_TOP + 10 + index * 20}
        for index, (fill, label) in enumerate(items)
    ]
