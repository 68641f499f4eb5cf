"""The report's maps: each indicator of MAPS drawn over its areas (publish/maps.py) for the newest
financial year with figures, with a "your area" table of its figures beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from publish.formats import published_number
from publish.maps import Area, choropleth, councils, force_areas

# The maps: indicator, the areas it is drawn over, and what a figure is.
MAPS = (
    ("police_force_child_referral_rate_per_100k", "force_areas", "per 100,000 children"),
    ("modern_slavery_offence_rate_per_100k", "force_areas", "per 100,000 people"),
    ("cin_child_criminal_exploitation_rate_per_10k", "councils", "per 10,000 children"),
    ("cin_trafficking_rate_per_10k", "councils", "per 10,000 children"),
)
_LAYERS = {"force_areas": force_areas, "councils": councils}


def map_figures_note(catalogue: list[dict]) -> str:
    """The maps of report.html as a list of figures, for the spreadsheet's notes."""
    names = {entry["indicator_id"]: entry["name"] for entry in catalogue}
    layers = {"force_areas": "by police force area", "councils": "by council (England)"}
    figures = "; ".join(
        f"Figure {n}: {names.get(indicator, indicator)}, {layers[layer]}"
        for n, (indicator, layer, _) in enumerate(MAPS, start=1)
    )
    return (
        f"Maps in report.html (the newest financial year with figures), with a 'your area' table each: {figures}. "
        "Their figures are in Table_1; police force areas side by side are in Table_5."
    )


def _map_period(records: list[dict], areas: dict[str, Area]) -> str | None:
    """The newest financial year in which some area of the layer has a figure."""
    periods = [
        r["period_label"]
        for r in records
        if r["period_type"] == "financial_year"
        and r["area_code"] in areas
        and published_number(r["value"]) is not None
    ]
    return max(periods) if periods else None


def _your_area_rows(rows: list[dict], previous: dict[str, float]) -> list[list[tuple[str, str]]]:
    """Area, rate, numerator, denominator, rank among the areas shown, change on the year before:
    each cell as (what it shows, the key it sorts by)."""
    shown = sorted((v for r in rows if (v := published_number(r["value"])) is not None), reverse=True)
    table = []
    for r in sorted(rows, key=lambda r: r["area_name"]):
        value = published_number(r["value"])
        rank = shown.index(value) + 1 if value is not None else None
        change = (
            value - previous[r["area_code"]] if value is not None and r["area_code"] in previous else None
        )
        table.append(
            [
                (r["area_name"], r["area_name"]),
                (r["value"] if value is None else f"{value:.2f}", "" if value is None else f"{value:.6f}"),
                (r["numerator"], r["numerator"] if r["numerator"].isdigit() else ""),
                (r["denominator"], r["denominator"] if r["denominator"].isdigit() else ""),
                ("" if rank is None else str(rank), "" if rank is None else str(rank)),
                ("" if change is None else f"{change:+.2f}", "" if change is None else f"{change:.6f}"),
            ]
        )
    return table


@dataclass(frozen=True)
class ReportMap:
    title: str
    svg: Markup
    rows: list[list[tuple[str, str]]]  # its "your area" table


def report_maps(by_indicator: dict[str, list[dict]], catalogue: list[dict]) -> list[ReportMap]:
    """Each map with figures: the newest financial year with a figure for some area of its layer."""
    names = {entry["indicator_id"]: entry["name"] for entry in catalogue}
    maps = []
    for indicator, layer, unit in MAPS:
        records = by_indicator.get(indicator, [])
        areas = _LAYERS[layer]()
        period = _map_period(records, areas)
        if period is None:
            continue
        rows = [
            r
            for r in records
            if r["period_label"] == period and r["area_code"] in areas and r["breakdown"] == "all"
        ]
        figures = {
            r["area_code"]: published_number(r["value"])
            if published_number(r["value"]) is not None
            else (r["value"] if r["value"] == "[c]" else None)
            for r in rows
        }
        year_before = f"{int(period[:4]) - 1}-{period[2:4]}"
        previous = {
            r["area_code"]: value
            for r in records
            if r["period_label"] == year_before and (value := published_number(r["value"])) is not None
        }
        title = f"{names.get(indicator, indicator)}, {period} (April to March)"
        maps.append(
            ReportMap(title, Markup(choropleth(title, areas, figures, unit)), _your_area_rows(rows, previous))
        )
    return maps
