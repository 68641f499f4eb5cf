"""What a validation found: one outcome per expectation, the gate's result (with the summary
shipped in a release, GX's results and Data Docs), and the warnings of the dbt build."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline.settings import Settings

SUMMARY_FILE = "validation_summary.json"


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


def outcomes_of(suite_name: str, gx_result) -> list[ExpectationOutcome]:
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


def _names_rows(result: dict) -> bool:
    entries = result.get("partial_unexpected_index_list") or []
    return bool(entries) and isinstance(entries[0], dict) and "figures" in entries[0]


@dataclass(frozen=True)
class RowFailure:
    """One expectation failed on some rows of a frame: which rows (index labels), and its meta."""

    expectation: str
    column: str | None
    meta: dict
    index: list


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
