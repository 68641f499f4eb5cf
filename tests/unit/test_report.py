"""report.html: self-contained, drawn from the published (disclosure-controlled) rows, and it renders
in a real browser (Debian's headless Chromium) with no console errors and its charts present."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.settings import REPO_ROOT
from publish.charts import Bar, Point, bar_chart, line_chart
from publish.report import trend_heading
from tests.fixtures.programs import profile_dir

ARTEFACTS = REPO_ROOT / "var" / "test-artefacts"


@pytest.fixture(scope="module")
def release(published_release):
    return published_release


def test_the_report_is_self_contained_and_links_every_file(release):
    html = (release.path / "report.html").read_text(encoding="utf-8")
    # nothing fetched at view time: no linked script, style, image or font; url() only to the page itself
    assert not re.search(r"<script[^>]*\bsrc|<link|<img|\bsrc=|url\((?!#)|https?://", html)
    files = {str(p.relative_to(release.path)) for p in release.path.rglob("*") if p.is_file()} - {
        "report.html"
    }
    assert set(re.findall(r'<a href="([^"]+)"', html)) == files
    for indicator in ("child_referrals", "uk_national_share_of_child_referrals", "returns_on_time_share"):
        assert f'<section id="{indicator}">' in html
    # it opens with what the release is: the period, the NRM release it uses, where its date is, who to ask
    assert re.search(r"<dt>Period covered</dt><dd>\d{4}-Q\d to \d{4}-Q\d</dd>", html)
    assert "<dt>NRM statistics used</dt><dd>nrm-2025-q3" in html and "<dt>Contact</dt>" in html
    assert html.index('<dl class="masthead">') < html.index('id="key-findings"')
    # the catalogue's caveats travel with the charts
    assert "Caveats: Before 2019 criminal exploitation was" in html
    # what let the release through, suite by suite, with the links to GX's results
    assert '<h2 id="quality">Quality checks</h2>' in html and 'href="quality/data_docs/index.html"' in html
    for suite, status in (
        ("indicator_years", "passed"),
        ("publication_indicators", "passed"),
        ("nrm_published_totals", "warnings"),  # the real 2023 Q4 first-responder tables: 1,944 of 1,945
    ):
        assert f"<tr><td>{suite}</td><td>{status}</td>" in html
        assert f'<a href="quality/data_docs/{suite}.html">Data Docs</a>' in html
    assert (
        "first responders: child referrals against Table 2, nrm-2023-q4 2023-Q4 child: published 1945, "
        "parts sum to 1944" in html
    )


def _line(values: list[float | None], unit: str = "count", shown: str = "[c]") -> str:
    periods = [f"2023-Q{i}" for i in range(1, len(values) + 1)]
    points = [Point(p, v, shown if v is None else f"{v:g}") for p, v in zip(periods, values, strict=True)]
    return line_chart("t", "heading", "United Kingdom, by quarter", points, unit)


def _svg_texts(html: str, role: str) -> list[str]:
    """The texts Vega drew in one role, e.g. 'role-axis-label'."""
    groups = re.findall(rf'class="mark-text {role}"[^>]*>(.*?)</g>', html, re.S)
    return [t for g in groups for t in re.findall(r"<text[^>]*>([^<]*)</text>", g)]


def test_a_suppressed_point_is_a_gap_not_a_zero():
    html = _line([10.0, None, 12.0, 11.0])
    line = re.search(r'class="mark-line[^"]*"[^>]*>.*?<path[^>]*\sd="([^"]+)"', html, re.S).group(1)
    assert line.count("M") == 2  # the line breaks at the gap: two runs, never a dip to 0
    assert html.count('class="mark-symbol') == 1 and html.count("A2.646") == 3 * 2  # three points drawn
    assert "Gaps in the line: 2023-Q2 [c]" in html
    assert "<tr><td>2023-Q2</td><td>[c]</td></tr>" in html  # the figures beside the chart


def test_runs_of_missing_periods_are_named_once():
    html = _line([None, None, None, 4.0, 5.0, None], shown="[x]")
    assert "Gaps in the line: 2023-Q1 to 2023-Q3 [x]; 2023-Q6 [x]" in html


@pytest.mark.parametrize(
    ("values", "unit", "labels", "title"),
    [
        ([0.0, 0.0], "ratio", {"0%"}, "Share (%)"),  # an all-zero share was once labelled 91% (max)
        ([10.0, 40.0], "count", {"0", "10", "20", "30", "40"}, "Number"),
        ([1500.0, 2400.0], "count", {"0", "500", "1,000", "1,500", "2,000"}, "Number"),
        ([0.25, 0.5], "ratio", {"0%", "10%", "20%", "30%", "40%", "50%"}, "Share (%)"),
        (
            [13.6, 12.1],
            "per_100k",
            {"0.0", "2.0", "4.0", "6.0", "8.0", "10.0", "12.0", "14.0"},
            "Rate per 100,000",
        ),
    ],
)
def test_the_y_axis_has_ticks_in_the_unit_from_zero(values, unit, labels, title):
    html = _line(values, unit)
    ticks = set(_svg_texts(html, "role-axis-label")) - {f"2023-Q{i}" for i in range(1, 9)}
    assert labels <= ticks and not {
        t for t in ticks if t.endswith("%") and t not in labels and unit == "ratio"
    }
    assert title in _svg_texts(html, "role-axis-title")


def test_many_quarters_are_labelled_by_year_and_never_overlap():
    points = [Point(f"{2009 + i // 4}-Q{i % 4 + 1}", float(i), str(i)) for i in range(66)]
    html = line_chart("t", "heading", "sub", points, "count")
    labels = [t for t in _svg_texts(html, "role-axis-label") if t.isdigit() and len(t) == 4]
    assert labels and all(int(b) - int(a) >= 1 for a, b in zip(labels, labels[1:], strict=False))
    assert "2023-Q12023-Q4" not in html and not any("-Q" in t for t in _svg_texts(html, "role-axis-label"))


@pytest.mark.parametrize(
    ("values", "unit", "heading"),
    [
        ([1000, 1, 2, 3, 1200], "count", "Children: 1,200 in 2023-Q5, up 20% on 2023-Q1 (1,000)"),
        (
            [0.5, 1, 1, 1, 0.47],
            "ratio",
            "Children: 47% in 2023-Q5, down 3 percentage points on 2023-Q1 (50%)",
        ),
        ([None, 1, 1, 1, 7], "count", "Children: 7 in 2023-Q5"),  # a year earlier suppressed: no comparison
        ([1, 2, None], "count", "Children: 2 in 2023-Q2"),
    ],
)
def test_a_chart_heading_states_its_finding_from_the_figures_drawn(values, unit, heading):
    from publish.charts import format_value

    points = [
        Point(f"2023-Q{i}", v, "[c]" if v is None else format_value(v, unit)) for i, v in enumerate(values, 1)
    ]
    assert trend_heading("Children", points, unit) == heading


def test_breakdowns_are_grouped_by_family_with_human_labels():
    bars = [
        Bar("Gender", "Female", 0.43, "43%"),
        Bar("Gender", "Male", None, "[c]"),
        Bar("First responder", "Local authority", 0.5, "50%"),
    ]
    html = bar_chart("b", "heading", "sub", bars, "ratio")
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", html)
    assert {"Female", "Male", "Local authority", "Gender", "First responder"} <= set(texts)
    assert texts.index("Gender") < texts.index("First responder")  # families in the order given
    assert "female" not in texts and "local_authority" not in html
    assert "[c]" in texts and "43%" in texts  # a suppressed bar is labelled, not drawn as zero
    assert "<tr><td>Gender: Male</td><td>[c]</td></tr>" in html


def _chromium(page: Path, screenshot: Path) -> subprocess.CompletedProcess:
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium renders the report: make test installs it"
    return subprocess.run(
        [
            chromium,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile_dir('chromium')}",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1200,2400",
            f"--screenshot={screenshot}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _console_errors(stderr: str) -> list[str]:
    return [
        line
        for line in stderr.splitlines()
        if "CONSOLE" in line and ("error" in line.lower() or "Uncaught" in line)
    ]


def test_the_report_renders_in_headless_chromium_with_its_charts_and_no_console_errors(release, tmp_path):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTEFACTS / "report.png"
    screenshot.unlink(missing_ok=True)

    run = _chromium(release.path / "report.html", screenshot)

    assert run.returncode == 0, run.stderr[-2000:]
    assert _console_errors(run.stderr) == []
    rendered = run.stdout  # the DOM after the page loaded
    assert rendered.count('<svg class="chart line"') >= 10 and '<svg class="chart bars"' in rendered
    # headline indicators first, each chart under a heading stating its finding
    sections = re.findall(r'<section id="([a-z0-9_]+)">', rendered)
    sections = [s for s in sections if s != "maps"]
    assert sections[:3] == ["child_referrals", "child_referral_rate_per_100k", "child_share_of_referrals"]
    assert re.search(
        r"<h3>Child NRM referrals: [\d,]+ in 2023-Q4, (up|down) \d+% on 2022-Q4 \([\d,]+\)</h3>", rendered
    ) or ("<h3>Child NRM referrals: 1,945 in 2023-Q4, about the same as in 2022-Q4 (1,939)</h3>" in rendered)
    assert rendered.count('<svg class="map"') == 4 and rendered.count('class="area"') > 300
    # the maps on their own, for a person to look at
    maps_page = tmp_path / "maps.html"
    page = (release.path / "report.html").read_text(encoding="utf-8")
    start, end = (
        page.index('<section id="maps">'),
        page.index("</section>", page.index('<section id="maps">')),
    )
    maps_page.write_text(page[: page.index("<body>") + 6] + page[start:end] + "</section></body></html>")
    maps = _chromium(maps_page, ARTEFACTS / "report-maps.png")
    assert maps.returncode == 0 and _console_errors(maps.stderr) == []
    assert (ARTEFACTS / "report-maps.png").stat().st_size > 50_000
    assert screenshot.stat().st_size > 20_000  # kept in var/test-artefacts/ for a person to look at


def test_the_maps_draw_every_area_with_its_published_figure(release):
    """Four maps (force areas twice, councils twice), each area of the published rows drawn once,
    its title saying its figure; suppressed areas hatched; the legend's classes cover the figures."""
    import csv

    from publish.report_maps import MAPS

    html = (release.path / "report.html").read_text(encoding="utf-8")
    maps = re.findall(r'<svg class="map".*?</svg>', html, flags=re.S)
    assert len(maps) == len(MAPS) == 4
    with (release.path / "indicators.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for svg, (indicator, layer, unit) in zip(maps, MAPS, strict=True):
        period = re.search(r"(\d{4}-\d{2}) \(April to March\)", svg).group(1)
        expected = {
            r["area_code"]: r["value"]
            for r in rows
            if r["indicator_id"] == indicator
            and r["period_label"] == period
            and (r["area_code"].startswith("E23") or r["area_code"].startswith("W15"))
            == (layer == "force_areas")
            and r["area_code"][:3] != "E92"
        }
        drawn = dict(
            re.findall(r'data-area="([^"]+)" fill="[^"]+" d="[^"]+"><title>[^:]*: ([^<]+)</title>', svg)
        )
        assert set(drawn) == set(expected), (indicator, set(expected) ^ set(drawn))
        for code, value in expected.items():
            if value == "[c]":
                assert drawn[code] == "suppressed [c]"
            elif value in ("[x]", "[z]"):
                assert drawn[code] == "no figure"
            else:
                assert drawn[code].endswith(unit) and float(
                    drawn[code].split()[0].replace(",", "")
                ) == pytest.approx(float(value), abs=0.051)  # shown to one or two decimals
        assert f'<text class="legend-title" x="0" y="12">{unit}</text>' in svg
    assert "suppressed [c]" in maps[3]  # the DfE suppresses some councils' trafficking figures
    assert html.count('<table class="sortable">') == 4


def test_the_report_opens_with_key_findings_whose_figures_are_the_published_ones(release):
    import csv

    from publish.findings import key_findings

    html = (release.path / "report.html").read_text(encoding="utf-8")
    with (release.path / "indicators.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    findings = key_findings(rows)
    assert len(findings) >= 4  # NRM year, child share, newest quarter, offences, CCE: all in the sample
    table = {(r["indicator_id"], r["period_label"], r["area_code"], r["breakdown"]): r for r in rows}
    for finding in findings:
        assert f"<li>{finding.sentence}</li>" in html.replace("&#x27;", "'")
        for figure in finding.figures:
            published = float(
                table[(figure.indicator_id, figure.period_label, figure.area_code, figure.breakdown)][
                    figure.field
                ]
            )
            shown = float(figure.shown.rstrip("%").replace(",", ""))
            expected = round(published * 100) if figure.shown.endswith("%") else published
            assert shown == pytest.approx(expected, abs=0.051), (finding.sentence, figure)
    # the bulletin's order: findings and maps first, the files and the quality checks at the end
    assert html.index('id="key-findings"') < html.index('id="maps"') < html.index('id="child_referrals"')
    assert (
        html.index('id="child_referrals"')
        < html.index('<h2 id="quality">')
        < html.index("Files in this release")
    )
    assert "7,432 children were referred to the NRM in 2023" in html  # the real figure


def test_the_console_check_catches_a_page_that_errs(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html><body><script>undefinedFunction();</script></body></html>")
    run = _chromium(page, tmp_path / "broken.png")
    assert _console_errors(run.stderr), run.stderr[-2000:]


def test_the_data_docs_in_the_release_read_offline_in_headless_chromium(release):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for page in ("index.html", "publication_indicators.html"):
        path = release.path / "quality" / "data_docs" / page
        text = path.read_text()
        assert not re.search(r"<script|https?://", text)  # nothing fetched, nothing run
        # no clutter: GX's placeholders for what a release does not have, no dead controls
        assert not re.search(r"__none__|Data asset: None|&lt;DATAFRAME&gt;|Show more info", text), page
        assert 'href="../../report.html"' in text  # back to the release's report

        run = _chromium(path, ARTEFACTS / f"data-docs-{page.removesuffix('.html')}.png")

        assert run.returncode == 0, run.stderr[-2000:]
        assert _console_errors(run.stderr) == []
    dom = run.stdout
    assert "Expectation Validation Result" in dom and "publication_indicators" in dom
    assert "numerator" in dom and "Run Name" in dom


def test_the_report_template_escapes_every_value_and_keeps_the_charts_drawn():
    from markupsafe import Markup

    from publish.pages import render_page
    from publish.report import IndicatorSection, QualityDigest

    section = IndicatorSection(
        "child_referrals",
        "Referrals <b>bold</b>",
        'Children\'s "referrals" & more',
        "2019-Q1",
        "<script>alert(1)</script>",
        False,
        [Markup('<figure id="c"><svg class="chart"></svg></figure>')],
    )
    page = render_page(
        "report.html",
        release_id="2024-q1-<i>",
        covered="2023-Q4 to 2024-Q1",
        masthead=[("Contact", "a@b.example & <c>")],
        findings=[],
        maps=[],
        sections=[section],
        notes=["<note>"],
        quality=QualityDigest([], []),
        files=['x" onclick="y'],
    )
    assert "<b>" not in page and "<script>alert" not in page and "<note>" not in page and "<i>" not in page
    assert "<h2>Referrals &lt;b&gt;bold&lt;/b&gt;</h2>" in page
    # escaped as html.escape escapes (as the pages always were), so no published page changed
    assert "<p>Children&#x27;s &quot;referrals&quot; &amp; more. <code>child_referrals</code>" in page
    assert '<a href="x&quot; onclick=&quot;y">' in page
    assert '<figure id="c"><svg class="chart"></svg></figure>' in page  # our own markup, as drawn
    assert "<p>No warnings.</p>" in page and page.endswith("</script></body></html>\n")
