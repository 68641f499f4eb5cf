"""`ctm run`: process the landing zone, build, validate, publish."""

from __future__ import annotations

import sys

from ctm.commands import Command
from ctm.commands.operation import run_under_lock
from pipeline.settings import Settings


def cmd_run(settings: Settings) -> int:
    from ctm.runner import run_pipeline

    def run(progress):
        outcome = run_pipeline(settings, progress=progress)
        if outcome.held is not None and outcome.held.result.results_dir:
            results = outcome.held.result.results_dir
            print(f"quality report: {results / 'HELD.md'}", file=sys.stderr)
            print(f"Data Docs of every suite: {results / 'data_docs' / 'index.html'}", file=sys.stderr)
        return outcome.messages, outcome.exit_code

    return run_under_lock(settings, "run", run)


COMMAND = Command(
    name="run",
    summary="process the landing zone, build, validate, publish",
    examples=["ctm run", "CTM_HOME=/srv/ctm ctm run"],
    exit_codes={
        0: "published a release, or there was nothing new",
        1: "the quality gate held the release (its report is printed), the build failed, or another "
        "run or process holds the warehouse",
        2: "bad usage or configuration",
    },
    run=lambda settings, args: cmd_run(settings),
)
