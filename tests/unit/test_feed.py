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


def test_text_in_the_feed_and_the_index_is_escaped_and_the_entry_content_is_html_as_text():
    from publish.feed import atom_feed, index_page

    entry = {
        "release_id": "2024-q1-<b>",
        "published_at": "2026-04-02T09:30:00Z",
        "period": "2023-Q4 to 2024-Q1",
        "key_findings": ['Children\'s "share" <script>alert(1)</script> & more'],
        "links": {
            "report": "r.html?a=1&b=2",
            "spreadsheet": "s.ods",
            "data_package": "d.json",
            "indicators": "i.csv",
        },
    }
    atom = ET.fromstring(atom_feed([entry]))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    (parsed,) = atom.findall("a:entry", ns)
    assert parsed.find("a:title", ns).text == "Release 2024-q1-<b> (2023-Q4 to 2024-Q1)"
    assert parsed.find("a:link[@rel='alternate']", ns).get("href") == "r.html?a=1&b=2"
    # the content is HTML given as text: once parsed, the finding is escaped in it, as in a page
    assert parsed.find("a:content", ns).text == (
        "<p>Period covered: 2023-Q4 to 2024-Q1.</p><ul><li>Children&#x27;s &quot;share&quot; "
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</li></ul>"
    )
    index = index_page([entry])
    assert "<script>" not in index and "<b>" not in index
    assert "<h2>Release 2024-q1-&lt;b&gt;</h2>" in index and 'href="r.html?a=1&amp;b=2"' in index
    assert index.endswith("</body></html>\n") and "\n" not in index.removesuffix("\n")
