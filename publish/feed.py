"""The list of releases a monitoring group subscribes to: `published/releases.json` (the record),
`published/feed.xml` (Atom) and `published/index.html`, rewritten after each new release.

Each release is listed once, newest first, with when it was published, the period it covers, its
key findings (the report's, from the published rows) and links to its report, spreadsheet and data
package. Every file is written beside its final name and renamed into place, so a reader never sees
half a feed. The release directories themselves never change.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

from publish.findings import key_findings
from publish.pages import render_page

RELEASES_FILE, FEED_FILE, INDEX_FILE = "releases.json", "feed.xml", "index.html"
TITLE = "UK child trafficking prevention indicators: releases"


def release_entry(release_dir: Path, published_at: datetime) -> dict:
    """What the feed says about one release, from its own published files."""
    with (release_dir / "indicators.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    quarters = sorted({r["period_label"] for r in rows if r["period_type"] == "quarter"})
    return {
        "release_id": release_dir.name,
        "published_at": published_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "period": f"{quarters[0]} to {quarters[-1]}" if quarters else "",
        "key_findings": [finding.sentence for finding in key_findings(rows)],
        "links": {
            "report": f"{release_dir.name}/report.html",
            "spreadsheet": f"{release_dir.name}/child-trafficking-indicators.ods",
            "data_package": f"{release_dir.name}/datapackage.json",
            "indicators": f"{release_dir.name}/indicators.csv",
        },
    }


def record_release(published_dir: Path, release_id: str, *, now: datetime | None = None) -> dict:
    """Add a new release to the list (once: a release already listed keeps its entry) and rewrite
    the three files. Returns the release's entry."""
    releases = read_releases(published_dir)
    listed = {entry["release_id"]: entry for entry in releases}
    if release_id not in listed:
        entry = release_entry(published_dir / release_id, now or datetime.now(UTC))
        releases = [entry, *releases]
        listed[release_id] = entry
    releases.sort(key=lambda e: (e["published_at"], e["release_id"]), reverse=True)
    _write(published_dir / RELEASES_FILE, json.dumps({"releases": releases}, indent=2, sort_keys=True) + "\n")
    _write(published_dir / FEED_FILE, atom_feed(releases))
    _write(published_dir / INDEX_FILE, index_page(releases))
    return listed[release_id]


def read_releases(published_dir: Path) -> list[dict]:
    path = published_dir / RELEASES_FILE
    return json.loads(path.read_text(encoding="utf-8"))["releases"] if path.is_file() else []


def _write(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def atom_feed(releases: list[dict]) -> str:
    """An Atom 1.0 feed (RFC 4287); links are relative to the feed (published/)."""
    updated = releases[0]["published_at"] if releases else "1970-01-01T00:00:00Z"
    return render_page("feed.xml", title=TITLE, updated=updated, feed_file=FEED_FILE, releases=releases)


def index_page(releases: list[dict]) -> str:
    return render_page(
        "index.html", title=TITLE, feed_file=FEED_FILE, releases_file=RELEASES_FILE, releases=releases
    )
