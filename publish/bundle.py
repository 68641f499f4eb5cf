"""Release bundles: the marts, disclosure-controlled, as files anyone can open, load and check.

A bundle is written into a temporary directory beside `published/`, checked, then renamed into
`published/<release_id>/` in one step, and `published/latest` is switched to it last. The release
id is derived from the content, so the same marts give the same id and byte-identical files, and
a published release is never changed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from expectations.docs import suite_statuses
from expectations.results import SUMMARY_FILE, ExpectationOutcome, GateResult
from pipeline.forked import Forked, ForkFailed
from pipeline.settings import Settings
from publish.area_profiles import AREA_PROFILE_FIELDS, area_profile_rows, read_area_profiles
from publish.checks import PublishError, check_publication
from publish.controlled import (
    PUBLISHER_SUPPRESSED,
    catalogue_records,
    disclosure_controlled_tables,
    disclosure_policy,
    format_cell,
    read_breakdown_labels,
    read_marts,
    read_source_publication,
)
from publish.formats import Table, csv_bytes, parquet_bytes
from publish.package import SOURCE_ATTRIBUTION, DataPackage
from publish.report import QualityDigest, map_figures_note, render_report
from publish.schema import (
    CATALOGUE_FIELDS,
    DISCLOSURE_FIELDS,
    INDICATOR_FIELDS,
    REVISION_FIELDS,
    table_schema,
)
from publish.spreadsheet import workbook, write_ods_workbook, write_xlsx_workbook


def build_bundle(settings: Settings, gate_dir: Path, directory: Path) -> str:
    """Write every release file into `directory`; returns the release id derived from the content.
    `gate_dir` holds the quality gate's results (GateResult.write), which ship in the release."""
    gate_summary = json.loads((gate_dir / SUMMARY_FILE).read_text())
    if gate_summary.get("success") is not True:
        raise PublishError(f"refusing to publish: the quality gate did not pass ({gate_dir})")
    indicators, catalogue, revisions, definitions = read_marts(settings)
    if not indicators:
        raise PublishError("marts.mart_prevention_indicators is empty: nothing to publish")
    policy = disclosure_policy(settings)
    controlled = disclosure_controlled_tables(indicators, revisions, definitions, policy)
    indicator_rows, revision_rows, disclosure_rows = (
        controlled.indicators,
        controlled.revisions,
        controlled.log,
    )
    profile_rows = area_profile_rows(read_area_profiles(settings), indicator_rows)
    catalogue_rows = [
        [format_cell(r[n]) if r[n] is not None else "" for n, _, _ in CATALOGUE_FIELDS] for r in catalogue
    ]
    files = {
        "indicators.csv": (
            csv_bytes([n for n, _, _ in INDICATOR_FIELDS], indicator_rows),
            INDICATOR_FIELDS,
            ["indicator_id", "period_type", "period_label", "area_code", "breakdown"],
            "Prevention-strategy indicators by period, area and breakdown, disclosure-controlled",
        ),
        "indicator_catalogue.csv": (
            csv_bytes([n for n, _, _ in CATALOGUE_FIELDS], catalogue_rows),
            CATALOGUE_FIELDS,
            ["indicator_id"],
            "Definitions of every indicator",
        ),
        "revisions.csv": (
            csv_bytes([n for n, _, _ in REVISION_FIELDS], revision_rows),
            REVISION_FIELDS,
            ["table", "period_label", "column_group", "column_label"],
            "Published NRM figures revised since the previous release vintage",
        ),
        "area_profiles.csv": (
            csv_bytes([n for n, _, _ in AREA_PROFILE_FIELDS], profile_rows),
            AREA_PROFILE_FIELDS,
            ["period_label", "area_code"],
            "Police force areas side by side: NRM child referrals by the force, modern slavery offences "
            "and Children in Need factors of the councils inside, as rates and ranks, by financial year",
        ),
        "disclosure_log.csv": (
            csv_bytes([n for n, _, _ in DISCLOSURE_FIELDS], disclosure_rows),
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
        Table(
            "Table_5",
            "Police force areas side by side: NRM, police and children's services, by financial year",
            AREA_PROFILE_FIELDS,
            profile_rows,
        ),
    ]
    parquet = {"indicators.parquet": parquet_bytes(tables[0]), "revisions.parquet": parquet_bytes(tables[2])}
    # the last line of defence, on the tables as they will be published; raises on any failure
    already_published = {
        (row["indicator_id"], field)
        for row in catalogue
        for field in ("numerator", "denominator")
        if definitions.is_public(row["indicator_id"], field)
    }
    publisher_suppressed = {
        f"{r['indicator_id']} {r['period_label']} {r['area_code']} {r['breakdown']}"
        for r in indicators
        if (r["null_reason"] or "").startswith(PUBLISHER_SUPPRESSED)
    }
    publication = check_publication(parquet, disclosure_rows, policy, already_published, publisher_suppressed)
    quality = json.dumps(gate_summary, indent=2, sort_keys=True).encode("utf-8") + b"\n"

    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name][0])
    digest.update(quality)
    # Named after the newest quarter it covers, e.g. 2023-q4-<content hash>.
    newest_quarter = max(r["period_label"] for r in indicators if "-Q" in r["period_label"])
    release_id = f"{newest_quarter.lower()}-{digest.hexdigest()[:10]}"

    package = DataPackage(directory)
    add_file = package.add_file
    for name, (content, fields, primary_key, title) in files.items():
        add_file(
            name,
            content,
            title,
            "csv",
            "text/csv",
            encoding="utf-8",
            schema=table_schema(fields, primary_key),
        )
    # Not tabular resources: checked by hash and size; their types are in the CSV's schema.
    for name, table in (("indicators.parquet", tables[0]), ("revisions.parquet", tables[2])):
        title = (
            table.title + " (typed; a suppressed or missing figure is null, its shorthand in <field>_flag)"
        )
        add_file(name, parquet[name], title, "parquet", "application/vnd.apache.parquet", type="file")
    quarters = sorted({r[2] for r in indicator_rows if r[1] == "quarter"})
    book = workbook(
        "UK child trafficking prevention indicators",
        release_id=release_id,
        period=f"{quarters[0]} to {quarters[-1]}" if quarters else "no quarter",
        nrm_release=read_source_publication(settings),
        source=SOURCE_ATTRIBUTION,
        contact=settings.publisher_contact,
        notes=_workbook_notes(settings, catalogue),
        tables=tables,
        empty_notes={
            "Table_3": "no published NRM figure was revised since the previous release vintage.",
            "Table_4": "no cell needed to be suppressed.",
        },
    )
    # the .xlsx (gptables, ~2 s) is written on the other core while the .ods, the quality pages and
    # the report are written here; each is added to the package in the same order as ever
    spreadsheets = {
        "ods": (
            directory / "child-trafficking-indicators.ods",
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        "xlsx": (
            directory / "child-trafficking-indicators.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    }
    xlsx = Forked(
        "writing child-trafficking-indicators.xlsx", write_xlsx_workbook, spreadsheets["xlsx"][0], book
    )
    try:
        write_ods_workbook(spreadsheets["ods"][0], book)
        quality_files = _write_quality(directory / "quality", gate_dir, quality, publication)
        suites = suite_statuses(directory / "quality")
        per_suite = {f"quality/{path}" for s in suites for path in (s.page, s.result)}
        report = render_report(
            release_id,
            [n for n, _, _ in INDICATOR_FIELDS],
            indicator_rows,
            catalogue_records(catalogue),
            sorted(
                [
                    *files,
                    *parquet,
                    *(path.name for path, _ in spreadsheets.values()),
                    "datapackage.json",
                    *set(quality_files) - per_suite,
                ]
            ),
            _workbook_notes(settings, catalogue),
            QualityDigest(suites, [_warning_text(w) for w in gate_summary["expectations"] if _is_warning(w)]),
            read_breakdown_labels(settings, catalogue),
            # what the spreadsheet's cover says of the release: its period, the NRM release, when, who
            [
                (k, v)
                for k, v in book.cover
                if k in ("Period covered", "NRM statistics used", "Release", "Contact")
            ],
        ).encode("utf-8")
    finally:
        xlsx.join()
    try:
        xlsx.check()
    except ForkFailed as exc:
        raise PublishError(str(exc)) from exc
    for suffix, (path, media_type) in spreadsheets.items():
        add_file(
            path.name,
            path.read_bytes(),
            f"Every table in one spreadsheet, .{suffix} (Analysis Function standard: cover, contents, "
            "notes, one table per sheet)",
            suffix,
            media_type,
            type="file",
            name=f"spreadsheet-{suffix}" if suffix != "ods" else "spreadsheet",
        )
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
    package.write(release_id, policy, sorted({r["source_vintage"] for r in indicators}))
    return release_id


def _workbook_notes(settings: Settings, catalogue: list[dict]) -> list[str]:
    return [
        disclosure_policy(settings).describe() + " Table_4 lists every suppressed cell.",
        "The latest quarter of each indicator, and its year, are provisional (is_provisional): the next release may revise them.",
        "Earlier quarters of the NRM statistics are revised in every release: compare figures of the same source_vintage.",
        "Ratios are fractions from 0 to 1. Rates are per 100,000 (per_100k) or per 10,000 (per_10k) of the "
        "population the indicator names: children aged 0 to 17, or people of all ages for modern slavery offences.",
        "Figures their publisher prints already are not suppressed again, as hiding them protects no one: "
        "every NRM figure (the Home Office's tables, including every figure in Table_3, and sums of them), "
        "police recorded offences, Children in Need factors by council, and the ONS populations. Disclosure "
        "control applies to what this release is first to publish: the figures of agency returns. A figure "
        "its publisher suppressed stays [c]. Every value not shown says why in null_reason.",
        "Sample agency returns shipped with the software are synthetic; their figures are not those of any agency. "
        "They arrive when the software is run, long after their quarters' deadlines, so with them the on-time "
        "share of returns (returns_on_time_share) is 0%: it measures when a return arrived, not its content.",
        map_figures_note(catalogue),
        SOURCE_ATTRIBUTION,
    ]


def _write_quality(quality_dir: Path, gate_dir: Path, summary: bytes, publication: GateResult) -> list[str]:
    """quality/: the gate's summary, GX's result and Data Docs page for every suite the release passed
    (the gate's and the publication checks'), and the Data Docs index. Returns the paths written."""
    from expectations.docs import DATA_DOCS, RELEASE_INTRO, VALIDATIONS, link_release_report, write_index

    quality_dir.mkdir(parents=True)
    (quality_dir / SUMMARY_FILE).write_bytes(summary)
    for folder in (VALIDATIONS, DATA_DOCS):
        if (gate_dir / folder).is_dir():
            shutil.copytree(
                gate_dir / folder, quality_dir / folder, ignore=shutil.ignore_patterns("index.html")
            )
    publication.write_validations(quality_dir)
    for page in (quality_dir / DATA_DOCS).glob("*.html"):
        page.write_text(link_release_report(page.read_text(encoding="utf-8")), encoding="utf-8")
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
