"""The one registry of sources: everything the pipeline knows about a source, said once.

Settings (the landing folders), the audit vocabulary (`audit.file_log.source`), the landing assets
and the ingest DAGs (dags/ingest_sources.py), ingest (extract/ingest.py), the dbt selection
(transform/build.py), the quality gate's per-source suites (expectations/registry.py), the `ctm`
CLI's `--source`, the demo and the operations all read this registry; none of them names a source.

Plain data, cheap to import (the DAG processor parses the DAG files every 30 s): a source's reader
is named by its kind, which extract/ingest.py resolves to its handler, because this core layer
imports nothing above it. A published-statistics source (reader "statistics") needs no new code in
ingest: its table definition, extract/sources/statistics/<name>.py, is found by its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ReaderKind = Literal["nrm", "returns", "statistics"]


@dataclass(frozen=True)
class SourceSpec:
    """One source, as every stage of the pipeline sees it."""

    name: str  # the source's key: its landing asset is landing_<name>, its folder landing/<name>/
    title: str  # what it sends, as a sender knows it ("Children in Need tables")
    submitted_as: str  # what `ctm submit --source <name>` lands, for its help
    audit_kinds: tuple[str, ...]  # the audit.file_log.source values its files are recorded under
    reader: ReaderKind  # how its files are read; extract/ingest.py maps each kind to its handler
    dbt_source: str  # the dbt source its files load (models/staging/*/_*__sources.yml)
    suites: tuple[str, ...]  # the gate's suites that check its data (expectations/registry.py)
    indicator: str  # an indicator it always yields: a release carries the source once it has it
    # its sample files under data/samples/<name>/, in the order they arrive (a pattern: sorted matches)
    samples: tuple[str, ...]
    dag_id: str  # its ingest DAG, scheduled on its landing asset (a marker, or a REST event)
    task_id: str  # the DAG's one task
    dag_doc: str  # the DAG's description in the Airflow UI (doc_md)
    # whom a release credits for its figures (the spreadsheet's cover, datapackage.json's sources);
    # None for what the project collects itself (the agency returns)
    credit: str | None = None

    @property
    def landing_folder(self) -> str:
        """Its folder under the data home's landing/."""
        return self.name

    @property
    def landing_asset(self) -> str:
        return f"landing_{self.name}"

    def sample_files(self, repo_root: Path) -> list[Path]:
        folder = repo_root / "data" / "samples" / self.name
        return [path for pattern in self.samples for path in sorted(folder.glob(pattern))]


def _statistics_dag_doc(name: str, title: str) -> str:
    """What every published-statistics ingest DAG does: one reader, one check, one loader."""
    return f"""
### Ingest {title}

Runs when a marker file appears in `landing/{name}/` (the asset watcher; `ctm submit --source {name}`
writes it) or when an asset event for `landing_{name}` is posted to the REST API. Every waiting file
is archived by sha256, read (CSV, .xlsx or .ods; the header found by meaning), checked with the
`published_statistics` Great Expectations suite, and loaded into `raw.published_statistics` or
quarantined with a rejection report; each gets an `audit.file_log` row. The publisher's shorthand
(c, x, z, u, low) is loaded as missing with its flag, never as 0. Every edition is kept; the same
edition sent again supersedes the earlier file. Emits `warehouse_raw` when anything new was loaded.
"""


def statistics_source(
    name: str, title: str, *, suite: str, indicator: str, samples: tuple[str, ...], credit: str
):
    """A published-statistics table (another publisher's open data, one row per period x area):
    read by the shared statistics reader into raw.published_statistics, the dbt source `statistics`."""
    return SourceSpec(
        name=name,
        title=title,
        submitted_as=f"a {title.removesuffix('s')} ({name})",
        audit_kinds=(name,),
        reader="statistics",
        dbt_source="statistics",
        suites=(suite,),
        indicator=indicator,
        samples=samples,
        dag_id=f"ingest_{name}",
        task_id="ingest_landed_tables",
        dag_doc=_statistics_dag_doc(name, title),
        credit=credit,
    )


# In the order `ctm run` ingests them.
SOURCES: tuple[SourceSpec, ...] = (
    SourceSpec(
        name="nrm",
        title="NRM workbooks",
        submitted_as="an NRM release workbook",
        audit_kinds=("nrm",),
        reader="nrm",
        dbt_source="nrm",
        suites=("fct_nrm_referrals", "fct_nrm_decisions", "nrm_published_totals"),
        indicator="child_referrals",
        samples=("nrm-*-tables.ods",),  # 2022 Q2 to 2023 Q4, oldest first
        dag_id="ingest_nrm",
        task_id="ingest_landed_workbooks",
        credit="Home Office, Modern Slavery: National Referral Mechanism and Duty to Notify statistics UK",
        dag_doc="""
### Ingest NRM workbooks

Runs when a marker file appears in `landing/nrm/` (the asset watcher) or when an asset event
for `landing_nrm` is posted to the REST API. Every waiting workbook is archived by sha256, parsed,
and loaded into `raw` or quarantined with a rejection report; each gets an `audit.file_log` row.
Emits `warehouse_raw` when anything new was loaded (skips otherwise).
""",
    ),
    SourceSpec(
        name="returns",
        title="agency returns",
        submitted_as="an agency return",
        audit_kinds=("la_return", "police_return"),  # a council's, a police force's
        reader="returns",
        dbt_source="returns",
        suites=("fct_agency_returns",),
        indicator="returns_on_time_share",
        # Synthetic agency returns, in the order they arrive: the originals, then Birmingham's
        # correction (which supersedes its first return), then two broken files the intake must quarantine.
        samples=(
            "synthetic-councils-2024.csv",
            "synthetic-police-2024.xlsx",
            "synthetic-E08000025-2024-Q3-corrected.csv",
            "synthetic-broken-E10000016-2024-Q3.csv",
            "synthetic-broken-not-a-spreadsheet.xlsx",
        ),
        dag_id="ingest_agency_returns",
        task_id="ingest_landed_returns",
        dag_doc="""
### Ingest agency returns

Runs when a marker file appears in `landing/returns/` (the asset watcher; `ctm submit` writes it)
or when an asset event for `landing_returns` is posted to the REST API
(`POST /api/v2/assets/events`, see the README). Every waiting file is archived by sha256, read
(CSV, .xlsx or .ods), validated against the return definition (a Great Expectations suite built
from it, plus the checks GX cannot express), and loaded into `raw.agency_returns` or quarantined
with `rejection.json` and `rejection.md`; each gets an `audit.file_log` row. A later return for the
same agency and quarter supersedes the earlier one. Emits `warehouse_raw` when anything new was
loaded (skips otherwise).
""",
    ),
    # Real official statistics tables, as published (their SOURCES.md says where from).
    statistics_source(
        "children_in_need",
        "Children in Need tables",
        suite="fct_children_in_need_factors",
        indicator="cin_trafficking_rate_per_10k",
        samples=("c3_factors_identified_at_end_of_assessment_2018_to_2025.csv",),
        credit="Department for Education, Characteristics of children in need",
    ),
    statistics_source(
        "police_recorded_crime",
        "police recorded crime tables",
        suite="fct_police_recorded_modern_slavery",
        indicator="modern_slavery_offence_rate_per_100k",
        samples=("prc_pfa_modern_slavery_106_quarterly.csv",),
        credit="Home Office, Police recorded crime open data tables",
    ),
)

# Reference data every release also draws on (the dbt seeds), credited after the sources.
REFERENCE_CREDITS: tuple[str, ...] = ("Office for National Statistics, mid-year population estimates",)

SOURCES_BY_NAME: dict[str, SourceSpec] = {source.name: source for source in SOURCES}
SOURCE_NAMES: tuple[str, ...] = tuple(SOURCES_BY_NAME)
# Every value audit.file_log.source takes, and the source each belongs to.
SOURCE_OF_AUDIT_KIND: dict[str, str] = {kind: s.name for s in SOURCES for kind in s.audit_kinds}
AUDIT_KINDS: tuple[str, ...] = tuple(SOURCE_OF_AUDIT_KIND)
# The default of `ctm submit --source`: agencies send most files by hand.
DEFAULT_SUBMITTED_SOURCE = "returns"


def credits() -> tuple[str, ...]:
    """Whom a release credits, in the registry's order, then the reference data."""
    return tuple(source.credit for source in SOURCES if source.credit) + REFERENCE_CREDITS


def sources_read_by(reader: ReaderKind) -> tuple[SourceSpec, ...]:
    return tuple(source for source in SOURCES if source.reader == reader)


def submit_help() -> str:
    """`ctm submit --source`'s help: what each landing area takes, the default first."""
    default = SOURCES_BY_NAME[DEFAULT_SUBMITTED_SOURCE]
    others = [s.submitted_as for s in SOURCES if s is not default]
    return f"landing area: {default.submitted_as} (default), {', '.join(others[:-1])} or {others[-1]}"
