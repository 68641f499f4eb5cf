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
from html import escape
from pathlib import Path

from publish.findings import key_findings

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
    entries = []
    for entry in releases:
        findings = "".join(f"<li>{escape(s)}</li>" for s in entry["key_findings"])
        content = f"<p>Period covered: {escape(entry['period'])}.</p><ul>{findings}</ul>"
        entries.append(
            "  <entry>\n"
            f"    <title>Release {escape(entry['release_id'])} ({escape(entry['period'])})</title>\n"
            f"    <id>urn:ctm:release:{escape(entry['release_id'])}</id>\n"
            f"    <updated>{entry['published_at']}</updated>\n"
            f'    <link rel="alternate" type="text/html" href="{escape(entry["links"]["report"])}"/>\n'
            f'    <link rel="enclosure" type="application/vnd.oasis.opendocument.spreadsheet" '
            f'href="{escape(entry["links"]["spreadsheet"])}"/>\n'
            f'    <content type="html">{escape(content)}</content>\n'
            "  </entry>\n"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"  <title>{escape(TITLE)}</title>\n"
        "  <id>urn:ctm:releases</id>\n"
        f"  <updated>{updated}</updated>\n"
        "  <author><name>child-trafficking-monitor</name></author>\n"
        '  <link rel="self" href="feed.xml"/>\n' + "".join(entries) + "</feed>\n"
    )


def index_page(releases: list[dict]) -> str:
    items = []
    for entry in releases:
        links = entry["links"]
        findings = "".join(f"<li>{escape(s)}</li>" for s in entry["key_findings"])
        items.append(
            f"<section><h2>Release {escape(entry['release_id'])}</h2>"
            f"<p>Published {escape(entry['published_at'])}; covers {escape(entry['period'])}. "
            f'<a href="{escape(links["report"])}">Report</a>, '
            f'<a href="{escape(links["spreadsheet"])}">spreadsheet</a>, '
            f'<a href="{escape(links["data_package"])}">data package</a>.</p><ul>{findings}</ul></section>'
        )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<title>{escape(TITLE)}</title><link rel="alternate" type="application/atom+xml" href="{FEED_FILE}">'
        "</head><body>"
        f'<h1>{escape(TITLE)}</h1><p>Newest first. Subscribe to <a href="{FEED_FILE}">the Atom feed</a> '
        f'or read <a href="{RELEASES_FILE}">releases.json</a>.</p>' + "".join(items) + "</body></html>\n"
    )
