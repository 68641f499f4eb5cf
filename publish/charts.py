"""The report's charts, drawn by Vega-Lite (through vl-convert, offline) as static SVG: a library
lays out the axes, ticks, labels and legends, so no chart states a figure its data do not hold.

Each chart is a <figure>: a heading that states the finding, the SVG (with an aria label), a note
naming the periods whose figure is suppressed or missing (drawn as gaps, never as zero), and the
figures themselves in a table beside it, for screen readers and for anyone who wants the numbers.

Text is measured with a font shipped in the locked dependencies (HK Grotesk, in Great Expectations'
Data Docs), never a system font, so the same figures give the same bytes on every machine.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

from markupsafe import Markup

from publish.pages import render_macro

_FONT = "HK Grotesk"
_TEMPLATE = "_charts.html"
_D3_FORMAT = {"count": ",.0f", "ratio": ".0%", "per_100k": ",.1f", "per_10k": ",.2f"}
_PY_FORMAT = {"count": "{:,.0f}", "ratio": "{:.0%}", "per_100k": "{:,.1f}", "per_10k": "{:,.2f}"}
AXIS_TITLE = {
    "count": "Number",
    "ratio": "Share (%)",
    "per_100k": "Rate per 100,000",
    "per_10k": "Rate per 10,000",
}
_BLUE, _GREY = "#1d70b8", "#505a5f"
_CONFIG = {
    "font": _FONT,
    "background": "white",
    "view": {"stroke": None},
    "axis": {
        "labelFontSize": 11,
        "titleFontSize": 12,
        "labelColor": _GREY,
        "titleColor": "#0b0c0c",
        "titleFontWeight": "normal",
        "gridColor": "#e5e6e7",
    },
    "aria": False,  # the figure carries one label and a table of the figures; marks need none
}


def format_value(value: float, unit: str) -> str:
    return _PY_FORMAT.get(unit, "{:g}").format(value)


def _font_dir() -> Path:
    import great_expectations

    return Path(great_expectations.__file__).parent / "render/view/static/fonts/HKGrotesk"


@cache
def _converter():
    import vl_convert

    vl_convert.register_font_directory(str(_font_dir()))
    return vl_convert


@cache
def _renderer() -> str:
    """What else decides a chart's bytes: vl-convert's version and the font's files."""
    import vl_convert

    files = sorted((p.name, p.stat().st_size) for p in _font_dir().iterdir())
    return f"vl-convert {vl_convert.__version__}; fonts {files}"


def _vega_svg(spec: dict) -> str:
    """vl-convert's SVG of a Vega-Lite spec. A chart drawn before on this machine, the same spec by
    the same renderer, is taken from the cache (settings.cache_dir/charts): most of a release's
    charts do not change from one event to the next, and starting the renderer alone takes ~0.4 s."""
    from pipeline.files import write_atomically
    from pipeline.settings import get_settings

    full_spec = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", **spec}
    # the spec as given, keys in their order (ours are built the same way every time)
    key = hashlib.sha256(f"{_renderer()}\0{json.dumps(full_spec)}".encode()).hexdigest()
    cache_dir = get_settings().cache_dir / "charts"
    cached = cache_dir / f"{key}.svg"
    try:
        svg = cached.read_text(encoding="utf-8")
        if svg.startswith("<svg") and svg.rstrip().endswith("</svg>"):
            return svg
    except (OSError, UnicodeDecodeError):
        pass
    svg = _converter().vegalite_to_svg(full_spec)
    try:
        write_atomically(cached, svg.encode("utf-8"))
        _prune(cache_dir)
    except OSError:
        pass  # no cache (a read-only home directory): only slower
    return svg


_CACHED_CHARTS = 2000  # ~20 KB each: ~40 MB at most


def _prune(cache_dir: Path) -> None:
    charts = list(cache_dir.glob("*.svg"))
    if len(charts) > _CACHED_CHARTS:
        for old in sorted(charts, key=lambda p: p.stat().st_mtime)[: len(charts) - _CACHED_CHARTS]:
            old.unlink(missing_ok=True)


def _svg(spec: dict, chart_id: str, kind: str, label: str) -> str:
    """The chart as inline SVG: ids made unique in the page, scalable (its viewBox kept, its size
    left to the page), labelled as one image, with no namespace URLs (inline SVG needs none)."""
    svg = _vega_svg(spec)
    svg = re.sub(r'(id="|url\(#|href="#)', lambda m: f"{m.group(1)}{chart_id}-", svg)
    head, rest = svg.split(">", 1)
    head = re.sub(r'\s(xmlns(:xlink)?|version|width|height)="[^"]*"', "", head)
    head = head.replace('class="marks"', f'class="chart {kind}" role="img" aria-label="{escape(label)}"')
    return head + ">" + rest


@dataclass(frozen=True)
class Point:
    period: str
    value: float | None
    shown: str  # as published: the figure, or its shorthand ([c], [x], [z])


def line_chart(chart_id: str, heading: str, subtitle: str, points: list[Point], unit: str) -> str:
    """A line over periods; a suppressed or missing figure breaks the line and is named below it."""
    known = [p for p in points if p.value is not None]
    if not known:
        return str(render_macro(_TEMPLATE, "no_figures", heading))
    quarterly = "-Q" in points[0].period
    x_axis: dict = {"labelAngle": 0, "labelOverlap": True, "labelPadding": 6}
    if quarterly and len(points) > 12:  # years under their first quarter; every quarter has a tick
        x_axis["labelExpr"] = "indexof(datum.value, '-Q1') > 0 ? slice(datum.value, 0, 4) : ''"
    spec = {
        "width": 600,
        "height": 220,
        "config": _CONFIG,
        "data": {"values": [{"period": p.period, "value": p.value} for p in points]},
        "mark": {
            "type": "line",
            "color": _BLUE,
            "strokeWidth": 2,
            "point": {"filled": True, "size": 28, "color": _BLUE},
            "invalid": "break-paths-show-domains",
        },
        "encoding": {
            "x": {
                "field": "period",
                "type": "ordinal",
                "sort": None,
                "title": "Quarter (labelled at each year's first)"
                if "labelExpr" in x_axis
                else _period_title(points),
                "axis": x_axis,
            },
            "y": {
                "field": "value",
                "type": "quantitative",
                "title": AXIS_TITLE.get(unit, unit),
                "scale": {"zero": True},
                "axis": {"format": _D3_FORMAT.get(unit, ""), "tickCount": 5},
            },
        },
    }
    return _figure(
        chart_id,
        heading,
        subtitle,
        _svg(spec, chart_id, "line", f"{heading}. {subtitle}"),
        "; ".join(_gap_runs(points)),
        (subtitle, ("Period", AXIS_TITLE.get(unit, unit)), [(p.period, p.shown) for p in points]),
    )


def _gap_runs(points: list[Point]) -> list[str]:
    """The periods with no figure, consecutive ones of the same shorthand as one run:
    '2009-Q2 to 2013-Q4 [x]; 2018-Q3 [c]'."""
    runs: list[list] = []  # [first, last, shorthand]
    previous_missing = False
    for point in points:
        if point.value is None:
            if previous_missing and runs[-1][2] == point.shown:
                runs[-1][1] = point.period
            else:
                runs.append([point.period, point.period, point.shown])
        previous_missing = point.value is None
    return [f"{a} {s}" if a == b else f"{a} to {b} {s}" for a, b, s in runs]


def _period_title(points: list[Point]) -> str:
    return "Quarter" if "-Q" in points[0].period else "Financial year" if "-" in points[0].period else "Year"


@dataclass(frozen=True)
class Bar:
    group: str  # the breakdown's family, e.g. Gender
    label: str  # e.g. Female
    value: float | None
    shown: str


def bar_chart(chart_id: str, heading: str, subtitle: str, bars: list[Bar], unit: str) -> str:
    """Horizontal bars, one panel per breakdown family; a suppressed bar is empty and labelled [c]."""
    rows = [
        {
            "group": b.group,
            "label": b.label,
            "value": b.value if b.value is not None else 0,
            "text": b.shown,
        }
        for b in bars
    ]
    y = {"field": "label", "type": "nominal", "sort": None, "title": None, "axis": {"labelLimit": 220}}
    x = {
        "field": "value",
        "type": "quantitative",
        "title": AXIS_TITLE.get(unit, unit),
        "scale": {"zero": True},
        "axis": {"format": _D3_FORMAT.get(unit, ""), "tickCount": 5},
    }
    spec = {
        "padding": {
            "left": 40,
            "top": 5,
            "right": 5,
            "bottom": 5,
        },  # room for a label in a wider browser font
        "config": {**_CONFIG, "header": {"labelFontSize": 12, "labelColor": "#0b0c0c", "labelFont": _FONT}},
        "data": {"values": rows},
        "facet": {
            "row": {
                "field": "group",
                "type": "nominal",
                "sort": list(dict.fromkeys(b.group for b in bars)),
                "title": None,
                "header": {
                    "labelAngle": 0,
                    "labelAlign": "left",
                    "labelAnchor": "start",
                    "labelOrient": "top",
                },
            }
        },
        "spec": {
            "width": 420,
            "height": {"step": 20},
            "layer": [
                {"mark": {"type": "bar", "color": _BLUE}, "encoding": {"y": y, "x": x}},
                {
                    "mark": {"type": "text", "align": "left", "dx": 4, "color": "#0b0c0c", "fontSize": 11},
                    "encoding": {"y": y, "x": x, "text": {"field": "text"}},
                },
            ],
        },
        "resolve": {"scale": {"y": "independent"}},
    }
    return _figure(
        chart_id,
        heading,
        subtitle,
        _svg(spec, chart_id, "bars", f"{heading}. {subtitle}"),
        "",
        (
            subtitle,
            ("Breakdown", AXIS_TITLE.get(unit, unit)),
            [(f"{b.group}: {b.label}", b.shown) for b in bars],
        ),
    )


def _figure(chart_id: str, heading: str, subtitle: str, svg: str, gaps: str, table: tuple) -> str:
    """The chart as a <figure>: its heading, the SVG, the gaps in its line, the table of its figures
    (`table`: caption, the two headings, the rows)."""
    return str(render_macro(_TEMPLATE, "chart_figure", chart_id, heading, subtitle, Markup(svg), gaps, table))
