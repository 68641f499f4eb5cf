"""`ctm submit`: land a file as an upload would (copy, then marker)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ctm.commands import Command
from pipeline.settings import LANDING_SOURCES, Settings
from pipeline.sources import DEFAULT_SUBMITTED_SOURCE, submit_help


def cmd_submit(settings: Settings, file: Path, source: str) -> int:
    from extract.landing import land_file

    try:
        landed = land_file(settings, source, file)  # type: ignore[arg-type]
    except (FileNotFoundError, FileExistsError) as exc:
        print(f"ctm submit: {exc}", file=sys.stderr)
        return 2
    print(f"landed {landed}; it will be ingested by the pipeline (or run `ctm run`)")
    return 0


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path)
    parser.add_argument(
        "--source",
        choices=list(LANDING_SOURCES),
        default=DEFAULT_SUBMITTED_SOURCE,
        help=submit_help(),
    )


COMMAND = Command(
    name="submit",
    summary="land a file as an upload would (copy, then marker)",
    examples=[
        "ctm submit return-2024-Q3.csv",
        "ctm submit --source nrm national-referral-mechanism-statistics-uk-quarter-4-2023.ods",
        "ctm submit --source children_in_need c3_factors_identified_at_end_of_assessment.csv",
    ],
    exit_codes={
        0: "landed (the pipeline ingests it)",
        2: "no such file, one of that name already waiting, or bad usage",
    },
    run=lambda settings, args: cmd_submit(settings, args.file, args.source),
    add_arguments=_add_arguments,
)
