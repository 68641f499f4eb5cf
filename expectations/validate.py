"""The quality gate: run the suites on DataFrames pulled read-only from the warehouse.

GX 1.x has no working DuckDB datasource (STACK_NOTES.md section 4), so each table is read into
pandas and validated there. A failed critical expectation holds the release; warnings are
recorded in the release's quality results. Nothing here imports Airflow.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from pipeline import warehouse
from pipeline.settings import Settings

log = logging.getLogger(__name__)

SUMMARY_FILE = "validation_summary.json"


# Suite name -> (query of the table it checks, the source whose data it needs or None for all).
SUITE_TABLES = {
    "mart_prevention_indicators": ("select * from marts.mart_prevention_indicators order by all", None),
    "fct_nrm_referrals": ("select * from marts.fct_nrm_referrals order by all", "nrm"),
    "fct_nrm_decisions": ("select * from marts.fct_nrm_decisions order by all", "nrm"),
    "fct_agency_returns": ("select * from marts.fct_agency_returns order by all", "returns"),
    # the reconciliation views name each row with its figures (`figures`) for the messages
    "indicator_years": ("select figures, reconciles from quality.qa_indicator_years order by all", None),
    "breakdown_partitions": (
        "select figures, reconciles from quality.qa_breakdown_partitions order by all",
        None,
    ),
    "indicator_series": (
        "select figures, has_every_quarter, reaches_newest_quarter from quality.qa_indicator_series order by all",
        None,
    ),
    "nrm_published_totals": (
        "select figures, reconciles from quality.qa_nrm_published_totals order by all",
        "nrm",
    ),
    # each headline figure of the newest quarter beside the quarter before, for the change warning
    "indicator_changes": (
        """
        with quarters as (
            select indicator_id, area_code, period_label, value,
                lag(value) over (partition by indicator_id, area_code order by period_start_date) as previous_value,
                lag(period_label) over (partition by indicator_id, area_code order by period_start_date) as previous_period
            from marts.mart_prevention_indicators
            where period_type = 'quarter' and breakdown = 'all'
        )
        select
            indicator_id || ' ' || area_code || ': ' || previous_period || ' ' || round(previous_value, 4)
                || ' -> ' || period_label || ' ' || round(value, 4) as figures,
            abs(value - previous_value) / nullif(abs(previous_value), 0) as relative_change
        from quarters
        where value is not null and previous_value is not null
        -- the newest quarter of each indicator: what this release adds
        qualify period_label = max(period_label) over (partition by indicator_id, area_code)
        order by all
        """,
        None,
    ),
}


def _suite_builders(sources: frozenset[str], change_warning_ratio: float) -> dict[str, Callable]:
    # Imported here: great_expectations takes seconds to import (kept off DAG parse paths).
    from expectations.suites.fct_agency_returns import build_fct_agency_returns_suite
    from expectations.suites.fct_nrm_decisions import build_fct_nrm_decisions_suite
    from expectations.suites.fct_nrm_referrals import build_fct_nrm_referrals_suite
    from expectations.suites.indicator_changes import build_indicator_changes_suite
    from expectations.suites.mart_prevention_indicators import build_mart_prevention_indicators_suite
    from expectations.suites.reconciliations import (
        build_breakdown_partitions_suite,
        build_indicator_series_suite,
        build_indicator_years_suite,
        build_nrm_published_totals_suite,
    )

    return {
        "indicator_changes": lambda: build_indicator_changes_suite(change_warning_ratio),
        "mart_prevention_indicators": lambda: build_mart_prevention_indicators_suite(sources),
        "fct_nrm_referrals": build_fct_nrm_referrals_suite,
        "fct_nrm_decisions": build_fct_nrm_decisions_suite,
        "fct_agency_returns": build_fct_agency_returns_suite,
        "indicator_years": build_indicator_years_suite,
        "indicator_series": build_indicator_series_suite,
        "breakdown_partitions": build_breakdown_partitions_suite,
        "nrm_published_totals": build_nrm_published_totals_suite,
    }


@dataclass(frozen=True)
class ExpectationOutcome:
    suite: str
    expectation: str
    kwargs: str
    severity: str
    success: bool
    unexpected_count: int | None
    examples: list[str]

    def describe(self) -> str:
        what = f"{self.suite}: {self.expectation}({self.kwargs})"
        if self.unexpected_count:
            what += f": {self.unexpected_count} row(s) fail, e.g. {self.examples}"
        return what


@dataclass
class GateResult:
    outcomes: list[ExpectationOutcome] = field(default_factory=list)
    results_dir: Path | None = None
    # suite name -> GX ExpectationSuiteValidationResult, kept for the Data Docs
    validations: dict = field(default_factory=dict, repr=False)

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity == "critical"]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity != "critical"]

    @property
    def success(self) -> bool:
        return not self.failures

    def summary(self) -> dict[str, object]:
        """A deterministic account of the validation (no timestamps), fit to ship inside a release."""
        return {
            "success": self.success,
            "evaluated_expectations": len(self.outcomes),
            "failed_critical": len(self.failures),
            "warnings": len(self.warnings),
            "expectations": [asdict(o) for o in self.outcomes],
        }

    def write(self, directory: Path) -> Path:
        """The summary, GX's result per suite and its Data Docs page, and an index, under `directory`."""
        from expectations.docs import GATE_RUN_INTRO, write_index

        directory.mkdir(parents=True, exist_ok=True)
        (directory / SUMMARY_FILE).write_text(json.dumps(self.summary(), indent=2) + "\n")
        self.write_validations(directory)
        write_index(directory, "Quality gate: validation results", GATE_RUN_INTRO)
        self.results_dir = directory
        return directory

    def write_validations(self, directory: Path) -> None:
        from expectations.docs import write_validation

        for name, validation in sorted(self.validations.items()):
            write_validation(directory, name, validation)


class GateHeld(RuntimeError):
    """A critical expectation failed: the release is held."""

    def __init__(self, result: GateResult):
        self.result = result
        lines = [f"quality gate held the release: {len(result.failures)} critical expectation(s) failed"]
        lines += [f"  - {o.describe()}" for o in result.failures]
        if result.results_dir:
            lines.append(f"  full results: {result.results_dir}")
        super().__init__("\n".join(lines))


def _outcomes(suite_name: str, gx_result) -> list[ExpectationOutcome]:
    outcomes = []
    for item in gx_result.results:
        config = item.expectation_config
        result = item.result or {}
        kwargs = {k: v for k, v in config.kwargs.items() if k not in ("batch_id",)}
        examples = [
            entry["figures"] if isinstance(entry, dict) and "figures" in entry else entry
            for entry in (result.get("partial_unexpected_index_list") if _names_rows(result) else None)
            or result.get("partial_unexpected_list")
            or []
        ]
        outcomes.append(
            ExpectationOutcome(
                suite=suite_name,
                expectation=config.type,
                kwargs=", ".join(f"{k}={v!r}" for k, v in sorted(kwargs.items())),
                severity=getattr(config.severity, "value", None) or "critical",
                success=bool(item.success),
                unexpected_count=result.get("unexpected_count"),
                examples=[str(e) for e in examples[:5]],
            )
        )
    return outcomes


def _run_suite(build_suite: Callable, frame: pd.DataFrame, result_format: str | dict = "SUMMARY"):
    """Validate `frame` with the suite `build_suite()` makes, in a fresh ephemeral context (GX 1.x,
    pandas datasource; a suite can only be built once a context exists)."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    # GX draws a progress bar per validation: noise in task logs and test output.
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    suite = context.suites.add(build_suite())
    batch_definition = (
        context.data_sources.add_pandas("frames")
        .add_dataframe_asset(name=suite.name)
        .add_batch_definition_whole_dataframe(suite.name)
    )
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"validate_{suite.name}", data=batch_definition, suite=suite)
    )
    return definition.run(batch_parameters={"dataframe": frame}, result_format=result_format)


def _names_rows(result: dict) -> bool:
    entries = result.get("partial_unexpected_index_list") or []
    return bool(entries) and isinstance(entries[0], dict) and "figures" in entries[0]


def run_suites(suites: dict[str, tuple[Callable, pd.DataFrame]]) -> GateResult:
    """Validate each frame with the suite its builder makes; one outcome per expectation."""
    gate = GateResult()
    for name, (build_suite, frame) in suites.items():
        # where a frame names its rows ('figures'), failures show those names, not bare values
        result_format = {"result_format": "SUMMARY"}
        if "figures" in frame.columns:
            result_format["unexpected_index_column_names"] = ["figures"]
        validation = _run_suite(build_suite, frame, result_format)
        gate.outcomes += _outcomes(name, validation)
        gate.validations[name] = validation
    return gate


def validate_frames(frames: dict[str, pd.DataFrame], *, change_warning_ratio: float = 0.5) -> GateResult:
    """Validate each named DataFrame with its suite. Unknown names are an error, not a silent pass.
    The facts present say which sources the release is built from, and so which indicators it must carry."""
    sources = frozenset(
        SUITE_TABLES[name][1] for name in frames if name in SUITE_TABLES and SUITE_TABLES[name][1]
    )
    builders = _suite_builders(sources, change_warning_ratio)
    unknown = set(frames) - set(builders)
    if unknown:
        raise KeyError(f"no expectation suite for {sorted(unknown)}; suites exist for {sorted(builders)}")
    return run_suites({name: (builders[name], frame) for name, frame in frames.items()})


@dataclass(frozen=True)
class RowFailure:
    """One expectation failed on some rows of a frame: which rows (index labels), and its meta."""

    expectation: str
    column: str | None
    meta: dict
    index: list


def failing_rows(build_suite: Callable, frame: pd.DataFrame) -> list[RowFailure]:
    """Run the suite on `frame`; for every failed expectation, the rows that fail it (all of them)."""
    result = _run_suite(build_suite, frame, {"result_format": "COMPLETE"})
    failures = []
    for item in result.results:
        if item.success:
            continue
        config = item.expectation_config
        failures.append(
            RowFailure(
                expectation=config.type,
                column=config.kwargs.get("column"),
                meta=dict(config.meta or {}),
                index=list((item.result or {}).get("unexpected_index_list") or []),
            )
        )
    return failures


def loaded_sources(con) -> set[str]:
    """The sources with loaded files: a release built from a source must carry all its indicators."""
    rows = con.execute("select distinct source from audit.file_log where status = 'loaded'").fetchall()
    return {"nrm" if source == "nrm" else "returns" for (source,) in rows}


def read_gate_frames(settings: Settings) -> dict[str, pd.DataFrame]:
    """The tables to validate: the marts, and the facts of every source that has data loaded."""
    with warehouse.connect(settings.warehouse_path, read_only=True) as con:
        sources = loaded_sources(con)
        return {
            name: con.sql(query).df()
            for name, (query, source) in SUITE_TABLES.items()
            if source is None or source in sources
        }


def dbt_test_warnings(settings: Settings) -> list[ExpectationOutcome]:
    """dbt tests of the last build that warned (a test of severity warn).

    They did not stop the build, but a reader of the release must see them in its quality results.
    """
    run_results = settings.dbt_target_dir / "run_results.json"
    if not run_results.exists():
        return []
    outcomes = []
    for node in json.loads(run_results.read_text())["results"]:
        if node.get("status") != "warn":
            continue
        name = node["unique_id"].split(".")[2]
        outcomes.append(
            ExpectationOutcome(
                suite="dbt",
                expectation=name,
                kwargs="",
                severity="warning",
                success=False,
                unexpected_count=node.get("failures"),
                examples=[str(node.get("message") or "")],
            )
        )
    return sorted(outcomes, key=lambda o: o.expectation)


def run_gate(settings: Settings) -> GateResult:
    """Validate the marts; write the results (and their Data Docs) under quality/<run>/; raise
    GateHeld on a critical failure. The results also carry the warnings of the dbt build.
    """
    result = validate_frames(read_gate_frames(settings), change_warning_ratio=settings.change_warning_ratio)
    result.outcomes += dbt_test_warnings(settings)
    run_dir = result.write(settings.quality_dir / datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ"))
    for warning in result.warnings:
        log.warning("quality warning: %s", warning.describe())
    if not result.success:
        (run_dir / "HELD.md").write_text(str(GateHeld(result)) + "\n")
        raise GateHeld(result)
    return result
