"""Release bundles: the marts, disclosure-controlled, as files anyone can open, load and check.

A bundle is written into a temporary directory beside `published/`, checked, then renamed into
`published/<release_id>/` in one step, and `published/latest` is switched to it last. The release
id is derived from the content, so the same marts give the same id and byte-identical files, and
a published release is never changed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from expectations.docs import suite_statuses
from expectations.validate import SUMMARY_FILE, ExpectationOutcome, GateResult, run_suites
from pipeline import audit, warehouse
from pipeline.disclosure_policy import DisclosurePolicy
from pipeline.faults import crash_point
from pipeline.settings import Settings
from publish.disclosure import suppress
from publish.formats import Table, parquet_bytes, write_workbook
from publish.relations import (
    COUNT_FIELDS,
    REVISION_FIGURES,
    Definitions,
    derive_relations,
    indicator_cell,
    revision_cell,
)
from publish.report import QualityDigest, render_report

# Shorthand of the Analysis Function, declared as missing values in the data package schema.
SUPPRESSED, NOT_AVAILABLE, NOT_APPLICABLE = "[c]", "[x]", "[z]"
MISSING_VALUES = [SUPPRESSED, NOT_AVAILABLE, NOT_APPLICABLE]
LICENSE = {
    "name": "OGL-UK-3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    "title": "Open Government Licence v3.0",
}
SOURCE_ATTRIBUTION = (
    "Home Office, Modern Slavery: National Referral Mechanism and Duty to Notify statistics UK. "
    "Contains public sector information licensed under the Open Government Licence v3.0."
)

INDICATOR_FIELDS = [
    ("indicator_id", "string", "Indicator id; see indicator_catalogue.csv"),
    ("period_type", "string", "quarter or year (calendar)"),
    ("period_label", "string", "'2023-Q4' for a quarter, '2023' for a year"),
    ("period_start_date", "date", "First day of the period"),
    ("area_code", "string", "ONS area code; K02000001 is the United Kingdom"),
    ("area_name", "string", "Area name"),
    ("breakdown", "string", "Subgroup ('all' for everyone)"),
    ("numerator", "integer", "Count in the numerator ([c] suppressed, [x] not available)"),
    ("denominator", "integer", "Count in the denominator ([z] for count indicators)"),
    ("value", "number", "Indicator value in its unit; a ratio is a fraction from 0 to 1"),
    ("unit", "string", "count, ratio, per_100k or per_10k"),
    ("source_vintage", "string", "The source release the figures come from"),
    ("is_provisional", "boolean", "True for the latest quarter and its year, which may be revised"),
]
CATALOGUE_FIELDS = [
    ("indicator_id", "string", "Indicator id"),
    ("name", "string", "Name"),
    ("definition", "string", "What the indicator measures"),
    ("numerator", "string", "What the numerator counts"),
    ("denominator", "string", "What the denominator counts"),
    ("unit", "string", "Unit of value"),
    ("source", "string", "Source of the figures"),
    ("caveats", "string", "What to know before comparing"),
    ("first_comparable_period", "string", "First period from which the series is comparable"),
]
DISCLOSURE_FIELDS = [
    ("table", "string", "Published table"),
    ("indicator_id", "string", "Indicator id"),
    ("period_label", "string", "Period"),
    ("area_code", "string", "Area"),
    ("breakdown", "string", "Breakdown"),
    ("field", "string", "The suppressed cell's column"),
    ("reason", "string", "Why it was suppressed"),
]

REVISION_FIELDS = [
    ("table", "string", "The NRM table the figure is published in"),
    ("period_label", "string", "'2023-Q1' for a quarter, '2023' for a year's published total"),
    ("column_group", "string", "Upper header label (e.g. the age group); empty for one-row headers"),
    ("column_label", "string", "Column label (e.g. the location or outcome)"),
    ("previous_vintage", "string", "The previous release vintage that published the figure"),
    ("previous_value", "integer", "The figure as published then"),
    ("source_vintage", "string", "This release vintage"),
    ("value", "integer", "The figure as published now"),
    ("change", "integer", "value - previous_value"),
]


@dataclass(frozen=True)
class Release:
    release_id: str
    path: Path
    is_new: bool
    files: list[str]


class PublishError(RuntimeError):
    pass


def _safe_text(value: str) -> str:
    """Neutralise text a spreadsheet would run as a formula (=, +, -, @), leaving numbers alone."""
    if value and value[0] in "=+-@" and not re.fullmatch(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?", value):
        return "'" + value
    return value


def _format(value: object) -> str:
    if value is None:
        return NOT_AVAILABLE
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(value, ".10g")
    if isinstance(value, date):
        return value.isoformat()
    return _safe_text(str(value))


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _period_key(row: dict) -> tuple:
    return (row["indicator_id"], row["period_type"], row["period_label"], row["area_code"], row["breakdown"])


def _cell_label(cell: tuple) -> str:
    if cell[0] == "revisions":
        _, table, period, group, column, field = cell
        return f"{table} {period} {group} / {column} {field}"
    indicator, _, period, _, breakdown, field = cell
    return f"{indicator} {period} {breakdown} {field}"


@dataclass(frozen=True)
class ControlledTables:
    indicators: list[list[str]]
    revisions: list[list[str]]
    log: list[list[str]]


def disclosure_controlled_tables(
    indicators: list[dict], revisions: list[dict], definitions: Definitions, policy: DisclosurePolicy
) -> ControlledTables:
    """The indicators and revisions tables as published, controlled together: every relation the
    definitions give between their cells (see relations.py) is one an intruder can use.

    `revisions`: every figure of the newest vintage; those with `is_revised` are published. For
    the others an intruder knows only that the change is 0 (they are absent because unrevised)."""
    counts, truth, fixed, signed = {}, {}, set(), set()
    for row in indicators:
        for name in COUNT_FIELDS:
            if row[name] is not None:
                counts[indicator_cell(row, name)] = int(row[name])
    for row in revisions:
        for name in REVISION_FIGURES:
            cell = revision_cell(row, name)
            truth[cell] = None if row[name] is None else int(row[name])
            if row["is_revised"]:
                counts[cell] = truth[cell]
        signed.add(revision_cell(row, "change"))
        if not row["is_revised"] and row["previous_value"] is not None:
            counts[revision_cell(row, "change")] = 0
            fixed.add(revision_cell(row, "change"))
    truth.update(counts)
    relations = derive_relations(definitions, indicators, revisions)
    hidden = suppress(
        counts, relations, policy.threshold, label=_cell_label, truth=truth, fixed=fixed, signed=signed
    )

    log = []
    published_indicators = []
    for row in indicators:
        out = dict(row)
        for name in COUNT_FIELDS:
            cell = indicator_cell(row, name)
            if cell in hidden:
                out[name] = SUPPRESSED
                log.append(["indicators", *cell[0:1], cell[2], cell[3], cell[4], name, hidden[cell]])
        if SUPPRESSED in (out["numerator"], out["denominator"]):
            out["value"] = SUPPRESSED
        for name in COUNT_FIELDS:
            if out[name] not in (None, SUPPRESSED):
                out[name] = policy.publish_count(int(out[name]))
        if policy.rounding_base and row["unit"] == "count" and isinstance(out["numerator"], int):
            out["value"] = out["numerator"]  # a count's value is its numerator, rounded alike
        if row["unit"] == "count" and row["denominator"] is None:
            out["denominator"] = NOT_APPLICABLE
        published_indicators.append(
            [v if v in MISSING_VALUES else _format(v) for v in (out[n] for n, _, _ in INDICATOR_FIELDS)]
        )

    published_revisions = []
    for row in revisions:
        if not row["is_revised"]:
            continue
        out = dict(row, table=row["table_key"])
        for name in REVISION_FIGURES:
            cell = revision_cell(row, name)
            if cell in hidden:
                out[name] = SUPPRESSED
                log.append(
                    [
                        "revisions",
                        row["table_key"],
                        row["period_label"],
                        "",
                        f"{row['column_group']} / {row['column_label']}",
                        name,
                        hidden[cell],
                    ]
                )
            elif out[name] is not None:
                out[name] = policy.publish_count(int(out[name]))
        published_revisions.append(
            [v if v in MISSING_VALUES else _format(v) for v in (out[n] for n, _, _ in REVISION_FIELDS)]
        )
    return ControlledTables(published_indicators, published_revisions, log)


def _schema(fields: list[tuple[str, str, str]], primary_key: list[str] | None = None) -> dict:
    schema: dict = {
        "fields": [{"name": n, "type": t, "description": d} for n, t, d in fields],
        "missingValues": ["", *MISSING_VALUES],
    }
    if primary_key:
        schema["primaryKey"] = primary_key
    return schema


def _read_marts(settings: Settings) -> tuple[list[dict], list[dict], list[dict], Definitions]:
    with warehouse.connect(settings.warehouse_path, read_only=True) as con:

        def fetch(query: str) -> list[dict]:
            cursor = con.execute(query)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

        indicators = fetch(
            "select * from marts.mart_prevention_indicators "
            "order by indicator_id, area_code, breakdown, period_type, period_start_date"
        )
        catalogue = fetch("select * from marts.dim_indicator order by indicator_id")
        # every figure of the newest vintage: the revised ones are published, the rest are related to them
        revisions = fetch(
            "select * from marts.mart_nrm_revisions "
            "where source_vintage = (select max(source_vintage) from marts.mart_nrm_revisions) "
            "order by table_key, period_label, column_group, column_label"
        )
        definitions = Definitions.from_rows(
            catalogue,
            fetch('select * from staging.indicator_counts order by "count"'),
            fetch("select * from staging.breakdown_families order by source, breakdown"),
            fetch("select area_code, parent_area_code from marts.dim_area order by area_code"),
        )
    return indicators, catalogue, revisions, definitions


def build_bundle(settings: Settings, gate_dir: Path, directory: Path) -> str:
    """Write every release file into `directory`; returns the release id derived from the content.
    `gate_dir` holds the quality gate's results (GateResult.write), which ship in the release."""
    gate_summary = json.loads((gate_dir / SUMMARY_FILE).read_text())
    if gate_summary.get("success") is not True:
        raise PublishError(f"refusing to publish: the quality gate did not pass ({gate_dir})")
    indicators, catalogue, revisions, definitions = _read_marts(settings)
    if not indicators:
        raise PublishError("marts.mart_prevention_indicators is empty: nothing to publish")
    policy = disclosure_policy(settings)
    controlled = disclosure_controlled_tables(indicators, revisions, definitions, policy)
    indicator_rows, revision_rows, disclosure_rows = (
        controlled.indicators,
        controlled.revisions,
        controlled.log,
    )
    catalogue_rows = [
        [_format(r[n]) if r[n] is not None else "" for n, _, _ in CATALOGUE_FIELDS] for r in catalogue
    ]
    files = {
        "indicators.csv": (
            _csv_bytes([n for n, _, _ in INDICATOR_FIELDS], indicator_rows),
            INDICATOR_FIELDS,
            ["indicator_id", "period_type", "period_label", "area_code", "breakdown"],
            "Prevention-strategy indicators by period, area and breakdown, disclosure-controlled",
        ),
        "indicator_catalogue.csv": (
            _csv_bytes([n for n, _, _ in CATALOGUE_FIELDS], catalogue_rows),
            CATALOGUE_FIELDS,
            ["indicator_id"],
            "Definitions of every indicator",
        ),
        "revisions.csv": (
            _csv_bytes([n for n, _, _ in REVISION_FIELDS], revision_rows),
            REVISION_FIELDS,
            ["table", "period_label", "column_group", "column_label"],
            "Published NRM figures revised since the previous release vintage",
        ),
        "disclosure_log.csv": (
            _csv_bytes([n for n, _, _ in DISCLOSURE_FIELDS], disclosure_rows),
            DISCLOSURE_FIELDS,
            None,
            "Every suppressed cell and why (values never shown)",
        ),
    }
    tables = [
        Table(
            "Table_1",
            "Prevention-strategy indicators by period, area and breakdown",
            INDICATOR_FIELDS,
            indicator_rows,
        ),
        Table("Table_2", "Indicator definitions", CATALOGUE_FIELDS, catalogue_rows),
        Table(
            "Table_3",
            "NRM figures revised since the previous release vintage",
            REVISION_FIELDS,
            revision_rows,
        ),
        Table("Table_4", "Suppressed cells and why (values never shown)", DISCLOSURE_FIELDS, disclosure_rows),
    ]
    parquet = {"indicators.parquet": parquet_bytes(tables[0]), "revisions.parquet": parquet_bytes(tables[2])}
    # the last line of defence, on the tables as they will be published; raises on any failure
    publication = check_publication(parquet, disclosure_rows, policy)
    quality = json.dumps(gate_summary, indent=2, sort_keys=True).encode("utf-8") + b"\n"

    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name][0])
    digest.update(quality)
    # Named after the newest quarter it covers, e.g. 2023-q4-<content hash>.
    newest_quarter = max(r["period_label"] for r in indicators if "-Q" in r["period_label"])
    release_id = f"{newest_quarter.lower()}-{digest.hexdigest()[:10]}"

    resources = []

    def add_file(path: str, content: bytes, title: str, format_: str, mediatype: str, **extra) -> None:
        """Write one file of the release and list it in the data package with its size and sha256."""
        (directory / path).parent.mkdir(parents=True, exist_ok=True)
        (directory / path).write_bytes(content)
        name = extra.pop("name", None) or re.sub(r"[^a-z0-9]+", "-", path.lower().removesuffix(".csv")).strip(
            "-"
        )
        resources.append(
            {
                "name": name,
                "path": path,
                "title": title,
                **extra,
                "format": format_,
                "mediatype": mediatype,
                "bytes": len(content),
                "hash": f"sha256:{hashlib.sha256(content).hexdigest()}",
            }
        )

    for name, (content, fields, primary_key, title) in files.items():
        add_file(
            name, content, title, "csv", "text/csv", encoding="utf-8", schema=_schema(fields, primary_key)
        )
    # Not tabular resources: checked by hash and size; their types are in the CSV's schema.
    for name, table in (("indicators.parquet", tables[0]), ("revisions.parquet", tables[2])):
        title = (
            table.title + " (typed; a suppressed or missing figure is null, its shorthand in <field>_flag)"
        )
        add_file(name, parquet[name], title, "parquet", "application/vnd.apache.parquet", type="file")
    workbook = directory / "child-trafficking-indicators.ods"
    write_workbook(
        workbook, "UK child trafficking prevention indicators", release_id, _workbook_notes(settings), tables
    )
    add_file(
        workbook.name,
        workbook.read_bytes(),
        "Every table in one spreadsheet (Analysis Function layout: cover, contents, notes, one table per sheet)",
        "ods",
        "application/vnd.oasis.opendocument.spreadsheet",
        type="file",
        name="spreadsheet",
    )
    quality_files = _write_quality(directory / "quality", gate_dir, quality, publication)
    suites = suite_statuses(directory / "quality")
    per_suite = {f"quality/{path}" for s in suites for path in (s.page, s.result)}
    report = render_report(
        release_id,
        [n for n, _, _ in INDICATOR_FIELDS],
        indicator_rows,
        catalogue_records(catalogue),
        sorted([*files, *parquet, workbook.name, "datapackage.json", *set(quality_files) - per_suite]),
        _workbook_notes(settings),
        QualityDigest(suites, [_warning_text(w) for w in gate_summary["expectations"] if _is_warning(w)]),
    ).encode("utf-8")
    add_file(
        "report.html",
        report,
        "The release at a glance: charts of the headline indicators, caveats, and links to every file",
        "html",
        "text/html",
        name="report",
    )
    for path in quality_files:
        json_file = path.endswith(".json")
        add_file(
            path,
            (directory / path).read_bytes(),
            _quality_title(path),
            "json" if json_file else "html",
            "application/json" if json_file else "text/html",
            type="file",
            name="quality-validation-summary" if path.endswith(SUMMARY_FILE) else None,
        )
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
        "source_vintages": sorted({r["source_vintage"] for r in indicators}),
        "disclosure_control": policy.as_record(),
        "resources": resources,
    }
    (directory / "datapackage.json").write_text(json.dumps(package, indent=2) + "\n", encoding="utf-8")
    return release_id


def catalogue_records(catalogue: list[dict]) -> list[dict]:
    return [
        {name: "" if r[name] is None else str(r[name]) for name, _, _ in CATALOGUE_FIELDS} for r in catalogue
    ]


def disclosure_policy(settings: Settings) -> DisclosurePolicy:
    return DisclosurePolicy(settings.disclosure_threshold, settings.disclosure_rounding_base)


def _workbook_notes(settings: Settings) -> list[str]:
    return [
        disclosure_policy(settings).describe() + " Table_4 lists every suppressed cell.",
        "The latest quarter of each indicator, and its year, are provisional (is_provisional): the next release may revise them.",
        "Earlier quarters of the NRM statistics are revised in every release: compare figures of the same source_vintage.",
        "Ratios are fractions from 0 to 1. Rates are per 100,000 (per_100k) or per 10,000 (per_10k) children aged 0 to 17.",
        "Sample agency returns shipped with the software are synthetic; their figures are not those of any agency.",
        SOURCE_ATTRIBUTION,
    ]


def _write_quality(quality_dir: Path, gate_dir: Path, summary: bytes, publication: GateResult) -> list[str]:
    """quality/: the gate's summary, GX's result and Data Docs page for every suite the release passed
    (the gate's and the publication checks'), and the Data Docs index. Returns the paths written."""
    from expectations.docs import DATA_DOCS, RELEASE_INTRO, VALIDATIONS, write_index

    quality_dir.mkdir(parents=True)
    (quality_dir / SUMMARY_FILE).write_bytes(summary)
    for folder in (VALIDATIONS, DATA_DOCS):
        if (gate_dir / folder).is_dir():
            shutil.copytree(
                gate_dir / folder, quality_dir / folder, ignore=shutil.ignore_patterns("index.html")
            )
    publication.write_validations(quality_dir)
    write_index(quality_dir, "Quality results of this release", RELEASE_INTRO)
    return sorted(str(p.relative_to(quality_dir.parent)) for p in quality_dir.rglob("*") if p.is_file())


def _is_warning(outcome: dict) -> bool:
    return not outcome["success"] and outcome["severity"] != "critical"


def _warning_text(outcome: dict) -> str:
    return ExpectationOutcome(**outcome).describe()


def _quality_title(path: str) -> str:
    if path.endswith(SUMMARY_FILE):
        return "The quality-gate results that let this release through (every expectation, and the warnings)"
    if path.endswith("index.html"):
        return "Data Docs: every validation suite this release passed, with links to each result"
    kind = "Great Expectations result (JSON)" if path.endswith(".json") else "Data Docs page"
    return f"{kind} of the suite {Path(path).stem}"


def publication_frames(
    parquet: dict[str, bytes], disclosure_rows: list[list[str]], policy: DisclosurePolicy
) -> dict[str, tuple]:
    """(suite builder, frame) for every published table, read back from the Parquet as written."""
    import pandas as pd
    import pyarrow.parquet as pq

    from expectations.suites.publication import (
        build_publication_disclosure_log_suite,
        build_publication_indicators_suite,
        build_publication_revisions_suite,
    )

    indicators = pq.read_table(io.BytesIO(parquet["indicators.parquet"])).to_pandas()
    revisions = pq.read_table(io.BytesIO(parquet["revisions.parquet"])).to_pandas()
    disclosure = pd.DataFrame(disclosure_rows, columns=[n for n, _, _ in DISCLOSURE_FIELDS], dtype="object")
    indicator_columns, revision_columns = list(indicators.columns), list(revisions.columns)
    for frame, counts in (
        (indicators, ("numerator", "denominator")),
        (revisions, ("previous_value", "value")),
    ):
        if policy.rounding_base:  # GX has no modulo: the remainder is checked beside the table
            for field in counts:
                frame[f"{field}_rounding_remainder"] = frame[field] % policy.rounding_base
    indicators["figures"] = _row_names(indicators, ["indicator_id", "period_label", "area_code", "breakdown"])
    revisions["figures"] = _row_names(revisions, ["table", "period_label", "column_group", "column_label"])
    threshold, base = policy.threshold, policy.rounding_base
    return {
        "publication_indicators": (
            lambda: build_publication_indicators_suite(
                indicator_columns + _extra(indicators, indicator_columns), threshold, base
            ),
            indicators,
        ),
        "publication_revisions": (
            lambda: build_publication_revisions_suite(
                revision_columns + _extra(revisions, revision_columns), threshold, base
            ),
            revisions,
        ),
        "publication_disclosure_log": (
            lambda: build_publication_disclosure_log_suite(list(disclosure.columns)),
            disclosure,
        ),
    }


def _row_names(frame, columns: list[str]):
    """'child_referrals 2023-Q4 K02000001 all': how a failed check names the row."""
    names = frame[columns[0]].astype(str)
    for column in columns[1:]:
        names = names + " " + frame[column].astype(str)
    return names


def _extra(frame, published: list[str]) -> list[str]:
    """The columns added beside a published table for checking (row names, rounding remainders)."""
    return [c for c in frame.columns if c not in published]


def check_publication(
    parquet: dict[str, bytes], disclosure_rows: list[list[str]], policy: DisclosurePolicy
) -> GateResult:
    """The last line of defence: the publication suites on the tables as written. No published count
    may lie between 1 and the threshold; any failed expectation stops the release, naming the rows."""
    result = run_suites(publication_frames(parquet, disclosure_rows, policy))
    if not result.success:
        failures = "\n".join(f"  - {o.describe()}" for o in result.failures)
        raise PublishError(
            f"refusing to publish: the published tables fail {len(result.failures)} check(s)\n{failures}"
        )
    return result


def publish_release(settings: Settings, gate_dir: Path) -> Release:
    """Build the bundle in a temp dir and rename it into published/<release_id>/ (never overwriting).

    `gate_dir` holds the results of the quality gate that let it through (GateResult.write); they
    ship in the bundle's quality/ with the publication checks' results.
    """
    settings.published_dir.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_builds(settings.published_dir)
    staging = settings.published_dir / f".building-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        release_id = build_bundle(settings, Path(gate_dir), staging)
        crash_point("publish")
        files = sorted(str(p.relative_to(staging)) for p in staging.rglob("*") if p.is_file())
        target = settings.published_dir / release_id
        if target.exists():  # the same content was published before: releases are immutable
            shutil.rmtree(staging)
            _point_latest(settings, release_id)
            audit.settle(settings, "published", release_id)
            return Release(release_id, target, False, files)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _point_latest(settings, release_id)
    audit.settle(settings, "published", release_id)
    return Release(release_id, target, True, files)


def _remove_abandoned_builds(published_dir: Path) -> None:
    """Bundles a killed publish left half-built (`.building-<pid>` of a process that is gone)."""
    for staging in published_dir.glob(".building-*"):
        pid = staging.name.removeprefix(".building-")
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue  # another publish is building it now
        shutil.rmtree(staging, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _point_latest(settings: Settings, release_id: str) -> None:
    link = settings.published_dir / "latest"
    partial = settings.published_dir / ".latest.part"
    partial.unlink(missing_ok=True)
    partial.symlink_to(release_id, target_is_directory=True)
    partial.replace(link)


def latest_release(settings: Settings) -> Path | None:
    link = settings.published_dir / "latest"
    return link.resolve() if link.exists() else None
