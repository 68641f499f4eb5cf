"""The list of releases people subscribe to: releases.json, an Atom feed.xml and index.html under
published/, rewritten whole after each new release, newest first, each release once."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from publish.feed import FEED_FILE, INDEX_FILE, RELEASES_FILE, record_release

HEADER = "indicator_id,period_type,period_label,period_start_date,area_code,area_name,breakdown,numerator,denominator,value,unit,source_vintage,is_provisional\n"


def _release(published, release_id: str, children: int) -> None:
    directory = published / release_id
    directory.mkdir(parents=True)
    (directory / "indicators.csv").write_text(
        HEADER
        + f"child_referrals,year,2023,2023-01-01,K02000001,United Kingdom,all,{children},[z],{children},count,v,true\n"
        + "child_referrals,year,2022,2022-01-01,K02000001,United Kingdom,all,4000,[z],4000,count,v,false\n"
        + f"child_referrals,quarter,2023-Q4,2023-10-01,K02000001,United Kingdom,all,{children // 4},[z],{children // 4},count,v,true\n"
    )


def test_each_new_release_is_listed_once_newest_first_in_json_atom_and_html(tmp_path):
    published = tmp_path / "published"
    _release(published, "2023-q4-aaaa", 5000)
    record_release(published, "2023-q4-aaaa", now=datetime(2026, 1, 2, 9, 30, tzinfo=UTC))
    _release(published, "2024-q1-bbbb", 6000)
    entry = record_release(published, "2024-q1-bbbb", now=datetime(2026, 4, 2, 9, 30, tzinfo=UTC))
    record_release(published, "2024-q1-bbbb", now=datetime(2026, 5, 1, tzinfo=UTC))  # again: listed once

    releases = json.loads((published / RELEASES_FILE).read_text())["releases"]
    assert [r["release_id"] for r in releases] == ["2024-q1-bbbb", "2023-q4-aaaa"]
    assert releases[0] == entry and entry["published_at"] == "2026-04-02T09:30:00Z"
    assert entry["period"] == "2023-Q4 to 2023-Q4"
    assert entry["key_findings"][0].startswith(
        "6,000 children were referred to the NRM in 2023, up 50.0% on 2022"
    )
    assert entry["links"]["report"] == "2024-q1-bbbb/report.html"

    atom = ET.fromstring((published / FEED_FILE).read_text())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert atom.find("a:updated", ns).text == "2026-04-02T09:30:00Z"
    assert [e.find("a:id", ns).text for e in atom.findall("a:entry", ns)] == [
        "urn:ctm:release:2024-q1-bbbb",
        "urn:ctm:release:2023-q4-aaaa",
    ]
    index = (published / INDEX_FILE).read_text()
    assert index.index("2024-q1-bbbb") < index.index("2023-q4-aaaa") and 'href="feed.xml"' in index
    assert not list(published.glob(".*.part"))  # written beside, renamed into place
