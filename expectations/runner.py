"""Run Great Expectations suites on pandas frames, each in a fresh ephemeral context.

GX 1.x has no working DuckDB datasource, so each table is read into pandas and validated there.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from expectations.results import GateResult, RowFailure, outcomes_of


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


def run_suites(suites: dict[str, tuple[Callable, pd.DataFrame]]) -> GateResult:
    """Validate each frame with the suite its builder makes; one outcome per expectation."""
    gate = GateResult()
    for name, (build_suite, frame) in suites.items():
        # where a frame names its rows ('figures'), failures show those names, not bare values
        result_format = {"result_format": "SUMMARY"}
        if "figures" in frame.columns:
            result_format["unexpected_index_column_names"] = ["figures"]
        validation = _run_suite(build_suite, frame, result_format)
        gate.outcomes += outcomes_of(name, validation)
        gate.validations[name] = validation
    return gate


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
