"""report.html: self-contained, drawn from the published (disclosure-controlled) rows, and it renders
in a real browser (Debian's headless Chromium) with no console errors and its charts present."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from expectations.validate import read_gate_frames, validate_frames
from pipeline.settings import REPO_ROOT
from publish.release import publish_release
from publish.report import line_chart

ARTEFACTS = REPO_ROOT / "var" / "test-artefacts"


@pytest.fixture(scope="module")
def release(built_home, tmp_path_factory):
    gate = validate_frames(read_gate_frames(built_home)).write(tmp_path_factory.mktemp("gate"))
    return publish_release(built_home, gate)


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


def test_a_suppressed_point_is_a_gap_not_a_zero():
    svg = line_chart(
        "t", [("2023-Q1", 10.0), ("2023-Q2", None), ("2023-Q3", 12.0), ("2023-Q4", 11.0)], "count"
    )
    assert svg.count("<polyline") == 2 and svg.count("<circle") == 3


@pytest.mark.parametrize(
    ("points", "unit", "label"),
    [
        ([("2024-Q2", 0.0), ("2024-Q3", 0.0)], "ratio", "0% (max)"),  # was printed as 91% (max)
        ([("2023-Q1", 10.0), ("2023-Q2", 40.0)], "count", "40 (max)"),
    ],
)
def test_the_axis_states_the_highest_value_shown(points, unit, label):
    svg = line_chart("t", points, unit)
    assert f'class="tick">{label}</text>' in svg, svg


def _chromium(page: Path, screenshot: Path) -> subprocess.CompletedProcess:
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium renders the report: make test installs it"
    profile = tempfile.mkdtemp(prefix="ctm-chromium-")
    try:
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
                f"--user-data-dir={profile}",
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
    finally:
        shutil.rmtree(profile, ignore_errors=True)


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

    from publish.report import MAPS

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
