"""report.html: one self-contained page per release (inline CSS and SVG, nothing fetched at view
time) with the headline indicators over time and by breakdown, maps of the indicators by area with
a "your area" table each, their caveats, and links to every file. It is drawn from the published,
disclosure-controlled rows, so it cannot show a suppressed figure: a suppressed point is a gap in
its line, a suppressed bar is marked [c], a suppressed area is hatched. One small inline script
sorts the area tables when a heading is clicked; everything reads without it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from expectations.results import ExpectationOutcome
from publish.charts import Bar, Point, bar_chart, format_value, line_chart
from publish.controlled import catalogue_records
from publish.findings import key_findings
from publish.formats import published_number
from publish.marts import ReleaseMarts
from publish.package import PACKAGE_FILE, Resource, add_file
from publish.pages import render_page
from publish.quality_pages import QUALITY_DIR
from publish.report_maps import report_maps
from publish.spreadsheet import Workbook
from publish.tables import PublishedTable
from publish.workbooks import ODS_FILE, XLSX_FILE

REPORT_FILE = "report.html"


def _shown(text: str, unit: str) -> str:
    value = published_number(text)
    return text if value is None else format_value(value, unit)


def _change(latest: Point, earlier: Point, unit: str) -> str:
    """How the latest figure compares with an earlier one, in words: percentage points for a share."""
    assert latest.value is not None and earlier.value is not None
    if unit == "ratio":
        points = round((latest.value - earlier.value) * 100)
        if points == 0:
            return f"unchanged on {earlier.period} ({earlier.shown})"
        return f"{'up' if points > 0 else 'down'} {abs(points)} percentage points on {earlier.period} ({earlier.shown})"
    if earlier.value == 0:
        return f"against {earlier.shown} in {earlier.period}"
    percent = round((latest.value - earlier.value) / earlier.value * 100)
    if percent == 0:
        return f"about the same as in {earlier.period} ({earlier.shown})"
    return f"{'up' if percent > 0 else 'down'} {abs(percent)}% on {earlier.period} ({earlier.shown})"


def trend_heading(name: str, points: list[Point], unit: str) -> str:
    """The finding a line shows: its newest figure, and the change on a year earlier where both exist."""
    known = [(i, p) for i, p in enumerate(points) if p.value is not None]
    if not known:
        return name
    index, latest = known[-1]
    step = 4 if "-Q" in latest.period else 1
    heading = f"{name}: {latest.shown} in {latest.period}"
    if index >= step and points[index - step].value is not None:
        heading += ", " + _change(latest, points[index - step], unit)
    return heading


@dataclass(frozen=True)
class QualityDigest:
    """What the report says of the checks that let the release through."""

    suites: list  # expectations.docs.SuiteStatus
    warnings: list[str]  # each failed warning, with its figures


# The indicators the report leads with, in this order; the others follow in the catalogue's order.
HEADLINE_INDICATORS = (
    "child_referrals",
    "child_referral_rate_per_100k",
    "child_share_of_referrals",
    "criminal_exploitation_share_of_child_referrals",
    "uk_national_share_of_child_referrals",
    "child_rg_positive_rate",
    "child_cg_positive_rate",
)


def _headline_rank(indicator: str) -> int:
    return (
        HEADLINE_INDICATORS.index(indicator) if indicator in HEADLINE_INDICATORS else len(HEADLINE_INDICATORS)
    )


def _trend_chart(chart_id: str, name: str, subtitle: str, rows: list[dict], unit: str) -> str:
    points = [Point(r["period_label"], published_number(r["value"]), _shown(r["value"], unit)) for r in rows]
    return line_chart(chart_id, trend_heading(name, points, unit), subtitle, points, unit)


def _breakdown_order(labels: dict[str, tuple[str, str]], breakdown: str) -> tuple[int, int]:
    """Families in the order they are listed, and each family's breakdowns in theirs."""
    order = list(labels)
    families = list(dict.fromkeys(group for group, _ in labels.values()))
    if breakdown not in labels:
        return (len(families), 0)
    return (families.index(labels[breakdown][0]), order.index(breakdown))


@dataclass(frozen=True)
class IndicatorSection:
    """One indicator's part of the report: its definition, charts and caveats."""

    indicator_id: str
    name: str
    definition: str
    first_comparable_period: str
    caveats: str
    shown_by_area: bool  # drawn in the maps, not as a line
    charts: list[Markup]


def _section(entry: dict, published: list[dict], labels: dict[str, tuple[str, str]]) -> IndicatorSection:
    indicator = entry["indicator_id"]
    unit = published[0]["unit"]
    # the UK (or Great Britain, England and Wales), else a nation, else the first area
    headline_area = min(
        {r["area_code"] for r in published},
        key=lambda a: (not a.startswith("K"), a[1:3] != "92", a),
    )
    # by quarter; a source published by year ending 31 March, by financial year
    series = "quarter" if any(r["period_type"] == "quarter" for r in published) else "financial_year"
    quarters = sorted(
        (
            r
            for r in published
            if r["period_type"] == series and r["breakdown"] == "all" and r["area_code"] == headline_area
        ),
        key=lambda r: r["period_start_date"],
    )
    by = "by quarter" if series == "quarter" else "by financial year"
    area_name = quarters[0]["area_name"] if quarters else headline_area
    national = headline_area.startswith("K") or headline_area == "E92000001"
    # by force area, with no total for Great Britain or the UK: the maps above show it
    shown_by_area = not (national or len({r["area_code"] for r in published}) <= 4)
    charts = (
        []
        if shown_by_area
        else [_trend_chart(f"{indicator}-line", entry["name"], f"{area_name}, {by}", quarters, unit)]
    )
    latest = quarters[-1]["period_label"] if quarters else None
    breakdowns = sorted(
        (
            r
            for r in published
            if r["period_label"] == latest and r["breakdown"] != "all" and r["area_code"] == headline_area
        ),
        key=lambda r: _breakdown_order(labels, r["breakdown"]),
    )
    if breakdowns:
        bars = [
            Bar(
                *labels.get(r["breakdown"], ("Other", r["breakdown"].replace("_", " ").capitalize())),
                published_number(r["value"]),
                _shown(r["value"], unit),
            )
            for r in breakdowns
        ]
        charts.append(
            bar_chart(
                f"{indicator}-breakdowns",
                f"{entry['name']} by breakdown, {latest}",
                f"{area_name}; each panel is one way of dividing the children referred",
                bars,
                unit,
            )
        )
    areas = sorted({(r["area_code"], r["area_name"]) for r in published if r["area_code"] != headline_area})
    if len(areas) > 4:
        areas = []  # indicators by force area or council: drawn as maps, not a chart each
    for area_code, area_name in areas:
        area_quarters = sorted(
            (
                r
                for r in published
                if r["area_code"] == area_code and r["breakdown"] == "all" and r["period_type"] == "quarter"
            ),
            key=lambda r: r["period_start_date"],
        )
        charts.append(
            _trend_chart(
                f"{indicator}-{area_code}", entry["name"], f"{area_name}, by quarter", area_quarters, unit
            )
        )
    return IndicatorSection(
        indicator,
        entry["name"],
        entry["definition"],
        entry["first_comparable_period"],
        entry.get("caveats") or "",
        shown_by_area,
        [Markup(chart) for chart in charts],
    )


def render_report(
    release_id: str,
    fields: list[str],
    rows: list[list[str]],
    catalogue: list[dict],
    files: list[str],
    notes: list[str],
    quality: QualityDigest,
    breakdown_labels: dict[str, dict[str, tuple[str, str]]] | None = None,
    masthead: list[tuple[str, str]] = (),
) -> str:
    """The page, from the published indicator rows (as in indicators.csv) and the catalogue.
    `breakdown_labels`: per indicator, each breakdown's family and name for people ('gender' and
    'female' -> 'Gender', 'Female'), in the order the families are listed."""
    breakdown_labels = breakdown_labels or {}
    records = [dict(zip(fields, row, strict=True)) for row in rows]
    quarters_covered = sorted({r["period_label"] for r in records if r["period_type"] == "quarter"})
    by_indicator: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        by_indicator[record["indicator_id"]].append(record)
    return render_page(
        "report.html",
        release_id=release_id,
        covered=f"{quarters_covered[0]} to {quarters_covered[-1]}" if quarters_covered else "no quarter",
        masthead=list(masthead),
        findings=key_findings(records),
        maps=report_maps(by_indicator, catalogue),
        sections=[
            _section(
                entry, by_indicator[entry["indicator_id"]], breakdown_labels.get(entry["indicator_id"], {})
            )
            for entry in sorted(catalogue, key=lambda e: _headline_rank(e["indicator_id"]))
            if by_indicator.get(entry["indicator_id"])
        ],
        notes=notes,
        quality=quality,
        files=files,
    )


def write_report(
    directory: Path,
    release_id: str,
    tables: list[PublishedTable],
    marts: ReleaseMarts,
    notes: list[str],
    book: Workbook,
    suites: list,
    gate_summary: dict,
    table_files: list[Resource],
    parquet_files: list[Resource],
    quality_files: list[Resource],
) -> dict[str, Resource]:
    """Step: report.html, from the published indicator rows and the catalogue."""
    per_suite = {f"{QUALITY_DIR}/{path}" for s in suites for path in (s.page, s.result)}
    files = sorted(
        [
            *(f["path"] for f in (*table_files, *parquet_files)),
            ODS_FILE,
            XLSX_FILE,
            PACKAGE_FILE,
            *({f["path"] for f in quality_files} - per_suite),
        ]
    )
    warnings = [
        ExpectationOutcome(**outcome).describe()
        for outcome in gate_summary["expectations"]
        if not outcome["success"] and outcome["severity"] != "critical"
    ]
    indicators = next(t.table for t in tables if t.table.sheet == "Table_1")
    page = render_report(
        release_id,
        [n for n, _, _ in indicators.fields],
        indicators.rows,
        catalogue_records(marts.catalogue),
        files,
        notes,
        QualityDigest(suites, warnings),
        marts.breakdown_labels(),
        # what the spreadsheet's cover says of the release: its period, the NRM release, when, who
        [
            (k, v)
            for k, v in book.cover
            if k in ("Period covered", "NRM statistics used", "Release", "Contact")
        ],
    )
    report = add_file(
        directory,
        REPORT_FILE,
        page.encode("utf-8"),
        "The release at a glance: charts of the headline indicators, caveats, and links to every file",
        "html",
        "text/html",
        name="report",
    )
    return {"report_file": report}
