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

from publish.findings import key_findings
from publish.maps import Area, choropleth, councils, force_areas

_WIDTH, _HEIGHT, _PAD = 640, 220, 44
_NUMBER = {"count": "{:,.0f}", "ratio": "{:.0%}", "per_100k": "{:.1f}", "per_10k": "{:.2f}"}
_UNIT_LABEL = {
    "count": "count",
    "ratio": "share",
    "per_100k": "per 100,000 children",
    "per_10k": "per 10,000 children",
}


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None  # [c], [x], [z]


def _fmt(value: float, unit: str) -> str:
    return _NUMBER.get(unit, "{:g}").format(value)


def line_chart(title: str, points: list[tuple[str, float | None]], unit: str) -> str:
    """An SVG line of values over quarters; a missing or suppressed value breaks the line."""
    known = [v for _, v in points if v is not None]
    if not known:
        return f'<p class="empty">{escape(title)}: no published values.</p>'
    peak = max(known)
    top = peak * 1.1 or 1.0  # headroom above the highest point; an all-zero series still has a scale
    step = (_WIDTH - 2 * _PAD) / max(len(points) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return _PAD + i * step, _HEIGHT - _PAD - (v / top) * (_HEIGHT - 2 * _PAD)

    segments, current = [], []
    for i, (_, value) in enumerate(points):
        if value is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append(xy(i, value))
    if current:
        segments.append(current)
    lines = "".join(
        f'<polyline class="series" points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in seg)}"/>'
        for seg in segments
    )
    dots = "".join(
        f'<circle cx="{xy(i, v)[0]:.1f}" cy="{xy(i, v)[1]:.1f}" r="2.5"><title>{escape(label)}: {_fmt(v, unit)}</title></circle>'
        for i, (label, v) in enumerate(points)
        if v is not None
    )
    every = max(len(points) // 6, 1)
    ticks = "".join(
        f'<text x="{_PAD + i * step:.1f}" y="{_HEIGHT - _PAD + 16}" class="tick">{escape(label)}</text>'
        for i, (label, _) in enumerate(points)
        # about six labels; the last one only when it does not crowd the one before
        if i % every == 0 or (i == len(points) - 1 and i % every >= every / 2)
    )
    axis = (
        f'<line x1="{_PAD}" y1="{_HEIGHT - _PAD}" x2="{_WIDTH - _PAD}" y2="{_HEIGHT - _PAD}" class="axis"/>'
        f'<text x="{_PAD}" y="{_PAD - 8}" class="tick">{escape(_fmt(peak, unit))} (max)</text>'
    )
    return (
        f'<figure><svg class="chart line" role="img" viewBox="0 0 {_WIDTH} {_HEIGHT}" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{axis}{lines}{dots}{ticks}</svg>"
        f"<figcaption>{escape(title)} ({escape(_UNIT_LABEL.get(unit, unit))})</figcaption></figure>"
    )


def bar_chart(title: str, bars: list[tuple[str, str]], unit: str) -> str:
    """Horizontal SVG bars for the breakdowns of one period; a suppressed bar is labelled [c]."""
    values = [_number(v) for _, v in bars]
    top = max([v for v in values if v is not None] or [1.0]) or 1.0
    height = 24 * len(bars) + 10
    rows = []
    for i, ((label, text), value) in enumerate(zip(bars, values, strict=True)):
        y = 5 + i * 24
        width = 0 if value is None else (value / top) * (_WIDTH - 260)
        shown = text if value is None else _fmt(value, unit)
        rows.append(
            f'<text x="0" y="{y + 15}" class="label">{escape(label)}</text>'
            f'<rect class="bar" x="180" y="{y}" width="{width:.1f}" height="18"/>'
            f'<text x="{186 + width:.1f}" y="{y + 15}" class="tick">{escape(shown)}</text>'
        )
    return (
        f'<figure><svg class="chart bars" role="img" viewBox="0 0 {_WIDTH} {height}" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{''.join(rows)}</svg><figcaption>{escape(title)}</figcaption></figure>"
    )


_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#0b0c0c}
h1{font-size:1.8rem}h2{margin-top:2.5rem;border-top:1px solid #b1b4b6;padding-top:1rem}
.chart{width:100%;height:auto}.series{fill:none;stroke:#1d70b8;stroke-width:2}circle{fill:#1d70b8}
.axis{stroke:#505a5f}.tick,.label{font-size:11px;fill:#505a5f}.bar{fill:#1d70b8}
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


def render_report(
    release_id: str,
    fields: list[str],
    rows: list[list[str]],
    catalogue: list[dict],
    files: list[str],
    notes: list[str],
    quality: QualityDigest,
) -> str:
    """The page, from the published indicator rows (as in indicators.csv) and the catalogue."""
    records = [dict(zip(fields, row, strict=True)) for row in rows]
    quarters_covered = sorted({r["period_label"] for r in records if r["period_type"] == "quarter"})
    covered = f"{quarters_covered[0]} to {quarters_covered[-1]}" if quarters_covered else "no quarter"
    by_indicator: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        by_indicator[record["indicator_id"]].append(record)
    sections = []
    for entry in catalogue:
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
        charts = [
            line_chart(
                f"{entry['name']}, {quarters[0]['area_name'] if quarters else headline_area}, {by}",
                [(r["period_label"], _number(r["value"])) for r in quarters],
                unit,
            )
        ]
        latest = quarters[-1]["period_label"] if quarters else None
        breakdowns = [
            r
            for r in published
            if r["period_label"] == latest and r["breakdown"] != "all" and r["area_code"] == headline_area
        ]
        if breakdowns:
            charts.append(
                bar_chart(
                    f"{entry['name']} by breakdown, {latest}",
                    [(r["breakdown"], r["value"]) for r in breakdowns],
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
                line_chart(
                    f"{entry['name']}, {area_name}, by quarter",
                    [(r["period_label"], _number(r["value"])) for r in area_quarters],
                    unit,
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
        + _findings_section(records)
        + _maps_section(by_indicator, catalogue)
        + "".join(sections)
        + f"<h2>Notes</h2><ol>{note_items}</ol>"
        + _quality_section(quality)
        + f'<h2>Files in this release</h2><ul class="files">{links}</ul>'
        + f"<script>{_SORT_SCRIPT}</script></body></html>\n"
    )
