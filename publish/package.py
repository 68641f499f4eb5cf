"""The release's data package (datapackage.json, Frictionless): every file with its size and
sha256, the schema of every CSV, the licence, the sources and the disclosure policy."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from pipeline.disclosure_policy import DisclosurePolicy
from pipeline.sources import credits

LICENSE = {
    "name": "OGL-UK-3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    "title": "Open Government Licence v3.0",
}
PACKAGE_FILE = "datapackage.json"
# Every publisher the figures come from, from the registry of sources, and the licence they share.
SOURCE_ATTRIBUTION = (
    f"Sources: {'; '.join(credits())}. "
    "Contains public sector information licensed under the Open Government Licence v3.0."
)


Resource = dict  # one file of the release as datapackage.json lists it


def add_file(
    directory: Path, path: str, content: bytes, title: str, format_: str, mediatype: str, **extra
) -> Resource:
    """Write one file of the release and describe it as a resource, with its size and sha256."""
    (directory / path).parent.mkdir(parents=True, exist_ok=True)
    (directory / path).write_bytes(content)
    name = extra.pop("name", None) or re.sub(r"[^a-z0-9]+", "-", path.lower().removesuffix(".csv")).strip("-")
    return {
        "name": name,
        "path": path,
        "title": title,
        **extra,
        "format": format_,
        "mediatype": mediatype,
        "bytes": len(content),
        "hash": f"sha256:{hashlib.sha256(content).hexdigest()}",
    }


def write_package(
    directory: Path,
    release_id: str,
    policy: DisclosurePolicy,
    source_vintages: list[str],
    resources: list[Resource],
) -> None:
    """datapackage.json: the release and every file in it, in the order given."""
    package = {
        "name": f"child-trafficking-monitor-{release_id}",
        "id": release_id,
        "title": f"UK child trafficking prevention indicators, release {release_id}",
        "description": (
            "Prevention-strategy indicators computed by child-trafficking-monitor. "
            f"{policy.describe()} disclosure_log.csv lists every suppressed cell."
        ),
        "version": release_id,
        "licenses": [LICENSE],
        "sources": [{"title": SOURCE_ATTRIBUTION}],
        "source_vintages": source_vintages,
        "disclosure_control": policy.as_record(),
        "resources": resources,
    }
    (directory / PACKAGE_FILE).write_text(json.dumps(package, indent=2) + "\n", encoding="utf-8")
