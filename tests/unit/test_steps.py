"""The release's steps: run in order by a short driver that holds each to what it says it reads and
writes, with background work finished before it is read and never left running."""

from __future__ import annotations

import json
import os

import pytest

from pipeline.settings import REPO_ROOT
from publish.bundle import STEPS, check_gate
from publish.checks import PublishError
from publish.marts import MART_QUERIES
from publish.steps import Step, StepError, run_steps

INPUTS = {"settings", "gate_dir", "directory"}


def test_every_step_of_the_release_reads_only_what_the_steps_before_it_write():
    written = set(INPUTS)
    for step in STEPS:
        assert set(step.reads) <= written, (step.name, set(step.reads) - written)
        assert not set(step.writes) & written, step.name  # nothing is written twice
        written |= set(step.writes)
    assert [s.name for s in STEPS if s.in_background] == ["start_xlsx"]
    assert STEPS[0].name == "check_gate"  # nothing is read before the gate's verdict


def test_steps_run_in_order_each_given_what_it_reads():
    def double(number):
        return {"doubled": number * 2}

    def describe(number, doubled):
        return {"text": f"{number} then {doubled}"}

    products = run_steps([Step.of(double, ("doubled",)), Step.of(describe, ("text",))], {"number": 3})
    assert products == {"number": 3, "doubled": 6, "text": "3 then 6"}


def test_a_step_reading_what_no_step_before_it_writes_is_refused():
    def late(missing):
        return {}

    with pytest.raises(StepError, match=r"step 'late' reads \['missing'\], which no step before it writes"):
        run_steps([Step.of(late, ())], {})


def test_a_step_writing_other_than_it_says_is_refused():
    def liar():
        return {"something_else": 1}

    with pytest.raises(StepError, match=r"step 'liar' wrote \['something_else'\], not \['promised'\]"):
        run_steps([Step.of(liar, ("promised",))], {})


class _Work:
    def __init__(self, log: list[str], result: dict | None = None, error: Exception | None = None):
        self.log, self.result, self.error = log, result, error

    def finish(self):
        self.log.append("finished")
        if self.error:
            raise self.error
        return self.result

    def abandon(self):
        self.log.append("abandoned")


def test_background_work_is_finished_before_the_first_step_that_reads_it():
    log: list[str] = []

    def start():
        log.append("started")
        return _Work(log, {"slow": "done"})

    def meanwhile():
        log.append("meanwhile")
        return {"other": 1}

    def reader(slow):
        log.append(f"read {slow}")
        return {}

    steps = [
        Step.of(start, ("slow",), in_background=True),
        Step.of(meanwhile, ("other",)),
        Step.of(reader, ()),
    ]
    assert run_steps(steps, {})["slow"] == "done"
    assert log == ["started", "meanwhile", "finished", "read done"]


def test_background_work_nobody_reads_is_still_finished_and_its_failure_raised():
    log: list[str] = []
    steps = [Step.of(lambda: _Work(log, error=PublishError("no room")), ("slow",), in_background=True)]
    with pytest.raises(PublishError, match="no room"):
        run_steps(steps, {})
    assert log == ["finished", "abandoned"]


def test_a_failing_step_waits_for_the_background_work_before_its_error_goes_on():
    log: list[str] = []

    def broken():
        raise PublishError("the step failed")

    steps = [Step.of(lambda: _Work(log, {"slow": 1}), ("slow",), in_background=True), Step.of(broken, ())]
    with pytest.raises(PublishError, match="the step failed"):
        run_steps(steps, {})
    assert log == ["abandoned"]


def test_the_gate_step_alone_refuses_a_gate_that_did_not_pass(tmp_path):
    (tmp_path / "validation_summary.json").write_text(json.dumps({"success": False, "expectations": []}))
    with pytest.raises(PublishError, match="quality gate did not pass"):
        check_gate(tmp_path)
    (tmp_path / "validation_summary.json").write_text(json.dumps({"success": True, "expectations": []}))
    assert check_gate(tmp_path)["quality_summary"] == b'{\n  "expectations": [],\n  "success": true\n}\n'
    assert os.listdir(tmp_path) == ["validation_summary.json"]  # it writes nothing


def test_the_dbt_exposure_of_the_release_names_every_mart_publish_reads():
    """dbt's lineage (and `dbt build --select +exposure:published_release`) must know what a release
    is made of: the exposure lists exactly the marts the one reader of the marts reads."""
    import yaml

    exposures = yaml.safe_load((REPO_ROOT / "dbt_project" / "models" / "exposures.yml").read_text())
    (release,) = [e for e in exposures["exposures"] if e["name"] == "published_release"]
    named = {ref.removeprefix("ref('").removesuffix("')") for ref in release["depends_on"]}
    assert named == {table for table, _ in MART_QUERIES.values()}
