"""quality/ in a release: the gate's summary, GX's result and Data Docs page for every suite the
release passed (the gate's and the publication checks'), and the Data Docs index."""

from __future__ import annotations

import shutil
from pathlib import Path

from expectations.docs import (
    DATA_DOCS,
    RELEASE_INTRO,
    VALIDATIONS,
    link_release_report,
    suite_statuses,
    write_index,
)
from expectations.results import SUMMARY_FILE, GateResult
from publish.package import Resource, add_file

QUALITY_DIR = "quality"


def write_quality(directory: Path, gate_dir: Path, quality_summary: bytes, publication: GateResult) -> dict:
    """Step: quality/, and the status of every suite in it (for the report)."""
    quality_dir = directory / QUALITY_DIR
    quality_dir.mkdir(parents=True)
    (quality_dir / SUMMARY_FILE).write_bytes(quality_summary)
    for folder in (VALIDATIONS, DATA_DOCS):
        if (gate_dir / folder).is_dir():
            shutil.copytree(
                gate_dir / folder, quality_dir / folder, ignore=shutil.ignore_patterns("index.html")
            )
    publication.write_validations(quality_dir)
    for page in (quality_dir / DATA_DOCS).glob("*.html"):
        page.write_text(link_release_report(page.read_text(encoding="utf-8")), encoding="utf-8")
    write_index(quality_dir, "Quality results of this release", RELEASE_INTRO)
    paths = sorted(str(p.relative_to(directory)) for p in quality_dir.rglob("*") if p.is_file())
    return {
        "quality_files": [_quality_resource(directory, path) for path in paths],
        "suites": suite_statuses(quality_dir),
    }


def _quality_resource(directory: Path, path: str) -> Resource:
    json_file = path.endswith(".json")
    return add_file(
        directory,
        path,
        (directory / path).read_bytes(),
        _quality_title(path),
        "json" if json_file else "html",
        "application/json" if json_file else "text/html",
        type="file",
        name="quality-validation-summary" if path.endswith(SUMMARY_FILE) else None,
    )


def _quality_title(path: str) -> str:
    if path.endswith(SUMMARY_FILE):
        return "The quality-gate results that let this release through (every expectation, and the warnings)"
    if path.endswith("index.html"):
        return "Data Docs: every validation suite this release passed, with links to each result"
    kind = "Great Expectations result (JSON)" if path.endswith(".json") else "Data Docs page"
    return f"{kind} of the suite {Path(path).stem}"
