"""`ctm inspect`: a dry run of an NRM workbook (writes nothing)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from ctm.commands import Command


def cmd_inspect(file: Path) -> int:
    """Exit 0: the workbook would load; 1: it would be quarantined; 2: no such file."""
    from extract.sources.nrm.inspect import format_inspection, inspect_workbook

    if not file.is_file():
        print(f"ctm inspect: {file}: no such file", file=sys.stderr)
        return 2
    import great_expectations.data_context.types.base as gx_base

    gx_base.logger.setLevel(logging.WARNING)  # GX sets INFO on it; its temp-dir notices are noise here
    inspection = inspect_workbook(file)
    print(format_inspection(inspection))
    return 0 if inspection.would_load else 1


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path)


COMMAND = Command(
    name="inspect",
    summary="dry run of an NRM workbook: where each table is, how it is read, would it load (writes nothing)",
    examples=["ctm inspect national-referral-mechanism-statistics-uk-quarter-4-2023.ods"],
    exit_codes={
        0: "the workbook would load",
        1: "it would be quarantined (the reasons are printed)",
        2: "no such file",
    },
    run=lambda settings, args: cmd_inspect(args.file),
    add_arguments=_add_arguments,
)
