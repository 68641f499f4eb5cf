"""`ctm backfill`: land the NRM workbooks of past vintages, oldest first, and publish each in turn."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ctm.commands import Command
from ctm.commands.operation import run_under_lock
from pipeline.settings import Settings


def cmd_backfill(settings: Settings, folder: Path) -> int:
    from ctm.operations import backfill

    if not folder.is_dir():
        print(f"ctm backfill: no such folder: {folder}", file=sys.stderr)
        return 2

    def run(progress):
        outcomes = backfill(settings, folder, progress=progress)
        lines = [
            f"{vintage}: {message}" for vintage, outcome in outcomes for message in outcome.messages[-1:]
        ]
        return lines, max((outcome.exit_code for _, outcome in outcomes), default=0)

    return run_under_lock(settings, "backfill", run)


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path, help="a folder of NRM release workbooks, any order")


COMMAND = Command(
    name="backfill",
    summary="land the NRM workbooks of past vintages, oldest first, and publish each in turn",
    examples=["ctm backfill archive/nrm-vintages/"],
    exit_codes={
        0: "every vintage was published (or had nothing new)",
        1: "the quality gate held a vintage (the later ones were not landed), or a build failed",
        2: "no folder, a file with no NRM release period on its cover, or bad usage",
    },
    run=lambda settings, args: cmd_backfill(settings, args.folder),
    add_arguments=_add_arguments,
)
