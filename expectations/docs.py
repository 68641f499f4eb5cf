"""The validation results that let a release through, as files that ship inside it.

Each suite's result is kept twice: as GX's JSON (`validations/<suite>.json`) and as a GX Data Docs
page (`data_docs/<suite>.html`, rendered by GX's own page renderer), with an index of every suite.
A release must be byte-identical when rebuilt from the same inputs, so what GX stamps with the
clock or a random id is made stable: run times are left out, element ids are numbered in order,
and expectation ids are dropped.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from functools import cache
from itertools import count
from pathlib import Path

RUN_NAME = "quality-gate"
VALIDATIONS = "validations"
DATA_DOCS = "data_docs"
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_CACHE_BUSTER = re.compile(r"\?d=\d{8}T\d{6}\.\d+Z")
# GX writes links for its own site layout (validations/<suite>/<run>/<time>/<batch>.html); here every
# page sits beside the index, and a suite's definition is in its result JSON.
_SITE_LINKS = (
    (re.compile(r'href="(?:\.\./)+index\.html"'), 'href="index.html"'),
    (re.compile(r'href="(?:\.\./)+expectations/([^"/]+)\.html"'), rf'href="../{VALIDATIONS}/\1.json"'),
    (re.compile(r"<link[^>]*favicon[^>]*>\s*"), ""),
)
# GX's pages load Bootstrap, jQuery and Font Awesome from public CDNs; a release must read with no
# network (monitoring groups download it), so those go, with the scripts that need them (the
# show/hide filter, the walkthrough pop-up), and a small stylesheet takes Bootstrap's place.
_OFFLINE = (
    (re.compile(r"<link[^>]*href=\"https?://[^>]*>\s*"), ""),
    (re.compile(r"<script\b.*?</script>\s*", re.DOTALL), ""),
    (re.compile(r"<img[^>]*src=\"https?://[^>]*>", re.DOTALL), "Great Expectations"),
    (re.compile(r"<footer>.*?</footer>\s*", re.DOTALL), ""),
    (re.compile(r"url\('https?://[^)]*'\)"), "none"),
    (
        re.compile(
            r'<div class="card mb-3">\s*<div class="card-header p-2">\s*<strong>Actions</strong>.*?Failed Only\s*</label>\s*</div>\s*</div>\s*</div>\s*</div>\s*</div>',
            re.DOTALL,
        ),
        "",
    ),
)
# What GX writes that means nothing here: a run without a time (kept out so pages are
# reproducible) shows '__none__', the pandas frame shows as 'Data asset: None' and '<DATAFRAME>',
# and the 'Show more info' link needs the scripts a release cannot load (its content is shown).
_CLUTTER = (
    (re.compile(r" / __none__</li>"), "</li>"),
    (
        re.compile(r'(<div class="show-scrollbars">)__none__(</div>)'),
        r"\1not recorded (pages are reproducible)\2",
    ),
    (re.compile(r" Data asset: None<br>"), ""),
    (re.compile(r"&lt;DATAFRAME&gt;"), "the table as read from the warehouse"),
    (
        re.compile(
            r'<p class="m-0">\s*<a data-toggle="collapse"[^>]*>\s*Show more info\.\.\.\s*</a>\s*</p>\s*'
        ),
        "",
    ),
)
_OFFLINE_CSS = """<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; margin: 1.5rem; color: #0b0c0c; }
.row { display: flex; flex-wrap: wrap; gap: 1.5rem; } .row > div { min-width: 0; }
nav ol, nav ul { list-style: none; padding-left: 0; } .breadcrumb-item { display: inline; }
.breadcrumb-item + .breadcrumb-item::before { content: " / "; }
.card { border: 1px solid #b1b4b6; margin-bottom: 1rem; } .card-header { background: #f3f2f1; padding: .4rem .6rem; }
.card-body { padding: .4rem .6rem; } .collapse { display: block; }
table { border-collapse: collapse; margin: .5rem 0; } td, th { border-bottom: 1px solid #b1b4b6; padding: .25rem .6rem; text-align: left; vertical-align: top; }
.alert { border-left: 4px solid #b1b4b6; padding: .2rem .6rem; margin: .5rem 0; }
.text-success { color: #00703c; } .text-danger { color: #d4351c; }
.fa-check-circle::before { content: "\\2714"; } .fa-times::before { content: "\\2718"; }
.badge { background: #f3f2f1; padding: 0 .3rem; }
</style>
"""
# Meta entries GX fills with the clock or a run's identity.
_TIMED_META = ("run_id", "validation_time", "batch_markers", "checkpoint_id", "validation_id")


def stable_result(result) -> None:
    """Strip what changes from run to run off a GX ExpectationSuiteValidationResult, in place."""
    for key in _TIMED_META:
        result.meta.pop(key, None)
    result.meta["run_id"] = {"run_name": RUN_NAME, "run_time": None}
    for item in result.results:
        item.expectation_config.id = None


def result_json(result) -> bytes:
    document = result.to_json_dict()
    for item in document.get("results", []):
        item.get("expectation_config", {}).pop("id", None)
    return (json.dumps(document, indent=2, sort_keys=True, default=str) + "\n").encode("utf-8")


@cache
def _page_view():
    """One view for every page: it keeps the templates it compiled (a new view compiles them all
    again, ~0.1 s a page)."""
    from great_expectations.render.view import DefaultJinjaPageView

    return DefaultJinjaPageView()


def render_page(result) -> bytes:
    """GX's Data Docs page for one validation result, made reproducible and readable offline."""
    from great_expectations.render.renderer.page_renderer import ValidationResultsPageRenderer

    page = _page_view().render(ValidationResultsPageRenderer().render(result))
    numbers: dict[str, str] = {}
    counter = count(1)
    page = _UUID.sub(lambda m: numbers.setdefault(m.group(0), f"element-{next(counter)}"), page)
    page = _CACHE_BUSTER.sub("", page)
    for pattern, replacement in (*_SITE_LINKS, *_OFFLINE, *_CLUTTER):
        page = pattern.sub(replacement, page)
    return page.replace("</head>", _OFFLINE_CSS + "</head>", 1).encode("utf-8")


REPORT_LINK = (
    '<li class="ge-breadcrumbs-item breadcrumb-item"><a href="../../report.html">Release report</a></li>'
)
_HOME = '<li class="ge-breadcrumbs-item breadcrumb-item"><a href="index.html">Home</a></li>'


def link_release_report(page: str) -> str:
    """A Data Docs page as a release ships it: its breadcrumb starts at the release's report."""
    return page.replace(_HOME, REPORT_LINK + _HOME, 1)


def write_validation(quality_dir: Path, name: str, result) -> None:
    """`validations/<name>.json` and `data_docs/<name>.html` for one suite's result."""
    stable_result(result)
    (quality_dir / VALIDATIONS).mkdir(parents=True, exist_ok=True)
    (quality_dir / DATA_DOCS).mkdir(parents=True, exist_ok=True)
    (quality_dir / VALIDATIONS / f"{name}.json").write_bytes(result_json(result))
    (quality_dir / DATA_DOCS / f"{name}.html").write_bytes(render_page(result))


@dataclass(frozen=True)
class SuiteStatus:
    name: str
    status: str  # passed | warnings | held
    evaluated: int
    successful: int
    failed: int

    @property
    def page(self) -> str:
        return f"{DATA_DOCS}/{self.name}.html"

    @property
    def result(self) -> str:
        return f"{VALIDATIONS}/{self.name}.json"


def suite_statuses(quality_dir: Path) -> list[SuiteStatus]:
    """Every validation result under `quality_dir`: passed, passed with warnings, or held."""
    statuses = []
    for path in sorted((quality_dir / VALIDATIONS).glob("*.json")):
        document = json.loads(path.read_text())
        statistics = document.get("statistics", {})
        failed = [item for item in document.get("results", []) if not item.get("success")]
        held = any(item["expectation_config"].get("severity", "critical") == "critical" for item in failed)
        statuses.append(
            SuiteStatus(
                path.stem,
                "held" if held else ("warnings" if failed else "passed"),
                statistics.get("evaluated_expectations", 0),
                statistics.get("successful_expectations", 0),
                len(failed),
            )
        )
    return statuses


GATE_RUN_INTRO = """Every Great Expectations suite of one quality-gate run. A suite <em>held</em> failed a critical
expectation: its page names the expectation and the rows. A suite with <em>warnings</em> failed
only expectations of severity warning."""
RELEASE_INTRO = """Every Great Expectations suite run on this release's data: the marts, their reconciliations and
the published tables. (Each file received was checked by its source's suite when it arrived; a file
that failed was quarantined with a report and is not in this release.) A failed critical
expectation holds a release, so every suite here passed its critical expectations; a suite with
warnings failed only expectations of severity <em>warning</em>, whose figures are on its page.
Back to the <a href="../../report.html">release report</a>."""


def write_index(quality_dir: Path, title: str, intro: str) -> None:
    """`data_docs/index.html`: every validation under `quality_dir`, whether it passed, and a link."""
    rows = [
        f"<tr class='{s.status}'><td><a href='{html.escape(s.name)}.html'>{html.escape(s.name)}</a></td>"
        f"<td>{s.status}</td><td>{s.evaluated}</td><td>{s.successful}</td><td>{s.failed}</td>"
        f"<td><a href='../{html.escape(s.result)}'>JSON</a></td></tr>"
        for s in suite_statuses(quality_dir)
    ]
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; max-width: 60rem; }}
table {{ border-collapse: collapse; }} th, td {{ border: 1px solid #bbb; padding: .3rem .6rem; text-align: left; }}
tr.warnings td:nth-child(2) {{ color: #8a5a00; }} tr.held td:nth-child(2) {{ color: #a00; }}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p>{intro} Each page is GX's Data Docs rendering of the result; the JSON beside it is GX's own.
Run times are left out so that the same inputs give byte-identical files.</p>
<table>
<thead><tr><th>Suite</th><th>Status</th><th>Expectations</th><th>Passed</th><th>Failed</th><th>Result</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</body>
</html>
"""
    (quality_dir / DATA_DOCS).mkdir(parents=True, exist_ok=True)
    (quality_dir / DATA_DOCS / "index.html").write_text(page, encoding="utf-8")
