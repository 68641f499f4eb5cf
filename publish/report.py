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
from html import escape
from pathlib import Path

from expectations.results import ExpectationOutcome
from publish.charts import Bar, Point, bar_chart, format_value, line_chart
from publish.controlled import catalogue_records
from publish.findings import key_findings
from publish.maps import Area, choropleth, councils, force_areas
from publish.marts import ReleaseMarts
from publish.package import PACKAGE_FILE, Resource, add_file
from publish.quality_pages import QUALITY_DIR
from publish.spreadsheet import Workbook
from publish.tables import PublishedTable
from publish.workbooks import ODS_FILE, XLSX_FILE

REPORT_FILE = "report.html"


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None  # [c], [x], [z]


def _shown(text: str, unit: str) -> str:
    value = _number(text)
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


_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#0b0c0c}
h1{font-size:1.8rem}h2{margin-top:2.5rem;border-top:1px solid #b1b4b6;padding-top:1rem}h3{font-size:1.05rem;margin:1.5rem 0 .2rem}
svg.chart{width:100%;max-width:44rem;height:auto}svg.chart text{font-family:system-ui,-apple-system,'Segoe UI',Arial,sans-serif}
.subtitle,.gaps{font-size:.9rem;color:#505a5f;margin:.2rem 0}
.masthead{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;font-size:.95rem}.masthead dt{font-weight:bold}.masthead dd{margin:0}
figure{margin:1rem 0}figcaption{font-size:.9rem;color:#505a5f}.caveat{font-size:.9rem;color:#505a5f}
table{border-collapse:collapse}td,th{border-bottom:1px solid #b1b4b6;padding:.25rem .6rem;text-align:left}
"""


@dataclass(frozen=True)
class QualityDigest:
    """What the report says of the checks that let the release through."""

    suites: list  # expectations.docs.SuiteStatus
    warnings: list[str]  # each failed warning, with its figures


def _quality_section(quality: QualityDigest) -> str:
    evaluated = sum(s.evaluated for s in quality.suites)
    rows = "".join(
        f"<tr><td>{escape(s.name)}</td><td>{escape(s.status)}</td><td>{s.successful} of {s.evaluated}</td>"
        f'<td><a href="quality/{escape(s.page)}">Data Docs</a>, <a href="quality/{escape(s.result)}">JSON</a></td></tr>'
        for s in quality.suites
    )
    warnings = (
        "<p>Warnings (they did not hold the release, but a reader should know):</p><ul>"
        + "".join(f"<li>{escape(w)}</li>" for w in quality.warnings)
        + "</ul>"
        if quality.warnings
        else "<p>No warnings.</p>"
    )
    return (
        f'<h2 id="quality">Quality checks</h2><p>This release passed every critical expectation of '
        f"{len(quality.suites)} Great Expectations suites ({evaluated} expectations) on the marts, their "
        "reconciliations and the published tables; every file received was checked by its source's suite "
        'on arrival. <a href="quality/data_docs/index.html">All results</a>.</p>'
        + warnings
        + f"<table><thead><tr><th>Suite</th><th>Status</th><th>Expectations met</th><th>Results</th></tr></thead><tbody>{rows}</tbody></table>"
    )


# The maps: indicator, the areas it is drawn over, and what a figure is.
MAPS = (
    ("police_force_child_referral_rate_per_100k", "force_areas", "per 100,000 children"),
    ("modern_slavery_offence_rate_per_100k", "force_areas", "per 100,000 people"),
    ("cin_child_criminal_exploitation_rate_per_10k", "councils", "per 10,000 children"),
    ("cin_trafficking_rate_per_10k", "councils", "per 10,000 children"),
)
_LAYERS = {"force_areas": force_areas, "councils": councils}
_SORT_SCRIPT = (
    "document.querySelectorAll('table.sortable th button').forEach(function(b){"
    "b.addEventListener('click',function(){var th=b.parentNode,t=th.closest('table'),"
    "i=Array.prototype.indexOf.call(th.parentNode.children,th),d=th.getAttribute('aria-sort')==='ascending'?-1:1,"
    "body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows);"
    "rows.sort(function(x,y){var a=x.cells[i].dataset.sort,c=y.cells[i].dataset.sort,"
    "p=parseFloat(a),q=parseFloat(c);if(!isNaN(p)&&!isNaN(q))return d*(p-q);"
    "if(isNaN(p)!==isNaN(q))return isNaN(p)?1:-1;return d*a.localeCompare(c);});"
    "rows.forEach(function(r){body.appendChild(r);});"
    "t.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort');});"
    "th.setAttribute('aria-sort',d===1?'ascending':'descending');});});"
)


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


def _findings_section(records: list[dict]) -> str:
    findings = key_findings(records)
    if not findings:
        return ""
    items = "".join(f"<li>{escape(f.sentence)}</li>" for f in findings)
    return (
        '<section id="key-findings"><h2>Key findings</h2><ul>'
        + items
        + "</ul><p>Each figure is in indicators.csv; the caveats of each indicator are below.</p></section>"
    )


def _map_period(records: list[dict], areas: dict[str, Area]) -> str | None:
    """The newest financial year in which some area of the layer has a figure."""
    periods = [
        r["period_label"]
        for r in records
        if r["period_type"] == "financial_year"
        and r["area_code"] in areas
        and _number(r["value"]) is not None
    ]
    return max(periods) if periods else None


def _your_area_table(caption: str, rows: list[dict], previous: dict[str, float]) -> str:
    """Area, rate, numerator, denominator, rank among the areas shown, change on the year before."""
    shown = sorted((v for r in rows if (v := _number(r["value"])) is not None), reverse=True)
    body = []
    for r in sorted(rows, key=lambda r: r["area_name"]):
        value = _number(r["value"])
        rank = shown.index(value) + 1 if value is not None else None
        change = (
            value - previous[r["area_code"]] if value is not None and r["area_code"] in previous else None
        )
        cells = [
            (r["area_name"], r["area_name"]),
            (r["value"] if value is None else f"{value:.2f}", "" if value is None else f"{value:.6f}"),
            (r["numerator"], r["numerator"] if r["numerator"].isdigit() else ""),
            (r["denominator"], r["denominator"] if r["denominator"].isdigit() else ""),
            ("" if rank is None else str(rank), "" if rank is None else str(rank)),
            ("" if change is None else f"{change:+.2f}", "" if change is None else f"{change:.6f}"),
        ]
        body.append(
            "<tr>"
            + "".join(f'<td data-sort="{escape(key)}">{escape(text)}</td>' for text, key in cells)
            + "</tr>"
        )
    headings = ("Area", "Rate", "Numerator", "Denominator", "Rank", "Change on a year earlier")
    head = "".join(f'<th scope="col"><button type="button">{h}</button></th>' for h in headings)
    return (
        f"<details><summary>Your area: {escape(caption)} ({len(rows)} areas; sort by a column)</summary>"
        f'<table class="sortable"><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></details>"
    )


def _maps_section(by_indicator: dict[str, list[dict]], catalogue: list[dict]) -> str:
    names = {entry["indicator_id"]: entry["name"] for entry in catalogue}
    parts = []
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
            r["area_code"]: _number(r["value"])
            if _number(r["value"]) is not None
            else (r["value"] if r["value"] == "[c]" else None)
            for r in rows
        }
        year_before = f"{int(period[:4]) - 1}-{period[2:4]}"
        previous = {
            r["area_code"]: value
            for r in records
            if r["period_label"] == year_before and (value := _number(r["value"])) is not None
        }
        title = f"{names.get(indicator, indicator)}, {period} (April to March)"
        parts.append(choropleth(title, areas, figures, unit) + _your_area_table(title, rows, previous))
    if not parts:
        return ""
    return (
        '<section id="maps"><h2>Maps: the indicators by area</h2>'
        "<p>Each area is shaded by its figure for the newest financial year with figures; classes hold "
        "about as many areas each. Hatched: suppressed [c] (by the publisher, or to protect a small "
        "count); grey: no figure (no population estimate for the area that year, or not collected). "
        "Hover over an area, or open its table, for the figure.</p>" + "".join(parts) + "</section>"
    )


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
    points = [Point(r["period_label"], _number(r["value"]), _shown(r["value"], unit)) for r in rows]
    return line_chart(chart_id, trend_heading(name, points, unit), subtitle, points, unit)


def _breakdown_order(labels: dict[str, tuple[str, str]], breakdown: str) -> tuple[int, int]:
    """Families in the order they are listed, and each family's breakdowns in theirs."""
    order = list(labels)
    families = list(dict.fromkeys(group for group, _ in labels.values()))
    if breakdown not in labels:
        return (len(families), 0)
    return (families.index(labels[breakdown][0]), order.index(breakdown))


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
    covered = f"{quarters_covered[0]} to {quarters_covered[-1]}" if quarters_covered else "no quarter"
    by_indicator: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        by_indicator[record["indicator_id"]].append(record)
    sections = []
    for entry in sorted(catalogue, key=lambda e: _headline_rank(e["indicator_id"])):
        indicator = entry["indicator_id"]
        published = by_indicator.get(indicator, [])
        if not published:
            continue
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
        if national or len({r["area_code"] for r in published}) <= 4:
            charts = [_trend_chart(f"{indicator}-line", entry["name"], f"{area_name}, {by}", quarters, unit)]
        else:  # by force area, with no total for Great Britain or the UK: the maps above show it
            charts = ["<p>Shown by area in the maps above, and in Table_5 (area_profiles.csv).</p>"]
        latest = quarters[-1]["period_label"] if quarters else None
        labels = breakdown_labels.get(indicator, {})
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
                    _number(r["value"]),
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
        areas = sorted(
            {(r["area_code"], r["area_name"]) for r in published if r["area_code"] != headline_area}
        )
        if len(areas) > 4:
            areas = []  # indicators by force area or council: drawn as maps, not a chart each
        for area_code, area_name in areas:
            area_quarters = sorted(
                (
                    r
                    for r in published
                    if r["area_code"] == area_code
                    and r["breakdown"] == "all"
                    and r["period_type"] == "quarter"
                ),
                key=lambda r: r["period_start_date"],
            )
            charts.append(
                _trend_chart(
                    f"{indicator}-{area_code}", entry["name"], f"{area_name}, by quarter", area_quarters, unit
                )
            )
        sections.append(
            f'<section id="{escape(indicator)}"><h2>{escape(entry["name"])}</h2>'
            f"<p>{escape(entry['definition'])}. <code>{escape(indicator)}</code>, comparable from {escape(entry['first_comparable_period'])}.</p>"
            + "".join(charts)
            + (f'<p class="caveat">Caveats: {escape(entry["caveats"])}</p>' if entry.get("caveats") else "")
            + "</section>"
        )
    links = "".join(f'<li><a href="{escape(f)}">{escape(f)}</a></li>' for f in files)
    note_items = "".join(f"<li>{escape(n)}</li>" for n in notes)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>UK child trafficking prevention indicators, release {escape(release_id)}</title>"
        f"<style>{_CSS}</style></head><body>"
        f"<h1>UK child trafficking prevention indicators</h1><p>Release <strong>{escape(release_id)}</strong>, "
        f"covering {escape(covered)}. "
        "Small counts are suppressed ([c]) to protect children's identities (see the notes); a suppressed "
        "point is a gap in its line. [x] is not available, [z] not applicable.</p>"
        + (
            '<dl class="masthead">'
            + "".join(f"<dt>{escape(term)}</dt><dd>{escape(text)}</dd>" for term, text in masthead)
            + "</dl>"
            if masthead
            else ""
        )
        + _findings_section(records)
        + _maps_section(by_indicator, catalogue)
        + "".join(sections)
        + f"<h2>Notes</h2><ol>{note_items}</ol>"
        + _quality_section(quality)
        + f'<h2>Files in this release</h2><ul class="files">{links}</ul>'
        + f"<script>{_SORT_SCRIPT}</script></body></html>\n"
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
