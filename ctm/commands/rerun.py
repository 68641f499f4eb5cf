"""`ctm rerun`: rebuild and republish a quarter's release from the archived inputs."""

from __future__ import annotations

import argparse

from ctm.commands import Command
from ctm.commands.operation import run_under_lock
from pipeline.settings import Settings


def cmd_rerun(settings: Settings, quarter: str) -> int:
    from ctm.operations import rerun_quarter

    def rerun(progress):
        outcome = rerun_quarter(settings, quarter, progress=progress)
        return outcome.messages, outcome.exit_code

    return run_under_lock(settings, "rerun", rerun)


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quarter", required=True, help="the release's newest quarter, e.g. 2023-Q4")


COMMAND = Command(
    name="rerun",
    summary="rebuild and republish a quarter's release from the archived inputs (latest is not moved)",
    examples=["ctm rerun --quarter 2023-Q4", "ctm rerun --quarter 2023-Q4 --home /srv/ctm"],
    exit_codes={
        0: "the quarter's release is in published/ (rebuilt, or already there)",
        1: "the quality gate held it, or the build failed",
        2: "not a quarter, nothing archived for it, or bad usage",
    },
    run=lambda settings, args: cmd_rerun(settings, args.quarter),
    add_arguments=_add_arguments,
)
